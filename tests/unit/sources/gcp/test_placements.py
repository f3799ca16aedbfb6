"""Bucket resource -> placements, branched on locationType (pure: no server)."""

from __future__ import annotations

from typing import Any

import pytest

from residency.catalog import Catalog, CatalogLocation, LocationType, load_catalog
from residency.inventory.model import PlacementKind, Provider
from residency.sources.gcp.facts import BucketFacts
from residency.sources.gcp.placements import bucket_placements


def _facts(**resource: Any) -> BucketFacts:
    return BucketFacts.from_api({"name": "b", **resource}, "proj")


def _placed(resource: dict[str, Any], catalog: Catalog | None = None) -> list[tuple[PlacementKind, str | None]]:
    return [(p.kind, p.region) for p in bucket_placements(_facts(**resource), catalog or load_catalog())]


M, P = PlacementKind.MEMBER, PlacementKind.PRIMARY


@pytest.mark.parametrize(("resource", "expected"), [
    ({"location": "US-CENTRAL1", "locationType": "region"}, [(P, "us-central1")]),
    ({"location": "NAM4", "locationType": "dual-region"}, [(M, "us-central1"), (M, "us-east1")]),
    ({"location": "EUR4", "locationType": "dual-region"}, [(M, "europe-north1"), (M, "europe-west4")]),
    ({"location": "US", "locationType": "dual-region",
      "customPlacementConfig": {"dataLocations": ["US-EAST1", "US-WEST1"]}}, [(M, "us-east1"), (M, "us-west1")]),
    ({"location": "US", "locationType": "multi-region"}, [(M, "us")]),
    ({"location": "EU", "locationType": "multi-region"}, [(M, "eu")]),
    ({"location": "ASIA", "locationType": "multi-region"}, [(M, "asia")]),
    # Emulators report every bucket as multi-region: a known region code stays a region.
    ({"location": "EUROPE-WEST1", "locationType": "multi-region"}, [(P, "europe-west1")]),
    # No location type at all: the catalog decides.
    ({"location": "NAM4"}, [(M, "us-central1"), (M, "us-east1")]),
    # Unknown codes are passed on for the engine to report as unknown, never guessed.
    ({"location": "MARS-NORTH1", "locationType": "region"}, [(P, "mars-north1")]),
    ({"location": "XYZ9"}, [(P, "xyz9")]),
    ({}, [(P, None)]),
])
def test_location_types(resource: dict[str, Any], expected: list[tuple[PlacementKind, str | None]]) -> None:
    assert _placed(resource) == expected


def test_predefined_dual_region_unknown_to_the_catalog_stays_one_member() -> None:
    catalog = Catalog([CatalogLocation(Provider.GCP, "us-east1", LocationType.REGION, "South Carolina",
                                       frozenset({"US"}), "north-america", "gcp")], [], {"US": "United States"})
    placements = bucket_placements(_facts(location="NAM9", locationType="dual-region"), catalog)
    assert [(p.kind, p.region) for p in placements] == [(M, "nam9")]
    assert "not in the catalog" in placements[0].reason


def test_configurable_dual_region_reason_names_its_regions() -> None:
    (first, _) = bucket_placements(_facts(location="EU", locationType="dual-region", customPlacementConfig={
        "dataLocations": ["EUROPE-WEST3", "EUROPE-WEST4"]}), load_catalog())
    assert first.reason == "configurable dual-region EU (EUROPE-WEST3, EUROPE-WEST4)"


def test_facts_read_every_field_the_adapter_relies_on() -> None:
    facts = _facts(
        location="US", locationType="dual-region", rpo="ASYNC_TURBO", labels={"b": "2", "a": "1"},
        versioning={"enabled": True}, softDeletePolicy={"retentionDurationSeconds": "604800"},
        retentionPolicy={"retentionPeriod": "86400", "isLocked": True}, objectRetention={"mode": "Enabled"},
        defaultEventBasedHold=True, generation="17", softDeleteTime="2026-01-01T00:00:00.000Z",
        hardDeleteTime="2026-01-08T00:00:00.000Z", customPlacementConfig={"dataLocations": ["US-EAST1"]},
    )
    assert facts.labels == (("a", "1"), ("b", "2"))
    settings = facts.settings
    assert (settings.versioning, settings.soft_delete_seconds, settings.retention_period,
            settings.retention_locked) == (True, 604800, 86400, True)
    assert (settings.object_retention, settings.default_event_based_hold, settings.generation) == (True, True, 17)
    assert facts.problems == ()
    assert facts.soft_deleted_id == "gs://b#17" and facts.resource_id == "gs://b"
    assert dict(facts.attributes())["rpo"] == "ASYNC_TURBO"
    assert dict(facts.attributes())["retention-policy-locked"] == "true"


def test_facts_tolerate_integers_and_missing_settings() -> None:
    settings = _facts(location="US", softDeletePolicy={"retentionDurationSeconds": 0}).settings
    assert (settings.soft_delete_seconds, settings.retention_period, settings.versioning, settings.generation) == (
        0, None, False, None)
    assert _facts(location="US").soft_deleted_id == "gs://b#soft-deleted"
    assert _facts(location="US").settings.soft_delete_seconds is None


@pytest.mark.parametrize(("resource", "facet", "location_known", "labels_known"), [
    ({"location": "EU", "labels": ["data-class"]}, "tags", True, False),
    ({"location": "EU", "labels": {"data-class": 7}}, "tags", True, False),
    ({"location": 7, "labels": {"a": "1"}}, "location", False, True),
    ({"location": "US", "customPlacementConfig": {"dataLocations": "US-EAST1"}}, "location", False, True),
    ({"location": "EU", "retentionPolicy": {"retentionPeriod": "forever"}}, "deletion-evidence", True, True),
    ({"location": "EU", "versioning": {"enabled": "false"}}, "deletion-evidence", True, True),
])
def test_a_malformed_part_of_a_record_is_a_gap_on_its_facet_only(
    resource: dict[str, Any], facet: str, location_known: bool, labels_known: bool,
) -> None:
    facts = _facts(**resource)
    assert [gap.facet.value for gap in facts.problems] == [facet]
    assert facts.problems[0].reason.startswith("the buckets.list entry is malformed: ")
    (placement, *_) = bucket_placements(facts, load_catalog())
    assert (placement.region is not None) is location_known
    assert (facts.labels is not None) is labels_known


def test_a_retention_period_that_cannot_be_read_is_never_no_retention() -> None:
    facts = _facts(location="EU", retentionPolicy={"retentionPeriod": "forever", "isLocked": True})
    assert facts.settings.retention_period is None and facts.problems  # unknown, and said so


@pytest.mark.parametrize("record", [["a", "list"], {"labels": {}}, {"name": 7}, {"name": ""}])
def test_only_a_record_that_names_no_bucket_cannot_be_recorded(record: Any) -> None:
    from residency.sources.gcp.facts import MalformedRecord

    with pytest.raises(MalformedRecord):
        BucketFacts.from_api(record, "proj")


def test_data_locations_make_a_dual_region_whatever_the_type_says() -> None:
    assert _placed({"location": "US", "customPlacementConfig": {"dataLocations": ["US-EAST1", "US-WEST1"]}}) == [
        (M, "us-east1"), (M, "us-west1")]
