"""The Azure data stores beyond storage accounts, one subscription at a time, and their copies.

`scan_services` lists SQL, Cosmos DB, disks, snapshots, gallery images and backup vaults in one
subscription (every listed resource is recorded, policy-free; deeper reads follow the plan).
`link_copies` then gives each source the DERIVED placements of the copies whose lineage names
it (snapshots, image versions, long-term retention backups, vault backups), target = the copy.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from residency.catalog import Catalog
from residency.inventory.kinds import azure as kinds
from residency.inventory.kinds import kind_of
from residency.inventory.model import (
    Placement,
    PlacementKind,
    ResourceKey,
    StorageResource,
)
from residency.sources.azure import stores
from residency.sources.azure.backup import BackupScanner
from residency.sources.azure.clients import AzureClients
from residency.sources.azure.compute import scan_compute
from residency.sources.azure.cosmosdb import scan_cosmosdb
from residency.sources.azure.errors import describe_error
from residency.sources.azure.flexible_servers import MYSQL, POSTGRESQL, scan_flexible
from residency.sources.azure.sql import scan_sql
from residency.sources.azure.sql_managed import scan_managed_instances
from residency.sources.contract import CollectionPlan

COPY_OF = frozenset({PlacementKind.PRIMARY, PlacementKind.SECONDARY, PlacementKind.REPLICA})
# The kinds each service lists; a vault's backups inherit their sources' kinds too (a policy scoped to
# disks covers a disk's backups), so the backup service is needed for any kind it may hold copies of.
SQL_KINDS = (kinds.SQL_DATABASE.id, kinds.SQL_LTR_BACKUP.id)
BACKUP_KINDS = (kinds.RECOVERY_SERVICES_VAULT.id, kinds.BACKUP_PROTECTED_ITEM.id, kinds.BACKUP_VAULT.id,
                kinds.BACKUP_INSTANCE.id, *stores.KIND_OF_TYPE.values())
COMPUTE_KINDS = (kinds.MANAGED_DISK.id, kinds.DISK_SNAPSHOT.id, kinds.GALLERY_IMAGE_VERSION.id)


def scan_services(clients: AzureClients, plan: CollectionPlan, catalog: Catalog, subscription: str,
                  known: Iterable[StorageResource] = ()) -> stores.Listing:
    """Every data store of the subscription; `known` (its storage accounts) can be backup sources."""
    listing = stores.Listing(subscription)

    def wanted(*kind_ids: str) -> bool:
        return any(plan.wants_kind(stores.AZURE, subscription, kind) for kind in kind_ids)

    steps = (
        ("Azure SQL", SQL_KINDS, lambda: scan_sql(clients.sql(subscription), plan, catalog, listing)),
        ("Azure SQL Managed Instance", (kinds.SQL_MANAGED_INSTANCE.id,),
         lambda: scan_managed_instances(clients.sql(subscription), plan, catalog, listing)),
        ("Cosmos DB", (kinds.COSMOSDB_ACCOUNT.id,),
         lambda: scan_cosmosdb(clients.cosmosdb(subscription), catalog, listing)),
        ("Compute", COMPUTE_KINDS, lambda: scan_compute(clients.compute(subscription), listing)),
        ("PostgreSQL flexible servers", (kinds.POSTGRESQL_FLEXIBLE_SERVER.id,),
         lambda: scan_flexible(clients.postgresql(subscription), POSTGRESQL, plan, catalog, listing)),
        ("MySQL flexible servers", (kinds.MYSQL_FLEXIBLE_SERVER.id,),
         lambda: scan_flexible(clients.mysql(subscription), MYSQL, plan, catalog, listing)),
    )
    for what, kind_ids, step in steps:
        if wanted(*kind_ids):
            _safely(listing, what, step)
    if wanted(*BACKUP_KINDS):
        index = {r.id.lower(): r.key for r in [*known, *listing.resources]}
        backups = BackupScanner(clients.recovery_services(subscription),
                                clients.recovery_services_backup(subscription), clients.data_protection(subscription),
                                catalog, listing)
        _safely(listing, "Azure Backup", lambda: backups.scan(index))
    return listing


def _safely(listing: stores.Listing, what: str, step: object) -> None:
    try:
        step()  # type: ignore[operator]
    except Exception as error:  # an unexpected shape in one service: that service's gap, not the scan's
        listing.missing(what, describe_error(error))


def link_copies(resources: list[StorageResource]) -> list[StorageResource]:
    """Each copy's places become DERIVED placements on its source, when the source was scanned and
    its kind keeps copies (a storage account's backups are judged through their own lineage)."""
    added: dict[str, list[Placement]] = {}
    by_id = {r.id.lower(): r for r in resources}
    for copy in resources:
        spec = kind_of(copy.kind)
        source = _source(copy.lineage.source if copy.lineage else None, by_id)
        if source is None or spec is None or not spec.derived:  # a geo-secondary is a REPLICA of its primary
            continue
        label = spec.display
        for placement in copy.placements:
            if placement.kind in COPY_OF:
                added.setdefault(source.id, []).append(Placement(
                    PlacementKind.DERIVED, placement.region, f"{label} {copy.name}: {placement.reason}",
                    target=copy.id))
    return [replace(r, placements=r.placements + tuple(added[r.id])) if r.id in added else r for r in resources]


def _source(key: ResourceKey | None, by_id: dict[str, StorageResource]) -> StorageResource | None:
    if key is None:
        return None
    source = by_id.get(key.id.lower())
    spec = kind_of(source.kind) if source is not None else None
    if source is None or spec is None or PlacementKind.DERIVED not in spec.placements:
        return None
    return source
