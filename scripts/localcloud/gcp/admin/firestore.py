"""Firestore Admin API v1: databases (Firestore native and Datastore mode), backup schedules and
backups, as FirestoreAdminClient (transport="rest") calls them.

Firestore has no call that creates a backup: its backup schedules do, once a day or week. The
test-only control `POST /_residency/firestore/run-schedules?project=P` stands for that time
passing: every schedule of P makes one backup, in its database's location, as Firestore does.
"""

from __future__ import annotations

from scripts.localcloud.gcp.admin.http import ApiError, Enum, JsonDict, Request, Route, enum, route
from scripts.localcloud.gcp.admin.store import lro, next_id, now

API = "firestore"
ADMIN_V1 = "google.firestore.admin.v1"
DATABASE_TYPES = {"DATABASE_TYPE_UNSPECIFIED": 0, "FIRESTORE_NATIVE": 1, "DATASTORE_MODE": 2}
CONCURRENCY = {"CONCURRENCY_MODE_UNSPECIFIED": 0, "OPTIMISTIC": 1, "PESSIMISTIC": 2,
               "OPTIMISTIC_WITH_ENTITY_GROUPS": 3}
BACKUP_STATES = {"STATE_UNSPECIFIED": 0, "CREATING": 1, "READY": 2, "NOT_AVAILABLE": 3}
_P = "/v1/projects/{project}"


def create_database(req: Request) -> JsonDict:
    project, body = req.arg("project"), req.json()
    req.service.check(API, project, "datastore.databases.create")
    database_id, location = req.params.get("databaseId", ""), body.get("locationId")
    if not database_id or not isinstance(location, str) or not location:
        raise ApiError(400, "databaseId and locationId are required.")
    name = f"projects/{project}/databases/{database_id}"
    database: JsonDict = {
        "name": name, "uid": next_id(), "createTime": now(), "updateTime": now(), "locationId": location,
        "type": enum(DATABASE_TYPES, body.get("type") or "FIRESTORE_NATIVE", "type"),
        "concurrencyMode": enum(CONCURRENCY, body.get("concurrencyMode") or "PESSIMISTIC", "concurrencyMode"),
        "etag": next_id(),
    }
    req.service.add(API, name, database)
    return lro(f"{name}/operations/create", database, f"{ADMIN_V1}.Database", f"{ADMIN_V1}.CreateDatabaseMetadata")


def list_databases(req: Request) -> JsonDict:
    project = req.arg("project")
    req.service.check(API, project, "datastore.databases.list")
    found = [d for d in req.service.under(API, f"projects/{project}/databases/") if d["name"].count("/") == 3]
    return {"databases": found}


def get_database(req: Request) -> JsonDict:
    project = req.arg("project")
    req.service.check(API, project, "datastore.databases.get")
    return req.service.get(API, f"projects/{project}/databases/{req.arg('database')}")


def create_schedule(req: Request) -> JsonDict:
    project, database = req.arg("project"), req.arg("database")
    req.service.check(API, project, "datastore.backupSchedules.create")
    parent = req.service.get(API, f"projects/{project}/databases/{database}")
    body = req.json()
    name = f"{parent['name']}/backupSchedules/{next_id()}"
    schedule: JsonDict = {"name": name, "createTime": now(), "updateTime": now(),
                          "retention": body.get("retention") or "604800s"}
    if "weeklyRecurrence" in body:
        schedule["weeklyRecurrence"] = body["weeklyRecurrence"]
    else:
        schedule["dailyRecurrence"] = {}
    return req.service.add(f"{API}:schedules", name, schedule)


def list_schedules(req: Request) -> JsonDict:
    project, database = req.arg("project"), req.arg("database")
    req.service.check(API, project, "datastore.backupSchedules.list")
    req.service.get(API, f"projects/{project}/databases/{database}")
    return {"backupSchedules": req.service.under(f"{API}:schedules", f"projects/{project}/databases/{database}/")}


def list_backups(req: Request) -> JsonDict:
    project, location = req.arg("project"), req.arg("location")
    req.service.check(API, project, "datastore.backups.list")
    prefix = f"projects/{project}/locations/" + ("" if location == "-" else f"{location}/")
    return {"backups": req.service.under(f"{API}:backups", prefix), "unreachable": []}


def run_schedules(req: Request) -> JsonDict:
    """Test-only: every backup schedule of the project makes its backup now."""
    project = req.params.get("project", "")
    made = []
    for schedule in req.service.under(f"{API}:schedules", f"projects/{project}/databases/"):
        database = req.service.get(API, schedule["name"].split("/backupSchedules/")[0])
        name = f"projects/{project}/locations/{database['locationId']}/backups/{next_id()}"
        made.append(req.service.add(f"{API}:backups", name, {
            "name": name, "database": database["name"], "databaseUid": database["uid"], "snapshotTime": now(),
            "expireTime": now(), "state": Enum("READY", BACKUP_STATES["READY"]),
        }))
    return {"backups": made}


ROUTES: list[Route] = [
    route("GET", f"{_P}/databases", "firestore.projects.databases.list", list_databases),
    route("POST", f"{_P}/databases", "firestore.projects.databases.create", create_database),
    route("GET", f"{_P}/databases/{{database}}", "firestore.projects.databases.get", get_database),
    route("GET", f"{_P}/databases/{{database}}/backupSchedules", "firestore.projects.databases.backupSchedules.list",
          list_schedules),
    route("POST", f"{_P}/databases/{{database}}/backupSchedules",
          "firestore.projects.databases.backupSchedules.create", create_schedule),
    route("GET", f"{_P}/locations/{{location}}/backups", "firestore.projects.locations.backups.list", list_backups),
    route("POST", "/_residency/firestore/run-schedules", "_residency.firestore.runSchedules", run_schedules),
]
