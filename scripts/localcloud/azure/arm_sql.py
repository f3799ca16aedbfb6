"""Azure SQL (Microsoft.Sql) on the local ARM server, in the shapes of the SQL REST reference
(learn.microsoft.com/rest/api/sql, api-version 2025-01-01, what azure-mgmt-sql 4.0 sends).

Servers, databases (a `Secondary` create makes a geo-replica and the replication links on both
sides, as Azure does), failover groups (Azure creates the partner's group and a geo-secondary of
each database on the partner server), long-term retention policies (a policy with a retention
makes its first weekly backup, the one Azure would take) and long-term retention backups,
managed instances and instance failover groups. Creates answer 202 with an Azure-AsyncOperation,
as the SQL resource provider does.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from residency.catalog import load_catalog
from scripts.localcloud.azure.arm_resources import (
    GROUP,
    SUB,
    envelope,
    find,
    get_item,
    item_routes,
    list_handler,
    location_code,
    must_find,
    one_of,
    put_handler,
    require,
    save,
    stamp,
)
from scripts.localcloud.azure.request import Handler, Request
from scripts.localcloud.azure.store import Store, StoreError

SERVER = GROUP + r"/providers/Microsoft\.Sql/servers/(?P<server>[^/]+)"
DATABASE = SERVER + r"/databases/(?P<database>[^/]+)"
INSTANCE = GROUP + r"/providers/Microsoft\.Sql/managedInstances/(?P<instance>[^/]+)"
REDUNDANCY = ("Geo", "Local", "Zone", "GeoZone")
LTR = "Microsoft.Sql/locations/longTermRetentionServers/longTermRetentionDatabases/longTermRetentionBackups"
_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,61}[a-z0-9]|[a-z0-9]")


def _administrators(props: dict[str, Any], what: str) -> None:
    aad_only = bool((props.get("administrators") or {}).get("azureADOnlyAuthentication"))
    require(aad_only or bool(props.get("administratorLogin") and props.get("administratorLoginPassword")),
            "InvalidParameterValue", f"A {what} needs administratorLogin and administratorLoginPassword, "
                                     "or Microsoft Entra-only authentication.")


def build_server(store: Store, request: Request, match: dict[str, str], rid: str) -> dict[str, Any]:
    name = match["server"]
    require(bool(_NAME.fullmatch(name)), "InvalidServerName", f"Invalid server name '{name}'.")
    for other in store.resources.values():
        if other["type"] == "Microsoft.Sql/servers" and other["name"] == name and other["id"].lower() != rid.lower():
            raise StoreError(409, "ServerAlreadyExists", f"The server name '{name}' already exists. Choose another.")
    props = dict(request.body.get("properties") or {})
    existing = find(store, rid)
    if existing is None:
        _administrators(props, "server")
    location = location_code(request.body.get("location"), "Microsoft.Sql/servers")
    server = envelope(rid, request.body, location, kind="v12.0", properties={
        "administratorLogin": props.get("administratorLogin"), "version": "12.0", "state": "Ready",
        "fullyQualifiedDomainName": f"{name}.database.windows.net", "publicNetworkAccess": "Enabled"})
    if existing is None:  # every server has a master database, and lists it
        save(store, envelope(f"{rid}/databases/master", {}, location, kind="v12.0,system", properties={
            "status": "Online", "requestedBackupStorageRedundancy": "Geo", "currentBackupStorageRedundancy": "Geo"}))
    return server


def _database(rid: str, body: dict[str, Any], location: str, redundancy: str, **extra: Any) -> dict[str, Any]:
    pair = load_catalog().azure_pair(location)
    return envelope(rid, body, location, kind="v12.0,user,vcore",
                    sku=body.get("sku") or {"name": "GP_Gen5", "tier": "GeneralPurpose", "family": "Gen5",
                                             "capacity": 2},
                    properties={"status": "Online", "databaseId": str(uuid.uuid4()), "creationDate": stamp(),
                                "collation": "SQL_Latin1_General_CP1_CI_AS", "zoneRedundant": False,
                                "requestedBackupStorageRedundancy": redundancy,
                                "currentBackupStorageRedundancy": redundancy,
                                **({"defaultSecondaryLocation": pair} if pair else {}), **extra})


def _link(store: Store, database: dict[str, Any], partner: dict[str, Any], role: str, link_id: str) -> None:
    """Replication Links - Get (`sql/replication-links/get`): one side of a geo-replication link."""
    partner_server = partner["id"].split("/databases/")[0]
    save(store, {
        "id": f"{database['id']}/replicationLinks/{link_id}", "name": link_id,
        "type": "Microsoft.Sql/servers/databases/replicationLinks",
        "properties": {"partnerServer": partner_server.rsplit("/", 1)[-1], "partnerDatabase": partner["name"],
                       "partnerDatabaseId": partner["id"], "partnerLocation": partner["location"],
                       "role": role, "partnerRole": "Secondary" if role == "Primary" else "Primary",
                       "replicationMode": "ASYNC", "replicationState": "CATCH_UP", "percentComplete": 100,
                       "isTerminationAllowed": True, "linkType": "GEO", "startTime": stamp()},
    })


def geo_secondary(store: Store, source: dict[str, Any], rid: str, body: dict[str, Any]) -> dict[str, Any]:
    """A geo-replica of `source` at `rid`, with the links on both sides, as a Secondary create makes."""
    server = must_find(store, rid.split("/databases/")[0], "server")
    require(server["id"].lower() != source["id"].split("/databases/")[0].lower(), "InvalidParameterValue",
            "A geo-secondary must be on another server than its primary.")
    redundancy = one_of((body.get("properties") or {}).get("requestedBackupStorageRedundancy"), REDUNDANCY,
                        "requestedBackupStorageRedundancy",
                        source["properties"]["requestedBackupStorageRedundancy"])
    secondary = save(store, _database(rid, body, server["location"], redundancy, secondaryType="Geo",
                                      createMode="Secondary", sourceDatabaseId=source["id"]))
    link_id = str(uuid.uuid4())
    _link(store, source, secondary, "Primary", link_id)
    _link(store, secondary, source, "Secondary", link_id)
    return secondary


def build_database(store: Store, request: Request, match: dict[str, str], rid: str) -> dict[str, Any]:
    server = must_find(store, rid.split("/databases/")[0], "server")
    body = request.body
    props = dict(body.get("properties") or {})
    location = location_code(body.get("location"), "Microsoft.Sql/servers/databases")
    require(location == server["location"], "InvalidParameterValue",
            f"The database location '{location}' must be the server's location '{server['location']}'.")
    mode = str(props.get("createMode") or "Default")
    if mode == "Secondary":
        source = must_find(store, str(props.get("sourceDatabaseId")), "source database")
        return geo_secondary(store, source, rid, body)
    require(mode == "Default", "InvalidParameterValue", f"createMode '{mode}' is not served by the local server.")
    existing = find(store, rid)
    default = existing["properties"]["requestedBackupStorageRedundancy"] if existing else "Geo"
    redundancy = one_of(props.get("requestedBackupStorageRedundancy"), REDUNDANCY,
                        "requestedBackupStorageRedundancy", default)
    if existing is not None:
        existing["tags"] = dict(body.get("tags") or existing.get("tags") or {})
        existing["properties"].update(requestedBackupStorageRedundancy=redundancy,
                                      currentBackupStorageRedundancy=redundancy)
        return existing
    return _database(rid, body, location, redundancy)


def build_failover_group(store: Store, request: Request, match: dict[str, str], rid: str) -> dict[str, Any]:
    server = must_find(store, rid.split("/failoverGroups/")[0], "server")
    props = dict(request.body.get("properties") or {})
    endpoint = props.get("readWriteEndpoint") or {}
    policy = one_of(endpoint.get("failoverPolicy"), ("Automatic", "Manual"), "readWriteEndpoint.failoverPolicy")
    require(policy == "Manual" or endpoint.get("failoverWithDataLossGracePeriodMinutes") is not None,
            "InvalidParameterValue", "An Automatic failover policy needs failoverWithDataLossGracePeriodMinutes.")
    partners = [must_find(store, str(p.get("id")), "partner server") for p in props.get("partnerServers") or []]
    require(bool(partners) and all(p["id"].lower() != server["id"].lower() for p in partners),
            "InvalidParameterValue", "A failover group needs a partner server other than its own server.")
    databases = [must_find(store, str(d), "database") for d in props.get("databases") or []]
    require(all(d["id"].lower().startswith(server["id"].lower() + "/") for d in databases),
            "InvalidParameterValue", "A failover group's databases must be on its primary server.")
    for partner in partners:
        for database in databases:
            database["properties"]["failoverGroupId"] = rid
            if find(store, f"{partner['id']}/databases/{database['name']}") is None:
                geo_secondary(store, database, f"{partner['id']}/databases/{database['name']}", {})
        save(store, envelope(f"{partner['id']}/failoverGroups/{match['name']}", {}, partner["location"], properties={
            "readWriteEndpoint": endpoint, "replicationRole": "Secondary", "replicationState": "CATCH_UP",
            "partnerServers": [{"id": server["id"], "location": server["location"], "replicationRole": "Primary"}],
            "databases": [f"{partner['id']}/databases/{d['name']}" for d in databases]}))
    return envelope(rid, request.body, server["location"], properties={
        "readWriteEndpoint": endpoint, "readOnlyEndpoint": props.get("readOnlyEndpoint") or {"failoverPolicy":
                                                                                                "Disabled"},
        "replicationRole": "Primary", "replicationState": "CATCH_UP",
        "partnerServers": [{"id": p["id"], "location": p["location"], "replicationRole": "Secondary"}
                           for p in partners],
        "databases": [d["id"] for d in databases]})


def build_ltr_policy(store: Store, request: Request, match: dict[str, str], rid: str) -> dict[str, Any]:
    """Long Term Retention Policies - Create Or Update; a policy that keeps anything makes its first
    weekly backup (`sql/long-term-retention-backups/get` shape), as Azure's scheduler would."""
    database = must_find(store, rid.split("/backupLongTermRetentionPolicies/")[0], "database")
    props = dict(request.body.get("properties") or {})
    kept = {k: str(props.get(k) or "PT0S") for k in ("weeklyRetention", "monthlyRetention", "yearlyRetention")}
    for key, value in kept.items():
        require(bool(re.fullmatch(r"P(T0S|\d+[DWMY])", value)), "InvalidParameterValue",
                f"'{value}' is not an ISO 8601 retention for {key}.")
    if any(value != "PT0S" for value in kept.values()):
        sub, server = match["sub"], match["server"]
        name = f"{uuid.uuid4()};{int(1e7 * 11644473600)}"
        backup_id = (f"/subscriptions/{sub}/providers/Microsoft.Sql/locations/{database['location']}/"
                     f"longTermRetentionServers/{server}/longTermRetentionDatabases/{database['name']}/"
                     f"longTermRetentionBackups/{name}")
        redundancy = database["properties"]["currentBackupStorageRedundancy"]
        save(store, {"id": backup_id, "name": name, "type": LTR, "properties": {
            "serverName": server, "serverCreateTime": stamp(), "databaseName": database["name"], "backupTime": stamp(),
            "backupExpirationTime": stamp(), "backupStorageRedundancy": redundancy,
            "requestedBackupStorageRedundancy": redundancy, "isBackupImmutable": False,
            "backupStorageAccessTier": "Hot"}})
    return {"id": rid, "name": "default", "type": "Microsoft.Sql/servers/databases/backupLongTermRetentionPolicies",
            "properties": {**kept, "weekOfYear": int(props.get("weekOfYear") or 1)}}


