"""Blob Inventory Policies of the local Azure management server (`storagerp/blob-inventory-policies`).

`PUT .../inventoryPolicies/default` stores the policy as sent, `GET` returns it (404
`BlobInventoryPolicyNotFound`... as Azure does when none is set). The server never runs an
inventory: scripts/localcloud/inventory_reports.py writes the reports a run would write.
"""

from __future__ import annotations

from typing import Any

from scripts.localcloud.azure.arm_containers import denied_read
from scripts.localcloud.azure.request import Reply, Request
from scripts.localcloud.azure.store import Account, Store, StoreError, now


def _json(account: Account) -> dict[str, Any]:
    return {"id": f"{account.id}/inventoryPolicies/default", "name": "DefaultInventoryPolicy",
            "type": "Microsoft.Storage/storageAccounts/inventoryPolicies",
            "properties": {"lastModifiedTime": now().strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                           "policy": account.inventory_policy}}


def put_inventory_policy(store: Store, request: Request, match: dict[str, str]) -> Reply:
    account = store.account(match["sub"], match["rg"], match["name"])
    policy = (request.body.get("properties") or {}).get("policy")
    if not isinstance(policy, dict) or not policy.get("rules"):
        raise StoreError(400, "InvalidInventoryPolicy", "The inventory policy needs at least one rule.")
    account.inventory_policy = policy
    return 200, _json(account), {}


def get_inventory_policy(store: Store, request: Request, match: dict[str, str]) -> Reply:
    denied_read(store, request, match["sub"])
    account = store.account(match["sub"], match["rg"], match["name"])
    if account.inventory_policy is None:
        raise StoreError(404, "BlobInventoryPolicyNotFound", "The blob inventory policy was not found.")
    return 200, _json(account), {}
