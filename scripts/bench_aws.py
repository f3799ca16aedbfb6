"""Benchmark the AWS adapter against the naive serial loop, on moto's server, in one run.

    .venv/bin/python scripts/bench_aws.py --buckets 1000 [--latency-ms 30] [--workers 16]

Seeds N buckets (see `scripts/localcloud/aws/bench_estate.py`), then times, each in a fresh
process: the naive loop (ListBuckets, then GetBucketLocation + GetBucketTagging per bucket,
serially), a residency scan against moto's own ListBuckets (no BucketRegion), and a residency
scan through the local proxy that adds ListBuckets' BucketRegion as real S3 returns it.
`--latency-ms` puts the proxy's delay in front of every request of all three (real round trips).
Prints wall time, peak memory (RSS high-water mark of the process) and AWS API calls per
bucket, by operation and by kind of bucket, and whether the issue's targets are met.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scripts.localcloud.aws import bench_estate, bench_mixed
from scripts.localcloud.aws.moto_server import (
    FAKE_CREDENTIALS,
    ProxyOptions,
    client_env,
    start_datastores,
    start_moto,
    start_proxy,
)
from scripts.localcloud.aws.seed import Seeder
from scripts.localcloud.services import REPO_ROOT, ServiceGroup

Calls = Counter[tuple[str, str | None]]
RUNS = ("naive loop", "residency (moto shape)", "residency (BucketRegion)")


def _recorder(calls: Calls) -> Any:
    def record(params: dict[str, Any], model: Any, **_: Any) -> None:
        calls[(model.name, params.get("Bucket"))] += 1

    return record


def naive_loop(calls: Calls) -> int:
    """The loop the issue measures: what most scripts do. Returns buckets flagged."""
    import boto3
    from botocore.exceptions import ClientError

    session = boto3.Session()
    session.events.register("before-parameter-build", _recorder(calls))
    s3 = session.client("s3")
    flagged = 0
    for bucket in s3.list_buckets()["Buckets"]:
        constraint = s3.get_bucket_location(Bucket=bucket["Name"]).get("LocationConstraint")
        region = {None: "us-east-1", "": "us-east-1", "EU": "eu-west-1"}.get(constraint, constraint)
        try:
            tags = {t["Key"]: t["Value"] for t in s3.get_bucket_tagging(Bucket=bucket["Name"])["TagSet"]}
        except ClientError:
            tags = {}
        flagged += tags.get("data-class") == "us-user-data" and region not in bench_estate.US_REGIONS
    return flagged


def residency_scan(calls: Calls, workers: int) -> int:
    """A full adapter scan judged by the engine. Returns buckets with a violation."""
    from residency.catalog import load_catalog
    from residency.engine.evaluate import evaluate
    from residency.engine.needs import PolicyNeeds
    from residency.sources.aws.adapter import AwsAdapter
    from residency.sources.aws.options import AwsOptions
    from residency.sources.contract import CommonOptions, NullProgress

    policies = [bench_estate.us_policy()]
    catalog = load_catalog()
    hooks = [("before-parameter-build", _recorder(calls))]
    adapter = AwsAdapter(CommonOptions(max_workers=workers), AwsOptions(), hooks)
    inventory = adapter.collect(PolicyNeeds(policies, catalog), NullProgress())
    findings = evaluate(policies, inventory, catalog, dt.date.today())
    return len({f.resource.id for f in findings if f.status.value == "violation"})


def naive_mixed(calls: Calls) -> int:
    """The bucket loop, then the regional loop of `bench_mixed` (tables, instances, snapshots)."""
    import boto3

    flagged = naive_loop(calls)
    session = boto3.Session()
    session.events.register("before-parameter-build", _recorder(calls))
    return flagged + bench_mixed.naive_loop(session)


def worker(kind: str, workers: int) -> None:
    calls: Calls = Counter()
    started = time.perf_counter()
    runs = {"naive": naive_loop, "naive-mixed": naive_mixed}
    flagged = runs[kind](calls) if kind in runs else residency_scan(calls, workers)
    seconds = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = [[op, bucket, n] for (op, bucket), n in calls.items()]
    print(json.dumps({"seconds": seconds, "peak_mib": peak_mib, "flagged": flagged, "calls": rows}))


def run_worker(kind: str, endpoint: str, workers: int) -> dict[str, Any]:
    env = {**os.environ, **client_env(endpoint)}
    command = [sys.executable, __file__, "--worker", kind, "--workers", str(workers)]
    done = subprocess.run(command, env=env, cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"the {kind} run failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def per_bucket(result: dict[str, Any], count: int) -> tuple[dict[str, float], dict[str, float]]:
    """(calls per bucket by operation, calls per bucket by kind of bucket, shared calls amortised)."""
    kinds = bench_estate.categories(count)
    by_operation: Counter[str] = Counter()
    by_kind: Counter[str] = Counter()
    shared = 0
    for operation, bucket, n in result["calls"]:
        by_operation[operation] += n
        if bucket is None:
            shared += n
        elif bucket in kinds:
            by_kind[kinds[bucket]] += n
    sizes = Counter(kinds.values())
    per_kind = {kind: by_kind[kind] / size + shared / count for kind, size in sizes.items()}
    per_kind["every bucket"] = sum(by_operation.values()) / count
    return {op: n / count for op, n in sorted(by_operation.items())}, per_kind


def table(results: dict[str, dict[str, Any]], count: int, latency: float) -> str:
    sizes = Counter(bench_estate.categories(count).values())
    lines = [
        f"AWS scan benchmark: {count} buckets ({', '.join(f'{n} {k}' for k, n in sorted(sizes.items()))}), "
        f"{latency:g} ms added per request",
        "",
        "| | " + " | ".join(RUNS) + " |",
        "|---|" + "---:|" * len(RUNS),
    ]
    split = {run: per_bucket(results[run], count) for run in RUNS}

    def row(label: str, values: list[str]) -> None:
        lines.append(f"| {label} | " + " | ".join(values) + " |")

    row("wall time (s)", [f"{results[r]['seconds']:.2f}" for r in RUNS])
    row("peak memory (MiB)", [f"{results[r]['peak_mib']:.0f}" for r in RUNS])
    row("buckets flagged", [str(results[r]["flagged"]) for r in RUNS])
    for kind in ("every bucket", "out of scope", "in scope, allowed region", "in scope, outside region"):
        row(f"calls per bucket: {kind}", [f"{split[r][1].get(kind, 0):.3f}" for r in RUNS])
    operations = sorted({op for r in RUNS for op in split[r][0]})
    for op in operations:
        row(f"  {op}", [f"{split[r][0].get(op, 0):.3f}" if op in split[r][0] else "-" for r in RUNS])
    lines += ["", *targets(results, split, latency)]
    return "\n".join(lines)


def targets(results: dict[str, dict[str, Any]], split: dict[str, Any], latency: float) -> list[str]:
    naive, moto, regional = (results[r] for r in RUNS)
    checks = [
        ("out-of-scope bucket <= 0.02 calls (moto shape)", split[RUNS[1]][1]["out of scope"] <= 0.02),
        ("out-of-scope bucket <= 0.02 calls (BucketRegion)", split[RUNS[2]][1]["out of scope"] <= 0.02),
        ("in-scope bucket, allowed region <= 2.02 calls (moto shape)",
         split[RUNS[1]][1]["in scope, allowed region"] <= 2.02),
        ("in-scope bucket, allowed region <= 1.02 calls (BucketRegion)",
         split[RUNS[2]][1]["in scope, allowed region"] <= 1.02),
        ("peak memory < 300 MiB", max(moto["peak_mib"], regional["peak_mib"]) < 300),
    ]
    speedup = naive["seconds"] / moto["seconds"]
    if latency == 0:
        checks.append((f"wall time <= 1.2x the naive loop at 0 ms (is {1 / speedup:.2f}x)", 1 / speedup <= 1.2))
    else:
        checks.append((f"at least 8x faster than the naive loop at {latency:g} ms (is {speedup:.1f}x)",
                       speedup >= 8))
    return [f"- [{'x' if ok else ' '}] {label}" for label, ok in checks]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--buckets", type=int, default=1000)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--workers", type=int, default=16, help="the adapter's concurrent calls (--max-workers)")
    parser.add_argument("--mixed", type=int, default=0, metavar="N",
                        help="also N DynamoDB tables, RDS instances and EBS snapshots (over the same 8 regions)")
    parser.add_argument("--worker", choices=["naive", "naive-mixed", "adapter"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.workers)
        return 0
    if args.mixed:
        return bench_mixed_run(args.buckets, args.mixed, args.latency_ms, args.workers)
    with tempfile.TemporaryDirectory() as logs, ServiceGroup(Path(logs)) as group:
        moto = start_moto(group)
        with_regions = start_proxy(group, moto, ProxyOptions(bucket_region=True), name="bucket-region-proxy")
        started = time.perf_counter()
        bench_estate.seed(Seeder(with_regions.url, dict(FAKE_CREDENTIALS)), args.buckets)
        print(f"seeded {args.buckets} buckets in {time.perf_counter() - started:.1f}s", file=sys.stderr)
        plain, regional = moto, with_regions
        if args.latency_ms:
            delay = ProxyOptions(latency_ms=args.latency_ms)
            plain = start_proxy(group, moto, delay, name="latency-proxy")
            regional = start_proxy(group, with_regions, delay, name="latency-bucket-region-proxy")
        endpoints = dict(zip(RUNS, (plain, plain, regional), strict=True))
        results = {run: run_worker("naive" if run == RUNS[0] else "adapter", endpoints[run].url, args.workers)
                   for run in RUNS}
    print(table(results, args.buckets, args.latency_ms))
    return 0


def bench_mixed_run(buckets: int, count: int, latency: float, workers: int) -> int:
    """Buckets plus tables, instances and snapshots: the naive loop and a residency scan, one run."""
    with tempfile.TemporaryDirectory() as logs, ServiceGroup(Path(logs)) as group:
        moto = start_moto(group)
        datastores = start_datastores(group, moto)
        regional = start_proxy(group, moto, ProxyOptions(bucket_region=True, datastores=datastores.url))
        started = time.perf_counter()
        seeder = Seeder(regional.url, dict(FAKE_CREDENTIALS))
        bench_estate.seed(seeder, buckets)
        bench_mixed.seed(seeder, count)
        print(f"seeded {buckets} buckets and {count} tables, instances and snapshots in "
              f"{time.perf_counter() - started:.1f}s", file=sys.stderr)
        endpoint = regional
        if latency:
            endpoint = start_proxy(group, regional, ProxyOptions(latency_ms=latency), name="latency-proxy")
        runs = {"naive loop": run_worker("naive-mixed", endpoint.url, workers),
                "residency": run_worker("adapter", endpoint.url, workers)}
    print(mixed_table(runs, buckets, count, latency))
    return 0


def mixed_table(results: dict[str, dict[str, Any]], buckets: int, count: int, latency: float) -> str:
    names = list(results)
    lines = [f"AWS mixed estate: {buckets} buckets, {count} DynamoDB tables, {count} RDS instances, {count} EBS "
             f"snapshots (+ volumes, copies, replicas) over 8 of the 17 enabled regions, {latency:g} ms per request",
             "", "| | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]

    def row(label: str, values: list[str]) -> None:
        lines.append(f"| {label} | " + " | ".join(values) + " |")

    split = {}
    for name in names:
        calls: Counter[str] = Counter()
        bucket_calls = 0
        for operation, bucket, n in results[name]["calls"]:
            if bucket is not None or operation in ("ListBuckets", "HeadBucket", "GetBucketLocation",
                                                    "GetBucketTagging", "ListDirectoryBuckets"):
                bucket_calls += n
            else:
                calls[operation] += n
        split[name] = {"bucket": bucket_calls / buckets, **bench_mixed.per_kind(calls, count)}
        split[name]["every resource"] = sum(n for _, _, n in results[name]["calls"]) / (buckets + 3 * count)
    row("wall time (s)", [f"{results[n]['seconds']:.2f}" for n in names])
    row("peak memory (MiB)", [f"{results[n]['peak_mib']:.0f}" for n in names])
    row("resources flagged", [str(results[n]["flagged"]) for n in names])
    for kind in ("every resource", "bucket", *bench_mixed.KINDS, "shared (per resource)"):
        row(f"calls per {kind}" if kind != "shared (per resource)" else "shared calls per resource",
            [f"{split[n][kind]:.3f}" for n in names])
    speedup = results[names[0]]["seconds"] / results[names[1]]["seconds"]
    lines += ["", f"residency is {speedup:.1f}x the naive loop's speed "
                  "(the naive loop reads tables, instances and snapshots only: no replicas, copies or backups)"]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
