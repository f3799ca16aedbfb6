"""Reading plan JSON: one-line errors for anything that is not a usable plan, and the
less common shapes (deferred changes, planned_values without resource_changes)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from residency.errors import InputError
from residency.inventory.model import PlacementKind
from residency.sources.terraform import load_plan
from residency.sources.terraform.plan_json import read_plan
from tests.unit.sources.terraform.helpers import PLANS, small_catalog


def _write(tmp_path: Path, document: Any) -> Path:
    path = tmp_path / "plan.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    return path


def _error(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        read_plan(path)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"{path}: ")
    return message


def _bucket_change(actions: list[str], after: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b",
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "change": {"actions": actions, "before": None, "after": after, "after_unknown": {}},
    }


def test_truncated_json_names_the_line_and_column() -> None:
    message = _error(PLANS / "invalid" / "truncated.json")
    assert "invalid JSON at line 29 column 3" in message


def test_state_output_is_recognised_and_the_fix_is_given() -> None:
    message = _error(PLANS / "invalid" / "state.json")
    assert "this is Terraform state, not a plan" in message
    assert "terraform show -json plan.out > plan.json" in message


def test_a_binary_plan_file_is_told_to_be_converted(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_bytes(b"PK\x03\x04tfplan-binary")
    assert "binary Terraform plan file; convert a saved plan with" in _error(path)


def test_missing_file(tmp_path: Path) -> None:
    assert _error(tmp_path / "plan.json").endswith("plan.json: no such plan file (a broken link?); check the path")


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ([1, 2], "expected a JSON object, found a list"),
        ({"resource_changes": []}, "no format_version: not the JSON of a Terraform plan"),
        ({"format_version": "2.0", "resource_changes": []},
         "format_version: 2.0 is not supported (this tool reads plan formats 0.1 to 1.x)"),
        ({"format_version": "one", "resource_changes": []}, "format_version: 'one' is not a version"),
        ({"format_version": "¹.2", "resource_changes": []}, "format_version: '¹.2' is not a version like \"1.2\""),
        ({"format_version": "١.٢", "resource_changes": []}, "format_version: '١.٢' is not a version like \"1.2\""),
        ({"format_version": "1." + "1" * 5000, "resource_changes": []}, "is not a version like"),
        ({"format_version": "1.2", "configuration": {"provider_config": {"aws": {"module_address": 'module.a["x'}}}},
         'configuration.provider_config["aws"].module_address: \'module.a["x\' is not a module address'),
        ({"format_version": "1.2", "configuration": {"provider_config": {"aws": {"module_address": ["m"]}}}},
         'configuration.provider_config["aws"].module_address: expected a string, found a list'),
        ({"format_version": "1.2", "configuration": {"provider_config": {"aws": 3}}},
         'configuration.provider_config["aws"]: expected a JSON object, found a number'),
        ({"format_version": "1.2", "terraform_version": "1.9.8"}, "not a Terraform plan"),
        ({"format_version": "1.2", "resource_changes": {}}, "resource_changes: expected a list, found an object"),
        ({"format_version": "1.2", "resource_changes": [_bucket_change([], {})]},
         "resource_changes[0].change.actions: expected a non-empty list of action names"),
        ({"format_version": "1.2", "resource_changes": [{**_bucket_change(["create"], {}), "address": "a.b.c"}]},
         "resource_changes[0].address: 'a.b.c' is not a Terraform resource address"),
        ({"format_version": "1.2", "resource_changes": [_bucket_change(["create"], "x")]},  # type: ignore[arg-type]
         "resource_changes[0].change.after: expected an object or null, found a string"),
        ({"format_version": "1.2", "variables": {"region": "us-east-1"}, "resource_changes": []},
         "variables.region: expected a JSON object, found a string"),
    ],
)
def test_malformed_plans_fail_in_one_line_naming_the_place(tmp_path: Path, document: Any, expected: str) -> None:
    assert expected in _error(_write(tmp_path, document))


def test_data_sources_and_deposed_objects_are_skipped(tmp_path: Path) -> None:
    data = {**_bucket_change(["read"], {"bucket": "x"}), "mode": "data", "address": "data.aws_s3_bucket.b"}
    deposed = {**_bucket_change(["delete"], None), "deposed": "00000001"}
    document = read_plan(_write(tmp_path, {"format_version": "1.2", "resource_changes": [data, deposed]}))
    assert document.changes == ()


def test_a_deferred_change_has_no_known_location(tmp_path: Path) -> None:
    """Terraform 1.9+ (deferred actions) lists `{reason, resource_change}` under deferred_changes."""
    change = _bucket_change(["create"], {"bucket": "acme-later", "region": "us-east-1"})
    plan = {"format_version": "1.2", "deferred_changes": [{"reason": "provider_config_unknown",
                                                           "resource_change": change}]}
    (resource,) = load_plan(_write(tmp_path, plan), small_catalog()).resources
    assert resource.name == "acme-later"
    assert [(p.kind, p.region, p.reason) for p in resource.placements] == [
        (PlacementKind.PRIMARY, None,
         "region is known only after apply (Terraform deferred this change: provider_config_unknown)"),
    ]
    assert ("terraform-deferred", "provider_config_unknown") in resource.attributes


def test_planned_values_without_resource_changes_are_still_read(tmp_path: Path) -> None:
    plan = {
        "format_version": "0.1",
        "planned_values": {"root_module": {"child_modules": [{"address": "module.m", "resources": [{
            "address": "module.m.google_storage_bucket.b", "mode": "managed", "type": "google_storage_bucket",
            "name": "b", "provider_name": "google", "values": {"name": "acme-b", "location": "US-EAST1"},
        }]}]}},
    }
    (resource,) = load_plan(_write(tmp_path, plan), small_catalog()).resources
    assert (resource.id, resource.name, resource.placements[0].region) == (
        "module.m.google_storage_bucket.b", "acme-b", "us-east1")


def test_an_empty_plan_gives_an_empty_inventory(tmp_path: Path) -> None:
    plan = {"format_version": "1.2", "terraform_version": "1.9.8", "planned_values": {"root_module": {}},
            "configuration": {"root_module": {}}}
    inventory = load_plan(_write(tmp_path, plan), small_catalog())
    assert inventory.resources == () and inventory.scanned == ()
