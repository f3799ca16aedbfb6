"""Deletion evidence: previous versions, soft-deleted blobs and containers, locks, deleted accounts."""

from __future__ import annotations

import base64

import pytest

from residency.inventory.model import DeletionEvidence, PlacementKind, ResourceState, RetentionLock
from residency.sources.azure import deletion_evidence as residue_module
from scripts.localcloud.azure.azurite import LocalAzure
from scripts.localcloud.azure.seed import AzureSeeder
from tests.integration.azure.helpers import findings, policy, scan

pytestmark = pytest.mark.integration

US = policy("us-user-data", countries=["US"], tag="us-user-data")


def _migrate_away(seeder: AzureSeeder, subscription: str, name: str) -> None:
    """Copy-then-delete, the way a migration "deletes": versioning and soft delete keep copies."""
    seeder.account(subscription, name, "westeurope", "Standard_LRS", {"data-class": "us-user-data"})
    seeder.blob_service_settings(subscription, name, versioning=True, delete_days=14, container_delete_days=7)
    seeder.upload(name, "profiles", {"alice.json": b"{}", "bob.json": b"{}"})
    seeder.upload(name, "profiles", {"alice.json": b'{"v": 2}'}, create=False)  # alice has 2 versions
    seeder.upload(name, "uploads", {"raw.mp4": b"0123456789"})
    service = seeder.blobs(name)
    for blob in ("alice.json", "bob.json"):
        service.get_blob_client("profiles", blob).delete_blob()
    service.delete_container("uploads")


def test_previous_versions_and_soft_deleted_containers_left_outside_the_us(
    local_azure: LocalAzure, seeder: AzureSeeder, subscription: str,
) -> None:
    _migrate_away(seeder, subscription, "euleftovers")
    inventory = scan(local_azure, [subscription], [US])
    (resource,) = inventory.resources
    assert resource.deletion_evidence == DeletionEvidence(
        live_objects=0, noncurrent_versions=3, soft_deleted_objects=1, bytes=12, exact=True,
        notes=("blob versioning: enabled", "blob soft delete: 14 days", "container soft delete: 7 days",
               "change feed: disabled",
               "1 soft-deleted container(s) counted as soft-deleted objects (a deleted container's blobs "
               "cannot be listed until it is restored)"),
    )
    assert findings(inventory, [US]) == [("us-user-data", "primary-outside", "violation", "euleftovers"),
                                         ("us-user-data", "residual-outside", "violation", "euleftovers")]


