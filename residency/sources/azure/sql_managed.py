"""Azure SQL Managed Instance: each instance's location, backup redundancy and failover groups.

Backup storage redundancy is read as for SQL databases (Geo/GeoZone: the paired region holds
the backups; missing or unknown: no region). An instance failover group this instance is the
primary of replicates its databases to the partner instance's region (REPLICA).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from azure.mgmt.sql import SqlManagementClient

from residency.catalog import Catalog
from residency.inventory.kinds.azure import SQL_MANAGED_INSTANCE
from residency.inventory.model import Facet, Gap, Placement, PlacementKind, ResourceKey, StorageResource
from residency.sources.azure import stores
from residency.sources.azure.errors import text
from residency.sources.azure.sql import backup_placements
from residency.sources.contract import CollectionPlan


def _group_replicas(groups: list[Any], instance_id: str) -> list[Placement]:
    found = []
    for group in groups:
        if text(group.replication_role).lower() != "primary":
            continue
        partners = [p.location for p in group.partner_regions or []]
        for pair in group.managed_instance_pairs or []:
            if str(pair.primary_managed_instance_id or "").lower() != instance_id.lower():
                continue
            for location in partners:
                code = stores.region(location)
                why = f"instance failover group {group.name} to {stores.name_of(str(pair.partner_managed_instance_id))}"
                found.append(Placement(PlacementKind.REPLICA, code, why if code else f"{why}: no location reported",
                                       target=str(pair.partner_managed_instance_id)))
    return found


def scan_managed_instances(client: SqlManagementClient, plan: CollectionPlan, catalog: Catalog,
                           listing: stores.Listing) -> None:
    instances = stores.listed(listing, "SQL managed instances", client.managed_instances.list)
    groups: dict[tuple[str, str], tuple[list[Any], Gap | None]] = {}
    for instance in instances:
        key: ResourceKey = stores.key_of(listing.subscription, SQL_MANAGED_INSTANCE.id, instance)
        primary = stores.own_location(instance, "managed instance")
        placements = [primary, *backup_placements(
            [instance.requested_backup_storage_redundancy, instance.current_backup_storage_redundancy],
            primary.region, catalog, "automated backups")]
        collected = set(stores.LISTED) | {Facet.COPIES}
        gaps: list[Gap] = []
        if stores.wanted(plan, PlacementKind.REPLICA, key) and primary.region:
            collected.add(Facet.REPLICAS)
            where = (stores.group_of(key.id), primary.region)
            if where not in groups:
                groups[where] = stores.read_list(
                    f"instance failover groups in {where[1]}", Facet.REPLICAS,
                    partial(client.instance_failover_groups.list_by_location, *where))
            found, gap = groups[where]
            placements += _group_replicas(found, key.id)
            gaps += [gap] if gap else []
        listing.resources.append(StorageResource(
            provider=stores.AZURE, account=key.account, id=key.id, name=key.name, kind=key.kind,
            placements=tuple(placements), collected=frozenset(collected), tags=key.tags or (), gaps=tuple(gaps),
            attributes=stores.attributes({
                "requested_backup_storage_redundancy": instance.requested_backup_storage_redundancy,
                "current_backup_storage_redundancy": instance.current_backup_storage_redundancy}),
        ))