def build_instance(store: Store, request: Request, match: dict[str, str], rid: str) -> dict[str, Any]:
    props = dict(request.body.get("properties") or {})
    existing = find(store, rid)
    if existing is None:
        _administrators(props, "managed instance")
        require(bool(re.fullmatch(r"/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\.Network/"
                                  r"virtualNetworks/[^/]+/subnets/[^/]+", str(props.get("subnetId") or ""),
                                  re.IGNORECASE)), "InvalidParameterValue", "A managed instance needs a subnetId.")
    sku = dict(request.body.get("sku") or {})
    require(bool(re.fullmatch(r"(GP|BC)_(Gen5|G8IM|G8IH)", str(sku.get("name") or ""))),
            "InvalidValuesForRequestParameters", f"Values for request parameters are invalid: sku ({sku.get('name')}).")
    redundancy = one_of(props.get("requestedBackupStorageRedundancy"), REDUNDANCY,
                        "requestedBackupStorageRedundancy", "Geo")
    location = location_code(request.body.get("location"), "Microsoft.Sql/managedInstances")
    return envelope(rid, request.body, location, sku=sku, properties={
        "subnetId": props.get("subnetId") or (existing or {}).get("properties", {}).get("subnetId"),
        "state": "Ready", "fullyQualifiedDomainName": f"{match['instance']}.0000.database.windows.net",
        "vCores": int(props.get("vCores") or 8), "storageSizeInGB": int(props.get("storageSizeInGB") or 256),
        "requestedBackupStorageRedundancy": redundancy, "currentBackupStorageRedundancy": redundancy,
        "administratorLogin": props.get("administratorLogin")})


