"""JSON shapes of the Cloud Storage JSON API v1 (buckets, objects, lists, errors).

Field names, nesting and types follow the public reference
(cloud.google.com/storage/docs/json_api/v1/buckets, .../objects, .../status-codes):
int64 values are strings, times are RFC 3339 in UTC, optional fields are omitted
when unset, as the real service does.
"""

from __future__ import annotations

import base64
import datetime as dt
import urllib.parse
from typing import Any

from scripts.localcloud.gcp.model import StoredBucket, StoredObject, project_number

JsonDict = dict[str, Any]


def rfc3339(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def error_body(code: int, reason: str, message: str) -> JsonDict:
    return {"error": {"code": code, "message": message,
                      "errors": [{"message": message, "domain": "global", "reason": reason}]}}


def _etag(*parts: object) -> str:
    return base64.b64encode("/".join(str(p) for p in parts).encode()).decode()[:16]


def bucket_resource(bucket: StoredBucket, base_url: str) -> JsonDict:
    resource: JsonDict = {
        "kind": "storage#bucket",
        "selfLink": f"{base_url}/storage/v1/b/{bucket.name}",
        "id": bucket.name,
        "name": bucket.name,
        "projectNumber": project_number(bucket.project),
        "generation": str(bucket.generation),
        "metageneration": str(bucket.metageneration),
        "location": bucket.location,
        "locationType": bucket.location_type,
        "storageClass": bucket.storage_class,
        "etag": _etag(bucket.name, bucket.metageneration),
        "timeCreated": rfc3339(bucket.created),
        "updated": rfc3339(bucket.updated or bucket.created),
        "softDeletePolicy": {
            "retentionDurationSeconds": str(bucket.soft_delete_seconds),
            "effectiveTime": rfc3339(bucket.soft_delete_effective or bucket.created),
        },
        "iamConfiguration": {"uniformBucketLevelAccess": {"enabled": False},
                             "publicAccessPrevention": "inherited"},
    }
    if bucket.data_locations:
        resource["customPlacementConfig"] = {"dataLocations": list(bucket.data_locations)}
    if bucket.rpo:
        resource["rpo"] = bucket.rpo
    if bucket.labels:
        resource["labels"] = dict(bucket.labels)
    if bucket.versioning is not None:
        resource["versioning"] = {"enabled": bucket.versioning}
    if bucket.retention_period is not None:
        resource["retentionPolicy"] = {
            "retentionPeriod": str(bucket.retention_period),
            "effectiveTime": rfc3339(bucket.retention_effective or bucket.created),
            "isLocked": bucket.retention_locked,
        }
    if bucket.object_retention:
        resource["objectRetention"] = {"mode": "Enabled"}
    if bucket.default_event_based_hold:
        resource["defaultEventBasedHold"] = True
    if bucket.soft_delete_time is not None and bucket.hard_delete_time is not None:
        resource["softDeleteTime"] = rfc3339(bucket.soft_delete_time)
        resource["hardDeleteTime"] = rfc3339(bucket.hard_delete_time)
    return resource


def object_resource(bucket: StoredBucket, obj: StoredObject, base_url: str) -> JsonDict:
    quoted = urllib.parse.quote(obj.name, safe="")
    resource: JsonDict = {
        "kind": "storage#object",
        "id": f"{bucket.name}/{obj.name}/{obj.generation}",
        "selfLink": f"{base_url}/storage/v1/b/{bucket.name}/o/{quoted}",
        "mediaLink": f"{base_url}/download/storage/v1/b/{bucket.name}/o/{quoted}"
                     f"?generation={obj.generation}&alt=media",
        "name": obj.name,
        "bucket": bucket.name,
        "generation": str(obj.generation),
        "metageneration": str(obj.metageneration),
        "contentType": obj.content_type,
        "storageClass": bucket.storage_class,
        "size": str(len(obj.data)),
        "md5Hash": obj.md5_hash,
        "crc32c": obj.crc32c,
        "etag": _etag(obj.name, obj.generation, obj.metageneration),
        "timeCreated": rfc3339(obj.created),
        "updated": rfc3339(obj.updated or obj.created),
        "timeStorageClassUpdated": rfc3339(obj.created),
    }
    if obj.metadata:
        resource["metadata"] = dict(obj.metadata)
    if obj.temporary_hold:
        resource["temporaryHold"] = True
    if obj.event_based_hold:
        resource["eventBasedHold"] = True
    if obj.retention:
        resource["retention"] = dict(obj.retention)
    if bucket.retention_period is not None and not obj.event_based_hold:
        expires = obj.created + dt.timedelta(seconds=bucket.retention_period)
        resource["retentionExpirationTime"] = rfc3339(expires)
    if obj.time_deleted is not None:
        resource["timeDeleted"] = rfc3339(obj.time_deleted)
    if obj.soft_delete_time is not None and obj.hard_delete_time is not None:
        resource["softDeleteTime"] = rfc3339(obj.soft_delete_time)
        resource["hardDeleteTime"] = rfc3339(obj.hard_delete_time)
    return resource


def list_resource(kind: str, items: list[JsonDict], next_token: str | None,
                  prefixes: list[str] | None = None) -> JsonDict:
    resource: JsonDict = {"kind": kind}
    if items:
        resource["items"] = items
    if prefixes:
        resource["prefixes"] = prefixes
    if next_token:
        resource["nextPageToken"] = next_token
    return resource


def select_fields(resource: JsonDict, fields: str | None) -> JsonDict:
    """Apply a partial-response `fields` selector such as `items(name,size),nextPageToken`."""
    if not fields:
        return resource
    selected: JsonDict = _select(resource, _parse_fields(fields))
    return selected


FieldTree = dict[str, "FieldTree | None"]


def _parse_fields(text: str) -> FieldTree:
    tree: FieldTree = {}
    depth, start = 0, 0
    for index, char in enumerate(text + ","):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            _add_field(tree, text[start:index].strip())
            start = index + 1
    return tree


def _add_field(tree: FieldTree, item: str) -> None:
    if not item:
        return
    if "(" in item:
        name, inner = item.split("(", 1)
        tree[name.strip()] = _parse_fields(inner.rstrip(")"))
        return
    head, _, rest = item.partition("/")
    if rest:
        sub = tree.setdefault(head, {})
        if sub is not None:
            _add_field(sub, rest)
        return
    tree[head] = None


def _select(value: Any, tree: FieldTree | None) -> Any:
    if tree is None:
        return value
    if isinstance(value, list):
        return [_select(item, tree) for item in value]
    if isinstance(value, dict):
        return {key: _select(value[key], sub) for key, sub in tree.items() if key in value}
    return value
