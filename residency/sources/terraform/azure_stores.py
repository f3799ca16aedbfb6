"""azurerm data stores beyond storage accounts: SQL databases and failover groups, Cosmos DB
accounts, snapshots, gallery image versions, Recovery Services and Data Protection vaults.

Defaults are the provider's: `storage_account_type` of a database is Geo, a Recovery Services
vault's `storage_mode_type` is GeoRedundant, a Cosmos DB account without a `backup` block takes
periodic, geo-redundant backups. Geo-redundant copies live in the catalog's pair of the region.
A value known only after apply is a placement with no region.
"""

from __future__ import annotations

from residency.inventory.kinds.azure import (
    BACKUP_VAULT,
    COSMOSDB_ACCOUNT,
    DISK_SNAPSHOT,
    GALLERY_IMAGE_VERSION,
    RECOVERY_SERVICES_VAULT,
    SQL_DATABASE,
    SQL_FAILOVER_GROUP,
)
from residency.inventory.model import Lineage, Placement, PlacementKind, Provider, StorageResource
from residency.sources.terraform.azure_planned import (
    account,
    lineage,
    paired,
    planned_location,
    referenced,
    region_of,
)
from residency.sources.terraform.links import Contribution, TargetIndex, resolve_targets
from residency.sources.terraform.values import Unknown
from residency.sources.terraform.view import KNOWN_AFTER_APPLY, PLANNED, ResourceView, merged_tags

P = PlacementKind
DATABASES = frozenset({"azurerm_mssql_database"})


def _resource(view: ResourceView, kind: str, placements: list[Placement], lineage: Lineage | None = None,
              attributes: tuple[tuple[str, str], ...] = ()) -> StorageResource:
    name = view.after.text("name")
    return StorageResource(
        provider=Provider.AZURE, account=account(view), id=view.address,
        name=name if isinstance(name, str) else view.address, kind=kind, placements=tuple(placements),
        tags=merged_tags(view, {}, "tags"), collected=PLANNED, lineage=lineage,
        attributes=(*view.base_attributes(), *attributes),
    )


def _own_location(view: ResourceView, what: str) -> Placement:
    region = region_of(view.after.text("location"))
    if region is None:
        return Placement(P.PRIMARY, None, f"{KNOWN_AFTER_APPLY} (the {what} location)")
    return Placement(P.PRIMARY, region, f"{what} location" + view.location_change(("location",), region))


def _redundancy(view: ResourceView, attribute: str, default: str) -> str | Unknown:
    value = view.after.text(attribute)
    return default if value is None else value


# --- Azure SQL -----------------------------------------------------------------------------------

def _server_location(view: ResourceView, attribute: str = "server_id") -> Placement:
    servers = referenced(view, attribute, ("azurerm_mssql_server",))
    regions = {planned_location(s) for s in servers}
    if len(servers) >= 1 and len(regions) == 1 and None not in regions:
        return Placement(P.PRIMARY, regions.pop(), f"location of server {servers[0].address}")
    if servers:
        return Placement(P.PRIMARY, None, f"{KNOWN_AFTER_APPLY} (the server's location)")
    return Placement(P.PRIMARY, None, "the server is outside the plan: its location comes from a scan")


def mssql_database(view: ResourceView) -> StorageResource:
    primary = _server_location(view)
    redundancy = _redundancy(view, "storage_account_type", "Geo")
    backups: list[Placement] = []
    if isinstance(redundancy, Unknown):
        backups.append(Placement(P.DERIVED, None, f"{KNOWN_AFTER_APPLY} (backup storage redundancy)"))
    elif redundancy.lower() in {"geo", "geozone"}:
        backups.append(paired(view, primary.region, P.DERIVED, f"automated backups: {redundancy} storage"))
    elif redundancy.lower() not in {"local", "zone"}:
        backups.append(Placement(P.DERIVED, None, f"unknown backup storage redundancy {redundancy!r}"))
    copy_of = None
    if view.after.text("create_mode") == "Secondary":
        copy_of = lineage(view, ("creation_source_database_id",), "geo-secondary of")
    shown = redundancy if isinstance(redundancy, str) else "unknown"
    return _resource(view, SQL_DATABASE.id, [primary, *backups], copy_of, (("storage_account_type", shown),))


def mssql_secondary(view: ResourceView, index: TargetIndex) -> Contribution:
    """A database created as a geo-secondary of a planned database: a REPLICA of that one."""
    if view.after.text("create_mode") != "Secondary":
        return Contribution()
    sources = resolve_targets(view, index, DATABASES, [], view.reference_groups("creation_source_database_id")[:1])
    owner = sources[0].hits[0] if sources and len(sources[0].hits) == 1 else None
    if owner is None:
        return Contribution()
    here = _server_location(view)
    why = f"geo-secondary {view.address}: {here.reason}"
    return Contribution(owner.resource.id, (Placement(P.REPLICA, here.region, why, target=view.address),))


def mssql_failover_group(view: ResourceView, index: TargetIndex) -> list[Contribution]:
    """Every database of the group is replicated to each partner server's location."""
    partners = [Placement(P.REPLICA, planned_location(p), f"failover group {view.address}: partner server "
                          f"{p.address}" + ("" if planned_location(p) else f" ({KNOWN_AFTER_APPLY})"))
                for p in referenced(view, ("partner_server", "id"), ("azurerm_mssql_server",))]
    if not partners:
        partners = [Placement(P.REPLICA, None, f"failover group {view.address}: partner server outside the plan "
                                                "or known only after apply")]
    targets = resolve_targets(view, index, DATABASES, [], view.reference_groups("databases"))
    owners = [t.hits[0] for t in targets if len(t.hits) == 1]
    if owners:
        return [Contribution(o.resource.id, tuple(partners), (("failover-group", view.address),)) for o in owners]
    standalone = _resource(view, SQL_FAILOVER_GROUP.id, partners)
    return [Contribution(standalone=standalone)]


