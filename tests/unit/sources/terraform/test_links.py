"""Matching replication destinations and access point members to the plan's own buckets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from residency.inventory.model import PlacementKind, StorageResource
from residency.sources.terraform import load_plan
from tests.unit.sources.terraform.helpers import small_catalog

AWS = "registry.terraform.io/hashicorp/aws"


def _change(address: str, type_: str, after: dict[str, Any], unknown: dict[str, Any]) -> dict[str, Any]:
    module, _, _ = address.rpartition(f"{type_}.")
    entry = {"address": address, "mode": "managed", "type": type_, "name": address.split(".")[-1].split("[")[0],
             "provider_name": AWS, "change": {"actions": ["create"], "before": None, "after": after,
                                               "after_unknown": unknown}}
    if module:
        entry["module_address"] = module.rstrip(".")
    return entry


def _bucket(address: str, name: str, region: str) -> dict[str, Any]:
    return _change(address, "aws_s3_bucket", {"bucket": name, "region": region, "tags": None}, {"arn": True})


def _replication(address: str) -> dict[str, Any]:
    after = {"rule": [{"status": "Enabled", "destination": [{"storage_class": "STANDARD"}]}]}
    unknown = {"bucket": True, "rule": [{"destination": [{"bucket": True}]}]}
    return _change(address, "aws_s3_bucket_replication_configuration", after, unknown)


def _config_resource(address: str, type_: str, expressions: dict[str, Any]) -> dict[str, Any]:
    return {"address": address, "mode": "managed", "type": type_, "name": address.split(".")[-1],
            "provider_config_key": "aws", "expressions": expressions, "schema_version": 0}


def _replication_config(source: list[str], destination: list[str]) -> dict[str, Any]:
    return _config_resource("aws_s3_bucket_replication_configuration.r", "aws_s3_bucket_replication_configuration", {
        "bucket": {"references": source},
        "rule": [{"status": {"constant_value": "Enabled"}, "destination": [{"bucket": {"references": destination}}]}],
    })


def _load(tmp_path: Path, changes: list[dict[str, Any]], root: dict[str, Any]) -> dict[str, StorageResource]:
    plan = {"format_version": "1.2", "terraform_version": "1.9.8", "resource_changes": changes,
            "configuration": {"provider_config": {"aws": {"name": "aws", "full_name": AWS}}, "root_module": root}}
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    return {r.id: r for r in load_plan(path, small_catalog()).resources}


def _replicas(resource: StorageResource) -> list[tuple[str | None, str | None]]:
    return [(p.region, p.target) for p in resource.placements if p.kind is PlacementKind.REPLICA]


def test_references_stay_inside_their_own_module_instance(tmp_path: Path) -> None:
    module = {"resources": [
        _config_resource("aws_s3_bucket.src", "aws_s3_bucket", {}),
        _config_resource("aws_s3_bucket.dest", "aws_s3_bucket", {}),
        _replication_config(["aws_s3_bucket.src.id", "aws_s3_bucket.src"],
                            ["aws_s3_bucket.dest.arn", "aws_s3_bucket.dest"]),
    ]}
    changes = []
    for key, region in (("us", "us-west-2"), ("eu", "eu-west-1")):
        prefix = f'module.m["{key}"].'
        changes += [_bucket(f"{prefix}aws_s3_bucket.src", f"src-{key}", "us-east-1"),
                    _bucket(f"{prefix}aws_s3_bucket.dest", f"dest-{key}", region),
                    _replication(f"{prefix}aws_s3_bucket_replication_configuration.r")]
    resources = _load(tmp_path, changes, {"module_calls": {"m": {"module": module}}})
    assert _replicas(resources['module.m["us"].aws_s3_bucket.src']) == [
        ("us-west-2", 'module.m["us"].aws_s3_bucket.dest')]
    assert _replicas(resources['module.m["eu"].aws_s3_bucket.src']) == [
        ("eu-west-1", 'module.m["eu"].aws_s3_bucket.dest')]


def test_each_key_picks_the_instance_with_the_same_key(tmp_path: Path) -> None:
    root = {"resources": [
        _config_resource("aws_s3_bucket.src", "aws_s3_bucket", {}),
        _config_resource("aws_s3_bucket.dest", "aws_s3_bucket", {}),
        _replication_config(["aws_s3_bucket.src", "each.key"], ["aws_s3_bucket.dest", "each.key"]),
    ]}
    changes = [_bucket('aws_s3_bucket.src["a"]', "src-a", "us-east-1"),
               _bucket('aws_s3_bucket.src["b"]', "src-b", "us-east-1"),
               _bucket('aws_s3_bucket.dest["a"]', "dest-a", "us-west-2"),
               _bucket('aws_s3_bucket.dest["b"]', "dest-b", "eu-west-1"),
               _replication('aws_s3_bucket_replication_configuration.r["a"]'),
               _replication('aws_s3_bucket_replication_configuration.r["b"]')]
    resources = _load(tmp_path, changes, root)
    assert _replicas(resources['aws_s3_bucket.src["a"]']) == [("us-west-2", 'aws_s3_bucket.dest["a"]')]
    assert _replicas(resources['aws_s3_bucket.src["b"]']) == [("eu-west-1", 'aws_s3_bucket.dest["b"]')]


def test_an_ambiguous_destination_in_different_regions_is_unverifiable(tmp_path: Path) -> None:
    root = {"resources": [
        _config_resource("aws_s3_bucket.src", "aws_s3_bucket", {}),
        _replication_config(["aws_s3_bucket.src.id", "aws_s3_bucket.src"],
                            ["aws_s3_bucket.dest", "local.pick"]),
    ]}
    changes = [_bucket("aws_s3_bucket.src", "src", "us-east-1"),
               _bucket("aws_s3_bucket.dest[0]", "dest-0", "us-west-2"),
               _bucket("aws_s3_bucket.dest[1]", "dest-1", "eu-west-1"),
               _replication("aws_s3_bucket_replication_configuration.r")]
    placements = _load(tmp_path, changes, root)["aws_s3_bucket.src"].placements
    assert [(p.kind, p.region, p.reason) for p in placements[1:]] == [
        (PlacementKind.REPLICA, None, "the replication destination bucket is one of aws_s3_bucket.dest[0], "
                                      "aws_s3_bucket.dest[1], in different or unknown regions")]


def test_access_point_members_behind_keyed_module_outputs(tmp_path: Path) -> None:
    bucket_module = {
        "outputs": {"name": {"expression": {"references": ["aws_s3_bucket.this.bucket", "aws_s3_bucket.this"]}}},
        "resources": [_config_resource("aws_s3_bucket.this", "aws_s3_bucket", {})],
    }
    access_point = _config_resource("aws_s3control_multi_region_access_point.g",
                                    "aws_s3control_multi_region_access_point", {"details": [{"region": [
                                        {"bucket": {"references": ['module.r["eu"].name', 'module.r["eu"]']}}]}]})
    changes = [_bucket('module.r["eu"].aws_s3_bucket.this', "acme-eu", "eu-west-1"),
               _bucket('module.r["us"].aws_s3_bucket.this', "acme-us", "us-east-1"),
               _change("aws_s3control_multi_region_access_point.g", "aws_s3control_multi_region_access_point",
                       {"details": [{"name": "g", "region": [{}]}]},
                       {"details": [{"region": [{"bucket": True}]}]})]
    resources = _load(tmp_path, changes, {"resources": [access_point],
                                          "module_calls": {"r": {"module": bucket_module}}})
    assert _replicas(resources["aws_s3control_multi_region_access_point.g"]) == [
        ("eu-west-1", 'module.r["eu"].aws_s3_bucket.this')]


def test_an_unknown_destination_that_no_reference_explains_stays_unknown(tmp_path: Path) -> None:
    root = {"resources": [_config_resource("aws_s3_bucket.src", "aws_s3_bucket", {}),
                          _replication_config(["aws_s3_bucket.src"], ["data.aws_s3_bucket.other.arn"])]}
    changes = [_bucket("aws_s3_bucket.src", "src", "us-east-1"),
               _replication("aws_s3_bucket_replication_configuration.r")]
    placement = _load(tmp_path, changes, root)["aws_s3_bucket.src"].placements[1]
    assert (placement.kind, placement.region, placement.reason) == (
        PlacementKind.REPLICA, None, "region is known only after apply (which replication destination bucket)")
