"""Policies and a scan entry point shared by the GCP integration tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from residency.catalog import load_catalog
from residency.engine.evaluate import evaluate
from residency.engine.needs import PolicyNeeds
from residency.findings.model import Finding
from residency.inventory.model import Inventory, Provider
from residency.policy.model import LocationSet, Policy, Scope, Severity
from residency.sources.contract import CommonOptions, NullProgress
from residency.sources.gcp.adapter import GcpAdapter
from residency.sources.gcp.options import GcpOptions

LABEL = "data-class"


def policy(policy_id: str, data_class: str, countries: Sequence[str] = (), groups: Sequence[str] = (),
           denied: Sequence[str] = ()) -> Policy:
    allowed = LocationSet(countries=frozenset(countries), groups=frozenset(groups)) if countries or groups else None
    return Policy(
        id=policy_id, title=policy_id, description=f"{data_class} residency", severity=Severity.HIGH,
        # Cloud Storage only: these tests run against a local GCS server alone.
        scope=Scope(providers=frozenset({Provider.GCP}), tags=((LABEL, (data_class,)),), kinds=("gcs-bucket",)),
        allowed=allowed, denied=LocationSet(countries=frozenset(denied)) if denied else None,
    )


US_ONLY = policy("us-user-data", "us-user-data", countries=["US"])
DE_ONLY = policy("de-only", "de-data", countries=["DE"])
EU_GROUP = policy("eu-group", "eu-data", groups=["eu"])
EU_COUNTRY_DE = policy("eu-data-in-de", "eu-data", countries=["DE"])


def scan(projects: Sequence[str], policies: Sequence[Policy], deep: bool = False,
         bucket_page_size: int = 1000) -> Inventory:
    adapter = GcpAdapter(CommonOptions(deep=deep, max_workers=4), GcpOptions(tuple(projects)),
                         bucket_page_size=bucket_page_size)
    return adapter.collect(PolicyNeeds(policies, load_catalog()), NullProgress())


def findings(inventory: Inventory, policies: Sequence[Policy]) -> tuple[Finding, ...]:
    return evaluate(policies, inventory, load_catalog(), dt.date.today())


def summary(found: Sequence[Finding]) -> set[tuple[str, str, str, str]]:
    """(policy, rule, status, resource id) of every finding: what the tests assert exactly."""
    return {(f.policy_id, f.rule_id, f.status.value, f.resource.id) for f in found}
