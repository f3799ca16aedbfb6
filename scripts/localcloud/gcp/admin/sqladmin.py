"""Cloud SQL Admin API v1: instances (with read replicas and backup settings) and backup runs.

Paths and fields as in the sqladmin v1 discovery document (googleapiclient's static copy).
A read replica is an `instances.insert` with `masterInstanceName`; its primary then lists it in
`replicaNames`. `backupRuns.insert` records a run where the instance's backups go: the configured
`settings.backupConfiguration.location`, else the multi-region Cloud SQL picks (the closest one,
here: us-* -> us, europe-* -> eu, asia-* -> asia).
"""

from __future__ import annotations

from scripts.localcloud.gcp.admin.http import ApiError, JsonDict, Request, Route, page, route
from scripts.localcloud.gcp.admin.store import next_id, now

API = "sqladmin"
_V1 = "/v1/projects/{project}"
DEFAULT_MULTI_REGIONS = {"us": "us", "europe": "eu", "asia": "asia"}


def _key(project: str, instance: str) -> str:
    return f"{project}:{instance}"


def _operation(req: Request, project: str, target: str, kind: str) -> JsonDict:
    op = next_id()
    return {"kind": "sql#operation", "name": op, "status": "DONE", "operationType": kind,
            "targetId": target, "targetProject": project, "insertTime": now(), "endTime": now(),
            "selfLink": f"{req.base_url}/v1/projects/{project}/operations/{op}",
            "targetLink": f"{req.base_url}/v1/projects/{project}/instances/{target}"}


def insert_instance(req: Request) -> JsonDict:
    project, body = req.arg("project"), req.json()
    req.service.check(API, project, "cloudsql.instances.create")
    name, region = body.get("name"), body.get("region")
    if not isinstance(name, str) or not isinstance(region, str):
        raise ApiError(400, "Invalid request: name and region are required.")
    settings = dict(body.get("settings") or {})
    preference = settings.get("locationPreference") or {}
    zone = preference.get("zone") or f"{region}-a"
    instance: JsonDict = {
        "kind": "sql#instance", "name": name, "project": project, "region": region, "gceZone": zone,
        "databaseVersion": body.get("databaseVersion", "POSTGRES_16"), "state": "RUNNABLE",
        "instanceType": "CLOUD_SQL_INSTANCE", "backendType": "SECOND_GEN",
        "connectionName": f"{project}:{region}:{name}", "createTime": now(), "settings": settings,
        "selfLink": f"{req.base_url}/v1/projects/{project}/instances/{name}",
    }
    if preference.get("secondaryZone"):
        instance["secondaryGceZone"] = preference["secondaryZone"]
    master = body.get("masterInstanceName")
    with req.service.lock:
        if master:
            primary = req.service.get(API, _key(project, master.split(":")[-1]))
            instance["masterInstanceName"] = master
            instance["instanceType"] = "READ_REPLICA_INSTANCE"
            primary.setdefault("replicaNames", []).append(name)
        req.service.add(API, _key(project, name), instance)
    return _operation(req, project, name, "CREATE")


def list_instances(req: Request) -> JsonDict:
    project = req.arg("project")
    req.service.check(API, project, "cloudsql.instances.list")
    items, token = page(req.service.under(API, f"{project}:"), req.params, "maxResults")
    return {"kind": "sql#instancesList", "items": items, **({"nextPageToken": token} if token else {})}


def get_instance(req: Request) -> JsonDict:
    project = req.arg("project")
    req.service.check(API, project, "cloudsql.instances.get")
    return req.service.get(API, _key(project, req.arg("instance")))


def backup_location(instance: JsonDict) -> str:
    configured = ((instance.get("settings") or {}).get("backupConfiguration") or {}).get("location")
    if configured:
        return str(configured)
    return DEFAULT_MULTI_REGIONS.get(str(instance["region"]).split("-")[0], "us")


def insert_backup_run(req: Request) -> JsonDict:
    project, name = req.arg("project"), req.arg("instance")
    req.service.check(API, project, "cloudsql.backupRuns.create")
    instance = req.service.get(API, _key(project, name))
    run_id = next_id()
    run: JsonDict = {
        "kind": "sql#backupRun", "id": run_id, "instance": name, "status": "SUCCESSFUL",
        "type": "ON_DEMAND", "backupKind": "SNAPSHOT", "location": backup_location(instance),
        "enqueuedTime": now(), "startTime": now(), "endTime": now(),
        "description": req.json().get("description", ""),
        "selfLink": f"{req.base_url}/v1/projects/{project}/instances/{name}/backupRuns/{run_id}",
    }
    req.service.add(f"{API}:runs", f"{_key(project, name)}/{run_id}", run)
    return _operation(req, project, name, "BACKUP_VOLUME")


def list_backup_runs(req: Request) -> JsonDict:
    project, name = req.arg("project"), req.arg("instance")
    req.service.check(API, project, "cloudsql.backupRuns.list")
    req.service.get(API, _key(project, name))
    items, token = page(req.service.under(f"{API}:runs", f"{_key(project, name)}/"), req.params, "maxResults")
    return {"kind": "sql#backupRunsList", "items": items, **({"nextPageToken": token} if token else {})}


ROUTES: list[Route] = [
    route("GET", f"{_V1}/instances", "sqladmin.instances.list", list_instances),
    route("POST", f"{_V1}/instances", "sqladmin.instances.insert", insert_instance),
    route("GET", f"{_V1}/instances/{{instance}}", "sqladmin.instances.get", get_instance),
    route("GET", f"{_V1}/instances/{{instance}}/backupRuns", "sqladmin.backupRuns.list", list_backup_runs),
    route("POST", f"{_V1}/instances/{{instance}}/backupRuns", "sqladmin.backupRuns.insert", insert_backup_run),
]
