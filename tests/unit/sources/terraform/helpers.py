"""A small hand-built catalog, policies and a finding digest for the plan adapter tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from residency.catalog import Catalog, CatalogLocation, LocationGroup, LocationType
from residency.engine.evaluate import evaluate
from residency.findings.model import Finding
from residency.inventory.model import Inventory, Provider
from residency.policy.model import LocationSet, Policy, Scope, Severity, SourceRef

PLANS = Path(__file__).resolve().parents[3] / "data" / "plans"
TODAY = dt.date(2026, 11, 25)
EU = frozenset({"AT", "BE", "DE", "FI", "FR", "IE", "IT", "NL", "SE"})


def _region(provider: Provider, code: str, country: str, pair: str | None = None) -> CatalogLocation:
    return CatalogLocation(provider, code, LocationType.REGION, code, frozenset({country}), "x", "p", pair=pair)


def _zone(code: str, country: str, parent: str) -> CatalogLocation:
    return CatalogLocation(Provider.AWS, code, LocationType.ZONE, code, frozenset({country}), "x", "aws",
                           parent=parent)


def _dual(code: str, countries: set[str], members: tuple[str, ...]) -> CatalogLocation:
    return CatalogLocation(Provider.GCP, code, LocationType.DUAL_REGION, code.upper(), frozenset(countries),
                           "x", "gcp", members=members)


def small_catalog() -> Catalog:
    aws = [("us-east-1", "US"), ("us-west-2", "US"), ("eu-west-1", "IE"), ("eu-central-1", "DE")]
    gcp = [("us-central1", "US"), ("us-east1", "US"), ("us-west1", "US"), ("europe-north1", "FI"),
           ("europe-west4", "NL"), ("asia-northeast1", "JP")]
    azure = [("eastus", "US", "westus"), ("westus", "US", "eastus"), ("westeurope", "NL", "northeurope"),
             ("northeurope", "IE", "westeurope"), ("brazilsouth", "BR", "southcentralus"),
             ("southcentralus", "US", "northcentralus"), ("italynorth", "IT", None)]
    locations = [
        *(_region(Provider.AWS, code, country) for code, country in aws),
        _zone("usw2-az1", "US", "us-west-2"),
        *(_region(Provider.GCP, code, country) for code, country in gcp),
        _dual("nam4", {"US"}, ("us-central1", "us-east1")),
        _dual("eur4", {"FI", "NL"}, ("europe-north1", "europe-west4")),
        CatalogLocation(Provider.GCP, "us", LocationType.MULTI_REGION, "US multi-region", frozenset({"US"}),
                        "x", "gcp"),
        CatalogLocation(Provider.GCP, "eu", LocationType.MULTI_REGION, "EU multi-region", None, "x", "gcp",
                        bound=EU, promises=frozenset({"eu"})),
        *(_region(Provider.AZURE, code, country, pair) for code, country, pair in azure),
    ]
    groups = [LocationGroup("eu", "EU member states", countries=EU)]
    return Catalog(locations, groups, {c: c for c in EU | {"US", "BR", "JP"}})


def us_only(*providers: Provider, tags: tuple[tuple[str, tuple[str, ...]], ...] = ()) -> Policy:
    return Policy(
        id="us-only", title="US only", description="d", severity=Severity.HIGH,
        scope=Scope(providers=frozenset(providers or Provider), tags=tags),
        allowed=LocationSet(countries=frozenset({"US"})), denied=None, source=SourceRef("policies/us.yaml", 2),
    )


US_USER_DATA = (("data-class", ("us-user-data",)),)

Location = tuple[str, str | None, str]
Digest = tuple[str, str, str, str, str, tuple[Location, ...]]


def digest(findings: tuple[Finding, ...]) -> list[Digest]:
    """(status, rule, resource id, name, account, ((kind, region, reason), ...)) per finding."""
    return [
        (f.status.value, f.rule_id, f.resource.id, f.resource.name, f.resource.account,
         tuple((loc.kind.value, loc.region, loc.reason) for loc in f.locations))
        for f in findings
    ]


def evaluate_plan(inventory: Inventory, catalog: Catalog, *policies: Policy) -> list[Digest]:
    return digest(evaluate(policies, inventory, catalog, TODAY))
