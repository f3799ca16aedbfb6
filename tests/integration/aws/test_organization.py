"""Organization-wide and assumed-role scans, on a moto server of their own (IAM not enforced)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from residency.catalog import load_catalog
from residency.engine.needs import PolicyNeeds
from residency.inventory.model import Inventory, Provider
from residency.policy.model import LocationSet, Policy, Scope, Severity
from residency.sources.aws.adapter import AwsAdapter
from residency.sources.aws.options import AwsOptions
from residency.sources.contract import CommonOptions, NullProgress
from scripts.localcloud.aws.moto_server import (
    FAKE_CREDENTIALS,
    ProxyOptions,
    client_env,
    start_datastores,
    start_moto,
    start_proxy,
)
from scripts.localcloud.aws.seed import MOTO_ACCOUNT, Seeder
from scripts.localcloud.services import ServiceGroup
from tests.integration.aws.conftest import environment

pytestmark = pytest.mark.integration


@dataclass(frozen=True)
class Organization:
    endpoint: str
    member: str


@pytest.fixture(scope="module")
def organization(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Organization]:
    with ServiceGroup(tmp_path_factory.mktemp("aws-org-logs")) as group:
        moto = start_moto(group, name="moto-org")
        datastores = start_datastores(group, moto, name="aws-org-datastores", enabled_regions=("us-east-1",))
        proxy = start_proxy(group, moto, ProxyOptions(datastores=datastores.url), name="aws-org-proxy")
        management = Seeder(proxy.url, dict(FAKE_CREDENTIALS))
        orgs = management.client("organizations")
        orgs.create_organization(FeatureSet="ALL")
        member = orgs.create_account(AccountName="media", Email="media@example.com")["CreateAccountStatus"]
        management.bucket("hq-eu-data", "eu-west-1", {"data-class": "us-user-data"})
        Seeder(proxy.url, dict(FAKE_CREDENTIALS), assume_account=member["AccountId"]).bucket(
            "media-us-data", "us-west-2", {"data-class": "us-user-data"})
        yield Organization(proxy.url, member["AccountId"])


def scan(org: Organization, options: AwsOptions, accounts: tuple[str, ...] = ()) -> tuple[Inventory, list[str]]:
    policy = Policy("us", "us", "us", Severity.HIGH, Scope(frozenset({Provider.AWS}), accounts=accounts,
                                                            tags=(("data-class", ("us-user-data",)),)),
                    LocationSet(countries=frozenset({"US"})), None)
    assumed: list[str] = []

    def record(params: dict[str, Any], model: Any, **_: Any) -> None:
        if model.name == "AssumeRole":
            assumed.append(params["RoleArn"])

    with environment(client_env(org.endpoint)):
        adapter = AwsAdapter(CommonOptions(), options, [("before-parameter-build", record)])
        inventory = adapter.collect(PolicyNeeds([policy], load_catalog()), NullProgress())
    return inventory, assumed


def regions(inventory: Inventory) -> dict[tuple[str, str], str | None]:
    return {(r.account, r.name): r.placements[0].region for r in inventory.resources}


def test_organization_scan_assumes_the_role_in_every_other_account(organization: Organization) -> None:
    inventory, assumed = scan(organization, AwsOptions(organization=True))
    assert regions(inventory) == {(MOTO_ACCOUNT, "hq-eu-data"): "eu-west-1",
                                  (organization.member, "media-us-data"): "us-west-2"}
    assert assumed == [f"arn:aws:iam::{organization.member}:role/OrganizationAccountAccessRole"]
    assert sorted(account for _, account in inventory.scanned) == sorted([MOTO_ACCOUNT, organization.member])
    assert inventory.account_gaps == ()


def test_accounts_no_policy_covers_are_not_entered(organization: Organization) -> None:
    inventory, assumed = scan(organization, AwsOptions(organization=True), accounts=(MOTO_ACCOUNT,))
    assert assumed == []
    assert inventory.scanned == (("aws", MOTO_ACCOUNT),)


def test_assume_role_scans_the_roles_account(organization: Organization) -> None:
    role = f"arn:aws:iam::{organization.member}:role/Auditor"
    inventory, assumed = scan(organization, AwsOptions(assume_role=role))
    assert assumed == [role]
    assert regions(inventory) == {(organization.member, "media-us-data"): "us-west-2"}
