"""Spanner: instances, where their configuration puts replicas, and backups (copied ones too).

Per project one paginated instances.list, one instanceConfigs.get per configuration in use (its
replicas: read-write, read-only and witness regions, each a place the data lives), and, where the
plan needs copies, backups.list per instance. A backup lives in its instance's configuration; its
source is the instance of the database it was taken from (`database`), kept through copies.
Instances carry labels; backups none: they are scoped by their source's lineage.
"""

from __future__ import annotations

import contextlib
from typing import Any

from residency.inventory.kinds.gcp_services import SPANNER_BACKUP, SPANNER_INSTANCE
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

SERVICE = "Spanner"
P = PlacementKind


def resource_id(name: str) -> str:
    return f"//spanner.googleapis.com/{name}"


def scan(ctx: ServiceContext, project: str) -> Found:
    found = Found()
    if not ctx.wants_kind(project, SPANNER_INSTANCE.id) and not ctx.wants_kind(project, SPANNER_BACKUP.id):
        return found
    from google.cloud import spanner_admin_database_v1, spanner_admin_instance_v1

    options = {"credentials": ctx.credentials_for("spanner"), "client_options": ctx.client_options("spanner"),
               "transport": "rest"}
    with contextlib.ExitStack() as stack:
        instances_client = closing(stack, spanner_admin_instance_v1.InstanceAdminClient(**options))
        databases = closing(stack, spanner_admin_database_v1.DatabaseAdminClient(**options))
        return _scan(ctx, project, instances_client, databases)


def _scan(ctx: ServiceContext, project: str, instances_client: Any, databases: Any) -> Found:
    found = Found()
    try:
        pager = instances_client.list_instances(parent=f"projects/{project}")
        instances = [as_dict(i) for i in pager_items(pager, "Spanner instances", lambda page: page.instances)]
    except Exception as error:  # any cloud or transport error: this project's Spanner only
        found.gaps.append(list_gap(project, SERVICE, "instances", error))
        return found
    configs: dict[str, tuple[tuple[Placement, ...], list[Gap]]] = {}
    keys = {i["name"]: _key(project, i) for i in instances if text(i, "name")}
    for instance in instances:
        name = text(instance, "name")
        if not name:
            continue
        config = text(instance, "config") or ""
        if config not in configs:
            configs[config] = _config_placements(ctx, instances_client, config)
        where, gaps = configs[config]
        found.resources += _instance(ctx, databases, instance, keys, where, list(gaps))
    found.resources = link_copies(found.resources, frozenset({SPANNER_BACKUP.id}), "backup")
    return found


def _key(project: str, instance: dict[str, Any]) -> ResourceKey:
    name = instance["name"]
    return key(project, SPANNER_INSTANCE.id, resource_id(name), name.rsplit("/", 1)[-1],
               labels_of(instance.get("labels")))


def _config_placements(ctx: ServiceContext, client: Any, config: str) -> tuple[tuple[Placement, ...], list[Gap]]:
    config_id = config.rsplit("/", 1)[-1]
    try:
        replicas = as_dict(client.get_instance_config(name=config)).get("replicas") or []
    except Exception as error:  # the configuration could not be read: fall back on its name, say why
        gap = Gap(f"instance configuration {config_id}", describe(error), Facet.LOCATION)
        return _from_name(ctx, config_id), [gap]
    locations: dict[str, list[str]] = {}
    for replica in replicas:
        if isinstance(replica, dict) and text(replica, "location"):
            kind = str(replica.get("type_", replica.get("type", "TYPE_UNSPECIFIED"))).lower().replace("_", "-")
            locations.setdefault(replica["location"], []).append(kind)
    if not locations:
        return (Placement(P.PRIMARY, None, f"instance configuration {config_id} lists no replicas"),), []
    if len(locations) == 1:
        region = next(iter(locations))
        return placements(region, ctx.catalog, f"instance configuration {config_id}: all replicas in"), []
    return tuple(
        placement
        for region, kinds in sorted(locations.items())
        for placement in placements(region, ctx.catalog,
                                    f"instance configuration {config_id}: {'/'.join(sorted(set(kinds)))} replica in",
                                    kind=P.MEMBER)
    ), []


def _from_name(ctx: ServiceContext, config_id: str) -> tuple[Placement, ...]:
    if config_id.startswith("regional-"):
        return placements(config_id.removeprefix("regional-"), ctx.catalog, f"regional configuration {config_id}:")
    if ctx.catalog.lookup("gcp", f"spanner/{config_id}") is not None:
        return placements(config_id, ctx.catalog, "instance configuration", service="spanner")
    return (Placement(P.PRIMARY, None, f"instance configuration {config_id} could not be read"),)


def _instance(ctx: ServiceContext, databases: Any, instance: dict[str, Any], keys: dict[str, ResourceKey],
              where: tuple[Placement, ...], gaps: list[Gap]) -> list[StorageResource]:
    own = keys[instance["name"]]
    collected = {Facet.LOCATION, Facet.TAGS}
    copies: list[StorageResource] = []
    attributes = {"config": str(instance.get("config", "unknown")).rsplit("/", 1)[-1],
                  "edition": str(instance.get("edition", "unknown"))}
    if ctx.plan.wants_placements(P.DERIVED, own) or ctx.wants_copies(own, SPANNER_BACKUP.id):
        collected.add(Facet.COPIES)
        try:
            pager = databases.list_backups(parent=instance["name"])
            backups = [as_dict(b) for b in pager_items(pager, f"backups of {own.name}", lambda page: page.backups)]
            copies = [_backup(b, own, where, keys) for b in backups if text(b, "name")]
        except Exception as error:  # this instance's backups are unknown
            gaps.append(Gap("backups", describe(error), Facet.COPIES))
    return [resource(own, where, collected, gaps=gaps, attributes=attributes), *copies]


def _backup(backup: dict[str, Any], holder: ResourceKey, where: tuple[Placement, ...],
            keys: dict[str, ResourceKey]) -> StorageResource:
    name = backup["name"]
    database = text(backup, "database") or ""
    source_instance = database.split("/databases/")[0] if "/databases/" in database else ""
    source = keys.get(source_instance)
    if source is None and source_instance:
        project = source_instance.split("/")[1] if source_instance.count("/") >= 3 else holder.account
        source = key(project, SPANNER_INSTANCE.id, resource_id(source_instance), source_instance.rsplit("/", 1)[-1],
                     None)
    copied = source is not None and source.id != holder.id
    how = (f"copied backup of database {database} (backups.copy into {holder.name})" if copied
           else f"backup of database {database}")
    lineage = Lineage(source, how) if source is not None else Lineage(None, f"backup {name} names no database")
    own = key(holder.account, SPANNER_BACKUP.id, resource_id(name), name.rsplit("/", 1)[-1], ())
    kept = tuple(p._replace(reason=f"in instance {holder.name}: {p.reason}") for p in where)
    return resource(own, kept, {Facet.LOCATION, Facet.TAGS}, lineage=lineage,
                    attributes={"instance": holder.name, "database": database})
