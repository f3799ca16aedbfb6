"""Object methods of the local GCS server: upload (media, multipart), get, download, patch,
delete, list.

What a delete leaves behind follows GCS: with versioning on, deleting the live object
makes it a noncurrent generation; deleting a generation (or overwriting/deleting without
versioning) makes it soft-deleted while the bucket's soft delete policy is on. Holds and
retention block deletion and overwrites.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from typing import Any

from scripts.localcloud.gcp.buckets import Params, flag, paginate
from scripts.localcloud.gcp.model import GENERATIONS, ApiError, Store, StoredBucket, StoredObject, now
from scripts.localcloud.gcp.resources import JsonDict, list_resource, object_resource


def _crc32c(data: bytes) -> int:
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def _checksums(data: bytes) -> tuple[str, str]:
    md5 = base64.b64encode(hashlib.md5(data).digest()).decode()
    crc = base64.b64encode(_crc32c(data).to_bytes(4, "big")).decode()
    return md5, crc


def parse_multipart(content_type: str, body: bytes) -> tuple[JsonDict, bytes, str]:
    """Split a `multipart/related` upload into (metadata, media, media content type)."""
    boundary = ""
    for param in content_type.split(";")[1:]:
        key, _, value = param.strip().partition("=")
        if key.lower() == "boundary":
            boundary = value.strip('"')
    if not boundary:
        raise ApiError(400, "invalid", "Missing multipart boundary.")
    parts = [p for p in body.split(b"--" + boundary.encode())[1:] if not p.startswith(b"--")]
    if len(parts) != 2:
        raise ApiError(400, "invalid", "A multipart upload needs a metadata part and a media part.")
    sections = []
    for part in parts:
        head, _, payload = part.lstrip(b"\r\n").partition(b"\r\n\r\n")
        headers = dict(
            (k.strip().lower(), v.strip())
            for k, _, v in (line.partition(":") for line in head.decode().split("\r\n"))
        )
        sections.append((headers, payload.removesuffix(b"\r\n")))
    metadata = json.loads(sections[0][1] or b"{}")
    if not isinstance(metadata, dict):
        raise ApiError(400, "invalid", "The metadata part of a multipart upload must be a JSON object.")
    media_type = sections[1][0].get("content-type", "application/octet-stream")
    return metadata, sections[1][1], media_type


def _guard_delete(bucket: StoredBucket, obj: StoredObject) -> None:
    label = f"{bucket.name}/{obj.name}"
    for held, kind in ((obj.temporary_hold, "Temporary"), (obj.event_based_hold, "Event-Based")):
        if held:
            raise ApiError(403, "forbidden", f"Object '{label}' is under active {kind} hold and cannot "
                                             "be deleted, overwritten or archived until hold is removed.")
    current = now()
    if bucket.retention_period is not None:
        until = obj.created + dt.timedelta(seconds=bucket.retention_period)
        if until > current:
            raise ApiError(403, "retentionPolicyNotMet",
                           f"Object '{label}' is subject to bucket's retention policy and cannot be "
                           f"deleted, overwritten or archived until {until.isoformat()}")
    retain_until = (obj.retention or {}).get("retainUntilTime")
    if retain_until and dt.datetime.fromisoformat(retain_until.replace("Z", "+00:00")) > current:
        raise ApiError(403, "retentionPolicyNotMet",
                       f"Object '{label}' is subject to object retention until {retain_until}")


def upload(store: Store, bucket_name: str, params: Params, content_type: str, body: bytes,
           base_url: str) -> JsonDict:
    upload_type = params.get("uploadType", "media")
    if upload_type == "multipart":
        metadata, data, media_type = parse_multipart(content_type, body)
    elif upload_type == "media":
        metadata, data, media_type = {}, body, content_type or "application/octet-stream"
    else:
        raise ApiError(400, "invalid", f"uploadType={upload_type} is not served by this local server.")
    name = str(metadata.get("name") or params.get("name") or "")
    if not name:
        raise ApiError(400, "required", "Required parameter: name")
    with store.lock:
        bucket = store.bucket(bucket_name)
        store.check_bucket(bucket, "storage.objects.create")
        previous = bucket.live_object(name)
        if previous is not None:
            _guard_delete(bucket, previous)
            bucket.retire(previous, keep_noncurrent=bool(bucket.versioning))
        md5, crc = _checksums(data)
        obj = StoredObject(
            name=name, generation=GENERATIONS.next(), data=data,
            content_type=str(metadata.get("contentType") or media_type), created=now(),
            md5_hash=md5, crc32c=crc, metadata=dict(metadata.get("metadata") or {}),
            temporary_hold=bool(metadata.get("temporaryHold")),
            event_based_hold=bool(metadata.get("eventBasedHold", bucket.default_event_based_hold)),
            retention=metadata.get("retention"),
        )
        bucket.objects.append(obj)
        return object_resource(bucket, obj, base_url)


def _find(bucket: StoredBucket, name: str, params: Params) -> StoredObject:
    generation = int(params["generation"]) if params.get("generation") else None
    soft = flag(params, "softDeleted")
    for obj in bucket.visible_objects():
        if obj.name != name or obj.is_soft_deleted != soft:
            continue
        if (generation is None and obj.is_live) or generation == obj.generation:
            return obj
    raise ApiError(404, "notFound", f"No such object: {bucket.name}/{name}")


def get_object(store: Store, bucket_name: str, name: str, params: Params, base_url: str) -> JsonDict:
    with store.lock:
        bucket = store.bucket(bucket_name)
        store.check_bucket(bucket, "storage.objects.get")
        return object_resource(bucket, _find(bucket, name, params), base_url)


def download(store: Store, bucket_name: str, name: str, params: Params) -> tuple[bytes, str]:
    with store.lock:
        bucket = store.bucket(bucket_name)
        store.check_bucket(bucket, "storage.objects.get")
        obj = _find(bucket, name, params)
        return obj.data, obj.content_type


def patch_object(store: Store, bucket_name: str, name: str, params: Params, body: JsonDict,
                 base_url: str) -> JsonDict:
    with store.lock:
        bucket = store.bucket(bucket_name)
        store.check_bucket(bucket, "storage.objects.update")
        obj = _find(bucket, name, params)
        if "temporaryHold" in body:
            obj.temporary_hold = bool(body["temporaryHold"])
        if "eventBasedHold" in body:
            obj.event_based_hold = bool(body["eventBasedHold"])
        if "metadata" in body:
            obj.metadata = {k: str(v) for k, v in (body["metadata"] or {}).items() if v is not None}
        if "retention" in body:
            obj.retention = body["retention"]
        obj.metageneration += 1
        obj.updated = now()
        return object_resource(bucket, obj, base_url)


def delete_object(store: Store, bucket_name: str, name: str, params: Params) -> None:
    with store.lock:
        bucket = store.bucket(bucket_name)
        store.check_bucket(bucket, "storage.objects.delete")
        obj = _find(bucket, name, {"generation": params.get("generation", "")})
        _guard_delete(bucket, obj)
        # Without a generation the live object is deleted: with versioning it stays noncurrent.
        keep = bool(bucket.versioning) and not params.get("generation")
        bucket.retire(obj, keep_noncurrent=keep)


def list_objects(store: Store, bucket_name: str, params: Params, base_url: str) -> JsonDict:
    versions, soft = flag(params, "versions"), flag(params, "softDeleted")
    if versions and soft:
        raise ApiError(400, "invalid", "The versions and softDeleted parameters cannot both be true.")
    prefix, delimiter = params.get("prefix", ""), params.get("delimiter", "")
    with store.lock:
        bucket = store.bucket(bucket_name)
        store.check_bucket(bucket, "storage.objects.list")
        chosen = [o for o in bucket.visible_objects()
                  if o.name.startswith(prefix) and _state_matches(o, versions, soft)]
        chosen.sort(key=_object_key)
        prefixes: set[str] = set()
        if delimiter:
            kept = []
            for obj in chosen:
                cut = obj.name.find(delimiter, len(prefix))
                if cut >= 0:
                    prefixes.add(obj.name[: cut + len(delimiter)])
                else:
                    kept.append(obj)
            chosen = kept
        page, token = paginate(chosen, params, _object_key)
        items = [object_resource(bucket, o, base_url) for o in page]
        return list_resource("storage#objects", items, token, sorted(prefixes))


def _state_matches(obj: StoredObject, versions: bool, soft: bool) -> bool:
    if soft:
        return obj.is_soft_deleted
    return obj.is_live or (versions and obj.is_noncurrent)


def _object_key(obj: StoredObject) -> str:
    return f"{obj.name}\x00{obj.generation:020d}"


def body_json(raw: bytes) -> Any:
    if not raw:
        return {}
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise ApiError(400, "parseError", f"Parse Error: {exc}") from exc
