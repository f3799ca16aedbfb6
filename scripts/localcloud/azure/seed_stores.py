"""Build Azure data stores beyond storage accounts through the real SDK clients, as on Azure:
SQL servers, databases, geo-replicas, failover groups and long-term retention policies, managed
instances, Cosmos DB accounts, disks, snapshots, gallery image versions, Recovery Services vaults
with protected file shares, and Data Protection backup vaults with backed-up disks.

Every create is the SDK's own `begin_create_or_update(...).result()` (or `create_or_update` where
the API is not long-running); models are built from the REST reference's JSON where the SDK
model takes it. Shared by the integration tests and the demo.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from azure.mgmt.compute import models as compute
from azure.mgmt.cosmosdb import models as cosmos
from azure.mgmt.dataprotection import models as protection
from azure.mgmt.mysqlflexibleservers import models as mysql
from azure.mgmt.postgresqlflexibleservers import models as postgres
from azure.mgmt.recoveryservices import models as recovery
from azure.mgmt.recoveryservicesbackup import models as backup
from azure.mgmt.sql import models as sql

from scripts.localcloud.azure.seed import RESOURCE_GROUP, AzureSeeder

RG = RESOURCE_GROUP
ADMIN = {"administratorLogin": "residencyadmin", "administratorLoginPassword": "Local-only-not-a-secret-1"}


@dataclass
class StoreSeeder:
    base: AzureSeeder

    # --- Azure SQL ------------------------------------------------------------------------------
    def sql_server(self, sub: str, name: str, location: str) -> str:
        self.base.group(sub)
        server = sql.Server({"location": location, "properties": ADMIN})
        return str(self.base.clients.sql(sub).servers.begin_create_or_update(RG, name, server).result().id)

    def sql_database(self, sub: str, server: str, name: str, location: str, redundancy: str | None = "Geo",
                     tags: dict[str, str] | None = None) -> str:
        props = {"requestedBackupStorageRedundancy": redundancy} if redundancy else {}
        database = sql.Database({"location": location, "tags": tags or {}, "properties": props})
        poller = self.base.clients.sql(sub).databases.begin_create_or_update(RG, server, name, database)
        return str(poller.result().id)

    def geo_replica(self, sub: str, server: str, name: str, location: str, source_id: str) -> str:
        database = sql.Database({"location": location, "properties": {"createMode": "Secondary",
                                                                     "sourceDatabaseId": source_id}})
        poller = self.base.clients.sql(sub).databases.begin_create_or_update(RG, server, name, database)
        return str(poller.result().id)

    def failover_group(self, sub: str, server: str, name: str, partner_id: str, database_ids: list[str]) -> None:
        group = sql.FailoverGroup({"properties": {
            "readWriteEndpoint": {"failoverPolicy": "Automatic", "failoverWithDataLossGracePeriodMinutes": 60},
            "partnerServers": [{"id": partner_id}], "databases": database_ids}})
        self.base.clients.sql(sub).failover_groups.begin_create_or_update(RG, server, name, group).result()

    def long_term_retention(self, sub: str, server: str, database: str, weekly: str = "P12W") -> None:
        policy = sql.LongTermRetentionPolicy({"properties": {"weeklyRetention": weekly}})
        self.base.clients.sql(sub).long_term_retention_policies.begin_create_or_update(
            RG, server, database, "default", policy).result()

    def managed_instance(self, sub: str, name: str, location: str, redundancy: str = "Geo",
                         tags: dict[str, str] | None = None) -> str:
        self.base.group(sub)
        subnet = (f"/subscriptions/{sub}/resourceGroups/{RG}/providers/Microsoft.Network/virtualNetworks/vnet-mi/"
                  "subnets/mi")
        instance = sql.ManagedInstance({"location": location, "tags": tags or {},
                                        "sku": {"name": "GP_Gen5", "tier": "GeneralPurpose"},
                                        "properties": {**ADMIN, "subnetId": subnet,
                                                       "requestedBackupStorageRedundancy": redundancy}})
        poller = self.base.clients.sql(sub).managed_instances.begin_create_or_update(RG, name, instance)
        return str(poller.result().id)

    def instance_failover_group(self, sub: str, location: str, name: str, primary_id: str, partner_id: str,
                                partner_location: str) -> None:
        group = sql.InstanceFailoverGroup({"properties": {
            "readWriteEndpoint": {"failoverPolicy": "Manual"}, "partnerRegions": [{"location": partner_location}],
            "managedInstancePairs": [{"primaryManagedInstanceId": primary_id,
                                      "partnerManagedInstanceId": partner_id}]}})
        self.base.clients.sql(sub).instance_failover_groups.begin_create_or_update(RG, location, name, group).result()

    # --- Cosmos DB ------------------------------------------------------------------------------
    def cosmos_account(self, sub: str, name: str, regions: list[str], tags: dict[str, str] | None = None,
                       backup_policy: dict[str, Any] | None = None, multi_write: bool = False) -> str:
        self.base.group(sub)
        props: dict[str, Any] = {
            "databaseAccountOfferType": "Standard", "enableMultipleWriteLocations": multi_write,
            "locations": [{"locationName": region, "failoverPriority": i} for i, region in enumerate(regions)]}
        if backup_policy is not None:
            props["backupPolicy"] = backup_policy
        account = cosmos.DatabaseAccountCreateUpdateParameters(
            {"location": regions[0], "kind": "GlobalDocumentDB", "tags": tags or {}, "properties": props})
        poller = self.base.clients.cosmosdb(sub).database_accounts.begin_create_or_update(RG, name, account)
        return str(poller.result().id)

    # --- disks, snapshots, gallery images -------------------------------------------------------
    def disk(self, sub: str, name: str, location: str, tags: dict[str, str] | None = None) -> str:
        self.base.group(sub)
        disk = compute.Disk({"location": location, "tags": tags or {}, "sku": {"name": "Premium_LRS"},
                             "properties": {"creationData": {"createOption": "Empty"}, "diskSizeGB": 32}})
        return str(self.base.clients.compute(sub).disks.begin_create_or_update(RG, name, disk).result().id)

    def snapshot(self, sub: str, name: str, location: str, source_id: str, copy_start: bool = False,
                 tags: dict[str, str] | None = None) -> str:
        """A snapshot of a disk (`Copy`, same region), or a copy of a snapshot to another region (`CopyStart`)."""
        option = "CopyStart" if copy_start else "Copy"
        snapshot = compute.Snapshot({"location": location, "tags": tags or {}, "properties": {
            "creationData": {"createOption": option, "sourceResourceId": source_id}, "incremental": True}})
        return str(self.base.clients.compute(sub).snapshots.begin_create_or_update(RG, name, snapshot).result().id)

    def image_version(self, sub: str, gallery: str, location: str, source_id: str, targets: list[str]) -> str:
        client = self.base.clients.compute(sub)
        client.galleries.begin_create_or_update(RG, gallery, compute.Gallery({"location": location})).result()
        image = compute.GalleryImage({"location": location, "properties": {
            "osType": "Linux", "osState": "Generalized", "hyperVGeneration": "V2",
            "identifier": {"publisher": "residency", "offer": "demo", "sku": "base"}}})
        client.gallery_images.begin_create_or_update(RG, gallery, "base", image).result()
        version = compute.GalleryImageVersion({"location": location, "properties": {
            "publishingProfile": {"targetRegions": [{"name": region} for region in [location, *targets]]},
            "storageProfile": {"source": {"id": source_id}}}})
        poller = client.gallery_image_versions.begin_create_or_update(RG, gallery, "base", "1.0.0", version)
        return str(poller.result().id)

    # --- PostgreSQL and MySQL flexible servers ------------------------------------------------
    def postgres_server(self, sub: str, name: str, location: str, geo_backup: bool = False,
                        tags: dict[str, str] | None = None, source_id: str | None = None) -> str:
        """A PostgreSQL flexible server, or with `source_id` a read replica of one (any region)."""
        self.base.group(sub)
        server = postgres.Server(self._flexible(location, geo_backup, tags, source_id, "16", "Create"))
        poller = self.base.clients.postgresql(sub).servers.begin_create_or_update(RG, name, server)
        return str(poller.result().id)

    def mysql_server(self, sub: str, name: str, location: str, geo_backup: bool = False,
                     tags: dict[str, str] | None = None, source_id: str | None = None) -> str:
        self.base.group(sub)
        server = mysql.Server.from_dict(self._flexible(location, geo_backup, tags, source_id, "8.0.21", "Default"))
        return str(self.base.clients.mysql(sub).servers.begin_create(RG, name, server).result().id)

    @staticmethod
    def _flexible(location: str, geo_backup: bool, tags: dict[str, str] | None, source_id: str | None,
                  version: str, create_mode: str) -> dict[str, Any]:
        if source_id is not None:
            return {"location": location, "tags": tags or {},
                    "properties": {"createMode": "Replica", "sourceServerResourceId": source_id}}
        return {"location": location, "tags": tags or {}, "sku": {"name": "Standard_D2ds_v4", "tier": "GeneralPurpose"},
                "properties": {**ADMIN, "version": version, "createMode": create_mode,
                               "backup": {"geoRedundantBackup": "Enabled" if geo_backup else "Disabled"}}}

    # --- Azure Backup ---------------------------------------------------------------------------
    def recovery_vault(self, sub: str, name: str, location: str, redundancy: str | None = None,
                       tags: dict[str, str] | None = None) -> str:
        """A Recovery Services vault; without `redundancy` Azure's default (geo-redundant) applies."""
        self.base.group(sub)
        props = {"redundancySettings": {"standardTierStorageRedundancy": redundancy}} if redundancy else {}
        vault = recovery.Vault({"location": location, "tags": tags or {}, "sku": {"name": "Standard"},
                                "properties": props})
        return str(self.base.clients.recovery_services(sub).vaults.begin_create_or_update(RG, name, vault).result().id)

    def protect_file_share(self, sub: str, vault: str, account: str, share: str) -> None:
        client = self.base.clients.recovery_services_backup(sub)
        policy = client.protection_policies.create_or_update(vault, RG, "daily-files", backup.ProtectionPolicyResource(
            {"properties": {"backupManagementType": "AzureStorage", "workLoadType": "AzureFileShare"}}))
        account_id = f"/subscriptions/{sub}/resourceGroups/{RG}/providers/Microsoft.Storage/storageAccounts/{account}"
        item = backup.ProtectedItemResource({"properties": {
            "protectedItemType": "AzureFileShareProtectedItem", "sourceResourceId": account_id,
            "policyId": str(policy.id if policy else ""), "friendlyName": share}})
        client.protected_items.begin_create_or_update(
            vault, RG, "Azure", f"StorageContainer;Storage;{RG};{account}", f"AzureFileShare;{share}", item).result()

    def backup_vault(self, sub: str, name: str, location: str, storage: str = "GeoRedundant",
                     replicated: list[str] | None = None, tags: dict[str, str] | None = None) -> str:
        self.base.group(sub)
        vault = protection.BackupVaultResource({"location": location, "tags": tags or {}, "properties": {
            "storageSettings": [{"datastoreType": "VaultStore", "type": storage}],
            **({"replicatedRegions": replicated} if replicated else {})}})
        poller = self.base.clients.data_protection(sub).backup_vaults.begin_create_or_update(RG, name, vault)
        return str(poller.result().id)

    def back_up_disk(self, sub: str, vault: str, disk_id: str) -> None:
        client = self.base.clients.data_protection(sub)
        policy = client.backup_policies.create_or_update(RG, vault, "disk-daily", protection.BaseBackupPolicyResource(
            {"properties": {"objectType": "BackupPolicy", "datasourceTypes": ["Microsoft.Compute/disks"],
                            "policyRules": [{"objectType": "AzureRetentionRule", "name": "Default",
                                             "isDefault": True, "lifecycles": []}]}}))
        disk = disk_id.rsplit("/", 1)[-1]
        instance = protection.BackupInstanceResource({"properties": {
            "objectType": "BackupInstance", "friendlyName": disk,
            "dataSourceInfo": {"objectType": "Datasource", "resourceID": disk_id,
                               "datasourceType": "Microsoft.Compute/disks"},
            "policyInfo": {"policyId": str(policy.id)}}})
        client.backup_instances.begin_create_or_update(RG, vault, f"{disk}-instance", instance).result()
