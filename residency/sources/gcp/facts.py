"""What one buckets.list entry says about a bucket, parsed from the JSON API resource.

The adapter reads the raw resource (`Bucket._properties`) rather than the client's
properties, so every field it relies on is named here once, exactly as the JSON API
reference spells it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from residency.inventory.kinds.gcp import GCS_BUCKET
from residency.inventory.model import (
    Facet,
    Gap,
    Placement,
    PlacementKind,
    Provider,
    ResourceState,
    StorageResource,
    sorted_tags,
)

KIND = GCS_BUCKET.id


class MalformedRecord(ValueError):
    """A buckets.list entry whose fields do not have the JSON API's types."""


def _text(resource: Mapping[str, Any], key: str) -> str | None:
    value = resource.get(key)
    if value is None or isinstance(value, str):
        return value
    raise MalformedRecord(f"'{key}' is {_kind(value)}, expected a string")


def _object(resource: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = resource.get(key)
    if value is None:
        return {}
    if isinstance(value, Mapping):
        return value
    raise MalformedRecord(f"'{key}' is {_kind(value)}, expected an object")


def _kind(value: Any) -> str:
    return {list: "a list", dict: "an object", bool: "a boolean", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__)


def _labels(resource: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    labels = _object(resource, "labels")
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in labels.items()):
        raise MalformedRecord("'labels' holds a value that is not a string")
    return sorted_tags(dict(labels))


def _strings(value: Any, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise MalformedRecord(f"'{key}' is {_kind(value)}, expected a list of strings")


def _int(value: Any) -> int | None:
    """int64 fields arrive as strings (the API) or ints (some emulators)."""
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True, slots=True)
class BucketFacts:
    name: str
    project: str
    location: str | None
    location_type: str | None
    data_locations: tuple[str, ...]
    rpo: str | None
    labels: tuple[tuple[str, str], ...]
    versioning: bool
    soft_delete_seconds: int | None
    retention_period: int | None
    retention_locked: bool
    object_retention: bool
    default_event_based_hold: bool
    generation: int | None
    soft_delete_time: str | None
    hard_delete_time: str | None

    @classmethod
    def from_api(cls, resource: Mapping[str, Any], project: str) -> BucketFacts:
        """Raises MalformedRecord when a field the scan relies on has the wrong JSON type."""
        if not isinstance(resource, Mapping):
            raise MalformedRecord(f"the bucket entry is {_kind(resource)}, expected an object")
        name = _text(resource, "name") or _text(resource, "id")
        if not name:
            raise MalformedRecord("the bucket entry has no name")
        placement = _object(resource, "customPlacementConfig")
        retention = _object(resource, "retentionPolicy")
        soft_delete = resource.get("softDeletePolicy")
        soft_delete_policy = None if soft_delete is None else _object(resource, "softDeletePolicy")
        return cls(
            name=name,
            project=project,
            location=_text(resource, "location"),
            location_type=_text(resource, "locationType"),
            data_locations=_strings(placement.get("dataLocations"), "customPlacementConfig.dataLocations"),
            rpo=_text(resource, "rpo"),
            labels=_labels(resource),
            versioning=bool(_object(resource, "versioning").get("enabled")),
            soft_delete_seconds=(None if soft_delete_policy is None
                                 else _int(soft_delete_policy.get("retentionDurationSeconds"))),
            retention_period=_int(retention.get("retentionPeriod")),
            retention_locked=bool(retention.get("isLocked")),
            object_retention=_object(resource, "objectRetention").get("mode") == "Enabled",
            default_event_based_hold=bool(resource.get("defaultEventBasedHold")),
            generation=_int(resource.get("generation")),
            soft_delete_time=_text(resource, "softDeleteTime"),
            hard_delete_time=_text(resource, "hardDeleteTime"),
        )

    @property
    def resource_id(self) -> str:
        return f"gs://{self.name}"

    @property
    def soft_deleted_id(self) -> str:
        """A soft-deleted bucket keeps its name, which a new live bucket may reuse: add the generation."""
        return f"gs://{self.name}#{self.generation if self.generation is not None else 'soft-deleted'}"

    def attributes(self) -> tuple[tuple[str, str], ...]:
        pairs: dict[str, str] = {
            "location": self.location or "unknown",
            "location-type": self.location_type or "unknown",
            "versioning": "enabled" if self.versioning else "disabled",
        }
        if self.data_locations:
            pairs["data-locations"] = ",".join(self.data_locations)
        if self.rpo:
            pairs["rpo"] = self.rpo
        if self.soft_delete_seconds is not None:
            pairs["soft-delete-retention-seconds"] = str(self.soft_delete_seconds)
        if self.retention_period is not None:
            pairs["retention-period-seconds"] = str(self.retention_period)
            pairs["retention-policy-locked"] = str(self.retention_locked).lower()
        if self.object_retention:
            pairs["object-retention"] = "enabled"
        if self.generation is not None:
            pairs["generation"] = str(self.generation)
        if self.soft_delete_time:
            pairs["soft-delete-time"] = self.soft_delete_time
        if self.hard_delete_time:
            pairs["hard-delete-time"] = self.hard_delete_time
        return tuple(sorted(pairs.items()))


def malformed_bucket(record: Any, project: str, state: ResourceState, problem: str) -> StorageResource:
    """A bucket whose record could not be read: unverifiable (location and labels unknown), with why."""
    raw_name = record.get("name") if isinstance(record, Mapping) else None
    name = raw_name if isinstance(raw_name, str) and raw_name else "(unnamed bucket)"
    reason = f"the buckets.list entry is malformed: {problem}"
    return StorageResource(
        provider=Provider.GCP, account=project, id=f"gs://{name}", name=name, kind=KIND,
        placements=(Placement(PlacementKind.PRIMARY, None, reason),),
        collected=frozenset({Facet.LOCATION, Facet.TAGS}), state=state, deletion_evidence=None,
        gaps=(Gap("bucket record", reason, Facet.LOCATION), Gap("labels", reason, Facet.TAGS)),
    )



