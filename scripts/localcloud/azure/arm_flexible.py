"""Azure Database for PostgreSQL and MySQL flexible servers on the local ARM server, in the shapes
of `postgresql/flexibleserver/servers/get` (api-version 2026-10-01, azure-mgmt-postgresqlflexibleservers
3.0) and `mysql/flexibleserver/servers/get` (2024-12-30, azure-mgmt-mysqlflexibleservers 1.0), and
their `replicas` lists.

As on Azure: a create answers 202 with an Azure-AsyncOperation (the only first status the
PostgreSQL SDK accepts); a new server needs an administrator login and password, a SKU and a
version; a `Replica` create needs an existing source server of the same engine that is not itself
a replica, and takes its version and SKU; geo-redundant backup is Disabled unless asked for.
"""

from __future__ import annotations

import re
from typing import Any

from scripts.localcloud.azure.arm_containers import denied_read
from scripts.localcloud.azure.arm_resources import (
    GROUP,
    envelope,
    find,
    item_routes,
    location_code,
    must_find,
    one_of,
    page,
    require,
    resource_type,
    stamp,
)
from scripts.localcloud.azure.request import Handler, Reply, Request
from scripts.localcloud.azure.store import Store, StoreError

ENGINES = {  # namespace -> (create mode of a new server, replica roles: source, same region, other region)
    "Microsoft.DBforPostgreSQL": ("Create", ("Primary", "AsyncReplica", "GeoAsyncReplica"), "postgres.database"),
    "Microsoft.DBforMySQL": ("Default", ("Source", "Replica", "Replica"), "mysql.database"),
}
_NAME = re.compile(r"[a-z0-9][a-z0-9-]{1,61}[a-z0-9]")


def _builder(namespace: str) -> Any:
    create_mode, roles, domain = ENGINES[namespace]
    type_name = f"{namespace}/flexibleServers"

    def build(store: Store, request: Request, match: dict[str, str], rid: str) -> dict[str, Any]:
        name = match["server"]
        require(bool(_NAME.fullmatch(name)), "InvalidServerName", f"Invalid server name '{name}'.")
        for other in store.resources.values():
            if other["type"] == type_name and other["name"] == name and other["id"].lower() != rid.lower():
                raise StoreError(409, "ServerNameAlreadyExists", f"Server name '{name}' already exists.")
        body = request.body
        props = dict(body.get("properties") or {})
        location = location_code(body.get("location"), type_name)
        mode = str(props.get("createMode") or create_mode)
        existing = find(store, rid)
        if mode == "Replica":
            source = must_find(store, str(props.get("sourceServerResourceId")), "source server")
            require(resource_type(source["id"]) == type_name, "InvalidParameterValue",
                    "A replica's source must be a server of the same engine.")
            require(source["properties"]["replicationRole"] in ("None", roles[0]), "InvalidParameterValue",
                    "A replica cannot be the source of another replica.")
            source["properties"]["replicationRole"] = roles[0]
            role = roles[1] if source["location"] == location else roles[2]
            return envelope(rid, body, location, sku=source["sku"], properties={
                **_server_properties(name, domain, source["properties"]["version"], "Disabled"),
                "replicationRole": role, "sourceServerResourceId": source["id"], "createMode": "Replica"})
        require(mode in (create_mode, "Default", "Create", "Update"), "InvalidParameterValue",
                f"createMode '{mode}' is not served by the local server.")
        if existing is not None:
            existing["tags"] = dict(body.get("tags") or existing.get("tags") or {})
            return existing
        require(bool(props.get("administratorLogin") and props.get("administratorLoginPassword")),
                "InvalidParameterValue", "A new server needs administratorLogin and administratorLoginPassword.")
        sku = dict(body.get("sku") or {})
        require(bool(sku.get("name")) and sku.get("tier") in ("Burstable", "GeneralPurpose", "MemoryOptimized"),
                "InvalidValuesForRequestParameters", "Values for request parameters are invalid: sku.")
        require(bool(props.get("version")), "InvalidParameterValue", "A new server needs a version.")
        geo = one_of((props.get("backup") or {}).get("geoRedundantBackup"), ("Enabled", "Disabled"),
                     "backup.geoRedundantBackup", "Disabled")
        return envelope(rid, body, location, sku=sku, properties={
            **_server_properties(name, domain, str(props["version"]), geo),
            "administratorLogin": props["administratorLogin"], "replicationRole": "None"})

    return build


def _server_properties(name: str, domain: str, version: str, geo: str) -> dict[str, Any]:
    return {"version": version, "state": "Ready", "fullyQualifiedDomainName": f"{name}.{domain}.azure.com",
            "storage": {"storageSizeGB": 32, "autoGrow": "Disabled"},
            "backup": {"backupRetentionDays": 7, "geoRedundantBackup": geo, "earliestRestoreDate": stamp()},
            "highAvailability": {"mode": "Disabled"}, "network": {"publicNetworkAccess": "Enabled"}}


def _replicas(namespace: str) -> Handler:
    type_name = f"{namespace}/flexibleServers"

    def handle(store: Store, request: Request, match: dict[str, str]) -> Reply:
        """Replicas - List By Server: the servers whose source is this one."""
        denied_read(store, request, match["sub"])
        server = must_find(store, request.path.rstrip("/").rsplit("/replicas", 1)[0], "server")
        found = [r for r in store.resources.values() if r["type"] == type_name
                 and str(r["properties"].get("sourceServerResourceId", "")).lower() == server["id"].lower()]
        return page(request, found)
    return handle


def _routes(namespace: str) -> list[tuple[str, str, Handler]]:
    server = GROUP + rf"/providers/{re.escape(namespace)}/flexibleServers/(?P<server>[^/]+)"
    return [*item_routes(server, f"{namespace}/flexibleServers", _builder(namespace), 202),
            ("GET", server + r"/replicas", _replicas(namespace))]


ROUTES: list[tuple[str, str, Handler]] = [*_routes("Microsoft.DBforPostgreSQL"), *_routes("Microsoft.DBforMySQL")]
