"""Spanner v1: instance configurations (regional, dual-region, multi-region, custom), instances,
databases, backups and copied backups, as InstanceAdminClient / DatabaseAdminClient
(transport="rest") call them.

Base configurations are served from `BASE_CONFIGS` (replica regions and types as the Spanner
instance-configurations page lists them); `regional-<region>` exists for any region. Creating an
instance on a dual- or multi-region configuration needs the Enterprise Plus edition, as on Spanner.
"""

from __future__ import annotations

from scripts.localcloud.gcp.admin.http import ApiError, Enum, JsonDict, Request, Route, enum, page, route
from scripts.localcloud.gcp.admin.store import lro, now

API = "spanner"
INSTANCE_V1 = "google.spanner.admin.instance.v1"
DATABASE_V1 = "google.spanner.admin.database.v1"
CONFIG_TYPES = {"TYPE_UNSPECIFIED": 0, "GOOGLE_MANAGED": 1, "USER_MANAGED": 2}
REPLICA_TYPES = {"TYPE_UNSPECIFIED": 0, "READ_WRITE": 1, "READ_ONLY": 2, "WITNESS": 3}
STATES = {"STATE_UNSPECIFIED": 0, "CREATING": 1, "READY": 2}
EDITIONS = {"EDITION_UNSPECIFIED": 0, "STANDARD": 1, "ENTERPRISE": 2, "ENTERPRISE_PLUS": 3}
DIALECTS = {"DATABASE_DIALECT_UNSPECIFIED": 0, "GOOGLE_STANDARD_SQL": 1, "POSTGRESQL": 2}
RW, RO, WITNESS = "READ_WRITE", "READ_ONLY", "WITNESS"
# name -> (display name, [(region, replica type, default leader)])
BASE_CONFIGS: dict[str, tuple[str, list[tuple[str, str, bool]]]] = {
    "nam3": ("North America (Northern Virginia/South Carolina)",
             [("us-east4", RW, True), ("us-east1", RW, False), ("us-central1", WITNESS, False)]),
    "nam6": ("North America (Iowa/South Carolina/Oregon/Los Angeles)",
             [("us-central1", RW, True), ("us-east1", RW, False), ("us-west1", RO, False),
              ("us-west2", RO, False), ("us-central2", WITNESS, False)]),
    "eur3": ("Europe (Belgium/Netherlands)",
             [("europe-west1", RW, True), ("europe-west4", RW, False), ("europe-north1", WITNESS, False)]),
    "asia1": ("Asia (Tokyo/Osaka/Seoul)",
              [("asia-northeast1", RW, True), ("asia-northeast2", RW, False), ("asia-northeast3", WITNESS, False)]),
    "nam-eur-asia1": ("North America, Europe, and Asia",
                      [("us-central1", RW, True), ("us-central2", RW, False), ("europe-west1", RO, False),
                       ("asia-east1", RO, False), ("us-east1", WITNESS, False)]),
    "dual-region-japan1": ("Japan (Tokyo/Osaka)",
                           [("asia-northeast1", RW, True), ("asia-northeast2", RW, False)]),
}
_P = "/v1/projects/{project}"


def _replica(location: str, kind: str, leader: bool) -> JsonDict:
    return {"location": location, "type": Enum(kind, REPLICA_TYPES[kind]), "defaultLeaderLocation": leader}


def base_config(project: str, config_id: str) -> JsonDict | None:
    name = f"projects/{project}/instanceConfigs/{config_id}"
    if config_id.startswith("regional-"):
        region = config_id.removeprefix("regional-")
        replicas = [_replica(region, RW, True), _replica(region, RW, False), _replica(region, RW, False)]
        display = region
    elif config_id in BASE_CONFIGS:
        display, topology = BASE_CONFIGS[config_id]
        replicas = [_replica(*replica) for replica in topology]
    else:
        return None
    leaders = sorted({r["location"] for r in replicas if r["defaultLeaderLocation"] or r["type"] == RW})
    return {"name": name, "displayName": display, "configType": Enum("GOOGLE_MANAGED", 1), "replicas": replicas,
            "leaderOptions": leaders, "state": Enum("READY", 2)}


def _config(req: Request, project: str, config_id: str) -> JsonDict:
    found = base_config(project, config_id)
    if found is not None:
        return found
    return req.service.get(API, f"projects/{project}/instanceConfigs/{config_id}")


