"""In-memory state of the local GCS server: projects, buckets, object generations.

Plain data plus the few rules that decide what a delete leaves behind (noncurrent
generations with versioning, soft-deleted copies with soft delete). Rendering to the JSON
API shape lives in `gcs_resources`; the HTTP layer in `gcs_server`.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import zlib
from dataclasses import dataclass, field
from typing import Any

MULTI_REGIONS = frozenset({"US", "EU", "ASIA"})
# Predefined dual-regions as listed on cloud.google.com/storage/docs/locations.
PREDEFINED_DUAL_REGIONS = frozenset({"NAM4", "EUR4", "EUR5", "EUR7", "EUR8", "ASIA1"})
DEFAULT_SOFT_DELETE_SECONDS = 604_800  # GCS turns soft delete on for 7 days by default
MIN_SOFT_DELETE_SECONDS = 604_800
MAX_SOFT_DELETE_SECONDS = 7_776_000


class ApiError(Exception):
    """An error the JSON API would answer with (status code, reason, message)."""

    def __init__(self, code: int, reason: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.reason = reason
        self.message = message


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class _Generations:
    """Generation numbers are microsecond timestamps on GCS; keep them strictly increasing."""

    def __init__(self) -> None:
        self._last = 0
        self._lock = threading.Lock()

    def next(self) -> int:
        with self._lock:
            self._last = max(self._last + 1, time.time_ns() // 1000)
            return self._last


GENERATIONS = _Generations()


@dataclass
class StoredObject:
    name: str
    generation: int
    data: bytes
    content_type: str
    created: dt.datetime
    md5_hash: str
    crc32c: str
    metageneration: int = 1
    updated: dt.datetime | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    temporary_hold: bool = False
    event_based_hold: bool = False
    retention: dict[str, str] | None = None  # object retention {mode, retainUntilTime}
    time_deleted: dt.datetime | None = None  # became noncurrent
    soft_delete_time: dt.datetime | None = None
    hard_delete_time: dt.datetime | None = None

    @property
    def is_soft_deleted(self) -> bool:
        return self.soft_delete_time is not None

    @property
    def is_live(self) -> bool:
        return self.time_deleted is None and self.soft_delete_time is None

    @property
    def is_noncurrent(self) -> bool:
        return self.time_deleted is not None and self.soft_delete_time is None


@dataclass
class StoredBucket:
    name: str
    project: str
    location: str
    location_type: str
    created: dt.datetime
    generation: int
    data_locations: tuple[str, ...] = ()
    rpo: str | None = None
    storage_class: str = "STANDARD"
    labels: dict[str, str] = field(default_factory=dict)
    versioning: bool | None = None
    soft_delete_seconds: int = DEFAULT_SOFT_DELETE_SECONDS
    soft_delete_effective: dt.datetime | None = None
    retention_period: int | None = None
    retention_effective: dt.datetime | None = None
    retention_locked: bool = False
    object_retention: bool = False
    default_event_based_hold: bool = False
    metageneration: int = 1
    updated: dt.datetime | None = None
    objects: list[StoredObject] = field(default_factory=list)
    soft_delete_time: dt.datetime | None = None
    hard_delete_time: dt.datetime | None = None

    def touch(self) -> None:
        self.metageneration += 1
        self.updated = now()

    def visible_objects(self) -> list[StoredObject]:
        """Objects not yet past their hard-delete time (those are gone for good)."""
        current = now()
        return [o for o in self.objects if o.hard_delete_time is None or o.hard_delete_time > current]

    def live_object(self, name: str) -> StoredObject | None:
        return next((o for o in self.objects if o.name == name and o.is_live), None)

    def retire(self, obj: StoredObject, keep_noncurrent: bool) -> None:
        """Take `obj` out of the live set the way GCS does: noncurrent, soft-deleted or gone."""
        if keep_noncurrent and obj.is_live:
            obj.time_deleted = now()
            return
        if self.soft_delete_seconds > 0:
            obj.soft_delete_time = now()
            obj.hard_delete_time = obj.soft_delete_time + dt.timedelta(seconds=self.soft_delete_seconds)
            return
        self.objects.remove(obj)


def location_type_of(location: str, data_locations: tuple[str, ...]) -> str:
    if data_locations:
        return "dual-region"
    if location in PREDEFINED_DUAL_REGIONS:
        return "dual-region"
    if location in MULTI_REGIONS:
        return "multi-region"
    return "region"


def project_number(project: str) -> str:
    """A stable 12-digit project number derived from the project id."""
    return str(100_000_000_000 + zlib.crc32(project.encode()) % 900_000_000_000)


@dataclass
class Store:
    """Everything the server knows. One lock: the server is small and requests are short."""

    lock: threading.RLock = field(default_factory=threading.RLock)
    buckets: dict[str, StoredBucket] = field(default_factory=dict)
    soft_deleted_buckets: list[StoredBucket] = field(default_factory=list)
    projects: dict[str, dt.datetime] = field(default_factory=dict)
    denied_projects: set[str] = field(default_factory=set)
    denied_buckets: set[str] = field(default_factory=set)
    requests: list[tuple[str, str]] = field(default_factory=list)  # (method, path) served, for tests
    report_configs: dict[str, dict[str, Any]] = field(default_factory=dict)  # Storage Insights, by name

    def register_project(self, project: str) -> None:
        self.projects.setdefault(project, now())

    def bucket(self, name: str) -> StoredBucket:
        bucket = self.buckets.get(name)
        if bucket is None:
            raise ApiError(404, "notFound", "The specified bucket does not exist.")
        return bucket

    def check_project(self, project: str, permission: str) -> None:
        if project in self.denied_projects:
            raise ApiError(
                403, "forbidden",
                f"anonymous caller does not have {permission} access to the Google Cloud project. "
                f"Permission '{permission}' denied on resource (or it may not exist).",
            )

    def check_bucket(self, bucket: StoredBucket, permission: str) -> None:
        self.check_project(bucket.project, permission)
        if bucket.name in self.denied_buckets:
            raise ApiError(
                403, "forbidden",
                f"anonymous caller does not have {permission} access to the Google Cloud Storage "
                f"bucket. Permission '{permission}' denied on resource (or it may not exist).",
            )
