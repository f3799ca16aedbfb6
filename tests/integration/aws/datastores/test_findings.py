"""The full scan of the databases-and-copies estate, judged by the engine: exact findings, and the
lineage, placements and locks behind them."""

from __future__ import annotations

import datetime as dt

from residency.catalog import load_catalog
from residency.engine.evaluate import evaluate
from residency.inventory.model import Facet, PlacementKind, StorageResource
from tests.integration.aws.datastores import estate
from tests.integration.aws.datastores.conftest import DatastoreCloud, DatastoreScan

V, U, C = "violation", "unverifiable", "compliant"
US, EU, ORDERS = "us-user-data", "eu-personal-data", "orders-in-us"
ACCOUNT_GAP = {(policy, "location-unverifiable", U, estate.ACCOUNT) for policy in (US, EU, ORDERS)}


def expected(ids: dict[str, str]) -> set[tuple[str, str, str, str]]:
    return {
        *ACCOUNT_GAP,  # cluster snapshots could not be listed in any region
        (EU, "replica-outside", V, "eu-customers"),  # EU personal data replicated to Virginia
        (ORDERS, "primary-outside", V, "orders"), (ORDERS, "replica-outside", V, "orders"),  # 2017 global table
        (US, "replica-outside", V, "users"), (US, "copy-outside", V, "users"),  # Frankfurt; export, plan, London
        (US, "primary-outside", V, "users/export/*"), (US, "locations-allowed", C, "users-nightly"),
        (US, "copy-outside", V, "users-db"), (US, "locations-allowed", C, "users-db-replica"),
        (US, "primary-outside", V, "users-db automated backups (eu-west-1)"),
        (US, "locations-allowed", C, "users-db-snap"), (US, "primary-outside", V, "users-db-snap-ie"),
        (US, "primary-outside", V, "users-db-export"), (US, "locations-allowed", C, "rds:users-db-*"),
        (US, "replica-outside", V, "ledger"), (US, "copy-outside", V, "ledger"),
        (US, "location-unverifiable", U, "ledger"), (US, "primary-outside", V, "ledger-eu"),
        (US, "location-unverifiable", U, "ledger-eu"),  # its cluster snapshots: the listing was denied
        (US, "copy-outside", V, ids["volume"]), (US, "locations-allowed", C, ids["snapshot"]),
        (US, "primary-outside", V, ids["singapore"]), (US, "scope-unverifiable", U, ids["stockholm"]),
        (US, "locations-allowed", C, "users-app"), (US, "primary-outside", V, "users-app-ie"),
        (US, "primary-outside", V, "image-copy-snapshot"),
        (US, "locations-allowed", C, "main/users"), (US, "primary-outside", V, "london/users"),
        (US, "retention-blocks-deletion", V, "london/users"),
        (US, "scope-unverifiable", U, "legacy-profiles-final"),  # its table was deleted: class unknown
        (US, "copy-outside", V, "analytics"), (US, "replica-outside", V, "sessions"),
        (US, "primary-outside", V, "sessions-eu"), (US, "copy-outside", V, "/app/users"),
        (US, "copy-outside", V, "clickstream"),
    }


def by_name(scan: DatastoreScan, name: str) -> StorageResource:
    return next(r for r in scan.inventory.resources if r.name == name)


def summary(scan: DatastoreScan, ids: dict[str, str]) -> set[tuple[str, str, str, str]]:
    found = evaluate(estate.policies(), scan.inventory, load_catalog(), dt.date(2026, 6, 1))
    image_copy_snapshot = {r.name for r in scan.inventory.resources if r.kind == "ebs-snapshot"
                           and ids["image-copy"] in dict(r.attributes).get("description", "")}
    rows = set()
    for f in found:
        name = f.resource.name
        for prefix in ("users/export/", "rds:users-db-"):
            name = prefix + "*" if name.startswith(prefix) else name
        rows.add((f.policy_id, f.rule_id, f.status.value, "image-copy-snapshot" if name in image_copy_snapshot
                  else name))
    return rows


def test_every_finding_of_the_estate(full_scan: DatastoreScan, datastore_cloud: DatastoreCloud) -> None:
    assert summary(full_scan, datastore_cloud.ids) == expected(datastore_cloud.ids)


def test_a_copied_snapshot_inherits_the_volume_through_its_description(
    full_scan: DatastoreScan, datastore_cloud: DatastoreCloud,
) -> None:
    copy = by_name(full_scan, datastore_cloud.ids["singapore"])
    assert copy.tags == () and copy.lineage is not None and copy.lineage.source is not None
    assert copy.lineage.source.name == datastore_cloud.ids["volume"]
    assert f"[Copied {datastore_cloud.ids['snapshot']} from us-east-1]" in copy.lineage.how
    volume = by_name(full_scan, datastore_cloud.ids["volume"])
    derived = {(p.region, p.target) for p in volume.placements if p.kind is PlacementKind.DERIVED}
    assert ("ap-southeast-1", copy.id) in derived  # the copy, named
    assert any(p.region == "ap-southeast-1" and "lifecycle policy" in p.reason for p in volume.placements)
    assert any(p.region == "eu-west-2" and "backup plan daily-us" in p.reason for p in volume.placements)


def test_the_table_carries_a_placement_for_every_place_its_data_reaches(full_scan: DatastoreScan) -> None:
    users = next(r for r in full_scan.inventory.resources if r.id.endswith(":us-east-1:123456789012:table/users"))
    places = {(p.kind.value, p.region) for p in users.placements}
    assert places == {("primary", "us-east-1"), ("replica", "eu-central-1"), ("derived", "us-east-1"),
                      ("derived", "eu-west-1"), ("derived", "eu-west-2")}
    assert {Facet.LOCATION, Facet.TAGS, Facet.REPLICAS, Facet.COPIES} <= users.collected
    reasons = " | ".join(p.reason for p in users.placements if p.region == "eu-west-2")
    assert "before" not in reasons and "copies its recovery points to vault" in reasons and "london" in reasons


def test_the_london_recovery_point_is_held_by_a_compliance_mode_vault_lock(full_scan: DatastoreScan) -> None:
    london = by_name(full_scan, "london/users")
    assert london.deletion_evidence is not None
    [lock] = london.deletion_evidence.locks
    assert lock.blocks_deletion and "compliance mode" in lock.detail and lock.until
    main = by_name(full_scan, "main/users")
    assert main.deletion_evidence is not None and main.deletion_evidence.locks == ()


def test_a_log_group_is_followed_through_its_destination_to_the_bucket(full_scan: DatastoreScan) -> None:
    group = by_name(full_scan, "/app/users")
    derived = [p for p in group.placements if p.kind is PlacementKind.DERIVED]
    assert {p.region for p in derived} == {"eu-west-1"}
    assert any("Logs destination to-dublin" in p.reason and "bucket exports-eu" in p.reason for p in derived)


def test_what_the_account_could_not_list_is_a_gap_on_the_account_and_on_the_owners(full_scan: DatastoreScan) -> None:
    [gap] = full_scan.inventory.account_gaps
    assert gap.reason.startswith("DB cluster snapshots (DescribeDBClusterSnapshots) could not be listed in ")
    assert "AccessDenied" in gap.reason and gap.reason.count("(AccessDenied") == 1  # one reason, every region
    ledger = by_name(full_scan, "ledger")
    assert [g.facet for g in ledger.gaps] == [Facet.COPIES]
