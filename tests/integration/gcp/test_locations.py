"""Bucket locations end to end: seeded through the SDK, scanned, evaluated, asserted exactly."""

from __future__ import annotations

import pytest

from residency.inventory.model import Facet, PlacementKind
from scripts.localcloud.gcp.seed import BucketSpec, client_for, create_bucket, upload
from tests.integration.gcp.conftest import GcsServer
from tests.integration.gcp.helpers import (
    DE_ONLY,
    EU_COUNTRY_DE,
    EU_GROUP,
    LABEL,
    US_ONLY,
    findings,
    scan,
    summary,
)

pytestmark = pytest.mark.integration

US = {LABEL: "us-user-data"}


def test_single_regions_in_and_out_of_policy(own_gcs: GcsServer, uid: str) -> None:
    project = f"{uid}-video"
    client = client_for(own_gcs.url, project)
    create_bucket(client, project, BucketSpec(f"{uid}-iowa", "us-central1", US))
    belgium = create_bucket(client, project, BucketSpec(f"{uid}-belgium", "europe-west1", US))
    upload(belgium, ["user-1.json"])
    create_bucket(client, project, BucketSpec(f"{uid}-public", "asia-east1", {LABEL: "public"}))

    inventory = scan([project], [US_ONLY])

    # Every listed bucket is recorded (location and labels come free); only covered ones are judged.
    assert {r.name for r in inventory.resources} == {f"{uid}-iowa", f"{uid}-belgium", f"{uid}-public"}
    public = next(r for r in inventory.resources if r.name == f"{uid}-public")
    assert public.deletion_evidence is None and Facet.DELETION_EVIDENCE not in public.collected
    assert summary(findings(inventory, [US_ONLY])) == {
        ("us-user-data", "locations-allowed", "compliant", f"gs://{uid}-iowa"),
        ("us-user-data", "primary-outside", "violation", f"gs://{uid}-belgium"),
    }
    iowa = next(r for r in inventory.resources if r.name == f"{uid}-iowa")
    assert [(p.kind, p.region) for p in iowa.placements] == [(PlacementKind.PRIMARY, "us-central1")]
    assert iowa.account == project and iowa.kind == "gcs-bucket" and iowa.tags == ((LABEL, "us-user-data"),)
    assert inventory.scanned == (("gcp", project),)


def test_predefined_and_configurable_dual_regions(own_gcs: GcsServer, uid: str) -> None:
    project = f"{uid}-dual"
    client = client_for(own_gcs.url, project)
    create_bucket(client, project, BucketSpec(f"{uid}-nam4", "NAM4", US))
    create_bucket(client, project, BucketSpec(f"{uid}-east-west", "US", US, ("US-EAST1", "US-WEST1"), turbo=True))
    de = {LABEL: "de-data"}
    upload(create_bucket(client, project, BucketSpec(f"{uid}-eur4", "EUR4", de)), ["a"])
    upload(create_bucket(client, project, BucketSpec(f"{uid}-de-nl", "EU", de, ("EUROPE-WEST3", "EUROPE-WEST4"))),
           ["a"])

    inventory = scan([project], [US_ONLY, DE_ONLY])

    assert summary(findings(inventory, [US_ONLY, DE_ONLY])) == {
        ("us-user-data", "locations-allowed", "compliant", f"gs://{uid}-nam4"),
        ("us-user-data", "locations-allowed", "compliant", f"gs://{uid}-east-west"),
        ("de-only", "member-outside", "violation", f"gs://{uid}-eur4"),
        ("de-only", "member-outside", "violation", f"gs://{uid}-de-nl"),
    }
    by_name = {r.name: r for r in inventory.resources}
    assert [(p.kind, p.region) for p in by_name[f"{uid}-nam4"].placements] == [
        (PlacementKind.MEMBER, "us-central1"), (PlacementKind.MEMBER, "us-east1")]
    east_west = by_name[f"{uid}-east-west"]
    assert [p.region for p in east_west.placements] == ["us-east1", "us-west1"]
    assert dict(east_west.attributes)["rpo"] == "ASYNC_TURBO"
    assert dict(east_west.attributes)["location-type"] == "dual-region"
    mixed = next(f for f in findings(inventory, [DE_ONLY]) if f.resource.name == f"{uid}-de-nl")
    assert [(loc.region, loc.countries) for loc in mixed.locations] == [("europe-west4", ("NL",))]
    eur4 = next(f for f in findings(inventory, [DE_ONLY]) if f.resource.name == f"{uid}-eur4")
    assert [(loc.region, loc.countries) for loc in eur4.locations] == [
        ("europe-north1", ("FI",)), ("europe-west4", ("NL",))]


def test_multi_regions_against_group_and_country_policies(own_gcs: GcsServer, uid: str) -> None:
    project = f"{uid}-multi"
    client = client_for(own_gcs.url, project)
    upload(create_bucket(client, project, BucketSpec(f"{uid}-eu", "EU", {LABEL: "eu-data"})), ["a"])
    create_bucket(client, project, BucketSpec(f"{uid}-us", "US", US))
    policies = [EU_GROUP, EU_COUNTRY_DE, US_ONLY]

    inventory = scan([project], policies)

    assert summary(findings(inventory, policies)) == {
        ("eu-group", "locations-allowed", "compliant", f"gs://{uid}-eu"),
        ("eu-data-in-de", "location-unverifiable", "unverifiable", f"gs://{uid}-eu"),
        ("us-user-data", "locations-allowed", "compliant", f"gs://{uid}-us"),
    }
    eu = next(r for r in inventory.resources if r.name == f"{uid}-eu")
    assert [(p.kind, p.region) for p in eu.placements] == [(PlacementKind.MEMBER, "eu")]
