"""Resource ids, SKU redundancy, the residue arithmetic and the custom role definition."""

from __future__ import annotations

import json

from azure.mgmt.storage.models import SkuName

from residency.inventory.tally import ObjectTally
from residency.sources.azure import permissions as azure_permissions
from residency.sources.azure.account_placements import GEO_REDUNDANT, NOT_GEO_REDUNDANT
from residency.sources.azure.deletion_evidence import BlobTally, _residue
from residency.sources.azure.errors import AccountRef, parse_account_id, redundancy


def test_parse_account_id() -> None:
    rid = "/subscriptions/s-1/resourceGroups/My-RG/providers/Microsoft.Storage/storageAccounts/media01"
    assert parse_account_id(rid) == AccountRef("s-1", "My-RG", "media01")
    assert parse_account_id(rid.lower()) == AccountRef("s-1", "my-rg", "media01")
    assert parse_account_id("media01") is None
    assert parse_account_id(rid + "/blobServices/default") is None


def test_redundancy_of_sku_names_and_enums() -> None:
    assert redundancy("Standard_RAGZRS") == "RAGZRS"
    assert redundancy("StandardV2_GRS") == "GRS"
    assert redundancy(SkuName.STANDARD_RAGRS) == "RAGRS"
    assert [redundancy(s) in GEO_REDUNDANT for s in ("Standard_GZRS", "Standard_ZRS", "Premium_LRS")] == [
        True, False, False]
    assert redundancy(None) == "" and "" not in GEO_REDUNDANT | NOT_GEO_REDUNDANT  # unknown is neither


def test_a_complete_listing_is_exact_and_zero_means_none_left() -> None:
    residue = _residue(BlobTally(ObjectTally(noncurrent=2)), [], [])
    assert (residue.exact, residue.live_objects, residue.noncurrent_versions, residue.soft_deleted_objects) == (
        True, 0, 2, 0)
    assert residue.has_live_data is False and residue.has_deleted_data is True


def test_an_incomplete_probe_never_turns_zero_into_proof() -> None:
    residue = _residue(BlobTally(ObjectTally(live=0, soft_deleted=3, complete=False)), [], [])
    assert (residue.exact, residue.live_objects, residue.soft_deleted_objects) == (False, None, 3)
    assert residue.has_live_data is None
    assert residue.notes[-1].startswith("probe: first page")


def test_soft_deleted_containers_count_as_deleted_data() -> None:
    residue = _residue(BlobTally(deleted_containers=2), [], [])
    assert residue.soft_deleted_objects == 2 and residue.has_deleted_data is True
    assert "2 soft-deleted container(s)" in residue.notes[0]


def test_role_definition_lists_exactly_the_read_actions_used() -> None:
    role = json.loads(azure_permissions.permissions())
    assert role["IsCustom"] is True and role["NotActions"] == [] and role["NotDataActions"] == []
    assert role["Actions"] == [
        "Microsoft.Resources/subscriptions/read",
        "Microsoft.Storage/storageAccounts/read",
        "Microsoft.Storage/deletedAccounts/read",
        "Microsoft.Storage/storageAccounts/objectReplicationPolicies/read",
        "Microsoft.Storage/storageAccounts/blobServices/read",
        "Microsoft.Storage/storageAccounts/blobServices/containers/read",
        "Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies/read",
        "Microsoft.Sql/servers/read",
        "Microsoft.Sql/servers/databases/read",
        "Microsoft.Sql/servers/databases/replicationLinks/read",
        "Microsoft.Sql/servers/failoverGroups/read",
        "Microsoft.Sql/locations/longTermRetentionServers/longTermRetentionBackups/read",
        "Microsoft.Sql/managedInstances/read",
        "Microsoft.Sql/locations/instanceFailoverGroups/read",
        "Microsoft.DocumentDB/databaseAccounts/read",
        "Microsoft.Compute/disks/read",
        "Microsoft.Compute/snapshots/read",
        "Microsoft.Compute/galleries/read",
        "Microsoft.Compute/galleries/images/read",
        "Microsoft.Compute/galleries/images/versions/read",
        "Microsoft.RecoveryServices/vaults/read",
        "Microsoft.RecoveryServices/vaults/backupstorageconfig/read",
        "Microsoft.RecoveryServices/vaults/backupProtectedItems/read",
        "Microsoft.DataProtection/backupVaults/read",
        "Microsoft.DataProtection/backupVaults/backupInstances/read",
        "Microsoft.DBforPostgreSQL/flexibleServers/read",
        "Microsoft.DBforPostgreSQL/flexibleServers/replicas/read",
        "Microsoft.DBforMySQL/flexibleServers/read",
        "Microsoft.DBforMySQL/flexibleServers/replicas/read",
    ]
    assert role["DataActions"] == ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"]
    assert all(action.endswith("/read") for action in role["Actions"] + role["DataActions"])


def test_a_blob_immutability_policy_whose_mode_or_end_is_unreported_blocks_deletion() -> None:
    import datetime as dt

    from azure.storage.blob import BlobProperties, ImmutabilityPolicy

    from residency.sources.azure.deletion_evidence import _blob_locks

    now = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    tally = BlobTally()
    for mode, expiry in ((None, now + dt.timedelta(days=3)), ("Unlocked", None), ("Unlocked", now - dt.timedelta(1))):
        blob = BlobProperties()
        blob.immutability_policy = ImmutabilityPolicy(expiry_time=expiry, policy_mode=mode)
        tally.add(blob, now)
    locks = {lock.detail: lock.blocks_deletion for lock in _blob_locks(tally, exact=True)}
    assert locks == {
        "1 blob version(s) under a unreported-mode immutability policy until 2026-06-04": True,
        "1 blob version(s) under a unlocked immutability policy until a date not reported": False,
    }
