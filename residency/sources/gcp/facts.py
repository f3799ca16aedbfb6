"""What one buckets.list entry says about a bucket, parsed from the JSON API resource.

The adapter reads the raw resource (`Bucket._properties`) rather than the client's
properties, so every field it relies on is named here once, exactly as the JSON API
reference spells it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from residency.inventory.model import sorted_tags


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
        placement = resource.get("customPlacementConfig") or {}
        retention = resource.get("retentionPolicy") or {}
        soft_delete = resource.get("softDeletePolicy")
        return cls(
            name=str(resource.get("name") or resource.get("id") or ""),
            project=project,
            location=resource.get("location"),
            location_type=resource.get("locationType"),
            data_locations=tuple(str(code) for code in placement.get("dataLocations") or ()),
            rpo=resource.get("rpo"),
            labels=sorted_tags({str(k): str(v) for k, v in (resource.get("labels") or {}).items()}),
            versioning=bool((resource.get("versioning") or {}).get("enabled")),
            soft_delete_seconds=None if soft_delete is None else _int(soft_delete.get("retentionDurationSeconds")),
            retention_period=_int(retention.get("retentionPeriod")),
            retention_locked=bool(retention.get("isLocked")),
            object_retention=(resource.get("objectRetention") or {}).get("mode") == "Enabled",
            default_event_based_hold=bool(resource.get("defaultEventBasedHold")),
            generation=_int(resource.get("generation")),
            soft_delete_time=resource.get("softDeleteTime"),
            hard_delete_time=resource.get("hardDeleteTime"),
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
