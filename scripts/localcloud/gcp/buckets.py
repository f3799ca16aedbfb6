"""Bucket methods of the local GCS server: insert, get, list, patch, delete, lockRetentionPolicy.

Behaviour follows the JSON API reference: a bucket's location is fixed at creation
(`customPlacementConfig.dataLocations` makes a configurable dual-region), deleting a bucket
with soft delete on keeps it as a soft-deleted bucket listed with `softDeleted=true`, and a
locked retention policy cannot be removed or shortened.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from scripts.localcloud.gcp.model import (
    GENERATIONS,
    MAX_SOFT_DELETE_SECONDS,
    MIN_SOFT_DELETE_SECONDS,
    ApiError,
    Store,
    StoredBucket,
    location_type_of,
    now,
)
from scripts.localcloud.gcp.resources import JsonDict, bucket_resource, list_resource

Params = dict[str, str]
T = TypeVar("T")


def flag(params: Params, name: str) -> bool:
    return params.get(name, "").lower() == "true"


def paginate(items: Sequence[T], params: Params, key: Callable[[T], str]) -> tuple[list[T], str | None]:
    """One page after `pageToken` (an opaque encoding of the last key served)."""
    size = int(params.get("maxResults") or 1000)
    if size <= 0:
        raise ApiError(400, "invalid", f"Invalid value for maxResults: {size}")
    token = params.get("pageToken")
    after = base64.urlsafe_b64decode(token.encode()).decode() if token else None
    remaining = [item for item in items if after is None or key(item) > after]
    page = remaining[:size]
    more = len(remaining) > size
    next_token = base64.urlsafe_b64encode(key(page[-1]).encode()).decode() if more and page else None
    return page, next_token


def _required_project(params: Params) -> str:
    project = params.get("project")
    if not project:
        raise ApiError(400, "required", "Required parameter: project")
    return project


def _soft_delete_seconds(policy: Any) -> int:
    seconds = int((policy or {}).get("retentionDurationSeconds", 0))
    if seconds != 0 and not MIN_SOFT_DELETE_SECONDS <= seconds <= MAX_SOFT_DELETE_SECONDS:
        raise ApiError(400, "invalid", "The soft delete retention duration must be 0 or between "
                                       f"{MIN_SOFT_DELETE_SECONDS} and {MAX_SOFT_DELETE_SECONDS} seconds.")
    return seconds


def _placement(body: JsonDict) -> tuple[str, str, tuple[str, ...]]:
    location = str(body.get("location") or "US").upper()
    data_locations = tuple(str(r).upper() for r in (body.get("customPlacementConfig") or {})
                           .get("dataLocations", []))
    if data_locations and (len(data_locations) != 2 or location not in {"US", "EU", "ASIA"}):
        raise ApiError(400, "invalid", "A configurable dual-region needs a multi-region location "
                                       "(US, EU or ASIA) and precisely two dataLocations.")
    return location, location_type_of(location, data_locations), data_locations


def insert_bucket(store: Store, params: Params, body: JsonDict, base_url: str) -> JsonDict:
    project = _required_project(params)
    name = str(body.get("name") or "")
    if not name:
        raise ApiError(400, "required", "Required field: name")
    with store.lock:
        store.check_project(project, "storage.buckets.create")
        if name in store.buckets:
            raise ApiError(409, "conflict", "Your previous request to create the named bucket "
                                            "succeeded and you already own it.")
        location, location_type, data_locations = _placement(body)
        rpo = body.get("rpo") or ("DEFAULT" if location_type != "region" else None)
        if rpo == "ASYNC_TURBO" and location_type != "dual-region":
            raise ApiError(400, "invalid", "Turbo replication is only available for dual-region buckets.")
        created = now()
        bucket = StoredBucket(
            name=name, project=project, location=location, location_type=location_type,
            created=created, generation=GENERATIONS.next(), data_locations=data_locations, rpo=rpo,
            storage_class=str(body.get("storageClass") or "STANDARD"),
            labels=dict(body.get("labels") or {}),
            default_event_based_hold=bool(body.get("defaultEventBasedHold")),
            object_retention=flag(params, "enableObjectRetention"),
        )
        _apply_patch(bucket, body, creating=True)
        store.register_project(project)
        store.buckets[name] = bucket
        return bucket_resource(bucket, base_url)


def get_bucket(store: Store, name: str, params: Params, base_url: str) -> JsonDict:
    with store.lock:
        if flag(params, "softDeleted"):
            generation = int(params.get("generation") or 0)
            for bucket in store.soft_deleted_buckets:
                if bucket.name == name and bucket.generation == generation:
                    store.check_bucket(bucket, "storage.buckets.get")
                    return bucket_resource(bucket, base_url)
            raise ApiError(404, "notFound", "The specified bucket does not exist.")
        bucket = store.bucket(name)
        store.check_bucket(bucket, "storage.buckets.get")
        return bucket_resource(bucket, base_url)


def list_buckets(store: Store, params: Params, base_url: str) -> JsonDict:
    project = _required_project(params)
    with store.lock:
        store.check_project(project, "storage.buckets.list")
        pool = store.soft_deleted_buckets if flag(params, "softDeleted") else list(store.buckets.values())
        current = now()
        candidates = sorted(
            (b for b in pool if b.project == project and b.name.startswith(params.get("prefix", ""))
             and (b.hard_delete_time is None or b.hard_delete_time > current)),
            key=_bucket_key,
        )
        page, token = paginate(candidates, params, _bucket_key)
        return list_resource("storage#buckets", [bucket_resource(b, base_url) for b in page], token)


def _bucket_key(bucket: StoredBucket) -> str:
    return f"{bucket.name}\x00{bucket.generation:020d}"


def patch_bucket(store: Store, name: str, body: JsonDict, base_url: str) -> JsonDict:
    with store.lock:
        bucket = store.bucket(name)
        store.check_bucket(bucket, "storage.buckets.update")
        _apply_patch(bucket, body, creating=False)
        bucket.touch()
        return bucket_resource(bucket, base_url)


def _apply_patch(bucket: StoredBucket, body: JsonDict, creating: bool) -> None:
    if "labels" in body:
        for key, value in (body["labels"] or {}).items():
            if value is None:
                bucket.labels.pop(key, None)
            else:
                bucket.labels[key] = str(value)
    if "versioning" in body:
        bucket.versioning = bool((body["versioning"] or {}).get("enabled"))
    if "softDeletePolicy" in body:
        bucket.soft_delete_seconds = _soft_delete_seconds(body["softDeletePolicy"])
        bucket.soft_delete_effective = now()
    if "retentionPolicy" in body:
        _set_retention(bucket, body["retentionPolicy"])
    if "rpo" in body and not creating:
        if body["rpo"] == "ASYNC_TURBO" and bucket.location_type != "dual-region":
            raise ApiError(400, "invalid", "Turbo replication is only available for dual-region buckets.")
        bucket.rpo = body["rpo"]
    if "defaultEventBasedHold" in body:
        bucket.default_event_based_hold = bool(body["defaultEventBasedHold"])


def _set_retention(bucket: StoredBucket, policy: Any) -> None:
    period = None if not policy or policy.get("retentionPeriod") is None else int(policy["retentionPeriod"])
    if bucket.retention_locked and (period is None or period < (bucket.retention_period or 0)):
        raise ApiError(403, "forbidden", "Cannot remove or reduce the retention period of a locked "
                                         "retention policy.")
    bucket.retention_period = period
    bucket.retention_effective = now() if period is not None else None


def lock_retention_policy(store: Store, name: str, params: Params, base_url: str) -> JsonDict:
    with store.lock:
        bucket = store.bucket(name)
        store.check_bucket(bucket, "storage.buckets.update")
        expected = params.get("ifMetagenerationMatch")
        if expected is None:
            raise ApiError(400, "required", "Required parameter: ifMetagenerationMatch")
        if int(expected) != bucket.metageneration:
            raise ApiError(412, "conditionNotMet", "Precondition Failed")
        if bucket.retention_period is None:
            raise ApiError(400, "invalid", "The bucket has no retention policy to lock.")
        bucket.retention_locked = True
        bucket.touch()
        return bucket_resource(bucket, base_url)


def delete_bucket(store: Store, name: str) -> None:
    with store.lock:
        bucket = store.bucket(name)
        store.check_bucket(bucket, "storage.buckets.delete")
        if any(not obj.is_soft_deleted for obj in bucket.visible_objects()):
            raise ApiError(409, "conflict", "The bucket you tried to delete is not empty.")
        del store.buckets[name]
        if bucket.soft_delete_seconds > 0:
            bucket.soft_delete_time = now()
            # It is kept at least as long as the soft-deleted objects it still holds.
            bucket.hard_delete_time = max(
                [bucket.soft_delete_time + dt.timedelta(seconds=bucket.soft_delete_seconds)]
                + [o.hard_delete_time for o in bucket.objects if o.hard_delete_time is not None]
            )
            store.soft_deleted_buckets.append(bucket)