def get_config(req: Request) -> JsonDict:
    project = req.arg("project")
    req.service.check(API, project, "spanner.instanceConfigs.get")
    return _config(req, project, req.arg("config"))


def list_configs(req: Request) -> JsonDict:
    project = req.arg("project")
    req.service.check(API, project, "spanner.instanceConfigs.list")
    configs = [base_config(project, c) for c in BASE_CONFIGS]
    items, token = page([c for c in configs if c] + req.service.under(API, f"projects/{project}/instanceConfigs/"),
                        req.params)
    return {"instanceConfigs": items, **({"nextPageToken": token} if token else {})}


def create_config(req: Request) -> JsonDict:
    project, body = req.arg("project"), req.json()
    req.service.check(API, project, "spanner.instanceConfigs.create")
    config_id, config = str(body.get("instanceConfigId", "")), dict(body.get("instanceConfig") or {})
    if not config_id.startswith("custom-"):
        raise ApiError(400, "Custom instance config ids must start with 'custom-'.")
    base = _config(req, project, str(config.get("baseConfig", "")).rsplit("/", 1)[-1])
    replicas = [dict(r) for r in base["replicas"]]
    for extra in config.get("replicas") or []:
        kind = enum(REPLICA_TYPES, extra.get("type"), "replicas.type")
        replicas.append({"location": extra.get("location"), "type": kind,
                         "defaultLeaderLocation": bool(extra.get("defaultLeaderLocation"))})
    name = f"projects/{project}/instanceConfigs/{config_id}"
    created = {"name": name, "displayName": config.get("displayName", config_id), "baseConfig": base["name"],
               "configType": Enum("USER_MANAGED", 2), "replicas": replicas, "leaderOptions": base["leaderOptions"],
               "labels": config.get("labels") or {}, "state": Enum("READY", 2)}
    req.service.add(API, name, created)
    return lro(f"{name}/operations/create", created, f"{INSTANCE_V1}.InstanceConfig",
               f"{INSTANCE_V1}.CreateInstanceConfigMetadata")


def _edition_needed(config: JsonDict) -> set[str]:
    """Read-write or witness replicas in two regions or more: Enterprise Plus (dual- and multi-region);
    read-only replicas added to a regional configuration: Enterprise or Enterprise Plus."""
    voting = {r["location"] for r in config["replicas"] if r["type"] != RO}
    if len(voting) > 1:
        return {"ENTERPRISE_PLUS"}
    if any(r["type"] == RO for r in config["replicas"]):
        return {"ENTERPRISE", "ENTERPRISE_PLUS"}
    return set(EDITIONS) - {"EDITION_UNSPECIFIED"}


def create_instance(req: Request) -> JsonDict:
    project, body = req.arg("project"), req.json()
    req.service.check(API, project, "spanner.instances.create")
    instance_id, spec = str(body.get("instanceId", "")), dict(body.get("instance") or {})
    config = _config(req, project, str(spec.get("config", "")).rsplit("/", 1)[-1])
    edition = enum(EDITIONS, spec.get("edition") or "STANDARD", "instance.edition")
    needed = _edition_needed(config)
    if edition not in needed:
        raise ApiError(400, f"Instance configuration {config['name'].rsplit('/', 1)[-1]} requires the "
                            f"{' or '.join(sorted(needed))} edition, not {edition}.")
    name = f"projects/{project}/instances/{instance_id}"
    instance = {"name": name, "config": config["name"], "displayName": spec.get("displayName", instance_id),
                "nodeCount": spec.get("nodeCount", 1), "processingUnits": 1000 * int(spec.get("nodeCount", 1)),
                "state": Enum("READY", 2), "labels": spec.get("labels") or {}, "createTime": now(),
                "updateTime": now(), "edition": edition}
    req.service.add(API, name, instance)
    return lro(f"{name}/operations/create", instance, f"{INSTANCE_V1}.Instance",
               f"{INSTANCE_V1}.CreateInstanceMetadata")


def list_instances(req: Request) -> JsonDict:
    project = req.arg("project")
    req.service.check(API, project, "spanner.instances.list")
    found = [i for i in req.service.under(API, f"projects/{project}/instances/") if i["name"].count("/") == 3]
    items, token = page(found, req.params)
    return {"instances": items, **({"nextPageToken": token} if token else {})}


