"""CloudWatch Logs subscription filters as AWS keeps them.

moto 5.2.5 refuses a filter whose destination is a Logs destination or a stream in another region
(it tries to deliver a test message and looks in the wrong place). Here every filter is kept as
`PutSubscriptionFilter` wrote it; log groups are learnt from moto's successful answers to
CreateLogGroup / DeleteLogGroup, so a filter on a group that does not exist is refused as AWS does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scripts.localcloud.aws.datastores.protocol import ApiError, Call
from scripts.localcloud.aws.datastores.state import Store, now, page

DESTINATION_SERVICES = ("kinesis", "firehose", "lambda", "logs")
MAX_FILTERS = 2  # per log group


@dataclass
class Logs:
    groups: set[tuple[str, str]] = field(default_factory=set)  # (region, name)
    filters: dict[tuple[str, str], dict[str, dict[str, Any]]] = field(default_factory=dict)  # group -> name -> filter


def _group(store: Store, call: Call) -> tuple[Logs, tuple[str, str]]:
    state = store.of(call.account, Logs)
    key = (call.region, call.params["logGroupName"])
    if key not in state.groups:
        raise ApiError("ResourceNotFoundException", "The specified log group does not exist.")
    return state, key


def created_group(store: Store, call: Call, upstream: dict[str, Any]) -> dict[str, Any]:
    store.of(call.account, Logs).groups.add((call.region, call.params["logGroupName"]))
    return upstream


def deleted_group(store: Store, call: Call, upstream: dict[str, Any]) -> dict[str, Any]:
    state = store.of(call.account, Logs)
    state.groups.discard((call.region, call.params["logGroupName"]))
    state.filters.pop((call.region, call.params["logGroupName"]), None)
    return upstream


def put_filter(store: Store, call: Call) -> dict[str, Any]:
    state, key = _group(store, call)
    params = call.params
    destination = str(params["destinationArn"])
    parts = destination.split(":")
    if len(parts) < 6 or parts[0] != "arn" or parts[2] not in DESTINATION_SERVICES:
        raise ApiError("InvalidParameterException", f"Invalid destinationArn: {destination}")
    filters = state.filters.setdefault(key, {})
    if params["filterName"] not in filters and len(filters) >= MAX_FILTERS:
        raise ApiError("LimitExceededException", "Resource limit exceeded.")
    item = {"filterName": params["filterName"], "logGroupName": key[1], "filterPattern": params["filterPattern"],
            "destinationArn": destination, "distribution": params.get("distribution", "ByLogStream"),
            "creationTime": int(now().timestamp() * 1000)}
    if params.get("roleArn"):
        item["roleArn"] = params["roleArn"]
    filters[params["filterName"]] = item
    return {}


def describe_filters(store: Store, call: Call) -> dict[str, Any]:
    state, key = _group(store, call)
    prefix = call.params.get("filterNamePrefix", "")
    items = [f for name, f in sorted(state.filters.get(key, {}).items()) if name.startswith(prefix)]
    chosen, token = page(items, call.params.get("nextToken"), call.params.get("limit"), 50)
    return {"subscriptionFilters": chosen, **({"nextToken": token} if token else {})}


def delete_filter(store: Store, call: Call) -> dict[str, Any]:
    state, key = _group(store, call)
    if state.filters.get(key, {}).pop(call.params["filterName"], None) is None:
        raise ApiError("ResourceNotFoundException", "The specified subscription filter does not exist.")
    return {}


OWNED = {"PutSubscriptionFilter": put_filter, "DescribeSubscriptionFilters": describe_filters,
         "DeleteSubscriptionFilter": delete_filter}
AFTER_UPSTREAM = {"CreateLogGroup": created_group, "DeleteLogGroup": deleted_group}
