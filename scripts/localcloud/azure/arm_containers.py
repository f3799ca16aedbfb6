"""ARM handlers for blob containers: immutability policies and legal holds.

Shapes follow the Storage Resource Provider REST reference, api-version 2025-08-01:
`storagerp/blob-containers/create-or-update-immutability-policy`, `.../get-immutability-policy`,
`.../lock-immutability-policy` and `.../set-legal-hold`.
"""

from __future__ import annotations

from typing import Any

from scripts.localcloud.azure.request import Reply, Request
from scripts.localcloud.azure.store import Account, Store, StoreError, unique_stamp


def denied_read(store: Store, request: Request, sub: str) -> None:
    """403 for reads of a denied subscription; 404 for a subscription nothing was created in."""
    if sub.lower() not in {known.lower() for known in store.subscriptions}:
        raise StoreError(404, "SubscriptionNotFound", f"The subscription '{sub}' could not be found.")
    if request.method == "GET" and sub.lower() in store.denied:
        raise StoreError(
            403, "AuthorizationFailed",
            f"The client does not have authorization to perform action 'Microsoft.Storage/"
            f"storageAccounts/read' over scope '/subscriptions/{sub}' or the scope is invalid.",
        )


def _immutability_json(account: Account, container: str, props: dict[str, Any]) -> Reply:
    """Blob Containers - Get Immutability Policy (`storagerp/blob-containers/get-immutability-policy`)."""
    etag = str(props["etag"])
    body = {"id": f"{account.id}/blobServices/default/containers/{container}/immutabilityPolicies/default",
            "name": "default", "etag": etag,
            "type": "Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies",
            "properties": {k: v for k, v in props.items() if k != "etag"}}
    return 200, body, {"ETag": etag}


def put_immutability(store: Store, request: Request, match: dict[str, str]) -> Reply:
    account = store.account(match["sub"], match["rg"], match["name"])
    container = store.container(account.name, match["container"])
    if container.immutability and container.immutability.get("state") == "Locked":
        raise StoreError(409, "ContainerImmutabilityPolicyLocked", "A locked immutability policy cannot be changed.")
    props = dict(request.body.get("properties") or {})
    container.immutability = {
        "immutabilityPeriodSinceCreationInDays": int(props.get("immutabilityPeriodSinceCreationInDays") or 1),
        "allowProtectedAppendWrites": bool(props.get("allowProtectedAppendWrites")),
        "state": "Unlocked", "etag": f'"{unique_stamp()}"',
    }
    return _immutability_json(account, container.name, container.immutability)


def get_immutability(store: Store, request: Request, match: dict[str, str]) -> Reply:
    denied_read(store, request, match["sub"])
    account = store.account(match["sub"], match["rg"], match["name"])
    container = store.container(account.name, match["container"])
    if container.immutability is None:
        raise StoreError(404, "ImmutabilityPolicyNotFound", "The container has no immutability policy.")
    return _immutability_json(account, container.name, container.immutability)


def lock_immutability(store: Store, request: Request, match: dict[str, str]) -> Reply:
    """Blob Containers - Lock Immutability Policy: needs the policy's ETag in If-Match."""
    account = store.account(match["sub"], match["rg"], match["name"])
    container = store.container(account.name, match["container"])
    policy = container.immutability
    if policy is None or request.headers.get("if-match") != policy["etag"]:
        raise StoreError(412, "ConditionNotMet", "If-Match does not match the immutability policy's ETag.")
    policy.update(state="Locked", etag=f'"{unique_stamp()}"')
    return _immutability_json(account, container.name, policy)


def set_legal_hold(store: Store, request: Request, match: dict[str, str]) -> Reply:
    """Blob Containers - Set Legal Hold (`storagerp/blob-containers/set-legal-hold`)."""
    account = store.account(match["sub"], match["rg"], match["name"])
    container = store.container(account.name, match["container"])
    for tag in request.body.get("tags") or []:
        if tag not in container.legal_hold_tags:
            container.legal_hold_tags.append(str(tag))
    return 200, {"hasLegalHold": bool(container.legal_hold_tags), "tags": container.legal_hold_tags}, {}
