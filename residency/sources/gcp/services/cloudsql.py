"""Cloud SQL: instances (region, zones, read replicas, backup location) and backup runs.

Per project one paginated instances.list (it returns the settings); backupRuns.list per instance
only where the plan needs its copies. A read replica is a REPLICA placement of its primary and, as
an instance of its own, inherits the primary's data class (lineage `masterInstanceName`).
Backups: the configured `settings.backupConfiguration.location`, or, when none is set, the
multi-region closest to the instance (resolved only where Google names it, else unknown); each
backup run is a derived copy where its `location` says.
"""

from __future__ import annotations

import contextlib
from typing import Any

from residency.inventory.kinds.gcp_services import CLOUDSQL_BACKUP, CLOUDSQL_INSTANCE
from residency.inventory.model import Facet, Gap, Lineage, Placement, PlacementKind, ResourceKey, StorageResource
from residency.sources.gcp.services.context import (
    Found,
    ServiceContext,
    closing,
    describe,
    key,
    labels_of,
    list_gap,
    obj,
    resource,
    text,
)
from residency.sources.gcp.services.locations import as_derived, closest_multi_region, placements, region_of
from residency.sources.paging import PagingCut, pages

SERVICE = "Cloud SQL"
P = PlacementKind


def _client(ctx: ServiceContext) -> Any:
    from googleapiclient import discovery

    return discovery.build("sqladmin", "v1", credentials=ctx.credentials_for("sqladmin"), static_discovery=True,
                           client_options=ctx.client_options("sqladmin"), cache_discovery=False)


def instance_id(project: str, name: str) -> str:
    return f"//sqladmin.googleapis.com/projects/{project}/instances/{name}"


def scan(ctx: ServiceContext, project: str) -> Found:
    if not ctx.wants_kind(project, CLOUDSQL_INSTANCE.id) and not ctx.wants_kind(project, CLOUDSQL_BACKUP.id):
        return Found()
    with contextlib.ExitStack() as stack:
        return _scan(ctx, closing(stack, _client(ctx)), project)


def _scan(ctx: ServiceContext, client: Any, project: str) -> Found:
    found = Found()
    try:
        instances = [i for page in pages(lambda token: _page(client, project, token), "Cloud SQL instances")
                     for i in page if isinstance(i, dict) and isinstance(i.get("name"), str)]
    except PagingCut as cut:
        found.gaps.append(list_gap(project, SERVICE, "instances", ValueError(cut.reason)))
        return found
    except Exception as error:  # any cloud or transport error: this project's Cloud SQL only
        found.gaps.append(list_gap(project, SERVICE, "instances", error))
        return found
    by_name = {i["name"]: i for i in instances}
    for instance in instances:
        found.resources += _instance(ctx, client, project, instance, by_name)
    return found


def _page(client: Any, project: str, token: str | None) -> tuple[list[Any], str | None]:
    response = client.instances().list(project=project, maxResults=500, pageToken=token).execute()
    return list(response.get("items") or []), response.get("nextPageToken")


def _key(project: str, instance: dict[str, Any]) -> ResourceKey:
    settings = obj(instance, "settings")
    return key(project, CLOUDSQL_INSTANCE.id, instance_id(project, instance["name"]), instance["name"],
               labels_of(settings.get("userLabels")))


def _instance(ctx: ServiceContext, client: Any, project: str, instance: dict[str, Any],
              by_name: dict[str, dict[str, Any]]) -> list[StorageResource]:
    own = _key(project, instance)
    region = text(instance, "region")
    where = placements(region, ctx.catalog, "instance region")
    standby = text(instance, "secondaryGceZone")
    if standby:
        where += (Placement(P.SECONDARY, region_of(standby), f"high-availability standby in zone {standby}"),)
    collected = {Facet.LOCATION, Facet.TAGS}
    gaps: list[Gap] = []
    copies: list[StorageResource] = []
    if ctx.plan.wants_placements(P.REPLICA, own):
        collected.add(Facet.REPLICAS)
        where += _replicas(project, instance, by_name, ctx)
    replica = instance.get("instanceType") == "READ_REPLICA_INSTANCE" or bool(text(instance, "masterInstanceName"))
    if replica and ctx.plan.wants_placements(P.DERIVED, own):
        collected.add(Facet.COPIES)  # Cloud SQL takes no backups of a read replica: none exist
    elif ctx.plan.wants_placements(P.DERIVED, own) or ctx.wants_copies(own, CLOUDSQL_BACKUP.id):
        collected.add(Facet.COPIES)
        where += _backup_setting(ctx, instance, own)
        try:
            copies = _backup_runs(ctx, client, project, instance, own)
            where += tuple(p for copy in copies for p in as_derived(copy.placements, "backup run", copy.id))
        except Exception as error:  # a cloud error on this instance's runs: its copies are unknown
            gaps.append(Gap("backup runs", describe(error), Facet.COPIES))
    lineage = _master_lineage(project, instance, by_name)
    attributes = {"database-version": text(instance, "databaseVersion") or "unknown",
                  "instance-type": text(instance, "instanceType") or "unknown"}
    return [resource(own, where, collected, gaps=gaps, attributes=attributes, lineage=lineage), *copies]


