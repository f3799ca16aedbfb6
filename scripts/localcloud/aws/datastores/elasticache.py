"""ElastiCache global datastores, which moto 5.2.5 lacks.

Replication groups stay moto's; this server learns them from moto's answers to
CreateReplicationGroup, keeps `CreateGlobalReplicationGroup` (the primary) and secondaries joined
with `CreateReplicationGroup(GlobalReplicationGroupId=...)` in other regions, and answers
`DescribeGlobalReplicationGroups` and each member's `GlobalReplicationGroupInfo`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scripts.localcloud.aws.datastores.protocol import ApiError, Call
from scripts.localcloud.aws.datastores.state import Store

# AWS prefixes a global datastore's id with a few letters of its primary region.
_REGION_PREFIX = {"us-east-1": "ldgnf", "us-east-2": "vlqxn", "us-west-1": "virxk", "us-west-2": "sgaui",
                  "eu-west-1": "fpkhr", "eu-central-1": "iudkw", "eu-west-2": "okuqm", "ap-southeast-1": "qxisk"}


@dataclass
class Cache:
    groups: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)  # (region, id) -> ReplicationGroup
    global_groups: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> GlobalReplicationGroup
    membership: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)  # group -> (global id, role)


def group_created(store: Store, call: Call, upstream: dict[str, Any]) -> dict[str, Any]:
    state = store.of(call.account, Cache)
    group = upstream["ReplicationGroup"]
    state.groups[(call.region, group["ReplicationGroupId"])] = group
    global_id = call.params.get("GlobalReplicationGroupId")
    if global_id:
        if global_id not in state.global_groups:
            raise ApiError("GlobalReplicationGroupNotFoundFault", f"{global_id} not found", 404)
        _join(state, global_id, call.region, group["ReplicationGroupId"], "SECONDARY")
        group["GlobalReplicationGroupInfo"] = {"GlobalReplicationGroupId": global_id,
                                               "GlobalReplicationGroupMemberRole": "SECONDARY"}
    return upstream


def _join(state: Cache, global_id: str, region: str, group_id: str, role: str) -> None:
    state.global_groups[global_id]["Members"].append({
        "ReplicationGroupId": group_id, "ReplicationGroupRegion": region, "Role": role,
        "AutomaticFailover": "disabled", "Status": "associated"})
    state.membership[(region, group_id)] = (global_id, role)


def create_global_group(store: Store, call: Call) -> dict[str, Any]:
    state = store.of(call.account, Cache)
    primary = state.groups.get((call.region, call.params["PrimaryReplicationGroupId"]))
    if primary is None:
        raise ApiError("ReplicationGroupNotFoundFault",
                       f"Replication group {call.params['PrimaryReplicationGroupId']} not found", 404)
    global_id = f"{_REGION_PREFIX.get(call.region, 'xyzab')}-{call.params['GlobalReplicationGroupIdSuffix']}"
    if global_id in state.global_groups:
        raise ApiError("GlobalReplicationGroupAlreadyExistsFault", f"{global_id} already exists")
    state.global_groups[global_id] = {
        "GlobalReplicationGroupId": global_id, "Status": "available",
        "GlobalReplicationGroupDescription": call.params.get("GlobalReplicationGroupDescription", ""),
        "CacheNodeType": primary.get("CacheNodeType", "cache.r6g.large"), "Engine": "redis", "EngineVersion": "7.1",
        "Members": [], "ClusterEnabled": bool(primary.get("ClusterEnabled", False)),
        "ARN": f"arn:aws:elasticache::{call.account}:globalreplicationgroup:{global_id}",
    }
    _join(state, global_id, call.region, primary["ReplicationGroupId"], "PRIMARY")
    return {"GlobalReplicationGroup": _described(state.global_groups[global_id], True)}


def _described(group: dict[str, Any], members: bool) -> dict[str, Any]:
    return {k: v for k, v in group.items() if members or k != "Members"}


def describe_global_groups(store: Store, call: Call) -> dict[str, Any]:
    state = store.of(call.account, Cache)
    wanted = call.params.get("GlobalReplicationGroupId")
    if wanted and wanted not in state.global_groups:
        raise ApiError("GlobalReplicationGroupNotFoundFault", f"{wanted} not found", 404)
    chosen = [g for i, g in sorted(state.global_groups.items()) if wanted in (None, i)]
    return {"GlobalReplicationGroups": [_described(g, bool(call.params.get("ShowMemberInfo"))) for g in chosen]}


def describe_groups(store: Store, call: Call, upstream: dict[str, Any]) -> dict[str, Any]:
    membership = store.of(call.account, Cache).membership
    for group in upstream.get("ReplicationGroups", []):
        member = membership.get((call.region, group["ReplicationGroupId"]))
        if member:
            group["GlobalReplicationGroupInfo"] = {"GlobalReplicationGroupId": member[0],
                                                   "GlobalReplicationGroupMemberRole": member[1]}
    return upstream


OWNED = {"CreateGlobalReplicationGroup": create_global_group,
         "DescribeGlobalReplicationGroups": describe_global_groups}
AFTER_UPSTREAM = {"CreateReplicationGroup": group_created, "DescribeReplicationGroups": describe_groups}
