"""Small hand-built catalog and builders for engine tests (no catalog data file needed)."""

from __future__ import annotations

import datetime as dt

from residency.catalog import Catalog, CatalogLocation, LocationGroup, LocationType
from residency.inventory.model import (
    ALL_FACETS,
    DeletionEvidence,
    Placement,
    PlacementKind,
    Provider,
    StorageResource,
    sorted_tags,
)
from residency.policy.model import Exemption, LocationSet, Policy, Scope, Severity, SourceRef

EU = frozenset({"AT", "BE", "DE", "FI", "FR", "IE", "NL", "SE"})  # enough members for these tests


def _region(provider: Provider, code: str, country: str, pair: str | None = None) -> CatalogLocation:
    return CatalogLocation(provider, code, LocationType.REGION, code, frozenset({country}), "x", "p", pair=pair)


def small_catalog() -> Catalog:
    locations = [
        _region(Provider.AWS, "us-east-1", "US"),
        _region(Provider.AWS, "us-west-2", "US"),
        _region(Provider.AWS, "eu-west-1", "IE"),
        _region(Provider.AWS, "eu-central-1", "DE"),
        _region(Provider.AWS, "ap-southeast-1", "SG"),
        _region(Provider.AZURE, "brazilsouth", "BR", pair="southcentralus"),
        _region(Provider.AZURE, "southcentralus", "US", pair="northcentralus"),
        _region(Provider.GCP, "us-central1", "US"),
        _region(Provider.GCP, "europe-north1", "FI"),
        _region(Provider.GCP, "europe-west4", "NL"),
        CatalogLocation(Provider.GCP, "eu", LocationType.MULTI_REGION, "EU multi-region", None, "europe",
                        "gcp", bound=EU, promises=frozenset({"eu"})),
        CatalogLocation(Provider.GCP, "asia", LocationType.MULTI_REGION, "ASIA multi-region", None, "asia", "gcp"),
    ]
    groups = [
        LocationGroup("eu", "EU member states", countries=EU),
        LocationGroup("country:US", "United States", countries=frozenset({"US"})),
        LocationGroup("aws:aws", "AWS commercial", locations=frozenset({(Provider.AWS, "us-east-1")})),
    ]
    iso = {c: c for c in EU | {"US", "SG", "BR", "CN", "RU", "MX"}}
    return Catalog(locations, groups, iso)


def policy(
    allowed: LocationSet | None = None,
    denied: LocationSet | None = None,
    counts: frozenset[PlacementKind] = frozenset(PlacementKind),
    exemptions: tuple[Exemption, ...] = (),
    tags: tuple[tuple[str, tuple[str, ...]], ...] = (("data-class", ("us-user-data",)),),
    providers: frozenset[Provider] = frozenset(Provider),
    policy_id: str = "us-user-data",
    severity: Severity = Severity.HIGH,
) -> Policy:
    return Policy(
        id=policy_id, title="t", description="d", severity=severity,
        scope=Scope(providers=providers, tags=tags),
        allowed=allowed if allowed is not None or denied is not None else LocationSet(countries=frozenset({"US"})),
        denied=denied, counts=counts, exemptions=exemptions, source=SourceRef("policies/us.yaml", 3),
    )


def bucket(
    name: str,
    *placements: Placement,
    tags: dict[str, str] | None = None,
    residue: DeletionEvidence | None = None,
    provider: Provider = Provider.AWS,
    **kwargs: object,
) -> StorageResource:
    return StorageResource(
        provider=provider, account="111122223333", id=f"arn:aws:s3:::{name}", name=name, kind="s3-bucket",
        placements=placements, collected=kwargs.pop("collected", ALL_FACETS),  # type: ignore[arg-type]
        tags=sorted_tags(tags if tags is not None else {"data-class": "us-user-data"}),
        deletion_evidence=residue, **kwargs,  # type: ignore[arg-type]
    )


def primary(region: str | None) -> Placement:
    return Placement(PlacementKind.PRIMARY, region, "bucket region")


TODAY = dt.date(2026, 11, 25)