def _replicas(project: str, instance: dict[str, Any], by_name: dict[str, dict[str, Any]],
              ctx: ServiceContext) -> tuple[Placement, ...]:
    found: list[Placement] = []
    for name in instance.get("replicaNames") or []:
        if not isinstance(name, str):
            continue
        replica_project, _, replica_name = name.rpartition(":")
        target = by_name.get(replica_name) if replica_project in ("", project) else None
        target_id = instance_id(replica_project or project, replica_name)
        if target is None:
            found.append(Placement(P.REPLICA, None, f"read replica {name} is not in this project's listing",
                                   target=target_id))
            continue
        for placement in placements(text(target, "region"), ctx.catalog, f"read replica {replica_name} in"):
            found.append(placement._replace(kind=P.REPLICA, target=target_id))
    return tuple(found)


def _master_lineage(project: str, instance: dict[str, Any], by_name: dict[str, dict[str, Any]]) -> Lineage | None:
    master = text(instance, "masterInstanceName")
    if not master:
        return None
    master_project, _, master_name = master.rpartition(":")
    primary = by_name.get(master_name) if master_project in ("", project) else None
    if primary is not None:
        return Lineage(_key(project, primary), f"read replica of {master_name} (masterInstanceName)")
    source = key(master_project or project, CLOUDSQL_INSTANCE.id, instance_id(master_project or project, master_name),
                 master_name, None)
    return Lineage(source, f"read replica of {master} (masterInstanceName; the primary was not listed)")


def _default_location(instance: dict[str, Any]) -> tuple[str | None, str]:
    configured = text(obj(obj(instance, "settings"), "backupConfiguration"), "location")
    if configured:
        return configured, "backup location setting"
    region = text(instance, "region") or "?"
    closest = closest_multi_region(region)
    if closest is None:
        return None, (f"no backup location is set, so backups go to the multi-region closest to {region}, "
                      "which Google does not name for this region; set settings.backupConfiguration.location")
    return closest, f"no backup location is set: backups go to the multi-region closest to {region}:"


def _backup_setting(ctx: ServiceContext, instance: dict[str, Any], own: ResourceKey) -> tuple[Placement, ...]:
    """Where the next backup (automated or on demand) will be stored: a copy before it exists."""
    code, why = _default_location(instance)
    if code is None:
        return (Placement(P.DERIVED, None, why, target=f"{own.id}/backupRuns"),)
    return as_derived(placements(code, ctx.catalog, why), "backups to come", f"{own.id}/backupRuns")


def _backup_runs(ctx: ServiceContext, client: Any, project: str, instance: dict[str, Any],
                 own: ResourceKey) -> list[StorageResource]:
    name = instance["name"]

    def fetch(token: str | None) -> tuple[list[Any], str | None]:
        response = client.backupRuns().list(project=project, instance=name, maxResults=500, pageToken=token).execute()
        return list(response.get("items") or []), response.get("nextPageToken")

    runs: list[StorageResource] = []
    for page in pages(fetch, f"backup runs of {name}"):
        for run in page:
            if not isinstance(run, dict) or run.get("id") is None:
                continue
            location = text(run, "location")
            why = "backup run stored in"
            if not location:
                location, why = _default_location(instance)
            copy_key = key(project, CLOUDSQL_BACKUP.id, f"{own.id}/backupRuns/{run['id']}",
                           f"{name} backup {run['id']}", ())
            runs.append(resource(copy_key, placements(location, ctx.catalog, why), {Facet.LOCATION, Facet.TAGS},
                                 attributes={"status": str(run.get("status", "unknown")),
                                             "type": str(run.get("type", "unknown"))},
                                 lineage=Lineage(own, f"backup run of instance {name} (backupRuns.list)")))
    return runs
