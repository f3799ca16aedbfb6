"""Bigtable: instances and their clusters (each cluster's zone holds a full copy of the data),
backups and copied backups.

Per project one instances.list and one clusters.list over every instance (`instances/-`); where
the plan needs copies, backups.list per instance over all its clusters (`clusters/-`). A backup
lives in its cluster's zone; its source is the instance of its `sourceTable` (a copy keeps it and
names the backup it copies in `sourceBackup`). Backups carry no labels: their lineage scopes them.
Locations the service could not reach (`failedLocations`) are gaps, never "nothing there".
"""

from __future__ import annotations

import contextlib
from typing import Any

from residency.inventory.kinds.gcp_services import BIGTABLE_BACKUP, BIGTABLE_INSTANCE
from residency.inventory.model import Facet, Gap, Lineage, Placement, PlacementKind, ResourceKey, StorageResource
from residency.sources.gcp.services.context import (
    Found,
    ServiceContext,
    as_dict,
    closing,
    describe,
    key,
    labels_of,
    link_copies,
    list_gap,
    pager_items,
    resource,
    text,
)
from residency.sources.gcp.services.locations import placements
from residency.sources.paging import pages

SERVICE = "Bigtable"
P = PlacementKind


def resource_id(name: str) -> str:
    return f"//bigtableadmin.googleapis.com/{name}"


def scan(ctx: ServiceContext, project: str) -> Found:
    found = Found()
    if not ctx.wants_kind(project, BIGTABLE_INSTANCE.id) and not ctx.wants_kind(project, BIGTABLE_BACKUP.id):
        return found
    from google.cloud import bigtable_admin_v2

    options = {"credentials": ctx.credentials_for("bigtable"), "client_options": ctx.client_options("bigtable"),
               "transport": "rest"}
    with contextlib.ExitStack() as stack:
        admin = closing(stack, bigtable_admin_v2.BigtableInstanceAdminClient(**options))
        tables = closing(stack, bigtable_admin_v2.BigtableTableAdminClient(**options))
        return _scan(ctx, project, admin, tables)


def _scan(ctx: ServiceContext, project: str, admin: Any, tables: Any) -> Found:
    found = Found()
    try:
        instances, failed = _listed(
            lambda t: admin.list_instances(request={"parent": f"projects/{project}", "page_token": t or ""}),
            "instances", "Bigtable instances")
        clusters, failed_clusters = _listed(
            lambda t: admin.list_clusters(request={"parent": f"projects/{project}/instances/-", "page_token": t or ""}),
            "clusters", "Bigtable clusters")
    except Exception as error:  # any cloud or transport error: this project's Bigtable only
        found.gaps.append(list_gap(project, SERVICE, "instances and clusters", error))
        return found
    unreachable = sorted(set(failed) | set(failed_clusters))
    if unreachable:
        found.gaps.append(list_gap(project, SERVICE, "instances", ValueError(
            f"locations {', '.join(unreachable)} did not answer")))
    zones: dict[str, str] = {c["name"]: str(c.get("location", "")) for c in clusters if text(c, "name")}
    keys = {i["name"]: key(project, BIGTABLE_INSTANCE.id, resource_id(i["name"]), i["name"].rsplit("/", 1)[-1],
                           labels_of(i.get("labels"))) for i in instances if text(i, "name")}
    for name, own in keys.items():
        found.resources += _instance(ctx, tables, name, own, zones, keys)
    found.resources = link_copies(found.resources, frozenset({BIGTABLE_BACKUP.id}), "backup")
    return found


def _listed(call: Any, field: str, what: str) -> tuple[list[dict[str, Any]], list[str]]:
    failed: list[str] = []

    def fetch(token: str | None) -> tuple[Any, str | None]:
        response = call(token)
        failed.extend(response.failed_locations)
        return response, response.next_page_token or None

    items = [as_dict(item) for response in pages(fetch, what) for item in getattr(response, field)]
    return items, failed


def _cluster_placements(ctx: ServiceContext, cluster: str, zone: str) -> tuple[Placement, ...]:
    return placements(zone.rsplit("/", 1)[-1] or None, ctx.catalog, f"cluster {cluster.rsplit('/', 1)[-1]} in zone")


def _instance(ctx: ServiceContext, tables: Any, name: str, own: ResourceKey, zones: dict[str, str],
              keys: dict[str, ResourceKey]) -> list[StorageResource]:
    mine = sorted(c for c in zones if c.startswith(f"{name}/clusters/"))
    where = tuple(p for c in mine for p in _cluster_placements(ctx, c, zones[c])) or (
        Placement(P.PRIMARY, None, "clusters.list returned no cluster for this instance"),)
    collected = {Facet.LOCATION, Facet.TAGS}
    gaps: list[Gap] = []
    copies: list[StorageResource] = []
    if ctx.plan.wants_placements(P.DERIVED, own) or ctx.wants_copies(own, BIGTABLE_BACKUP.id):
        collected.add(Facet.COPIES)
        try:
            pager = tables.list_backups(parent=f"{name}/clusters/-")
            backups = [as_dict(b) for b in pager_items(pager, f"backups of {own.name}", lambda page: page.backups)]
            copies = [_backup(ctx, b, own, zones, keys) for b in backups if text(b, "name")]
        except Exception as error:  # this instance's backups are unknown
            gaps.append(Gap("backups", describe(error), Facet.COPIES))
    return [resource(own, where, collected, gaps=gaps, attributes={"clusters": str(len(mine))}), *copies]


def _backup(ctx: ServiceContext, backup: dict[str, Any], holder: ResourceKey, zones: dict[str, str],
            keys: dict[str, ResourceKey]) -> StorageResource:
    name = backup["name"]
    cluster = name.split("/backups/")[0]
    source_table = text(backup, "source_table") or ""
    source_instance = source_table.split("/tables/")[0] if "/tables/" in source_table else ""
    source = keys.get(source_instance) or (
        key(source_instance.split("/")[1], BIGTABLE_INSTANCE.id, resource_id(source_instance),
            source_instance.rsplit("/", 1)[-1], None) if source_instance.count("/") == 3 else None)
    copied_from = text(backup, "source_backup")
    how = f"backup of table {source_table}" + (f", copied from {copied_from}" if copied_from else "")
    lineage = Lineage(source, how) if source else Lineage(None, f"backup {name} names no source table")
    own = key(holder.account, BIGTABLE_BACKUP.id, resource_id(name), name.rsplit("/", 1)[-1], ())
    where = _cluster_placements(ctx, cluster, zones.get(cluster, "")) if cluster in zones else (
        Placement(P.PRIMARY, None, f"cluster {cluster} is not in the clusters listing"),)
    return resource(own, where, {Facet.LOCATION, Facet.TAGS}, lineage=lineage,
                    attributes={"instance": holder.name, "source-table": source_table})
