"""Firestore (and Datastore mode): databases' locationId, backup schedules and backups.

Per project one databases.list, one backups.list over every location (`locations/-`), and
backupSchedules.list per database where the plan needs its copies. `nam5` / `eur3` are the
catalog's `firestore/nam5` / `firestore/eur3` (their member regions). A schedule makes backups in
its database's location: a DERIVED placement before any backup exists. Databases and backups carry
no labels: they are scoped by project, name, id, and backups by their database's lineage.
"""

from __future__ import annotations

import contextlib
from typing import Any

from residency.inventory.kinds.gcp_services import FIRESTORE_BACKUP, FIRESTORE_DATABASE
from residency.inventory.model import Facet, Gap, Lineage, PlacementKind, ResourceKey, StorageResource
from residency.sources.gcp.services.context import (
    Found,
    ServiceContext,
    as_dict,
    closing,
    describe,
    key,
    link_copies,
    list_gap,
    resource,
    text,
)
from residency.sources.gcp.services.locations import as_derived, placements

SERVICE = "Firestore"
P = PlacementKind


def resource_id(name: str) -> str:
    return f"//firestore.googleapis.com/{name}"


def scan(ctx: ServiceContext, project: str) -> Found:
    found = Found()
    if not ctx.wants_kind(project, FIRESTORE_DATABASE.id) and not ctx.wants_kind(project, FIRESTORE_BACKUP.id):
        return found
    from google.cloud.firestore_admin_v1.services.firestore_admin import FirestoreAdminClient

    with contextlib.ExitStack() as stack:
        client = closing(stack, FirestoreAdminClient(credentials=ctx.credentials_for("firestore"),
                                                     client_options=ctx.client_options("firestore"), transport="rest"))
        return _scan(ctx, project, client)


def _scan(ctx: ServiceContext, project: str, client: Any) -> Found:
    found = Found()
    try:
        listing = client.list_databases(parent=f"projects/{project}")
        databases = [as_dict(d) for d in listing.databases]
    except Exception as error:  # any cloud or transport error: this project's Firestore only
        found.gaps.append(list_gap(project, SERVICE, "databases", error))
        return found
    keys = {d["name"]: key(project, FIRESTORE_DATABASE.id, resource_id(d["name"]), d["name"].rsplit("/", 1)[-1], ())
            for d in databases if text(d, "name")}
    wanted = {name: ctx.plan.wants_placements(P.DERIVED, k) or ctx.wants_copies(k, FIRESTORE_BACKUP.id)
              for name, k in keys.items()}
    backups: list[StorageResource] = []
    backup_gap: Gap | None = None
    if any(wanted.values()):
        try:
            response = client.list_backups(parent=f"projects/{project}/locations/-")
            unreachable = list(response.unreachable)
            backups = [_backup(ctx, as_dict(b), keys, project) for b in response.backups]
            if unreachable:
                backup_gap = Gap("backups", f"locations {', '.join(unreachable)} could not be reached", Facet.COPIES)
        except Exception as error:  # every database's backups are unknown
            backup_gap = Gap("backups", describe(error), Facet.COPIES)
    for database in databases:
        if text(database, "name"):
            found.resources.append(_database(ctx, client, database, keys, wanted, backup_gap))
    found.resources = link_copies(found.resources + backups, frozenset({FIRESTORE_BACKUP.id}), "backup")
    return found


def _database(ctx: ServiceContext, client: Any, database: dict[str, Any], keys: dict[str, ResourceKey],
              wanted: dict[str, bool], backup_gap: Gap | None) -> StorageResource:
    name = database["name"]
    location = text(database, "location_id")
    where = placements(location, ctx.catalog, "database location", service="firestore")
    collected = {Facet.LOCATION, Facet.TAGS}
    gaps: list[Gap] = []
    if wanted[name]:
        collected.add(Facet.COPIES)
        gaps += [backup_gap] if backup_gap else []
        try:
            schedules = [as_dict(s) for s in client.list_backup_schedules(parent=name).backup_schedules]
            for schedule in schedules:
                target = resource_id(str(schedule.get("name", f"{name}/backupSchedules")))
                where += as_derived(placements(location, ctx.catalog, "in the database location",
                                               service="firestore"), "backup schedule: backups to come", target)
        except Exception as error:  # backups to come are unknown
            gaps.append(Gap("backup schedules", describe(error), Facet.COPIES))
    attributes = {"location": location or "unknown", "type": str(database.get("type_", database.get("type", "")))}
    return resource(keys[name], where, collected, gaps=gaps, attributes=attributes)


def _backup(ctx: ServiceContext, backup: dict[str, Any], keys: dict[str, ResourceKey], project: str) -> StorageResource:
    name = str(backup.get("name", ""))
    location = name.split("/locations/")[1].split("/")[0] if "/locations/" in name else None
    database = text(backup, "database") or ""
    source = keys.get(database) or (key(project, FIRESTORE_DATABASE.id, resource_id(database),
                                        database.rsplit("/", 1)[-1], ()) if database else None)
    lineage = (Lineage(source, f"backup of database {database}") if source
               else Lineage(None, "the backup names no database"))
    own = key(project, FIRESTORE_BACKUP.id, resource_id(name), name.rsplit("/", 1)[-1], ())
    return resource(own, placements(location, ctx.catalog, "backup location", service="firestore"),
                    {Facet.LOCATION, Facet.TAGS}, lineage=lineage, attributes={"database": database})
