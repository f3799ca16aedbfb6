"""Object replication policies on the local ARM server (`storagerp/object-replication-policies`,
api-version 2025-08-01), as strict as Azure: versioning on both accounts, the change feed on the
source, the destination first (policy id `default`), then the source with the ids it returned."""

from __future__ import annotations

import uuid
from typing import Any

from scripts.localcloud.azure.arm_containers import denied_read
from scripts.localcloud.azure.request import Reply, Request
from scripts.localcloud.azure.store import Account, Store, StoreError, now


def _rfc3339(moment: Any) -> str:
    return str(moment.strftime("%Y-%m-%dT%H:%M:%S.%f0Z"))


def _policy_json(account: Account, policy_id: str) -> dict[str, Any]:
    """Object Replication Policies - Get (`storagerp/object-replication-policies/get`)."""
    return {"id": f"{account.id}/objectReplicationPolicies/{policy_id}", "name": policy_id,
            "type": "Microsoft.Storage/storageAccounts/objectReplicationPolicies",
            "properties": account.replication[policy_id]}


def list_policies(store: Store, request: Request, match: dict[str, str]) -> Reply:
    """Object Replication Policies - List (`storagerp/object-replication-policies/list`)."""
    denied_read(store, request, match["sub"])
    account = store.account(match["sub"], match["rg"], match["name"])
    return 200, {"value": [_policy_json(account, pid) for pid in sorted(account.replication)]}, {}


def _named(store: Store, reference: object) -> Account | None:
    """The account a policy names (full resource id or bare name), when this server holds it."""
    name = str(reference or "").rstrip("/").rsplit("/", 1)[-1].lower()
    return store.accounts.get(name)


def _require_replication_settings(store: Store, props: dict[str, Any]) -> None:
    """Object replication needs blob versioning on both accounts and the change feed on the source."""
    source, destination = _named(store, props.get("sourceAccount")), _named(store, props.get("destinationAccount"))
    for account, role in ((source, "source"), (destination, "destination")):
        if account is not None and not account.service_flag("isVersioningEnabled"):
            raise StoreError(400, "InvalidRequestPropertyValue",
                             f"Object replication requires blob versioning on the {role} account {account.name}.")
    if source is not None and not (source.blob_service.get("changeFeed") or {}).get("enabled"):
        raise StoreError(400, "InvalidRequestPropertyValue",
                         f"Object replication requires the change feed on the source account {source.name}.")


def put_policy(store: Store, request: Request, match: dict[str, str]) -> Reply:
    """Object Replication Policies - Create Or Update. As on Azure, the destination account gets the
    policy first (policy id `default`, answered with a new policy id and rule ids); the source account
    then gets it under that id, every rule with the rule id the destination gave it."""
    account = store.account(match["sub"], match["rg"], match["name"])
    props = dict(request.body.get("properties") or {})
    _require_replication_settings(store, props)
    destination = _named(store, props.get("destinationAccount"))
    if match["policy"] == "default":
        if destination is None or destination.name != account.name:
            raise StoreError(400, "InvalidRequestPropertyValue",
                             "Policy id 'default' creates a policy on its destination account only; create it "
                             "there first and use the policy id it returns on the source account.")
        policy_id = str(uuid.uuid4())
        rules = [dict(rule, ruleId=str(uuid.uuid4())) for rule in props.get("rules") or []]
    else:
        policy_id = match["policy"]
        rules = [dict(rule) for rule in props.get("rules") or []]
        given = destination.replication.get(policy_id) if destination is not None else None
        known = {str(rule.get("ruleId")) for rule in (given or {}).get("rules") or []}
        if destination is not None and given is None:
            raise StoreError(404, "ObjectReplicationPolicyNotFound",
                             f"The destination account has no object replication policy '{policy_id}'.")
        if any(not rule.get("ruleId") or (given is not None and rule["ruleId"] not in known) for rule in rules):
            raise StoreError(400, "InvalidRequestPropertyValue",
                             "Every rule of a source-side object replication policy needs the ruleId its "
                             "destination policy returned.")
    props.update(policyId=policy_id, enabledTime=_rfc3339(now()), rules=rules)
    account.replication[policy_id] = props
    return 200, _policy_json(account, policy_id), {}
