"""Azure Backup: Recovery Services vaults and Data Protection backup vaults, and what they hold.

A vault lives in its region (PRIMARY); with geo-redundant storage its backups are also kept in
the paired region (SECONDARY), and a Data Protection vault's `replicatedRegions` hold replicas.
Recovery Services vaults are geo-redundant unless set otherwise, so a vault whose redundancy
cannot be read is taken to be geo-redundant. Each protected item (Recovery Services) and backup
instance (Data Protection) is a copy of its resource's data, a resource of its own where its
vault keeps data, with the protected resource as its lineage.
"""

from __future__ import annotations

from typing import Any

from azure.core.exceptions import AzureError
from azure.mgmt.dataprotection import DataProtectionMgmtClient
from azure.mgmt.recoveryservices import RecoveryServicesClient
from azure.mgmt.recoveryservicesbackup import RecoveryServicesBackupClient

from residency.catalog import Catalog
from residency.inventory.kinds.azure import (
    BACKUP_INSTANCE,
    BACKUP_PROTECTED_ITEM,
    BACKUP_VAULT,
    RECOVERY_SERVICES_VAULT,
)
from residency.inventory.model import Facet, Gap, Placement, PlacementKind, ResourceKey, StorageResource
from residency.sources.azure import stores
from residency.sources.azure.errors import describe_error, text

GEO = "georedundant"
IN_REGION = frozenset({"locallyredundant", "zoneredundant"})


def vault_redundancy(settings: list[tuple[str, object]], home: str | None, catalog: Catalog) -> list[Placement]:
    """SECONDARY placements for the redundancy each source reports: (where it was read, value)."""
    values = [(where, text(value)) for where, value in settings if value is not None and text(value).strip()]
    if any(value.lower() == GEO for _, value in values):
        where = ", ".join(w for w, v in values if v.lower() == GEO)
        return [stores.paired(catalog, home, PlacementKind.SECONDARY, f"geo-redundant backup storage ({where})")]
    unknown = [f"{where} {value!r}" for where, value in values if value.lower() not in IN_REGION]
    if unknown:
        return [Placement(PlacementKind.SECONDARY, None, f"unknown backup storage redundancy: {', '.join(unknown)}")]
    if not values:
        return [stores.paired(catalog, home, PlacementKind.SECONDARY,
                           "backup storage redundancy not reported: vaults are geo-redundant by default")]
    return []


def copy_resource(key: ResourceKey, item: Any, vault: StorageResource, source_id: str | None,
                  index: dict[str, ResourceKey], attributes: dict[str, object]) -> StorageResource:
    """A vault's copy of one resource: it is where the vault keeps data, and inherits the source."""
    placements = tuple(Placement(p.kind, p.region, f"vault {vault.name}: {p.reason}") for p in vault.placements)
    return StorageResource(
        provider=stores.AZURE, account=key.account, id=key.id, name=key.name, kind=key.kind,
        placements=placements, collected=vault.collected - {Facet.COPIES}, tags=key.tags or (),
        lineage=stores.lineage_to(source_id, index, f"backup in vault {vault.name} of {source_id or '?'}"),
        attributes=stores.attributes({"vault": vault.id, **attributes}),
    )