def build_instance_group(store: Store, request: Request, match: dict[str, str], rid: str) -> dict[str, Any]:
    """Instance Failover Groups - Create Or Update (`sql/instance-failover-groups/create-or-update`)."""
    props = dict(request.body.get("properties") or {})
    location = location_code(match["location"], "Microsoft.Sql/locations/instanceFailoverGroups")
    one_of((props.get("readWriteEndpoint") or {}).get("failoverPolicy"), ("Automatic", "Manual"),
           "readWriteEndpoint.failoverPolicy")
    pairs = props.get("managedInstancePairs") or []
    require(bool(pairs), "InvalidParameterValue", "An instance failover group needs managedInstancePairs.")
    regions = []
    for pair in pairs:
        primary = must_find(store, str(pair.get("primaryManagedInstanceId")), "managed instance")
        partner = must_find(store, str(pair.get("partnerManagedInstanceId")), "managed instance")
        require(primary["location"] == location and partner["location"] != location, "InvalidParameterValue",
                "The primary instance must be in the group's location and its partner in another region.")
        regions.append({"location": partner["location"], "replicationRole": "Secondary"})
    return {"id": rid, "name": match["name"], "type": "Microsoft.Sql/locations/instanceFailoverGroups",
            "properties": {"readWriteEndpoint": props.get("readWriteEndpoint"), "replicationRole": "Primary",
                           "replicationState": "CATCH_UP", "partnerRegions": regions[:1],
                           "managedInstancePairs": pairs}}


