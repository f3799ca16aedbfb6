"""Benchmark `residency plan` on a plan whose module outputs reference each other, level after level.

    .venv/bin/python scripts/bench_plan.py [--depths 5,6,7,12,40] [--fanout 10]

The plan a pull request author controls: a replication configuration in the root module whose
destination is `module.m0.o0`; in module `mN` every output `oK` references every output of
module `mN+1` (`module.mN+1.o0` ... `module.mN+1.o<fanout-1>`), and the deepest module's outputs
reference its bucket. Following every reference separately visits fanout^depth outputs; resolving
each (module instance, output) once visits depth * fanout. Prints, per depth, the plan's size,
the seconds `load_plan` took and how many outputs it resolved (`TargetIndex.steps`).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from residency.catalog import load_catalog
from residency.inventory.model import PlacementKind
from residency.sources.terraform.loader import plan_inventory
from residency.sources.terraform.plan_json import read_plan

AWS = "registry.terraform.io/hashicorp/aws"


def _change(address: str, type_: str, after: dict[str, Any], unknown: dict[str, Any]) -> dict[str, Any]:
    return {"address": address, "mode": "managed", "type": type_, "name": address.rsplit(".", 1)[-1],
            "provider_name": AWS,
            "change": {"actions": ["create"], "before": None, "after": after, "after_unknown": unknown}}


def deep_plan(depth: int, fanout: int) -> dict[str, Any]:
    """A plan of `depth` nested modules whose outputs each reference all `fanout` outputs below."""
    module_address = ".".join(f"module.m{level}" for level in range(depth))
    bucket = f"{module_address}.aws_s3_bucket.dest"
    changes = [
        _change("aws_s3_bucket.src", "aws_s3_bucket", {"bucket": "src", "region": "us-east-1"}, {"arn": True}),
        _change(bucket, "aws_s3_bucket", {"bucket": None, "region": "eu-west-1"}, {"bucket": True, "arn": True}),
        _change("aws_s3_bucket_replication_configuration.r", "aws_s3_bucket_replication_configuration",
                {"rule": [{"status": "Enabled", "destination": [{}]}]},
                {"bucket": True, "rule": [{"destination": [{"bucket": True}]}]}),
    ]
    deepest = {"resources": [{"address": "aws_s3_bucket.dest", "mode": "managed", "type": "aws_s3_bucket",
                              "name": "dest", "provider_config_key": "aws", "expressions": {}}],
               "outputs": {f"o{k}": {"expression": {"references": ["aws_s3_bucket.dest.arn", "aws_s3_bucket.dest"]}}
                           for k in range(fanout)}}
    module = deepest
    for level in range(depth - 1, 0, -1):
        references = [f"module.m{level}.o{k}" for k in range(fanout)]
        module = {"module_calls": {f"m{level}": {"source": "./m", "module": module}},
                  "outputs": {f"o{k}": {"expression": {"references": references}} for k in range(fanout)}}
    replication = {
        "address": "aws_s3_bucket_replication_configuration.r", "mode": "managed",
        "type": "aws_s3_bucket_replication_configuration", "name": "r", "provider_config_key": "aws",
        "expressions": {"bucket": {"references": ["aws_s3_bucket.src.id", "aws_s3_bucket.src"]},
                        "rule": [{"status": {"constant_value": "Enabled"},
                                  "destination": [{"bucket": {"references": ["module.m0.o0"]}}]}]},
    }
    root = {"resources": [replication, {"address": "aws_s3_bucket.src", "mode": "managed", "type": "aws_s3_bucket",
                                        "name": "src", "provider_config_key": "aws", "expressions": {}}],
            "module_calls": {"m0": {"source": "./m", "module": module}}}
    return {"format_version": "1.2", "terraform_version": "1.9.8", "resource_changes": changes,
            "configuration": {"provider_config": {"aws": {"name": "aws", "full_name": AWS}}, "root_module": root}}


def measure(depth: int, fanout: int, directory: Path) -> tuple[int, float, int]:
    """(plan bytes, seconds, outputs resolved) for one generated plan; checks the link was found."""
    path = directory / f"plan-{depth}-{fanout}.json"
    path.write_text(json.dumps(deep_plan(depth, fanout)))
    catalog = load_catalog()
    started = time.perf_counter()
    inventory, index = plan_inventory(read_plan(path), catalog)
    seconds = time.perf_counter() - started
    source = next(r for r in inventory.resources if r.id == "aws_s3_bucket.src")
    if [p.region for p in source.placements if p.kind is PlacementKind.REPLICA] != ["eu-west-1"]:
        raise SystemExit(f"depth {depth}: the replication destination was not resolved: {source.placements}")
    return path.stat().st_size, seconds, index.steps


def _paths(depth: int, fanout: int) -> int:
    """How many outputs following every reference separately visits (the code before memoising)."""
    return sum(fanout**level for level in range(depth))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--depths", default="5,6,7,12,40", help="comma-separated module depths")
    parser.add_argument("--fanout", type=int, default=10, help="outputs per module, each referencing all below")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for depth in (int(d) for d in args.depths.split(",")):
            # Baseline, same run: the same depth with one output per module (nothing to multiply).
            _, base_seconds, base_steps = measure(depth, 1, Path(tmp))
            size, seconds, steps = measure(depth, args.fanout, Path(tmp))
            print(f"depth {depth:>3}: fanout {args.fanout}: {size / 1024:6.1f} KiB plan, {seconds:7.3f} s, "
                  f"{steps:>5} outputs resolved (one by one: {_paths(depth, args.fanout):.1e}); "
                  f"baseline fanout 1: {base_seconds:7.3f} s, {base_steps:>4} outputs", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
