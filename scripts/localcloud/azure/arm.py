"""Azure Resource Manager handlers of the local Azure server, in the REST reference's JSON shapes.

Each handler names the public REST reference page whose shape it follows: the Storage
Resource Provider REST API (learn.microsoft.com/rest/api/storagerp/...), api-version
2025-08-01, checked against azure-mgmt-storage 25.3.0's models (which send api-version
2026-09-01; the server accepts any api-version). Reads of a subscription listed
in `Store.denied` answer 403 `AuthorizationFailed`, the way Azure answers a principal
without a role assignment there; writes still work so estates can be seeded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from scripts.localcloud.azure import arm_backup, arm_compute, arm_cosmos, arm_flexible, arm_resources, arm_sql
from scripts.localcloud.azure.arm_containers import (
    denied_read,
    get_immutability,
    lock_immutability,
    put_immutability,
    set_legal_hold,
)
from scripts.localcloud.azure.arm_inventory import get_inventory_policy, put_inventory_policy
from scripts.localcloud.azure.arm_replication import list_policies, put_policy
from scripts.localcloud.azure.arm_resources import location_code
from scripts.localcloud.azure.request import Handler, Reply, Request
from scripts.localcloud.azure.store import (
    GEO_REDUNDANT,
    Account,
    DeletedAccount,
    Store,
    StoreError,
    now,
    redundancy,
)

# Storage Accounts - Create: `sku.name` (SkuName in the REST reference).
STORAGE_SKUS = frozenset({
    "Standard_LRS", "Standard_GRS", "Standard_RAGRS", "Standard_ZRS", "Premium_LRS", "Premium_ZRS",
    "Standard_GZRS", "Standard_RAGZRS", "StandardV2_LRS", "StandardV2_GRS", "StandardV2_ZRS", "StandardV2_GZRS",
    "PremiumV2_LRS", "PremiumV2_ZRS",
})
_SA = (r"/subscriptions/(?P<sub>[^/]+)/resourceGroups/(?P<rg>[^/]+)/providers/Microsoft\.Storage/"
       r"storageAccounts/(?P<name>[^/]+)")
_CONTAINER = _SA + r"/blobServices/default/containers/(?P<container>[^/]+)"




@dataclass
class Server:
    """What the handlers need beyond the store: where blob endpoints live, the page size."""

    own_url: str
    azurite_url: str | None
    azurite_accounts: frozenset[str]
    page_size: int


SETTINGS = Server("http://127.0.0.1:0", None, frozenset(), 1000)


def _rfc3339(moment: Any) -> str:
    return str(moment.strftime("%Y-%m-%dT%H:%M:%S.%f0Z"))


def account_json(account: Account, expand: str = "") -> dict[str, Any]:
    """Storage Accounts - Get Properties (REST reference `storagerp/storage-accounts/get-properties`)."""
    geo = redundancy(account.sku) in GEO_REDUNDANT
    props: dict[str, Any] = {
        "provisioningState": "Succeeded",
        "creationTime": _rfc3339(account.created),
        "primaryEndpoints": {"blob": account.blob_endpoint},
        "primaryLocation": account.location,
        "statusOfPrimary": "available",
        "supportsHttpsTrafficOnly": True,
        "accessTier": "Hot",
        "encryption": {"keySource": "Microsoft.Storage", "services": {"blob": {"enabled": True}}},
    }
    secondary = account.secondary_location
    if geo and secondary:
        props["secondaryLocation"] = secondary
        props["statusOfSecondary"] = "available"
    if geo and "georeplicationstats" in expand.lower():
        props["geoReplicationStats"] = {
            "status": "Live", "lastSyncTime": _rfc3339(now()), "canFailover": True,
            "canPlannedFailover": True, "postFailoverRedundancy": "Standard_LRS",
            "postPlannedFailoverRedundancy": account.sku,
        }
    return {
        "id": account.id, "name": account.name, "type": "Microsoft.Storage/storageAccounts",
        "location": account.location, "tags": dict(account.tags), "kind": account.kind,
        "sku": {"name": account.sku, "tier": account.sku.split("_", 1)[0]},
        "properties": props,
    }


def list_subscriptions(store: Store, request: Request, _: dict[str, str]) -> Reply:
    """Subscriptions - List (`resources/subscriptions/subscriptions/list`, api-version 2022-12-01)."""
    value = [
        {"id": f"/subscriptions/{sub}", "subscriptionId": sub, "displayName": name,
         "state": "Enabled", "tenantId": "00000000-0000-0000-0000-000000000001",
         "authorizationSource": "RoleBased",
         "subscriptionPolicies": {"locationPlacementId": "Public_2014-09-01", "quotaId": "PayAsYouGo_2014-09-01",
                                  "spendingLimit": "Off"}}
        for sub, name in sorted(store.subscriptions.items())
    ]
    return 200, {"value": value}, {}


def list_accounts(store: Store, request: Request, match: dict[str, str]) -> Reply:
    """Storage Accounts - List (`storagerp/storage-accounts/list`): paged, `nextLink` with a skip token."""
    sub = match["sub"]
    denied_read(store, request, sub)
    rg = match.get("rg")
    accounts = sorted(
        (a for a in store.accounts.values()
         if a.subscription.lower() == sub.lower() and (rg is None or a.resource_group.lower() == rg.lower())),
        key=lambda a: a.name,
    )
    start = int(request.query.get("$skipToken", "0") or 0)
    page = accounts[start:start + SETTINGS.page_size]
    body: dict[str, Any] = {"value": [account_json(a) for a in page]}
    if start + SETTINGS.page_size < len(accounts):
        version = request.query.get("api-version", "2025-06-01")
        body["nextLink"] = (
            f"{SETTINGS.own_url}{request.path}?api-version={version}&$skipToken={start + SETTINGS.page_size}"
        )
    return 200, body, {}


def _blob_endpoint(name: str) -> str:
    if SETTINGS.azurite_url and name in SETTINGS.azurite_accounts:
        return f"{SETTINGS.azurite_url}/{name}/"
    return f"{SETTINGS.own_url}/{name}/"


def put_account(store: Store, request: Request, match: dict[str, str]) -> Reply:
    """Storage Accounts - Create (`storagerp/storage-accounts/create`): completes at once (200)."""
    sub, rg, name = match["sub"], match["rg"], match["name"]
    if not re.fullmatch(r"[a-z0-9]{3,24}", name):
        raise StoreError(400, "AccountNameInvalid", f"{name} is not a valid storage account name.")
    existing = store.accounts.get(name)
    if existing is not None and existing.subscription.lower() != sub.lower():
        raise StoreError(409, "StorageAccountAlreadyTaken", f"The storage account named {name} is already taken.")
    store.require_group(sub, rg)
    body = request.body
    sku = (body.get("sku") or {}).get("name")
    if sku not in STORAGE_SKUS:
        raise StoreError(400, "InvalidValuesForRequestParameters", "Values for request parameters are invalid: sku.")
    account = Account(
        subscription=sub, resource_group=rg, name=name,
        location=location_code(body.get("location"), "Microsoft.Storage/storageAccounts"),
        sku=str(sku), kind=str(body.get("kind", "StorageV2")),
        tags=dict(body.get("tags") or {}), blob_endpoint=_blob_endpoint(name),
    )
    if existing is not None:
        account.blob_service, account.replication = existing.blob_service, existing.replication
    store.accounts[name] = account
    store.subscriptions.setdefault(sub, sub)
    return 200, account_json(account), {}


def get_account(store: Store, request: Request, match: dict[str, str]) -> Reply:
    denied_read(store, request, match["sub"])
    account = store.account(match["sub"], match["rg"], match["name"])
    return 200, account_json(account, request.query.get("$expand", "")), {}


def delete_account(store: Store, request: Request, match: dict[str, str]) -> Reply:
    """Storage Accounts - Delete: leaves a Deleted Accounts entry (recoverable, 14 days)."""
    store.delete_account(match["sub"], match["rg"], match["name"])
    return 200, {}, {}


def _blob_service_json(account: Account) -> dict[str, Any]:
    """Blob Services - Get Service Properties (`storagerp/blob-services/get-service-properties`)."""
    props = {"cors": {"corsRules": []}, "deleteRetentionPolicy": {"enabled": False},
             "containerDeleteRetentionPolicy": {"enabled": False}, "isVersioningEnabled": False,
             "changeFeed": {"enabled": False}}
    props.update(account.blob_service)
    return {"id": f"{account.id}/blobServices/default", "name": "default",
            "type": "Microsoft.Storage/storageAccounts/blobServices",
            "sku": {"name": account.sku, "tier": account.sku.split("_", 1)[0]}, "properties": props}


def get_blob_service(store: Store, request: Request, match: dict[str, str]) -> Reply:
    denied_read(store, request, match["sub"])
    return 200, _blob_service_json(store.account(match["sub"], match["rg"], match["name"])), {}


def put_blob_service(store: Store, request: Request, match: dict[str, str]) -> Reply:
    """Blob Services - Set Service Properties: merges the given `properties`."""
    account = store.account(match["sub"], match["rg"], match["name"])
    props = dict(request.body.get("properties") or {})
    if account.replication and (props.get("isVersioningEnabled") is False
                                or (props.get("changeFeed") or {}).get("enabled") is False):
        raise StoreError(400, "InvalidRequestPropertyValue",
                         "Blob versioning and the change feed cannot be turned off while object replication "
                         "is enabled.")
    account.blob_service.update(props)
    return 200, _blob_service_json(account), {}


def _deleted_json(entry: DeletedAccount) -> dict[str, Any]:
    """Deleted Accounts - List (`storagerp/deleted-accounts/list`)."""
    account = entry.account
    return {
        "id": f"/subscriptions/{account.subscription}/providers/Microsoft.Storage/locations/"
              f"{account.location}/deletedAccounts/{account.name}",
        "name": account.name, "type": "Microsoft.Storage/deletedAccounts",
        "properties": {"storageAccountResourceId": account.id, "location": account.location,
                       "restoreReference": f"{account.name}|{_rfc3339(account.created)}",
                       "creationTime": _rfc3339(account.created), "deletionTime": _rfc3339(entry.deleted)},
    }


def list_deleted(store: Store, request: Request, match: dict[str, str]) -> Reply:
    denied_read(store, request, match["sub"])
    value = [_deleted_json(d) for d in store.deleted if d.account.subscription.lower() == match["sub"].lower()]
    return 200, {"value": value}, {}


ROUTES: list[tuple[str, re.Pattern[str], Handler]] = [
    (method, re.compile(pattern + r"/?", re.IGNORECASE), handler)
    for method, pattern, handler in [
        ("GET", r"/subscriptions", list_subscriptions),
        ("GET", r"/subscriptions/(?P<sub>[^/]+)/providers/Microsoft\.Storage/storageAccounts", list_accounts),
        ("GET", r"/subscriptions/(?P<sub>[^/]+)/resourceGroups/(?P<rg>[^/]+)/providers/Microsoft\.Storage/"
                r"storageAccounts", list_accounts),
        ("GET", r"/subscriptions/(?P<sub>[^/]+)/providers/Microsoft\.Storage/deletedAccounts", list_deleted),
        ("PUT", _SA, put_account),
        ("GET", _SA, get_account),
        ("DELETE", _SA, delete_account),
        ("GET", _SA + r"/blobServices/default", get_blob_service),
        ("PUT", _SA + r"/blobServices/default", put_blob_service),
        ("GET", _SA + r"/objectReplicationPolicies", list_policies),
        ("PUT", _SA + r"/objectReplicationPolicies/(?P<policy>[^/]+)", put_policy),
        ("GET", _SA + r"/inventoryPolicies/default", get_inventory_policy),
        ("PUT", _SA + r"/inventoryPolicies/default", put_inventory_policy),
        ("PUT", _CONTAINER + r"/immutabilityPolicies/default", put_immutability),
        ("GET", _CONTAINER + r"/immutabilityPolicies/default", get_immutability),
        ("POST", _CONTAINER + r"/immutabilityPolicies/default/lock", lock_immutability),
        ("POST", _CONTAINER + r"/setLegalHold", set_legal_hold),
        *arm_resources.ROUTES, *arm_sql.ROUTES, *arm_cosmos.ROUTES, *arm_compute.ROUTES, *arm_backup.ROUTES,
        *arm_flexible.ROUTES,
    ]
]


def handle(store: Store, request: Request) -> Reply:
    """Dispatch one ARM request; errors in the ARM error shape (`{"error": {code, message}}`)."""
    known_path = False
    for method, pattern, handler in ROUTES:
        match = pattern.fullmatch(request.path)
        if match is None:
            continue
        known_path = True
        if method == request.method:
            try:
                with store.lock:
                    return handler(store, request, {k: v for k, v in match.groupdict().items() if v})
            except StoreError as error:
                return error.status, {"error": {"code": error.code, "message": error.message}}, {}
    if known_path:
        return 405, {"error": {"code": "MethodNotAllowed", "message": f"{request.method} is not supported here."}}, {}
    return 404, {"error": {"code": "InvalidResourceType", "message": f"No handler for {request.path}."}}, {}