_LTR_SERVER = (SUB + r"/providers/Microsoft\.Sql/locations/(?P<location>[^/]+)/longTermRetentionServers/"
               r"(?P<server>[^/]+)")
_INSTANCE_GROUPS = GROUP + r"/providers/Microsoft\.Sql/locations/(?P<location>[^/]+)/instanceFailoverGroups"


def _ltr_scope(match: dict[str, str]) -> str:
    return (f"/subscriptions/{match['sub']}/providers/Microsoft.Sql/locations/{match['location']}/"
            f"longTermRetentionServers/{match['server']}")


def _group_scope(match: dict[str, str]) -> str:
    return (f"/subscriptions/{match['sub']}/resourceGroups/{match['rg']}/providers/Microsoft.Sql/locations/"
            f"{match['location']}")


ROUTES: list[tuple[str, str, Handler]] = [
    *item_routes(SERVER, "Microsoft.Sql/servers", build_server, 202),
    *item_routes(DATABASE, "Microsoft.Sql/servers/databases", build_database, 202),
    *item_routes(SERVER + r"/failoverGroups/(?P<name>[^/]+)", "Microsoft.Sql/servers/failoverGroups",
                 build_failover_group, 202),
    ("GET", DATABASE + r"/replicationLinks", list_handler("Microsoft.Sql/servers/databases/replicationLinks")),
    ("GET", DATABASE + r"/replicationLinks/[^/]+", get_item),
    ("PUT", DATABASE + r"/backupLongTermRetentionPolicies/(?P<policy>default)", put_handler(build_ltr_policy, 202)),
    ("GET", DATABASE + r"/backupLongTermRetentionPolicies/default", get_item),
    ("GET", _LTR_SERVER + r"/longTermRetentionBackups", list_handler(LTR, _ltr_scope)),
    ("GET", _LTR_SERVER + r"/longTermRetentionDatabases/[^/]+/longTermRetentionBackups/[^/]+", get_item),
    *item_routes(INSTANCE, "Microsoft.Sql/managedInstances", build_instance, 202),
    ("PUT", _INSTANCE_GROUPS + r"/(?P<name>[^/]+)", put_handler(build_instance_group, 202)),
    ("GET", _INSTANCE_GROUPS + r"/[^/]+", get_item),
    ("GET", _INSTANCE_GROUPS, list_handler("Microsoft.Sql/locations/instanceFailoverGroups", _group_scope)),
]