def get_instance(req: Request) -> JsonDict:
    project = req.arg("project")
    req.service.check(API, project, "spanner.instances.get")
    return req.service.get(API, f"projects/{project}/instances/{req.arg('instance')}")


def create_database(req: Request) -> JsonDict:
    project, instance = req.arg("project"), req.arg("instance")
    req.service.check(API, project, "spanner.databases.create")
    statement = str(req.json().get("createStatement", ""))
    database_id = statement.split()[-1].strip("`\"") if statement else ""
    name = f"projects/{project}/instances/{instance}/databases/{database_id}"
    req.service.get(API, f"projects/{project}/instances/{instance}")
    database = {"name": name, "state": Enum("READY", 2), "createTime": now(),
                "databaseDialect": Enum("GOOGLE_STANDARD_SQL", 1)}
    req.service.add(f"{API}:databases", name, database)
    return lro(f"{name}/operations/create", database, f"{DATABASE_V1}.Database",
               f"{DATABASE_V1}.CreateDatabaseMetadata")


def _backup(name: str, database: str, expire: object) -> JsonDict:
    return {"name": name, "database": database, "createTime": now(), "versionTime": now(),
            "expireTime": expire or now(), "sizeBytes": "1024", "state": Enum("READY", 2),
            "databaseDialect": Enum("GOOGLE_STANDARD_SQL", 1)}


def create_backup(req: Request) -> JsonDict:
    project, instance = req.arg("project"), req.arg("instance")
    req.service.check(API, project, "spanner.backups.create")
    body = req.json()
    database = str(body.get("database", ""))
    req.service.get(f"{API}:databases", database)
    name = f"projects/{project}/instances/{instance}/backups/{req.params.get('backupId', '')}"
    backup = req.service.add(f"{API}:backups", name, _backup(name, database, body.get("expireTime")))
    return lro(f"{name}/operations/create", backup, f"{DATABASE_V1}.Backup", f"{DATABASE_V1}.CreateBackupMetadata")


def copy_backup(req: Request) -> JsonDict:
    project, instance = req.arg("project"), req.arg("instance")
    req.service.check(API, project, "spanner.backups.copy")
    body = req.json()
    source = req.service.get(f"{API}:backups", str(body.get("sourceBackup", "")))
    req.service.get(API, f"projects/{project}/instances/{instance}")
    name = f"projects/{project}/instances/{instance}/backups/{body.get('backupId', '')}"
    backup = req.service.add(f"{API}:backups", name, _backup(name, source["database"], body.get("expireTime")))
    return lro(f"{name}/operations/copy", backup, f"{DATABASE_V1}.Backup", f"{DATABASE_V1}.CopyBackupMetadata")


def list_backups(req: Request) -> JsonDict:
    project, instance = req.arg("project"), req.arg("instance")
    req.service.check(API, project, "spanner.backups.list")
    items, token = page(req.service.under(f"{API}:backups", f"projects/{project}/instances/{instance}/backups/"),
                        req.params)
    return {"backups": items, **({"nextPageToken": token} if token else {})}


ROUTES: list[Route] = [
    route("GET", f"{_P}/instanceConfigs", "spanner.projects.instanceConfigs.list", list_configs),
    route("POST", f"{_P}/instanceConfigs", "spanner.projects.instanceConfigs.create", create_config),
    route("GET", f"{_P}/instanceConfigs/{{config}}", "spanner.projects.instanceConfigs.get", get_config),
    route("GET", f"{_P}/instances", "spanner.projects.instances.list", list_instances),
    route("POST", f"{_P}/instances", "spanner.projects.instances.create", create_instance),
    route("GET", f"{_P}/instances/{{instance}}", "spanner.projects.instances.get", get_instance),
    route("POST", f"{_P}/instances/{{instance}}/databases", "spanner.projects.instances.databases.create",
          create_database),
    route("GET", f"{_P}/instances/{{instance}}/backups", "spanner.projects.instances.backups.list", list_backups),
    route("POST", f"{_P}/instances/{{instance}}/backups", "spanner.projects.instances.backups.create", create_backup),
    route("POST", f"{_P}/instances/{{instance}}/backups:copy", "spanner.projects.instances.backups.copy",
          copy_backup),
]
