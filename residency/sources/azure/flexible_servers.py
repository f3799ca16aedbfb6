"""Azure Database for PostgreSQL and MySQL flexible servers: location, geo-redundant backup and
read replicas.

`backup.geoRedundantBackup` Enabled keeps backups in the paired region (DERIVED there); Disabled
keeps them in the region; a setting that is missing or unknown is a DERIVED placement with no
region. A covered server's read replicas (`replicas.list_by_server`, any region) are REPLICA
placements; a replica has its source server as lineage (it holds that server's data).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from residency.catalog import Catalog
from residency.inventory.kinds.azure import MYSQL_FLEXIBLE_SERVER, POSTGRESQL_FLEXIBLE_SERVER
from residency.inventory.model import Facet, Gap, Lineage, Placement, PlacementKind, ResourceKey, StorageResource
from residency.sources.azure import stores
from residency.sources.azure.errors import text
from residency.sources.contract import CollectionPlan

# PostgreSQL: Primary / AsyncReplica / GeoAsyncReplica; MySQL: Source / Replica.
REPLICA_ROLES = frozenset({"asyncreplica", "geoasyncreplica", "replica", "georeplica"})


@dataclass(frozen=True)
class Engine:
    name: str  # "PostgreSQL"
    kind: str
    list_servers: Callable[[Any], Iterable[Any]]  # the client's subscription-wide server listing


POSTGRESQL = Engine("PostgreSQL", POSTGRESQL_FLEXIBLE_SERVER.id, lambda client: client.servers.list_by_subscription())
MYSQL = Engine("MySQL", MYSQL_FLEXIBLE_SERVER.id, lambda client: client.servers.list())


def geo_backup(server: Any, home: str | None, catalog: Catalog) -> list[Placement]:
    backup = getattr(server, "backup", None)
    value = text(backup.geo_redundant_backup) if backup is not None and backup.geo_redundant_backup else None
    if value is None:
        return [Placement(PlacementKind.DERIVED, None, "backups: geo-redundant backup not reported (not local)")]
    if value.lower() == "enabled":
        return [stores.paired(catalog, home, PlacementKind.DERIVED, "geo-redundant backups")]
    if value.lower() == "disabled":
        return []
    return [Placement(PlacementKind.DERIVED, None, f"backups: unknown geo-redundant backup setting {value!r}")]


def server_resource(server: Any, key: ResourceKey, engine: Engine, catalog: Catalog,
                    replicas: list[Placement] | None, gap: Gap | None, keys: dict[str, ResourceKey]) -> StorageResource:
    primary = stores.own_location(server, f"{engine.name} server")
    role = text(getattr(server, "replication_role", None) or "")
    source = getattr(server, "source_server_resource_id", None)
    lineage: Lineage | None = None
    if role.lower() in REPLICA_ROLES:
        lineage = stores.lineage_to(str(source) if source else None, keys, f"read replica ({role}) of "
                                 f"{stores.name_of(str(source)) if source else '?'}")
    collected = set(stores.LISTED) | {Facet.COPIES} | ({Facet.REPLICAS} if replicas is not None else set())
    return StorageResource(
        provider=stores.AZURE, account=key.account, id=key.id, name=key.name, kind=key.kind,
        placements=(primary, *geo_backup(server, primary.region, catalog), *(replicas or [])),
        collected=frozenset(collected), tags=key.tags or (), gaps=(gap,) if gap else (), lineage=lineage,
        attributes=stores.attributes({"replication_role": role or None, "version": getattr(server, "version", None)}),
    )


def scan_flexible(client: Any, engine: Engine, plan: CollectionPlan, catalog: Catalog, listing: stores.Listing) -> None:
    servers = stores.listed(listing, f"{engine.name} flexible servers", partial(engine.list_servers, client))
    keys = {str(s.id).lower(): stores.key_of(listing.subscription, engine.kind, s) for s in servers}
    for server in servers:
        key = keys[str(server.id).lower()]
        replicas: list[Placement] | None = None
        gap: Gap | None = None
        # A replica takes its source's data class, which the plan cannot know from its own tags: read it too.
        is_replica = text(getattr(server, "replication_role", None) or "").lower() in REPLICA_ROLES
        if stores.wanted(plan, PlacementKind.REPLICA, key) or is_replica:
            found, gap = stores.read_list(f"read replicas of {server.name}", Facet.REPLICAS, partial(
                client.replicas.list_by_server, stores.group_of(str(server.id)), str(server.name)))
            replicas = [Placement(PlacementKind.REPLICA, stores.region(r.location), f"read replica {r.name}",
                                  target=str(r.id)) for r in found if str(r.id).lower() != key.id.lower()]
        listing.resources.append(server_resource(server, key, engine, catalog, replicas, gap, keys))
