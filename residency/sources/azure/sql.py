"""Azure SQL Database: servers -> databases, their geo-replicas, failover groups, backup
redundancy and long-term retention backups.

- Each database's own location is PRIMARY. Backup storage redundancy `Geo`/`GeoZone` (requested
  or current) keeps backups in the paired region: a DERIVED placement there; `Local`/`Zone` keep
  them in the region; a value that is missing or unknown is a DERIVED placement with no region.
- A replication link where the partner is the secondary is a REPLICA at `partnerLocation`; a
  database that is itself a geo-secondary gets the primary as its lineage (it holds its data).
- A failover group this server is primary of replicates each of its databases to every partner
  server's location (REPLICA).
- Long-term retention backups are resources of their own (their location and, with geo-redundant
  backup storage, the paired region) with the database as their lineage.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from azure.core.exceptions import AzureError
from azure.mgmt.sql import SqlManagementClient

from residency.catalog import Catalog
from residency.inventory.kinds.azure import SQL_DATABASE, SQL_LTR_BACKUP
from residency.inventory.model import Facet, Gap, Lineage, Placement, PlacementKind, ResourceKey, StorageResource
from residency.sources.azure import stores
from residency.sources.azure.errors import describe_error, text
from residency.sources.contract import CollectionPlan

GEO_BACKUP = frozenset({"geo", "geozone"})
IN_REGION_BACKUP = frozenset({"local", "zone"})
SYSTEM_DATABASES = frozenset({"master"})


def backup_placements(values: list[object], home: str | None, catalog: Catalog, what: str,
                      kind: PlacementKind = PlacementKind.DERIVED, target: str | None = None) -> list[Placement]:
    """Where backups go for the redundancy settings Azure reports (requested and current)."""
    known = sorted({text(v) for v in values if v is not None and text(v).strip()})
    if not known:
        return [Placement(kind, None, f"{what}: backup storage redundancy not reported (not assumed local)",
                          target=target)]
    found: list[Placement] = []
    if any(v.lower() in GEO_BACKUP for v in known):
        geo = "/".join(v for v in known if v.lower() in GEO_BACKUP)
        found.append(stores.paired(catalog, home, kind, f"{what}: {geo} backup storage redundancy", target))
    for value in known:
        if value.lower() not in GEO_BACKUP | IN_REGION_BACKUP:
            found.append(Placement(kind, None, f"{what}: unknown backup storage redundancy {value!r}", target=target))
    return found


@dataclass
class SqlScanner:
    client: SqlManagementClient
    plan: CollectionPlan
    catalog: Catalog
    listing: stores.Listing

    def scan(self) -> None:
        servers = stores.listed(self.listing, "SQL servers", self.client.servers.list)
        start = len(self.listing.resources)
        for server in servers:
            rg = stores.group_of(str(server.id))
            databases = stores.listed(self.listing, f"databases of SQL server {server.name}",
                                   partial(self.client.databases.list_by_server, rg, str(server.name)))
            databases = [d for d in databases if str(d.name).lower() not in SYSTEM_DATABASES]
            self._server(server, rg, databases)
        found = self.listing.resources[start:]
        index = {r.id.lower(): r.key for r in found if r.kind == SQL_DATABASE.id}
        self.listing.resources[start:] = [_resolve_primary(r, index) for r in found]

    def _server(self, server: Any, rg: str, databases: list[Any]) -> None:
        sub = self.listing.subscription
        keys = {str(d.id).lower(): stores.key_of(sub, SQL_DATABASE.id, d, f"{server.name}/{d.name}") for d in databases}
        groups, group_gap = self._failover_groups(server, rg, list(keys.values()))
        for database in databases:
            key = keys[str(database.id).lower()]
            self.listing.resources.append(self._database(database, key, rg, server, groups, group_gap))
        self._ltr_backups(server, keys)

    def _database(self, db: Any, key: ResourceKey, rg: str, server: Any, groups: dict[str, list[Placement]],
                  group_gap: Gap | None) -> StorageResource:
        primary = stores.own_location(db, "database")
        placements = [primary, *backup_placements(
            [db.requested_backup_storage_redundancy, db.current_backup_storage_redundancy],
            primary.region, self.catalog, "automated backups")]
        collected = set(stores.LISTED) | {Facet.COPIES}
        gaps: list[Gap] = []
        lineage: Lineage | None = None
        if stores.wanted(self.plan, PlacementKind.REPLICA, key) or db.secondary_type:
            collected.add(Facet.REPLICAS)
            links, gap = stores.read_list(f"replication links of {key.name}", Facet.REPLICAS,
                                       lambda: self.client.replication_links.list_by_database(
                                           rg, str(server.name), str(db.name)))
            gaps += [gap] if gap else []
            gaps += [group_gap] if group_gap else []
            placements += groups.get(str(db.id).lower(), [])
            for link in links:
                placements += _link_replica(link)
                lineage = lineage or _secondary_of(link, key)
        attrs = stores.attributes({"server": server.name, "sku": db.sku.name if db.sku else None,
                                "secondary_type": db.secondary_type,
                                "requested_backup_storage_redundancy": db.requested_backup_storage_redundancy,
                                "current_backup_storage_redundancy": db.current_backup_storage_redundancy})
        return StorageResource(
            provider=stores.AZURE, account=key.account, id=key.id, name=key.name, kind=key.kind,
            placements=tuple(placements), collected=frozenset(collected), tags=key.tags or (), gaps=tuple(gaps),
            attributes=attrs, lineage=lineage,
        )

    def _failover_groups(self, server: Any, rg: str, keys: list[ResourceKey],
                         ) -> tuple[dict[str, list[Placement]], Gap | None]:
        """Database id (lower case) -> REPLICA placements of the groups this server is primary of."""
        if not any(stores.wanted(self.plan, PlacementKind.REPLICA, key) for key in keys):
            return {}, None
        groups, gap = stores.read_list(f"failover groups of SQL server {server.name}", Facet.REPLICAS,
                                    lambda: self.client.failover_groups.list_by_server(rg, str(server.name)))
        found: dict[str, list[Placement]] = {}
        for group in groups:
            if text(group.replication_role).lower() != "primary":
                continue
            for database_id in group.databases or []:
                for partner in group.partner_servers or []:
                    where = stores.region(partner.location)
                    target = f"{partner.id}/databases/{stores.name_of(str(database_id))}" if partner.id else None
                    why = f"failover group {group.name}: partner server {stores.name_of(str(partner.id or '?'))}"
                    found.setdefault(str(database_id).lower(), []).append(Placement(
                        PlacementKind.REPLICA, where, why if where else f"{why} reported no location", target=target))
        return found, gap

    def _ltr_backups(self, server: Any, keys: dict[str, ResourceKey]) -> None:
        location = stores.region(server.location)
        if location is None:
            return
        backups = stores.listed(self.listing, f"long-term retention backups of SQL server {server.name}",
                             lambda: self.client.long_term_retention_backups.list_by_server(location, str(server.name)))
        for backup in backups:
            self.listing.resources.append(self._ltr_backup(backup, server, location, keys))

    def _ltr_backup(self, backup: Any, server: Any, location: str, keys: dict[str, ResourceKey]) -> StorageResource:
        database_id = f"{server.id}/databases/{backup.database_name}"
        source = keys.get(database_id.lower())
        deleted = backup.database_deletion_time is not None
        how = f"long-term retention backup of database {server.name}/{backup.database_name}"
        lineage = (Lineage(source, how) if source else Lineage(
            ResourceKey(stores.AZURE, self.listing.subscription, SQL_DATABASE.id, database_id,
                        f"{server.name}/{backup.database_name}", None),
            f"{how} ({'deleted' if deleted else 'not listed'}: its tags are unknown)"))
        placements = [Placement(PlacementKind.PRIMARY, location, "long-term retention backup location"),
                      *backup_placements([backup.backup_storage_redundancy], location, self.catalog,
                                         "backup storage", PlacementKind.SECONDARY)]
        return StorageResource(
            provider=stores.AZURE, account=self.listing.subscription, id=str(backup.id),
            name=f"{server.name}/{backup.database_name} LTR {text(backup.backup_time) or backup.name}",
            kind=SQL_LTR_BACKUP.id, placements=tuple(placements), collected=stores.LISTED, lineage=lineage,
            attributes=stores.attributes({"backup_time": backup.backup_time,
                                       "backup_expiration_time": backup.backup_expiration_time,
                                       "backup_storage_redundancy": backup.backup_storage_redundancy,
                                       "database_deletion_time": backup.database_deletion_time}),
        )


def _link_replica(link: Any) -> list[Placement]:
    """A link whose partner is the secondary: the partner holds a replica of this database."""
    if text(link.partner_role).lower() not in {"secondary", "nonreadablesecondary"}:
        return []
    where = stores.region(link.partner_location)
    why = f"geo-replication link to {link.partner_server}/{link.partner_database}"
    return [Placement(PlacementKind.REPLICA, where, why if where else f"{why}: no partnerLocation reported",
                      target=str(link.partner_database_id) if link.partner_database_id else None)]


def _secondary_of(link: Any, key: ResourceKey) -> Lineage | None:
    """A geo-secondary holds its primary's data: the primary is its lineage (its key is filled in
    from the subscription's databases once all are listed, `_resolve_primary`)."""
    if text(link.role).lower() not in {"secondary", "nonreadablesecondary"}:
        return None
    how = f"geo-secondary of {link.partner_server}/{link.partner_database}"
    partner_id = str(link.partner_database_id) if link.partner_database_id else None
    return Lineage(None, how) if partner_id is None else Lineage(ResourceKey(
        stores.AZURE, stores.subscription_of(partner_id) or key.account, SQL_DATABASE.id, partner_id,
        f"{link.partner_server}/{link.partner_database}", None), how)


def _resolve_primary(resource: StorageResource, index: dict[str, ResourceKey]) -> StorageResource:
    lineage = resource.lineage
    if lineage is None or lineage.source is None or resource.kind != SQL_DATABASE.id:
        return resource
    return replace(resource, lineage=stores.lineage_to(lineage.source.id, index, lineage.how))


def scan_sql(client: SqlManagementClient, plan: CollectionPlan, catalog: Catalog, listing: stores.Listing) -> None:
    try:
        SqlScanner(client, plan, catalog, listing).scan()
    except AzureError as error:  # a read no listing guarded: the rest of the subscription goes on
        listing.missing("Azure SQL", describe_error(error))
