"""The custom role `residency permissions --provider azure` prints is exactly what a scan needs.

A full scan (probe and `--deep`) of an estate that reaches every call the adapter makes (the
subscription list, a geo-redundant account, object replication to an account in a subscription
that is not scanned, a deleted account, versions, soft-deleted blobs and containers, a locked
container immutability policy, legal holds, an account brought into scope only by a container's
metadata; a SQL database in a failover group with a long-term retention policy, managed instances in
an instance failover group, a Cosmos DB account, a disk with a snapshot and a gallery image version,
a Recovery Services vault protecting a file share and a backup vault protecting the disk, PostgreSQL
and MySQL flexible servers, one with a read replica) runs
against the local Azure servers. Every HTTP
request its SDK clients send is recorded through azure-core's `raw_request_hook`, mapped to the
RBAC action or dataAction Azure authorises it with, and the set used must equal the role's
Actions and DataActions: nothing the role lacks, nothing it grants that no call uses.

Where the mapping comes from:
- ARM operations: https://learn.microsoft.com/azure/role-based-access-control/permissions/storage
  (Microsoft.Storage) and .../permissions/management-and-governance
  (`Microsoft.Resources/subscriptions/read`: "Gets the list of subscriptions").
- Blob data plane: "Permissions for Blob service operations" in
  https://learn.microsoft.com/rest/api/storageservices/authorize-with-azure-active-directory
  (List Containers -> `.../blobServices/containers/read`, an Action scoped to the account or above;
  List Blobs -> `.../containers/blobs/read`, a DataAction). `include=versions,deleted,...` adds no
  permission: the table has one row for List Blobs.

No permission of the role is exempt from the check: the estate reaches every call that needs one.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from azure.core.credentials import AzureNamedKeyCredential
from azure.core.pipeline import PipelineRequest
from azure.storage.blob import BlobServiceClient

from residency.catalog import load_catalog
from residency.engine.needs import PolicyNeeds
from residency.inventory.model import Inventory, PlacementKind
from residency.sources.azure import permissions
from residency.sources.azure.adapter import AzureAdapter
from residency.sources.azure.clients import (
    ENV_MANAGEMENT_ENDPOINT,
    ENV_MANAGEMENT_TOKEN,
    ENV_STORAGE_KEY,
    AzureClients,
)
from residency.sources.azure.options import AzureOptions
from residency.sources.contract import CommonOptions, NullProgress
from scripts.localcloud.azure.azurite import LocalAzure
from scripts.localcloud.azure.seed import AzureSeeder
from scripts.localcloud.azure.seed_stores import StoreSeeder
from tests.integration.azure.helpers import policy

pytestmark = pytest.mark.integration

STORAGE = "Microsoft.Storage/storageAccounts"
_ACCOUNT = r"/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\.Storage/storageAccounts/[^/]+"
_SUB = r"/subscriptions/[^/]+"
_GROUP = _SUB + r"/resourceGroups/[^/]+"
_SERVER = _GROUP + r"/providers/Microsoft\.Sql/servers/[^/]+"
_GALLERY = _GROUP + r"/providers/Microsoft\.Compute/galleries/[^/]+"
_VAULT = _GROUP + r"/providers/Microsoft\.RecoveryServices/vaults/[^/]+"

# ARM request path (GET only: the role grants no write) -> the Action Azure checks.
ARM_ACTIONS: tuple[tuple[str, str], ...] = (
    (r"/subscriptions", "Microsoft.Resources/subscriptions/read"),  # Subscriptions - List
    (r"/subscriptions/[^/]+/providers/Microsoft\.Storage/storageAccounts", f"{STORAGE}/read"),  # List
    (_ACCOUNT, f"{STORAGE}/read"),  # Get Properties (geoReplicationStats, replica destinations)
    (r"/subscriptions/[^/]+/providers/Microsoft\.Storage/deletedAccounts", "Microsoft.Storage/deletedAccounts/read"),
    (_ACCOUNT + r"/objectReplicationPolicies", f"{STORAGE}/objectReplicationPolicies/read"),
    (_ACCOUNT + r"/blobServices/default", f"{STORAGE}/blobServices/read"),
    (_ACCOUNT + r"/blobServices/default/containers/[^/]+/immutabilityPolicies/default",
     f"{STORAGE}/blobServices/containers/immutabilityPolicies/read"),
    # https://learn.microsoft.com/azure/role-based-access-control/permissions/databases (Microsoft.Sql,
    # Microsoft.DocumentDB), .../permissions/compute (Microsoft.Compute), .../permissions/storage
    # (Microsoft.RecoveryServices, Microsoft.DataProtection): each list is authorised by the type's read.
    (_SUB + r"/providers/Microsoft\.Sql/servers", "Microsoft.Sql/servers/read"),
    (_SERVER + r"/databases", "Microsoft.Sql/servers/databases/read"),
    (_SERVER + r"/databases/[^/]+/replicationLinks", "Microsoft.Sql/servers/databases/replicationLinks/read"),
    (_SERVER + r"/failoverGroups", "Microsoft.Sql/servers/failoverGroups/read"),
    (_SUB + r"/providers/Microsoft\.Sql/locations/[^/]+/longTermRetentionServers/[^/]+/longTermRetentionBackups",
     "Microsoft.Sql/locations/longTermRetentionServers/longTermRetentionBackups/read"),
    (_SUB + r"/providers/Microsoft\.Sql/managedInstances", "Microsoft.Sql/managedInstances/read"),
    (_GROUP + r"/providers/Microsoft\.Sql/locations/[^/]+/instanceFailoverGroups",
     "Microsoft.Sql/locations/instanceFailoverGroups/read"),
    (_SUB + r"/providers/Microsoft\.DocumentDB/databaseAccounts", "Microsoft.DocumentDB/databaseAccounts/read"),
    (_SUB + r"/providers/Microsoft\.Compute/disks", "Microsoft.Compute/disks/read"),
    (_SUB + r"/providers/Microsoft\.Compute/snapshots", "Microsoft.Compute/snapshots/read"),
    (_SUB + r"/providers/Microsoft\.Compute/galleries", "Microsoft.Compute/galleries/read"),
    (_GALLERY + r"/images", "Microsoft.Compute/galleries/images/read"),
    (_GALLERY + r"/images/[^/]+/versions", "Microsoft.Compute/galleries/images/versions/read"),
    (_SUB + r"/providers/Microsoft\.RecoveryServices/vaults", "Microsoft.RecoveryServices/vaults/read"),
    (_VAULT + r"/backupstorageconfig/vaultstorageconfig", "Microsoft.RecoveryServices/vaults/backupstorageconfig/read"),
    (_VAULT + r"/backupProtectedItems", "Microsoft.RecoveryServices/vaults/backupProtectedItems/read"),
    (_SUB + r"/providers/Microsoft\.DataProtection/backupVaults", "Microsoft.DataProtection/backupVaults/read"),
    (_GROUP + r"/providers/Microsoft\.DataProtection/backupVaults/[^/]+/backupInstances",
     "Microsoft.DataProtection/backupVaults/backupInstances/read"),
    # .../permissions/databases: Microsoft.DBforPostgreSQL and Microsoft.DBforMySQL flexible servers.
    (_SUB + r"/providers/Microsoft\.DBforPostgreSQL/flexibleServers", "Microsoft.DBforPostgreSQL/flexibleServers/read"),
    (_GROUP + r"/providers/Microsoft\.DBforPostgreSQL/flexibleServers/[^/]+/replicas",
     "Microsoft.DBforPostgreSQL/flexibleServers/replicas/read"),
    (_SUB + r"/providers/Microsoft\.DBforMySQL/flexibleServers", "Microsoft.DBforMySQL/flexibleServers/read"),
    (_GROUP + r"/providers/Microsoft\.DBforMySQL/flexibleServers/[^/]+/replicas",
     "Microsoft.DBforMySQL/flexibleServers/replicas/read"),
)


@dataclass(frozen=True)
class Permission:
    name: str
    data: bool  # a DataAction (blob data plane) rather than an Action


def required_permission(method: str, url: str) -> Permission | None:
    """The permission Azure checks for one request; None for a request the role must not allow."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    path = parts.path.rstrip("/")
    if method != "GET":
        return None
    if path.lower().startswith("/subscriptions"):
        for pattern, action in ARM_ACTIONS:
            if re.fullmatch(pattern, path, re.IGNORECASE):
                return Permission(action, data=False)
        return None
    # The local blob endpoints are path-style: /account[/container].
    segments = path.lstrip("/").split("/")
    if len(segments) == 1 and query.get("comp") == "list":  # List Containers
        return Permission(f"{STORAGE}/blobServices/containers/read", data=False)
    if len(segments) == 2 and query.get("restype") == "container" and query.get("comp") == "list":  # List Blobs
        return Permission(f"{STORAGE}/blobServices/containers/blobs/read", data=True)
    return None


