"""Benchmark `residency transfer`: DuckDB, Spark local mode and a naive Python dict join, same run.

    .venv/bin/python scripts/bench_transfer.py --rows 10000000 [--memory-limit 2GB]
        [--engines duckdb,spark,naive] [--keep DIR]

Writes a source and a destination S3 Inventory report (Parquet, all versions, N rows each,
manifest and checksums exactly as S3 writes them) with every class present, then proves the
transfer with each engine in its own process and reports wall time, rows per second (source
plus destination rows) and peak memory (the process and its children, e.g. Spark's JVM).
Every engine must produce the expected summary; the naive join is the baseline.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

REPO = Path(__file__).resolve().parents[1]
CHUNK = 1_000_000
FIELDS = ("bucket", "key", "version_id", "is_latest", "is_delete_marker", "size", "last_modified_date", "e_tag",
          "is_multipart_uploaded", "encryption_status")
# Source rows by i % 100 -> what they are; the destination holds what arrived (and unrelated keys).
PLAN = ((60, "moved"), (80, "copied-not-deleted"), (85, "not-copied"), (90, "lost"), (95, "content-mismatch"),
        (98, "content-unverified"), (100, "markers-only"))


def _category(i: pa.Array) -> pa.Array:
    bucket = pc.remainder(i, 100)
    result = pa.array(["markers-only"] * len(i))
    for limit, name in reversed(PLAN):
        result = pc.if_else(pc.less(bucket, limit), name, result)
    return result


def _chunk(start: int, stop: int, side: str) -> pa.Table:
    i = pa.array(range(start, stop), pa.int64())
    category = _category(i)
    digits = pc.utf8_lpad(pc.cast(i, pa.string()), 32, "0")  # 32 decimal digits: a valid hex MD5

    def is_in(*names: str) -> pa.Array:
        return pc.is_in(category, pa.array(names))

    if side == "source":
        current = is_in("copied-not-deleted", "not-copied")
        marker = is_in("markers-only")
        etag = pc.if_else(is_in("content-unverified"), pc.binary_join_element_wise(digits, "-2", ""), digits)
        keys = pc.binary_join_element_wise("eu/obj-", pc.utf8_lpad(pc.cast(i, pa.string()), 12, "0"), "")
    else:
        arrived = pc.invert(is_in("not-copied", "lost"))
        current, marker = pc.if_else(arrived, True, True), pc.if_else(arrived, False, False)
        etag = pc.if_else(is_in("content-mismatch"), pc.utf8_lpad(pc.cast(pc.add(i, 1), pa.string()), 32, "f"),
                          digits)
        etag = pc.if_else(is_in("content-unverified"), pc.binary_join_element_wise(digits, "-3", ""), etag)
        prefix = pc.if_else(arrived, "us/obj-", "us/other-")  # what never arrived is someone else's key there
        keys = pc.binary_join_element_wise(prefix, pc.utf8_lpad(pc.cast(i, pa.string()), 12, "0"), "")
    size = pc.add(pc.remainder(i, 1000), 1)
    multipart = pc.match_substring(etag, "-")
    return pa.table({
        "bucket": pa.array([f"{side}-bucket"] * len(i)), "key": keys, "version_id": pc.cast(i, pa.string()),
        "is_latest": pc.or_(current, marker), "is_delete_marker": marker,
        "size": pc.if_else(marker, pa.scalar(None, pa.int64()), size),
        "last_modified_date": pa.array([1_767_225_600_000] * len(i), pa.timestamp("ms", tz="UTC")),
        "e_tag": pc.if_else(marker, pa.scalar(None, pa.string()), etag),
        "is_multipart_uploaded": pc.if_else(marker, pa.scalar(None, pa.bool_()), multipart),
        "encryption_status": pc.if_else(marker, pa.scalar(None, pa.string()), pa.scalar("SSE-S3")),
    })


def write_report(root: Path, side: str, rows: int, files: int = 4) -> Path:
    """An S3 Inventory report (Parquet) of `rows` rows in `files` data files; returns the manifest."""
    bucket, base = f"{side}-bucket", f"inventory/{side}-bucket/all-versions"
    (root / base / "data").mkdir(parents=True, exist_ok=True)
    per_file, entries = -(-rows // files), []
    for n in range(files):
        start, stop = n * per_file, min(rows, (n + 1) * per_file)
        key = f"{base}/data/part-{n:04d}.parquet"
        with pq.ParquetWriter(root / key, _chunk(0, 1, side).schema, compression="snappy") as writer:
            for first in range(start, stop, CHUNK):
                writer.write_table(_chunk(first, min(stop, first + CHUNK), side))
        data = (root / key).read_bytes()
        entries.append({"key": key, "size": len(data), "MD5checksum": hashlib.md5(data).hexdigest()})
    schema = ("message s3.inventory { required binary bucket (UTF8); required binary key (UTF8); optional binary "
              "version_id (UTF8); optional boolean is_latest; optional boolean is_delete_marker; optional int64 size; "
              "optional int64 last_modified_date (TIMESTAMP_MILLIS); optional binary e_tag (UTF8); optional boolean "
              "is_multipart_uploaded; optional binary encryption_status (UTF8);}")
    manifest = {"sourceBucket": bucket, "destinationBucket": "arn:aws:s3:::inventory", "version": "2016-11-30",
                "creationTimestamp": "1767312000000", "fileFormat": "Parquet", "fileSchema": schema, "files": entries}
    folder = root / base / "2026-01-02T00-00Z"
    folder.mkdir(parents=True, exist_ok=True)
    body = json.dumps(manifest).encode()
    (folder / "manifest.json").write_bytes(body)
    (folder / "manifest.checksum").write_text(hashlib.md5(body).hexdigest())
    return folder / "manifest.json"


def expected(rows: int) -> dict[str, int]:
    counts = dict.fromkeys(("moved", "copied-not-deleted", "not-copied", "lost", "content-mismatch",
                            "content-unverified", "residual-versions", "delete-markers"), 0)
    for i in range(100):
        share = rows // 100 + (1 if i < rows % 100 else 0)
        name = next(n for limit, n in PLAN if i < limit)
        if name == "markers-only":
            counts["content-unverified"] += share
            counts["delete-markers"] += share
        else:
            counts[name] += share
            if name not in ("copied-not-deleted", "not-copied"):
                counts["residual-versions"] += share
    return counts


def naive(source: Path, destination: Path) -> dict[str, int]:
    """The baseline: both reports into Python dicts, classes in a loop (no spilling, no limit)."""
    def load(manifest: Path) -> dict[str, tuple[bool, bool, int | None, str | None]]:
        rows: dict[str, tuple[bool, bool, int | None, str | None]] = {}
        for entry in json.loads(manifest.read_text())["files"]:
            table = pq.read_table(manifest.parents[4] / entry["key"], columns=[
                "key", "is_latest", "is_delete_marker", "size", "e_tag"])
            for key, latest, marker, size, etag in zip(*(table.column(c).to_pylist() for c in table.column_names),
                                                       strict=True):
                rows[key] = (latest, marker, size, etag)
        return rows

    src, dst = load(source), load(destination)
    counts = dict.fromkeys(expected(0), 0)
    for key, (latest, marker, size, etag) in src.items():
        counts["delete-markers"] += marker
        current = latest and not marker
        counts["residual-versions"] += not current and not marker
        there = dst.get("us/" + key[3:])
        if there is None:
            counts["not-copied" if current else "lost"] += 1
        elif marker or etag is None or ("-" in etag and etag != there[3]):
            counts["content-unverified"] += 1
        elif size != there[2] or etag != there[3]:
            counts["content-mismatch"] += 1
        else:
            counts["copied-not-deleted" if current else "moved"] += 1
    return counts


def run_engine(engine: str, source: Path, destination: Path, memory_limit: str) -> dict[str, Any]:
    started = time.monotonic()
    if engine == "naive":
        summary = naive(source, destination)
    else:
        from residency.transfer.model import PrefixMap
        from residency.transfer.verify import EngineOptions, TransferSpec, verify

        spec = TransferSpec((str(source),), str(destination), (PrefixMap("eu/", "us/"),))
        summary = verify(spec, EngineOptions(engine=engine, memory_limit=memory_limit)).summary()
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"engine": engine, "seconds": time.monotonic() - started, "summary": summary,
            "peak_rss_mib": round(max(own, children) / 1024)}


def _tree_rss_kib(root: int) -> int:
    """Resident memory of a process and all its descendants (Spark's JVM is a grandchild), from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        pid = int(status.parent.name)
        parents[pid] = int(fields.get("PPid", "0").strip())
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
    tree, grew = {root}, True
    while grew:
        grown = tree | {pid for pid, parent in parents.items() if parent in tree}
        grew, tree = grown != tree, grown
    return sum(rss.get(pid, 0) for pid in tree)


def measure(engine: str, source: Path, destination: Path, memory_limit: str) -> dict[str, Any]:
    command = [sys.executable, "-m", "scripts.bench_transfer", "--run", engine, str(source), str(destination),
               "--memory-limit", memory_limit]
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss_kib(process.pid))
        time.sleep(0.25)
    out, err = process.communicate()
    wall = time.monotonic() - started
    if process.returncode != 0:
        lines = err.strip().splitlines() or ["no output"]
        cause = next((line for line in lines if "OutOfMemory" in line or "Killed" in line), lines[-1])
        (source.parents[4] / f"{engine}.stderr").write_text(err)  # the whole story, kept with --keep
        return {"engine": engine, "failed": f"exit {process.returncode}: {cause.strip()[:200]}", "wall": wall}
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    result["wall"] = wall  # process start included (Python imports, Spark's JVM)
    result["peak_rss_mib"] = max(result["peak_rss_mib"], round(peak / 1024))  # sampled every 0.25 s
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows in each report (default: 1,000,000)")
    parser.add_argument("--memory-limit", default="2GB")
    parser.add_argument("--engines", default="duckdb,spark,naive")
    parser.add_argument("--keep", metavar="DIR", help="write the reports here and keep them")
    parser.add_argument("--run", nargs=3, metavar=("ENGINE", "SOURCE", "DESTINATION"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        engine, source, destination = args.run
        print(json.dumps(run_engine(engine, Path(source), Path(destination), args.memory_limit)))
        return 0
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-transfer-"))
    try:
        started = time.monotonic()
        source, destination = write_report(root, "source", args.rows), write_report(root, "destination", args.rows)
        print(f"generated 2 x {args.rows:,} rows in {time.monotonic() - started:.1f}s under {root}; "
              f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, --memory-limit {args.memory_limit}")
        want = expected(args.rows)
        for engine in args.engines.split(","):
            result = measure(engine, source, destination, args.memory_limit)
            if "failed" in result:
                print(f"{engine:7} FAILED after {result['wall']:.1f}s: {result['failed']}")
                continue
            ok = "identical to expected" if result["summary"] == want else f"WRONG: {result['summary']}"
            print(f"{engine:7} {result['seconds']:8.1f}s classify ({result['wall']:.1f}s with start-up)  "
                  f"{2 * args.rows / result['seconds']:>12,.0f} rows/s  peak RSS {result['peak_rss_mib']:,} MiB  {ok}")
        return 0
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