def test_a_probe_reports_lower_bounds_and_deep_counts_exactly(
    local_azure: LocalAzure, seeder: AzureSeeder, subscription: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    seeder.account(subscription, "euprobed", "westeurope", "Standard_LRS", {"data-class": "us-user-data"})
    seeder.blob_service_settings(subscription, "euprobed", delete_days=7)
    seeder.upload("euprobed", "logs", {f"day{i}.log": b"x" for i in range(5)})
    for i in range(3):
        seeder.blobs("euprobed").get_blob_client("logs", f"day{i}.log").delete_blob()
    monkeypatch.setattr(residue_module, "PROBE_PAGE", 2)
    probed = scan(local_azure, [subscription], [US]).resources[0].deletion_evidence
    assert probed is not None and not probed.exact
    # Listing is name-ordered: the first page holds day0 and day1, both soft-deleted.
    assert (probed.live_objects, probed.soft_deleted_objects) == (None, 2)
    deep = scan(local_azure, [subscription], [US], deep=True).resources[0].deletion_evidence
    assert deep is not None and deep.exact
    assert (deep.live_objects, deep.noncurrent_versions, deep.soft_deleted_objects) == (2, 0, 3)


def test_immutability_and_legal_holds_block_the_required_deletion(
    local_azure: LocalAzure, seeder: AzureSeeder, subscription: str,
) -> None:
    seeder.account(subscription, "uklocked", "uksouth", "Standard_LRS", {"data-class": "us-user-data"})
    seeder.upload("uklocked", "archive", {"2024.tar": b"old"})
    seeder.lock_container(subscription, "uklocked", "archive", days=365)
    seeder.upload("uklocked", "evidence", {"case.pdf": b"pdf", "memo.txt": b"memo"})
    seeder.container_legal_hold(subscription, "uklocked", "evidence", "case42")
    seeder.blob_legal_hold("uklocked", "evidence", "case.pdf")
    seeder.blob_immutability("uklocked", "evidence", "memo.txt", days=30, locked=False)
    inventory = scan(local_azure, [subscription], [US])
    residue = inventory.resources[0].deletion_evidence
    assert residue is not None
    assert [(lock.kind, lock.detail, lock.blocks_deletion) for lock in residue.locks] == [
        ("immutability-policy",
         "container 'archive' has a locked time-based retention policy (365 days from each blob's creation)", True),
        ("legal-hold", "container 'evidence' is under a legal hold", True),
        ("legal-hold", "1 blob version(s) under a legal hold", True),
        ("immutability-policy", residue.locks[3].detail, False),  # unlocked: an authorised user may remove it
    ]
    assert residue.locks[3].detail.startswith("1 blob version(s) under a unlocked immutability policy until ")
    assert isinstance(residue.locks[3], RetentionLock) and residue.locks[3].until is not None
    assert findings(inventory, [US]) == [
        ("us-user-data", "primary-outside", "violation", "uklocked"),
        ("us-user-data", "retention-blocks-deletion", "violation", "uklocked"),
    ]


def test_a_deleted_but_recoverable_account_in_a_forbidden_region(
    local_azure: LocalAzure, seeder: AzureSeeder, subscription: str,
) -> None:
    # Deleted accounts carry no tags, so the policy scopes by subscription.
    by_subscription = policy("us-only-subscription", countries=["US"], subscriptions=[subscription])
    seeder.account(subscription, "asiagone", "eastasia", "Standard_GRS", {"data-class": "us-user-data"})
    seeder.delete_account(subscription, "asiagone")
    inventory = scan(local_azure, [subscription], [by_subscription])
    (resource,) = inventory.resources
    assert resource.state is ResourceState.SOFT_DELETED
    assert resource.id == f"/subscriptions/{subscription}/providers/Microsoft.Storage/locations/eastasia/" \
                          "deletedAccounts/asiagone"
    assert [(p.kind, p.region) for p in resource.placements] == [(PlacementKind.RESIDUAL, "eastasia")]
    assert dict(resource.attributes)["original_id"].endswith("/storageAccounts/asiagone")
    assert findings(inventory, [by_subscription]) == [
        ("us-only-subscription", "residual-outside", "violation", "asiagone")]
    # Its tags are unknown (the API returns none): a tag-scoped policy may cover it, so it is not dropped.
    assert findings(scan(local_azure, [subscription], [US]), [US]) == [
        ("us-user-data", "scope-unverifiable", "unverifiable", "asiagone")]


def test_unreadable_blob_data_is_a_gap_not_a_pass(
    local_azure: LocalAzure, seeder: AzureSeeder, subscription: str,
) -> None:
    # Azurite checks the shared-key signature: a wrong key answers 403, as a missing
    # Storage Blob Data Reader role does on Azure.
    seeder.account(subscription, "euwrongkey", "westeurope", "Standard_LRS", {"data-class": "us-user-data"})
    seeder.upload("euwrongkey", "media", {"a.mp4": b"a"})
    wrong_key = base64.b64encode(b"not the account key").decode()
    inventory = scan(local_azure, [subscription], [US], env={"RESIDENCY_AZURE_STORAGE_KEY": wrong_key})
    (resource,) = inventory.resources
    assert resource.deletion_evidence is None
    (gap,) = resource.gaps
    assert gap.what == "blobs, versions and soft-deleted data" and "HTTP 403" in gap.reason
    assert findings(inventory, [US]) == [
        ("us-user-data", "location-unverifiable", "unverifiable", "euwrongkey"),
        ("us-user-data", "primary-outside", "violation", "euwrongkey"),
    ]
