"""The shipped example policies load, validate, and say what their comments promise."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from residency.catalog import Catalog
from residency.cli import main
from residency.inventory.model import PlacementKind, Provider
from residency.policy.loader import load_policies
from residency.policy.model import ALL_KINDS, Severity
from residency.policy.structure import schema_text
from residency.policy.yamltree import parse_yaml
from tests.unit.policy.conftest import EXAMPLES

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


def test_there_are_examples() -> None:
    assert {p.name for p in EXAMPLE_FILES} >= {
        "us-user-data.yaml", "eu-personal-data.yaml", "br-user-data.yaml", "deny-list.yaml",
    }


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_each_example_matches_the_schema_and_validates(
    path: Path, catalog: Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    # The plain schema alone accepts them (dates are text to it, as the loader reads them).
    Draft202012Validator(json.loads(schema_text())).validate(parse_yaml(path.read_text(), path.name).data)
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out == "ok: 1 policy in 1 file\n"


def test_the_policies_directory_validates(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(EXAMPLES)]) == 0
    count = len(EXAMPLE_FILES)
    assert capsys.readouterr().out == f"ok: {count} policies in {count} files\n"



def test_us_pledge_keeps_data_in_the_us_and_requires_deletion(catalog: Catalog) -> None:
    (policy,) = load_policies([EXAMPLES / "us-user-data.yaml"], catalog).policies
    assert policy.severity is Severity.HIGH
    assert policy.scope.providers == frozenset(Provider)
    assert policy.scope.tags == (("data-class", ("us-user-data",)),)
    assert policy.allowed is not None and policy.allowed.countries == frozenset({"US"})
    assert policy.counts == ALL_KINDS and policy.requires_deletion
    exemptions = {e.resource: e for e in policy.exemptions}
    archive = exemptions["arn:aws:s3:::legacy-archive-*"]
    uploads = exemptions["arn:aws:s3:::legacy-uploads-*"]
    assert (archive.owner, archive.expires) == ("data-platform@example.com", dt.date(2027, 12, 31))
    assert archive.reason == "Archive being migrated, ticket DATA-142"
    assert (uploads.owner, uploads.expires) == ("media-eng@example.com", dt.date(2026, 9, 30))
    assert uploads.reason == "Old upload bucket, migration ticket DATA-97"
    assert uploads.is_expired(dt.date(2026, 10, 1)) and not archive.is_expired(dt.date(2026, 10, 1))


def test_eu_brazil_and_deny_list_examples(catalog: Catalog) -> None:
    policies = {p.id: p for p in load_policies([EXAMPLES], catalog).policies}
    eu = policies["eu-personal-data"]
    assert eu.allowed is not None and eu.allowed.groups == frozenset({"eea"})
    assert eu.scope.tags == (("data-class", ("eu-personal",)),) and eu.severity is Severity.HIGH
    br = policies["br-user-data"]
    assert br.allowed is not None and br.allowed.countries == frozenset({"BR"})
    assert br.scope.tags == (("data-class", ("br-user-data",)),) and br.severity is Severity.MEDIUM
    deny = policies["no-sanctioned-jurisdictions"]
    assert deny.severity is Severity.CRITICAL and deny.allowed is None
    assert deny.scope.tags == () and deny.scope.accounts == () and deny.scope.providers == frozenset(Provider)
    assert deny.denied is not None and {"CN", "RU", "KP", "IR", "SY", "CU"} <= deny.denied.countries
    assert PlacementKind.RESIDUAL in deny.counts and deny.counts == ALL_KINDS