@dataclass
class RecordingClients(AzureClients):
    """The adapter's own clients, with every request they send appended to `sent`."""

    sent: list[tuple[str, str]] = field(default_factory=list)

    def _record(self, request: PipelineRequest[Any]) -> None:
        self.sent.append((request.http_request.method, request.http_request.url))

    def _management_kwargs(self) -> dict[str, Any]:
        return {**super()._management_kwargs(), "raw_request_hook": self._record}

    def blob_service(self, account_url: str, account_name: str) -> BlobServiceClient:
        assert self.storage_key, "the local blob endpoints take a shared key"
        return BlobServiceClient(account_url, credential=AzureNamedKeyCredential(account_name, self.storage_key),
                                 raw_request_hook=self._record)


def _seed(seeder: AzureSeeder, scanned: str, elsewhere: str) -> None:
    tags = {"data-class": "us-user-data"}
    source = seeder.account(scanned, "rolecovsrc", "westeurope", "Standard_RAGRS", tags)
    seeder.replicate(source, seeder.account(elsewhere, "rolecovdst", "eastus"))
    seeder.blob_service_settings(scanned, "rolecovsrc", versioning=True, delete_days=7, container_delete_days=7)
    seeder.upload("rolecovsrc", "media", {"a.mp4": b"1", "b.mp4": b"2"})
    seeder.upload("rolecovsrc", "media", {"a.mp4": b"v2"}, create=False)
    seeder.blobs("rolecovsrc").get_blob_client("media", "b.mp4").delete_blob()
    seeder.upload("rolecovsrc", "scratch", {"tmp": b"x"})
    seeder.blobs("rolecovsrc").delete_container("scratch")
    seeder.upload("rolecovsrc", "archive", {"2024.tar": b"old"})
    seeder.lock_container(scanned, "rolecovsrc", "archive", days=30)
    seeder.upload("rolecovsrc", "evidence", {"case.pdf": b"pdf"})
    seeder.container_legal_hold(scanned, "rolecovsrc", "evidence", "case7")
    seeder.blob_legal_hold("rolecovsrc", "evidence", "case.pdf")
    seeder.account(scanned, "rolecovgone", "eastasia", "Standard_LRS")
    seeder.delete_account(scanned, "rolecovgone")
    # Tags leave this account out of scope: only container metadata could bring it in.
    seeder.account(scanned, "rolecovmeta", "westeurope", "Standard_LRS", {"data-class": "public"})
    seeder.blobs("rolecovmeta").create_container("users", metadata={"data_class": "us-user-data"})
    _seed_data_stores(StoreSeeder(seeder), scanned, tags)


