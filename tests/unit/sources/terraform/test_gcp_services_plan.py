"""gcp-databases.json: Cloud SQL, Spanner, BigQuery (and a cross-region copy), Firestore, Bigtable,
Compute snapshots and snapshot schedules in a plan, judged with the real catalog."""

from __future__ import annotations

from residency.catalog import load_catalog
from residency.inventory.model import Provider
from residency.sources.terraform import load_plan
from tests.unit.sources.terraform.helpers import PLANS, TODAY, US_USER_DATA, us_only

FIXTURE = PLANS / "gcp-databases.json"


def _findings() -> set[tuple[str, str, str]]:
    from residency.engine.evaluate import evaluate

    catalog = load_catalog()
    inventory = load_plan(FIXTURE, catalog)
    return {(f.status.value, f.rule_id, f.resource.id)
            for f in evaluate([us_only(Provider.GCP, tags=US_USER_DATA)], inventory, catalog, TODAY)}


def test_every_finding_of_the_plan() -> None:
    assert _findings() == {
        ("violation", "replica-outside", "google_sql_database_instance.orders"),  # replica in europe-west1
        ("violation", "primary-outside", "google_sql_database_instance.orders_eu"),
        ("violation", "copy-outside", "google_sql_database_instance.billing"),  # backup_configuration.location eu
        ("violation", "primary-outside", "google_sql_database_instance.sydney"),
        ("unverifiable", "location-unverifiable", "google_sql_database_instance.sydney"),  # closest: unpublished
        ("violation", "member-outside", "google_spanner_instance.global"),  # nam-eur-asia1
        ("compliant", "locations-allowed", "google_spanner_instance.regional"),
        ("unverifiable", "location-unverifiable", "google_spanner_instance.custom"),  # custom: scan to know
        ("compliant", "locations-allowed", "google_bigquery_dataset.events"),
        # the copy inherits the dataset's class through its lineage; the EU multi-region is outside the US
        ("violation", "member-outside", "google_bigquery_data_transfer_config.copy_events"),
        ("violation", "primary-outside", "google_bigtable_instance.profiles"),  # the Belgian cluster
        ("violation", "primary-outside", "google_compute_snapshot.uploads_eu"),
        # a schedule's disks are not in the policy: its scope is unknown, and it copies to eu
        ("unverifiable", "scope-unverifiable", "google_compute_resource_policy.nightly"),
    }


def test_service_locations_expand_through_the_catalog() -> None:
    resources = {r.id: r for r in load_plan(FIXTURE, load_catalog()).resources}
    assert {p.region for p in resources["google_firestore_database.default"].placements} == {
        "us-central1", "us-central2", "us-east1"}
    assert resources["google_firestore_database.default"].account == "acme-eu"
    copy = resources["google_bigquery_data_transfer_config.copy_events"]
    assert copy.lineage is not None and copy.lineage.source is not None
    assert copy.lineage.source.id == "google_bigquery_dataset.events"
