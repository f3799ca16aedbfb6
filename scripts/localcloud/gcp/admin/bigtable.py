"""Bigtable Admin API v2: instances with their clusters (zones), tables, backups and copied
backups, as BigtableInstanceAdminClient / BigtableTableAdminClient (transport="rest") call them.
A backup lives in the cluster it was made or copied to; a copy keeps the original `sourceTable`
and names the backup it copies in `sourceBackup`.
"""

from __future__ import annotations

from scripts.localcloud.gcp.admin.http import ApiError, Enum, JsonDict, Request, Route, enum, page, route
from scripts.localcloud.gcp.admin.store import lro, now

API = "bigtable"
ADMIN_V2 = "google.bigtable.admin.v2"
INSTANCE_TYPES = {"TYPE_UNSPECIFIED": 0, "PRODUCTION": 1, "DEVELOPMENT": 2}
STORAGE_TYPES = {"STORAGE_TYPE_UNSPECIFIED": 0, "SSD": 1, "HDD": 2}
READY = Enum("READY", 1)  # Instance.State and Cluster.State
BACKUP_READY = Enum("READY", 2)  # Backup.State
_I = "/v2/projects/{project}/instances"
_C = _I + "/{instance}/clusters/{cluster}"


def create_instance(req: Request) -> JsonDict:
    project, body = req.arg("project"), req.json()
    req.service.check(API, project, "bigtable.instances.create")
    instance_id, spec, clusters = str(body.get("instanceId", "")), body.get("instance") or {}, body.get("clusters")
    if not instance_id or not isinstance(clusters, dict) or not clusters:
        raise ApiError(400, "instanceId and at least one cluster are required.")
    name = f"projects/{project}/instances/{instance_id}"
    instance = {"name": name, "displayName": spec.get("displayName", instance_id), "state": READY,
                "type": enum(INSTANCE_TYPES, spec.get("type") or "PRODUCTION", "instance.type"),
                "labels": spec.get("labels") or {}, "createTime": now()}
    with req.service.lock:
        req.service.add(API, name, instance)
        for cluster_id, cluster in clusters.items():
            cluster_name = f"{name}/clusters/{cluster_id}"
            req.service.add(f"{API}:clusters", cluster_name, {
                "name": cluster_name, "location": cluster.get("location"), "state": READY,
                "serveNodes": cluster.get("serveNodes", 1),
                "defaultStorageType": enum(STORAGE_TYPES, cluster.get("defaultStorageType") or "SSD", "storage")})
    return lro(f"operations/{name}/create", instance, f"{ADMIN_V2}.Instance", f"{ADMIN_V2}.CreateInstanceMetadata")


def list_instances(req: Request) -> JsonDict:
    project = req.arg("project")
    req.service.check(API, project, "bigtable.instances.list")
    items, token = page(req.service.under(API, f"projects/{project}/instances/"), req.params)
    return {"instances": items, "failedLocations": [], **({"nextPageToken": token} if token else {})}


def list_clusters(req: Request) -> JsonDict:
    project, instance = req.arg("project"), req.arg("instance")
    req.service.check(API, project, "bigtable.clusters.list")
    prefix = f"projects/{project}/instances/" + ("" if instance == "-" else f"{instance}/")
    items, token = page(req.service.under(f"{API}:clusters", prefix), req.params)
    return {"clusters": items, "failedLocations": [], **({"nextPageToken": token} if token else {})}


def create_table(req: Request) -> JsonDict:
    project, instance = req.arg("project"), req.arg("instance")
    req.service.check(API, project, "bigtable.tables.create")
    req.service.get(API, f"projects/{project}/instances/{instance}")
    name = f"projects/{project}/instances/{instance}/tables/{req.json().get('tableId', '')}"
    return req.service.add(f"{API}:tables", name, {"name": name, "granularity": Enum("MILLIS", 1)})


def _cluster(req: Request) -> str:
    project = req.arg("project")
    name = f"projects/{project}/instances/{req.arg('instance')}/clusters/{req.arg('cluster')}"
    req.service.get(f"{API}:clusters", name)
    return name


def _backup(name: str, source_table: str, expire: object, source_backup: str | None = None) -> JsonDict:
    backup = {"name": name, "sourceTable": source_table, "startTime": now(), "endTime": now(),
              "expireTime": expire or now(), "sizeBytes": "1024", "state": BACKUP_READY,
              "backupType": Enum("STANDARD", 1)}
    if source_backup:
        backup["sourceBackup"] = source_backup
    return backup


def create_backup(req: Request) -> JsonDict:
    req.service.check(API, req.arg("project"), "bigtable.backups.create")
    cluster, body = _cluster(req), req.json()
    source_table = str(body.get("sourceTable", ""))
    req.service.get(f"{API}:tables", source_table)
    name = f"{cluster}/backups/{req.params.get('backupId', '')}"
    backup = req.service.add(f"{API}:backups", name, _backup(name, source_table, body.get("expireTime")))
    return lro(f"operations/{name}/create", backup, f"{ADMIN_V2}.Backup", f"{ADMIN_V2}.CreateBackupMetadata")


def copy_backup(req: Request) -> JsonDict:
    req.service.check(API, req.arg("project"), "bigtable.backups.create")
    cluster, body = _cluster(req), req.json()
    source = req.service.get(f"{API}:backups", str(body.get("sourceBackup", "")))
    name = f"{cluster}/backups/{body.get('backupId', '')}"
    backup = req.service.add(f"{API}:backups", name,
                             _backup(name, source["sourceTable"], body.get("expireTime"), source["name"]))
    return lro(f"operations/{name}/copy", backup, f"{ADMIN_V2}.Backup", f"{ADMIN_V2}.CopyBackupMetadata")


def list_backups(req: Request) -> JsonDict:
    project, instance, cluster = req.arg("project"), req.arg("instance"), req.arg("cluster")
    req.service.check(API, project, "bigtable.backups.list")
    prefix = f"projects/{project}/instances/{instance}/clusters/" + ("" if cluster == "-" else f"{cluster}/")
    items, token = page(req.service.under(f"{API}:backups", prefix), req.params)
    return {"backups": items, **({"nextPageToken": token} if token else {})}


ROUTES: list[Route] = [
    route("GET", _I, "bigtableadmin.projects.instances.list", list_instances),
    route("POST", _I, "bigtableadmin.projects.instances.create", create_instance),
    route("GET", _I + "/{instance}/clusters", "bigtableadmin.projects.instances.clusters.list", list_clusters),
    route("POST", _I + "/{instance}/tables", "bigtableadmin.projects.instances.tables.create", create_table),
    route("GET", _C + "/backups", "bigtableadmin.projects.instances.clusters.backups.list", list_backups),
    route("POST", _C + "/backups", "bigtableadmin.projects.instances.clusters.backups.create", create_backup),
    route("POST", _C + "/backups:copy", "bigtableadmin.projects.instances.clusters.backups.copy", copy_backup),
]