def _seed_data_stores(stores: StoreSeeder, sub: str, tags: dict[str, str]) -> None:
    """One of each data store, covered by the policy, so every read of every kind is made."""
    stores.sql_server(sub, "rolecov-sql-east", "eastus")
    partner = stores.sql_server(sub, "rolecov-sql-west", "westus")
    database = stores.sql_database(sub, "rolecov-sql-east", "orders", "eastus", "Geo", tags)
    stores.failover_group(sub, "rolecov-sql-east", "rolecov-fg", partner, [database])  # geo-secondary in westus
    stores.long_term_retention(sub, "rolecov-sql-east", "orders")
    instance = stores.managed_instance(sub, "rolecov-mi-east", "eastus", tags=tags)
    instance_partner = stores.managed_instance(sub, "rolecov-mi-west", "westus")
    stores.instance_failover_group(sub, "eastus", "rolecov-ifg", instance, instance_partner, "westus")
    stores.cosmos_account(sub, "rolecov-cosmos", ["eastus", "westus"], tags)
    disk = stores.disk(sub, "rolecov-disk", "eastus", tags)
    snapshot = stores.snapshot(sub, "rolecov-snap", "eastus", disk)
    stores.image_version(sub, "rolecovgallery", "eastus", snapshot, ["westus"])
    stores.base.account(sub, "rolecovfiles", "eastus", "Standard_LRS", tags)
    stores.recovery_vault(sub, "rolecov-rsv", "eastus", tags=tags)
    stores.protect_file_share(sub, "rolecov-rsv", "rolecovfiles", "finance")
    stores.backup_vault(sub, "rolecov-bv", "eastus", tags=tags)
    stores.back_up_disk(sub, "rolecov-bv", disk)
    postgres = stores.postgres_server(sub, "rolecov-pg", "eastus", geo_backup=True, tags=tags)
    stores.postgres_server(sub, "rolecov-pg-west", "westus", source_id=postgres)
    stores.mysql_server(sub, "rolecov-mysql", "eastus", tags=tags)


