"""Module outputs that reference every output of the module below: resolved once each, never fanout^depth.

Following each reference separately, the plans here would need 10^39 (and 2^30) output visits:
the code before memoising never finished them. `TargetIndex.steps` counts the outputs resolved.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from residency.inventory.model import Inventory, PlacementKind
from residency.sources.terraform.links import TargetIndex
from residency.sources.terraform.loader import plan_inventory
from residency.sources.terraform.plan_json import read_plan
from scripts.bench_plan import deep_plan
from tests.unit.sources.terraform.helpers import small_catalog


def _load(tmp_path: Path, plan: dict[str, Any]) -> tuple[Inventory, TargetIndex]:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    return plan_inventory(read_plan(path), small_catalog())


def _replica_regions(inventory: Inventory) -> list[str | None]:
    source = next(r for r in inventory.resources if r.id == "aws_s3_bucket.src")
    return [p.region for p in source.placements if p.kind is PlacementKind.REPLICA]


def test_forty_levels_of_ten_outputs_each_resolve_each_output_once(tmp_path: Path) -> None:
    depth, fanout = 40, 10
    inventory, index = _load(tmp_path, deep_plan(depth, fanout))
    assert _replica_regions(inventory) == ["eu-west-1"]
    assert index.steps == 1 + (depth - 1) * fanout  # m0.o0, then every output of every deeper module


def _keyed_chain(depth: int, referenced_keys: tuple[str, ...], bucket_keys: list[str]) -> dict[str, Any]:
    """Modules `m<level>` called with for_each keys; each output references the output of every
    listed instance below; one bucket at the instance path `bucket_keys`."""
    plan = deep_plan(depth, 1)
    module = plan["configuration"]["root_module"]
    for level in range(depth - 1):
        module = module["module_calls"][f"m{level}"]["module"]
        module["outputs"]["o0"]["expression"]["references"] = [
            f'module.m{level + 1}["{key}"].o0' for key in referenced_keys]
    root = plan["configuration"]["root_module"]
    destination = root["resources"][0]["expressions"]["rule"][0]["destination"][0]["bucket"]
    destination["references"] = [f'module.m0["{key}"].o0' for key in referenced_keys]
    address = ".".join(f'module.m{level}["{key}"]' for level, key in enumerate(bucket_keys))
    plan["resource_changes"][1]["address"] = f"{address}.aws_s3_bucket.dest"
    return plan


def test_keyed_module_instances_at_every_level_are_followed_once_per_output(tmp_path: Path) -> None:
    depth = 30
    keys = ["a" if level % 2 else "b" for level in range(depth)]
    inventory, index = _load(tmp_path, _keyed_chain(depth, ("a", "b"), keys))
    assert _replica_regions(inventory) == ["eu-west-1"]
    assert index.steps == depth


def test_an_instance_key_no_reference_names_does_not_match(tmp_path: Path) -> None:
    depth = 6
    keys = ["a"] * (depth - 1) + ["c"]  # the deepest module instance is "c"; outputs name only "a" and "b"
    inventory, _ = _load(tmp_path, _keyed_chain(depth, ("a", "b"), keys))
    source = next(r for r in inventory.resources if r.id == "aws_s3_bucket.src")
    replica = next(p for p in source.placements if p.kind is PlacementKind.REPLICA)
    assert (replica.region, replica.reason) == (None, "region is known only after apply (which replication "
                                                      "destination bucket)")