# --- Cosmos DB -----------------------------------------------------------------------------------

def cosmosdb_account(view: ResourceView) -> StorageResource:
    blocks = view.after.blocks("geo_location")
    multi = any(view.after.get(flag) is True for flag in ("multiple_write_locations_enabled",
                                                          "enable_multiple_write_locations"))
    placements: list[Placement] = []
    if isinstance(blocks, Unknown) or not blocks:
        placements.append(Placement(P.PRIMARY, None, f"{KNOWN_AFTER_APPLY} (geo_location)"))
    for block in [] if isinstance(blocks, Unknown) else blocks:
        region = region_of(block.text("location"))
        priority = block.get("failover_priority")
        if multi or priority == 0:
            placements.append(Placement(P.PRIMARY, region, "write region" if region else
                                        f"{KNOWN_AFTER_APPLY} (a write region)"))
        else:
            placements.append(Placement(P.REPLICA, region, f"read region (failover priority {priority})"
                                        if region else f"{KNOWN_AFTER_APPLY} (a read region)"))
    writes = [p.region for p in placements if p.kind is P.PRIMARY]
    return _resource(view, COSMOSDB_ACCOUNT.id, placements + _cosmos_backups(view, writes))


def _cosmos_backups(view: ResourceView, writes: list[str | None]) -> list[Placement]:
    backup = view.after.blocks("backup")
    if isinstance(backup, Unknown):
        return [Placement(P.DERIVED, None, f"{KNOWN_AFTER_APPLY} (the backup policy)")]
    mode = backup[0].text("type") if backup else "Periodic"
    redundancy = (backup[0].text("storage_redundancy") if backup else None) or "Geo"
    if isinstance(mode, Unknown) or isinstance(redundancy, Unknown):
        return [Placement(P.DERIVED, None, f"{KNOWN_AFTER_APPLY} (the backup policy)")]
    if mode == "Continuous" or redundancy in {"Local", "Zone"}:
        return []
    if redundancy != "Geo" or mode != "Periodic":
        return [Placement(P.DERIVED, None, f"unknown backup policy {mode} / {redundancy}")]
    why = "periodic backups in geo-redundant storage" + ("" if backup else " (no backup block: the default)")
    return [paired(view, home, P.DERIVED, why) for home in writes]


# --- snapshots and gallery image versions --------------------------------------------------------

def snapshot(view: ResourceView) -> StorageResource:
    option = view.after.text("create_option")
    if option == "Import":
        copy_of = Lineage(None, "snapshot imported from a VHD (source_uri): no Azure source resource")
    else:
        copy_of = lineage(view, ("source_resource_id",), "snapshot of")
    return _resource(view, DISK_SNAPSHOT.id, [_own_location(view, "snapshot")], copy_of)


def shared_image_version(view: ResourceView) -> StorageResource:
    primary = _own_location(view, "image version")
    placements = [primary]
    targets = view.after.blocks("target_region")
    if isinstance(targets, Unknown):
        placements.append(Placement(P.REPLICA, None, f"{KNOWN_AFTER_APPLY} (target regions)"))
    for target in [] if isinstance(targets, Unknown) else targets:
        region = region_of(target.text("name"))
        if region != primary.region or region is None:
            placements.append(Placement(P.REPLICA, region, "gallery image version target region"
                                        if region else f"{KNOWN_AFTER_APPLY} (a target region)"))
    copy_of = lineage(view, ("os_disk_snapshot_id", "os_disk_managed_disk_id", "managed_image_id"), "image of")
    return _resource(view, GALLERY_IMAGE_VERSION.id, placements, copy_of)


# --- backup vaults -------------------------------------------------------------------------------

def _vault_secondary(view: ResourceView, primary: Placement, value: str | Unknown) -> list[Placement]:
    if isinstance(value, Unknown):
        return [Placement(P.SECONDARY, None, f"{KNOWN_AFTER_APPLY} (the vault's storage redundancy)")]
    if value == "GeoRedundant":
        return [paired(view, primary.region, P.SECONDARY, "geo-redundant backup storage")]
    if value in {"LocallyRedundant", "ZoneRedundant"}:
        return []
    return [Placement(P.SECONDARY, None, f"unknown backup storage redundancy {value!r}")]


def recovery_services_vault(view: ResourceView) -> StorageResource:
    primary = _own_location(view, "vault")
    value = _redundancy(view, "storage_mode_type", "GeoRedundant")
    restore = view.after.get("cross_region_restore_enabled")
    return _resource(view, RECOVERY_SERVICES_VAULT.id, [primary, *_vault_secondary(view, primary, value)],
                     attributes=(("storage_mode_type", value if isinstance(value, str) else "unknown"),
                                 ("cross_region_restore_enabled", str(restore).lower())))


def data_protection_backup_vault(view: ResourceView) -> StorageResource:
    primary = _own_location(view, "vault")
    value = view.after.text("redundancy")
    placements = [primary, *(_vault_secondary(view, primary, value) if value is not None else
                             [Placement(P.SECONDARY, None, "the vault's redundancy is not in the plan")])]
    return _resource(view, BACKUP_VAULT.id, placements,
                     attributes=(("redundancy", value if isinstance(value, str) else "unknown"),))
