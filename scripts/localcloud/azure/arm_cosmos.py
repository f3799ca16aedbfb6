"""Azure Cosmos DB accounts (Microsoft.DocumentDB) on the local ARM server, in the shapes of
`cosmos-db-resource-provider/database-accounts/get` (api-version 2026-03-15, azure-mgmt-cosmosdb 10).

A create answers 200 with provisioningState Creating and an Azure-AsyncOperation (the only first
status azure-mgmt-cosmosdb accepts). Azure fills what the reads return: `writeLocations` (the
region of failover priority 0, or every region with multiple write locations), `readLocations`,
`failoverPolicies`, and the default backup policy (periodic, geo-redundant backup storage).
"""

from __future__ import annotations

import re
from typing import Any

from scripts.localcloud.azure.arm_resources import (
    GROUP,
    REGIONS,
    envelope,
    find,
    item_routes,
    location_code,
    one_of,
    require,
)
from scripts.localcloud.azure.request import Handler, Request
from scripts.localcloud.azure.store import Store, StoreError

ACCOUNT = GROUP + r"/providers/Microsoft\.DocumentDB/databaseAccounts/(?P<name>[^/]+)"
TYPE = "Microsoft.DocumentDB/databaseAccounts"
DEFAULT_BACKUP: dict[str, Any] = {"type": "Periodic", "periodicModeProperties": {
    "backupIntervalInMinutes": 240, "backupRetentionIntervalInHours": 8, "backupStorageRedundancy": "Geo"}}


def _regions(name: str, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    require(bool(entries), "BadRequest", "At least one location is required for a database account.")
    found: dict[str, dict[str, Any]] = {}
    for entry in entries:
        code = location_code(entry.get("locationName"), TYPE, "locationName")
        require(code not in found, "BadRequest", f"Location '{code}' is listed more than once.")
        found[code] = {"id": f"{name}-{code}", "locationName": REGIONS[code],
                       "documentEndpoint": f"https://{name}-{code}.documents.azure.com:443/",
                       "provisioningState": "Succeeded", "failoverPriority": int(entry.get("failoverPriority") or 0),
                       "isZoneRedundant": bool(entry.get("isZoneRedundant"))}
    priorities = sorted(e["failoverPriority"] for e in found.values())
    require(priorities == list(range(len(priorities))), "BadRequest",
            "Failover priorities must be unique and run from 0 without gaps.")
    return sorted(found.values(), key=lambda e: e["failoverPriority"])


def _backup(policy: dict[str, Any] | None) -> dict[str, Any]:
    if not policy:
        return dict(DEFAULT_BACKUP)
    mode = one_of(policy.get("type"), ("Periodic", "Continuous"), "backupPolicy.type")
    if mode == "Continuous":
        return {"type": "Continuous", "continuousModeProperties": policy.get("continuousModeProperties")
                or {"tier": "Continuous30Days"}}
    periodic = {**DEFAULT_BACKUP["periodicModeProperties"], **(policy.get("periodicModeProperties") or {})}
    periodic["backupStorageRedundancy"] = one_of(periodic.get("backupStorageRedundancy"), ("Geo", "Local", "Zone"),
                                                 "backupPolicy.periodicModeProperties.backupStorageRedundancy")
    return {"type": "Periodic", "periodicModeProperties": periodic}


def build_account(store: Store, request: Request, match: dict[str, str], rid: str) -> dict[str, Any]:
    name = match["name"]
    require(bool(re.fullmatch(r"[a-z0-9][a-z0-9-]{1,42}[a-z0-9]", name)), "BadRequest",
            f"Database account name '{name}' is invalid: 3-44 lower-case letters, digits and hyphens.")
    for other in store.resources.values():
        if other["type"] == TYPE and other["name"] == name and other["id"].lower() != rid.lower():
            raise StoreError(409, "Conflict", f"Database account '{name}' already exists.")
    body = request.body
    props = dict(body.get("properties") or {})
    one_of(props.get("databaseAccountOfferType"), ("Standard",), "properties.databaseAccountOfferType")
    regions = _regions(name, list(props.get("locations") or []))
    multi_write = bool(props.get("enableMultipleWriteLocations"))
    writes = regions if multi_write else regions[:1]
    existing = find(store, rid)
    backup = _backup(props.get("backupPolicy") or (existing or {}).get("properties", {}).get("backupPolicy"))
    return envelope(rid, body, location_code(body.get("location"), TYPE), kind=body.get("kind") or "GlobalDocumentDB",
                    properties={
                        "documentEndpoint": f"https://{name}.documents.azure.com:443/",
                        "databaseAccountOfferType": "Standard", "enableMultipleWriteLocations": multi_write,
                        "enableAutomaticFailover": bool(props.get("enableAutomaticFailover")),
                        "consistencyPolicy": props.get("consistencyPolicy") or {"defaultConsistencyLevel": "Session"},
                        "locations": regions, "readLocations": regions, "writeLocations": writes,
                        "failoverPolicies": [{"id": r["id"], "locationName": r["locationName"],
                                              "failoverPriority": r["failoverPriority"]} for r in regions],
                        "backupPolicy": backup, "instanceId": rid.lower().rsplit("/", 1)[-1],
                    })


ROUTES: list[tuple[str, str, Handler]] = item_routes(ACCOUNT, TYPE, build_account, 200)
