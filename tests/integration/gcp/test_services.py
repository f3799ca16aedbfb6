"""The estate of `admin_estate`, scanned once: every finding, lineage, gaps, and what was called."""

from __future__ import annotations

import pytest

from residency.inventory.kinds import reads_of
from residency.inventory.model import Facet, PlacementKind, Provider, StorageResource
from residency.sources.gcp.permissions import permissions
from tests.integration.gcp.admin_estate import DENIED, POLICIES, AdminEstate
from tests.integration.gcp.helpers import findings

pytestmark = pytest.mark.integration
US, EU = "us-user-data", "eu-project"
OK = ("locations-allowed", "compliant")
# Backup ids are made by the service: those resources are named by their kind here.
BY_KIND = {"cloudsql-backup", "firestore-backup"}
EXPECTED = {
    (US, "replica-outside", "violation", "orders"),  # read replica in europe-west1
    (US, "primary-outside", "violation", "orders-eu"),  # the replica itself inherits the primary's class
    (US, *OK, "cloudsql-backup"),  # the backup run went to the US multi-region
    (US, "copy-outside", "violation", "billing"),  # backupConfiguration.location = eu
    (US, "primary-outside", "violation", "sydney"),
    (US, "location-unverifiable", "unverifiable", "sydney"),  # closest multi-region to Sydney: not published
    (US, "member-outside", "violation", "global"),  # nam-eur-asia1: Belgium and Taiwan replicas
    (US, "copy-outside", "violation", "global"),  # its backups live there too
    (US, "member-outside", "violation", "ledger-daily"),
    (US, *OK, "ledger-copy"),  # copied into an unlabelled us-east1 instance: inherits, and is in the US
    (US, "member-outside", "violation", "reporting"),  # custom config: read-only replica in London
    (US, "copy-outside", "violation", "events"),  # cross_region_copy into an EU dataset
    (US, "member-outside", "violation", "copy of events"),
    (US, *OK, "snapshots.clicks_0101"),  # snapshot and clone in an unlabelled US dataset inherit
    (US, *OK, "snapshots.clicks_dev"),
    (US, "primary-outside", "violation", "profiles"),  # a Bigtable cluster in Belgium
    (US, "copy-outside", "violation", "profiles"),  # its backup copied to the Belgian cluster
    (US, *OK, "users-daily"),
    (US, "primary-outside", "violation", "users-daily-copy"),
    (US, "copy-outside", "violation", "uploads"),  # a snapshot in europe-west1, a schedule to eu
    (US, "primary-outside", "violation", "uploads-eu"),
    (US, *OK, "uploads-image"),  # the machine image went to the nearest multi-region: us
    (US, "location-unverifiable", "unverifiable", DENIED),
    (EU, *OK, "(default)"),  # Firestore eur3 and its scheduled backup, scoped by project
    (EU, *OK, "firestore-backup"),
    (EU, "member-outside", "violation", "us-mirror"),  # nam5
}


def _named(resource_name: str, kind: str) -> str:
    return kind if kind in BY_KIND else resource_name


def _by_name(estate: AdminEstate) -> dict[str, StorageResource]:
    return {r.name: r for r in estate.inventory.resources}


def test_every_finding(admin_estate: AdminEstate) -> None:
    found = {(f.policy_id, f.rule_id, f.status.value, _named(f.resource.name, f.resource.kind))
             for f in findings(admin_estate.inventory, POLICIES)}
    assert found == EXPECTED


def test_copies_keep_the_lineage_of_their_source(admin_estate: AdminEstate) -> None:
    resources = _by_name(admin_estate)
    sources = {name: (r.lineage.source.name if r.lineage and r.lineage.source else None)
               for name, r in resources.items() if r.lineage is not None}
    assert {k: v for k, v in sources.items() if not k[0].isdigit() and "backup 1" not in k} == {
        "orders-eu": "orders", "ledger-daily": "global", "ledger-copy": "global", "copy of events": "events",
        "snapshots.clicks_0101": "events", "snapshots.clicks_dev": "events", "users-daily": "profiles",
        "users-daily-copy": "profiles", "uploads-eu": "uploads", "uploads-image": "uploads",
    }
    global_copies = {p.target for p in resources["global"].placements if p.kind is PlacementKind.DERIVED}
    assert {t.rsplit("/", 1)[-1] for t in global_copies if t} == {"ledger-daily", "ledger-copy"}


def test_service_locations_expand_to_their_members(admin_estate: AdminEstate) -> None:
    resources = _by_name(admin_estate)
    members = {p.region for p in resources["global"].placements if p.kind is PlacementKind.MEMBER}
    assert members == {"us-central1", "us-central2", "europe-west1", "asia-east1", "us-east1"}
    assert {p.region for p in resources["us-mirror"].placements} == {"us-central1", "us-central2", "us-east1"}
    assert {(p.kind, p.region) for p in resources["events"].placements if p.kind is not PlacementKind.DERIVED} == {
        (PlacementKind.MEMBER, "us")}
    sydney_backups = [p for p in resources["sydney"].placements if p.kind is PlacementKind.DERIVED]
    assert [p.region for p in sydney_backups] == [None] and "not name" in sydney_backups[0].reason


def test_a_denied_project_is_a_gap_of_each_service(admin_estate: AdminEstate) -> None:
    reasons = [g.reason for g in admin_estate.inventory.account_gaps if g.account == DENIED]
    for service in ("Cloud SQL", "Spanner", "BigQuery", "Firestore", "Bigtable", "Compute Engine"):
        assert any(r.startswith(f"{service}:") and "403" in r for r in reasons), service
    assert not any(r.account == DENIED for r in admin_estate.inventory.resources)


def test_collected_facets_say_what_was_read(admin_estate: AdminEstate) -> None:
    resources = _by_name(admin_estate)
    assert {Facet.LOCATION, Facet.TAGS, Facet.REPLICAS, Facet.COPIES} <= resources["orders"].collected
    assert Facet.COPIES in resources["orders-eu"].collected  # a read replica has no backups: known, not unread
    assert all(not r.gaps for r in resources.values())


def test_the_scan_only_reads_and_every_call_is_granted(admin_estate: AdminEstate) -> None:
    assert admin_estate.requests
    assert {method for _, method, _, _ in admin_estate.requests} == {"GET"}
    registered = {call.operation: call.permission for call in reads_of(Provider.GCP)}
    called = {method_id for _, _, method_id, _ in admin_estate.requests}
    assert called <= set(registered), called - set(registered)
    printed = permissions()
    assert all(f"  {registered[m]}\n" in printed for m in called)
    # Every registered call of these services was exercised by the scan.
    services = ("sqladmin.", "spanner.", "bigquery", "firestore.", "bigtableadmin.", "compute.")
    assert {op for op in registered if op.startswith(services)} == called