class BackupScanner:
    def __init__(self, recovery: RecoveryServicesClient, backup: RecoveryServicesBackupClient,
                 protection: DataProtectionMgmtClient, catalog: Catalog, listing: stores.Listing) -> None:
        self.recovery, self.backup, self.protection = recovery, backup, protection
        self.catalog, self.listing = catalog, listing

    def scan(self, index: dict[str, ResourceKey]) -> None:
        """`index`: the scanned resources' keys by lower-case id, to give each copy its source."""
        vaults = stores.listed(self.listing, "Recovery Services vaults", self.recovery.vaults.list_by_subscription_id)
        for vault in vaults:
            self._recovery_vault(vault, index)
        for backup_vault in stores.listed(self.listing, "Data Protection backup vaults",
                                       self.protection.backup_vaults.get_in_subscription):
            self._backup_vault(backup_vault, index)

    def _recovery_vault(self, vault: Any, index: dict[str, ResourceKey]) -> None:
        sub, rg, name = self.listing.subscription, stores.group_of(str(vault.id)), str(vault.name)
        primary = stores.own_location(vault, "vault")
        settings = vault.properties.redundancy_settings if vault.properties is not None else None
        reported: list[tuple[str, object]] = [
            ("redundancySettings", settings.standard_tier_storage_redundancy if settings else None)]
        gaps: list[Gap] = []
        try:
            config = self.backup.backup_resource_storage_configs_non_crr.get(name, rg)
            reported.append(("backup storage config", config.properties.storage_type if config.properties else None))
        except AzureError as error:
            gaps.append(Gap("backup storage config", describe_error(error), Facet.LOCATION))
        key = stores.key_of(sub, RECOVERY_SERVICES_VAULT.id, vault)
        resource = StorageResource(
            provider=stores.AZURE, account=sub, id=key.id, name=key.name, kind=key.kind,
            placements=(primary, *vault_redundancy(reported, primary.region, self.catalog)),
            collected=stores.LISTED, tags=key.tags or (), gaps=tuple(gaps),
            attributes=stores.attributes({"cross_region_restore": settings.cross_region_restore if settings else None,
                                       **{f"redundancy ({where})": value for where, value in reported}}),
        )
        self.listing.resources.append(resource)
        items = stores.listed(self.listing, f"protected items of vault {name}",
                           lambda: self.backup.backup_protected_items.list(name, rg))
        for item in items:
            props = item.properties
            source = str(props.source_resource_id) if props is not None and props.source_resource_id else None
            shown = getattr(props, "friendly_name", None) or stores.name_of(str(item.id))
            item_key = ResourceKey(stores.AZURE, sub, BACKUP_PROTECTED_ITEM.id, str(item.id), f"{name}/{shown}", ())
            self.listing.resources.append(copy_resource(item_key, item, resource, source, index, {
                "workload": props.workload_type if props is not None else None,
                "protected_item_type": props.protected_item_type if props is not None else None}))

    def _backup_vault(self, vault: Any, index: dict[str, ResourceKey]) -> None:
        sub, rg, name = self.listing.subscription, stores.group_of(str(vault.id)), str(vault.name)
        primary = stores.own_location(vault, "vault")
        props = vault.properties
        storage = [("storageSettings", s.type) for s in (props.storage_settings or [])] if props else []
        placements = [primary, *vault_redundancy(storage, primary.region, self.catalog)] if storage else [
            primary, Placement(PlacementKind.SECONDARY, None, "the vault reported no storage settings")]
        for replicated in (props.replicated_regions or []) if props else []:
            code = stores.region(replicated)
            if code and code != primary.region:
                placements.append(Placement(PlacementKind.REPLICA, code, "backup vault replicated region"))
        key = stores.key_of(sub, BACKUP_VAULT.id, vault)
        resource = StorageResource(
            provider=stores.AZURE, account=sub, id=key.id, name=key.name, kind=key.kind, placements=tuple(placements),
            collected=stores.LISTED | {Facet.REPLICAS}, tags=key.tags or (),
            attributes=stores.attributes({f"storage ({text(s.datastore_type)})": s.type
                                       for s in ((props.storage_settings or []) if props else [])}),
        )
        self.listing.resources.append(resource)
        instances = stores.listed(self.listing, f"backup instances of vault {name}",
                               lambda: self.protection.backup_instances.list(rg, name))
        for instance in instances:
            info = instance.properties.data_source_info if instance.properties else None
            source = str(info.resource_id) if info is not None and info.resource_id else None
            shown = (instance.properties.friendly_name if instance.properties else None) or str(instance.name)
            item_key = ResourceKey(stores.AZURE, sub, BACKUP_INSTANCE.id, str(instance.id), f"{name}/{shown}",
                                   stores.key_of(sub, BACKUP_INSTANCE.id, instance).tags)
            self.listing.resources.append(copy_resource(item_key, instance, resource, source, index, {
                "datasource_type": info.datasource_type if info is not None else None}))