def _scan(local: LocalAzure, subscription: str, deep: bool, sent: list[tuple[str, str]]) -> Inventory:
    """No `--azure-subscription`: the subscription list is read, and the policy scopes the scan.

    Scoped by tag (as well as subscription) so accounts whose tags do not match are looked at
    through their container metadata, and deleted accounts (no tags) are kept as unverifiable.
    """
    us_only = policy("us-only", countries=["US"], tag="us-user-data", subscriptions=[subscription])
    env = local.scanner_env()
    clients = RecordingClients(env[ENV_MANAGEMENT_ENDPOINT], env[ENV_MANAGEMENT_TOKEN], env[ENV_STORAGE_KEY],
                               sent=sent)
    adapter = AzureAdapter(CommonOptions(deep=deep, max_workers=4), AzureOptions(), clients)
    return adapter.collect(PolicyNeeds([us_only], load_catalog()), NullProgress())


def test_the_role_grants_exactly_the_permissions_a_full_scan_uses(
    local_azure: LocalAzure, seeder: AzureSeeder, subscription: str,
) -> None:
    elsewhere = str(uuid.uuid4())  # the replica destination's subscription, never scanned itself
    _seed(seeder, subscription, elsewhere)
    sent: list[tuple[str, str]] = []
    for deep in (False, True):
        found = {r.name: r for r in _scan(local_azure, subscription, deep, sent).resources}
        # The scan reached every branch the estate was built for.
        assert {"rolecovgone", "rolecovmeta/users"} <= found.keys()
        source = found["rolecovsrc"]
        assert (PlacementKind.REPLICA, "eastus") in [(p.kind, p.region) for p in source.placements]
        assert "geo_replication_status" in dict(source.attributes)
        for kind in ("azure-sql-ltr-backup", "azure-disk-snapshot", "azure-gallery-image-version",
                     "azure-backup-protected-item", "azure-backup-instance", "azure-cosmosdb-account"):
            assert any(r.kind == kind for r in found.values()), kind
        assert (PlacementKind.REPLICA, "westus") in [(p.kind, p.region) for p in found["rolecov-mi-east"].placements]
        assert (PlacementKind.REPLICA, "westus") in [
            (p.kind, p.region) for p in found["rolecov-sql-east/orders"].placements]
        residue = source.deletion_evidence
        assert residue is not None and len(residue.locks) == 3, residue
        # With versioning on, a deleted blob stays as previous versions: a.mp4's first and b.mp4's only one.
        assert (residue.noncurrent_versions, residue.soft_deleted_objects) == (2, 1)

    needed = {request: required_permission(*request) for request in sent}
    unmapped = sorted(request for request, permission in needed.items() if permission is None)
    assert not unmapped, f"requests no read permission allows (or missing from the mapping): {unmapped}"
    used = {permission for permission in needed.values() if permission is not None}
    role = json.loads(permissions.permissions())
    granted = {Permission(name, data=False) for name in role["Actions"]}
    granted |= {Permission(name, data=True) for name in role["DataActions"]}
    assert sorted(used - granted, key=str) == [], "the scan needs permissions the role lacks"
    assert sorted(granted - used, key=str) == [], "the role grants permissions no call of the scan uses"
