"""Meta-lint of the kind registry: no kind can be half-registered."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from residency.cli.kinds import markdown_table
from residency.inventory.kinds import ACCOUNT_READS, KINDS, ResourceKind, reads_of, terraform_types
from residency.inventory.kinds.spec import ReadCall
from residency.inventory.model import PlacementKind, Provider
from residency.sources.registry import ENTRIES
from residency.sources.terraform.loader import SUPPORTED_TYPES

ROOT = Path(__file__).resolve().parents[3]
KIND_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)+$")
# AWS service:Get/List/Head/Describe..., Azure GET/List..., Google method.get/list/aggregatedList
READ_CALL = re.compile(r"^([a-z0-9-]+:(Get|List|Head|Describe)[A-Za-z0-9]+|GET .+|List [A-Z].+"
                       r"|[a-z0-9.]+\.[a-zA-Z0-9.]*(get|list|aggregatedList|getIamPolicy))$")


@pytest.mark.parametrize("kind_id", sorted(KINDS))
def test_every_kind_is_complete(kind_id: str) -> None:
    kind = KINDS[kind_id]
    assert kind.id == kind_id and KIND_ID.match(kind_id), "ids are lower-case slugs"
    assert kind.service and kind.display and kind.placements
    assert kind.scanned == bool(kind.reads), "a kind the scan finds lists its read calls; a plan-only kind none"
    assert kind.scanned or kind.terraform_types or "outside the plan" in kind.display
    if kind.derived:
        assert PlacementKind.PRIMARY in kind.placements, "a copy lives somewhere of its own"


@pytest.mark.parametrize("call", [c for k in KINDS.values() for c in k.reads] +
                         [c for reads in ACCOUNT_READS.values() for c in reads], ids=lambda c: c.operation)
def test_every_read_call_is_a_read_with_a_purpose(call: ReadCall) -> None:
    assert call.purpose and call.operation
    assert READ_CALL.match(call.operation) or call.operation == "sts:AssumeRole", "not a read"
    assert call.permission is None or not re.search(r"/(write|delete|action)$|:(Put|Create|Delete)", call.permission)


@pytest.mark.parametrize("provider", list(Provider))
def test_the_printed_permissions_grant_every_registered_read(provider: Provider) -> None:
    document = ENTRIES[provider].permissions()
    for call in reads_of(provider):
        if call.permission:
            assert call.permission in document, f"{call.permission} ({call.operation}) missing"


def test_the_plan_reader_handles_exactly_the_registered_terraform_types() -> None:
    assert set(terraform_types()) == set(SUPPORTED_TYPES)


def test_a_kind_registered_twice_is_refused() -> None:
    from residency.inventory.kinds import KindRegistryError, _assemble

    first = next(iter(KINDS.values()))
    with pytest.raises(KindRegistryError, match=first.id):
        _assemble(((first,), (first,)))


def test_the_docs_list_every_kind_as_the_registry_does() -> None:
    docs = (ROOT / "docs" / "kinds.md").read_text()
    assert markdown_table(list(KINDS.values())) in docs, "regenerate: residency kinds --format markdown"


def test_kinds_json_lists_every_kind(capsys: pytest.CaptureFixture[str]) -> None:
    from residency.cli import main

    assert main(["kinds", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [k["id"] for k in listed] == list(KINDS)
    assert all((isinstance(k, dict) and k["reads"]) or k["found_by"] == "plan only" for k in listed)


def test_kind_facets_follow_its_placements() -> None:
    bucket: ResourceKind = KINDS["gcs-bucket"]
    assert {f.value for f in bucket.facets} == {"location", "tags", "deletion-evidence"}
