"""Amazon Data Lifecycle Manager, which moto 5.2.5 lacks: lifecycle policies and their
cross-region copy rules, as `CreateLifecyclePolicy` made them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scripts.localcloud.aws.datastores.protocol import ApiError, Call
from scripts.localcloud.aws.datastores.state import Store, hex_id, now


@dataclass
class Dlm:
    policies: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> LifecyclePolicy (+ "region")


def create_policy(store: Store, call: Call) -> dict[str, Any]:
    params = call.params
    policy_id = hex_id("policy")
    created = now()
    store.of(call.account, Dlm).policies[policy_id] = {
        "PolicyId": policy_id, "Description": params["Description"], "State": params["State"],
        "ExecutionRoleArn": params["ExecutionRoleArn"], "DateCreated": created, "DateModified": created,
        "PolicyDetails": params.get("PolicyDetails", {}), "Tags": dict(params.get("Tags", {})),
        "PolicyArn": f"arn:aws:dlm:{call.region}:{call.account}:policy/{policy_id}", "DefaultPolicy": False,
        "region": call.region,
    }
    return {"PolicyId": policy_id}


def get_policies(store: Store, call: Call) -> dict[str, Any]:
    wanted = set(call.params.get("PolicyIds") or [])
    state = call.params.get("State")
    summaries = []
    for policy in store.of(call.account, Dlm).policies.values():
        if policy["region"] != call.region or (wanted and policy["PolicyId"] not in wanted):
            continue
        if state and policy["State"] != state:
            continue
        summaries.append({"PolicyId": policy["PolicyId"], "Description": policy["Description"],
                          "State": policy["State"], "Tags": policy["Tags"],
                          "PolicyType": policy["PolicyDetails"].get("PolicyType", "EBS_SNAPSHOT_MANAGEMENT"),
                          "DefaultPolicy": False})
    return {"Policies": summaries}


def get_policy(store: Store, call: Call) -> dict[str, Any]:
    policy = store.of(call.account, Dlm).policies.get(call.params["PolicyId"])
    if policy is None or policy["region"] != call.region:
        raise ApiError("ResourceNotFoundException", f"Policy {call.params['PolicyId']} not found", 404)
    return {"Policy": {key: value for key, value in policy.items() if key != "region"}}


OWNED = {"CreateLifecyclePolicy": create_policy, "GetLifecyclePolicies": get_policies,
         "GetLifecyclePolicy": get_policy}
