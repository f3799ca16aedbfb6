"""Location codes of the Google Cloud services -> placements, through the real catalog."""

from __future__ import annotations

from residency.catalog import load_catalog
from residency.inventory.model import PlacementKind
from residency.sources.gcp.services.locations import as_derived, closest_multi_region, placements, region_of

CATALOG = load_catalog()


def test_zones_are_their_regions_and_other_codes_stay() -> None:
    assert region_of("us-central1-b") == "us-central1"
    assert region_of("projects/p/locations/europe-west10-a") == "europe-west10"
    assert region_of("US") == "us" and region_of("nam5") == "nam5"


def test_the_closest_multi_region_is_named_only_where_google_names_it() -> None:
    assert [closest_multi_region(r) for r in ("us-east4", "europe-west2", "asia-south1")] == ["us", "eu", "asia"]
    assert closest_multi_region("australia-southeast1") is None
    assert closest_multi_region("northamerica-northeast1") is None  # Montréal: not said, so not guessed


def test_regions_multi_regions_and_service_locations() -> None:
    assert [(p.kind, p.region) for p in placements("us-central1-a", CATALOG, "zone")] == [
        (PlacementKind.PRIMARY, "us-central1")]
    assert [(p.kind, p.region) for p in placements("EU", CATALOG, "dataset")] == [(PlacementKind.MEMBER, "eu")]
    firestore = placements("eur3", CATALOG, "database", service="firestore")
    assert {p.region for p in firestore} == {"europe-west1", "europe-west4", "europe-north1"}
    assert [p.region for p in placements("eur3", CATALOG, "x")] == ["eur3"]  # no service: not Firestore's eur3
    unknown = placements("mars-north1", CATALOG, "x")
    assert [(p.kind, p.region) for p in unknown] == [(PlacementKind.PRIMARY, "mars-north1")]  # the engine: unknown
    assert placements(None, CATALOG, "backup")[0].region is None


def test_a_copy_location_becomes_derived_on_its_source() -> None:
    derived = as_derived(placements("nam4", CATALOG, "stored in"), "snapshot", "//x")
    assert {(p.kind, p.region, p.target) for p in derived} == {
        (PlacementKind.DERIVED, "us-central1", "//x"), (PlacementKind.DERIVED, "us-east1", "//x")}
