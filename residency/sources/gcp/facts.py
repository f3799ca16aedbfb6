"""What one buckets.list entry says about a bucket, parsed from the JSON API resource.

The adapter reads the raw resources the listing answers rather than the client's objects, so
every field it relies on is named here once, exactly as the JSON API reference spells it. Each
facet is read on its own: labels that are a list leave the labels unknown (a gap on tags) and
the bucket's location as stated, a location that is a number leaves the location unknown and the
labels as stated; only an entry that names no bucket cannot be recorded at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from residency.inventory.kinds.gcp import GCS_BUCKET
from residency.inventory.model import Facet, Gap, sorted_tags

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


def _int(value: Any, key: str) -> int | None:
    """int64 fields arrive as strings (the API) or ints (some emulators); anything else is malformed
    (a retention period that cannot be read must not read as "no retention")."""
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isascii() and value.lstrip("-").isdigit():
        return int(value)
    raise MalformedRecord(f"'{key}' is {_kind(value)}, expected a whole number")


def _bool(value: Any, key: str) -> bool:
    if value is None or isinstance(value, bool):
        return bool(value)
    raise MalformedRecord(f"'{key}' is {_kind(value)}, expected true or false")


@dataclass(frozen=True, slots=True)
class Where:
    location: str | None = None
    location_type: str | None = None
    data_locations: tuple[str, ...] = ()
    rpo: str | None = None


@dataclass(frozen=True, slots=True)
class Settings:
    """What decides what a delete leaves behind. `versioning` is None when it could not be read."""

    versioning: bool | None = None
    soft_delete_seconds: int | None = None
    retention_period: int | None = None
    retention_locked: bool = False
    object_retention: bool = False
    default_event_based_hold: bool = False
    generation: int | None = None
    soft_delete_time: str | None = None
    hard_delete_time: str | None = None


def _where(resource: Mapping[str, Any]) -> Where:
    placement = _object(resource, "customPlacementConfig")
    return Where(_text(resource, "location"), _text(resource, "locationType"),
                 _strings(placement.get("dataLocations"), "customPlacementConfig.dataLocations"),
                 _text(resource, "rpo"))


def _settings(resource: Mapping[str, Any]) -> Settings:
    retention = _object(resource, "retentionPolicy")
    soft_delete = _object(resource, "softDeletePolicy") if resource.get("softDeletePolicy") is not None else None
    return Settings(
        versioning=_bool(_object(resource, "versioning").get("enabled"), "versioning.enabled"),
        soft_delete_seconds=(None if soft_delete is None else _int(soft_delete.get("retentionDurationSeconds"),
                                                                    "softDeletePolicy.retentionDurationSeconds")),
        retention_period=_int(retention.get("retentionPeriod"), "retentionPolicy.retentionPeriod"),
        retention_locked=_bool(retention.get("isLocked"), "retentionPolicy.isLocked"),
        object_retention=_object(resource, "objectRetention").get("mode") == "Enabled",
        default_event_based_hold=_bool(resource.get("defaultEventBasedHold"), "defaultEventBasedHold"),
        generation=_int(resource.get("generation"), "generation"),
        soft_delete_time=_text(resource, "softDeleteTime"),
        hard_delete_time=_text(resource, "hardDeleteTime"),
    )


T = TypeVar("T")


def _part(problems: list[Gap], facet: Facet, what: str, read: Callable[[], T], unknown: T) -> T:
    try:
        return read()
    except MalformedRecord as error:
        problems.append(Gap(what, f"the buckets.list entry is malformed: {error}", facet))
        return unknown


@dataclass(frozen=True, slots=True)
class BucketFacts:
    """One buckets.list entry, read facet by facet: a malformed part is a gap on its facet
    (`problems`) and leaves the other facets as the entry states them."""

    name: str
    project: str
    where: Where
    labels: tuple[tuple[str, str], ...] | None  # None when unreadable
    settings: Settings
    problems: tuple[Gap, ...] = ()

    @classmethod
    def from_api(cls, resource: Any, project: str) -> BucketFacts:
        """Raises MalformedRecord only for an entry that names no bucket (nothing to record it on)."""
        if not isinstance(resource, Mapping):
            raise MalformedRecord(f"the bucket entry is {_kind(resource)}, expected an object")
        name = _text(resource, "name") or _text(resource, "id")
        if not name:
            raise MalformedRecord("the bucket entry has no name")
        problems: list[Gap] = []
        where = _part(problems, Facet.LOCATION, "bucket location", lambda: _where(resource), Where())
        labels = _part(problems, Facet.TAGS, "labels", lambda: _labels(resource), None)
        settings = _part(problems, Facet.DELETION_EVIDENCE, "versioning, soft delete and retention settings",
                         lambda: _settings(resource), Settings())
        return cls(name, project, where, labels, settings, tuple(problems))

    @property
    def location_problem(self) -> str | None:
        return next((gap.reason for gap in self.problems if gap.facet is Facet.LOCATION), None)

    @property
    def location(self) -> str | None:
        return self.where.location

    @property
    def location_type(self) -> str | None:
        return self.where.location_type

    @property
    def data_locations(self) -> tuple[str, ...]:
        return self.where.data_locations

    @property
    def rpo(self) -> str | None:
        return self.where.rpo

    @property
    def resource_id(self) -> str:
        return f"gs://{self.name}"

    @property
    def soft_deleted_id(self) -> str:
        """A soft-deleted bucket keeps its name, which a new live bucket may reuse: add the generation."""
        generation = self.settings.generation
        return f"gs://{self.name}#{generation if generation is not None else 'soft-deleted'}"

    def attributes(self) -> tuple[tuple[str, str], ...]:
        settings = self.settings
        pairs: dict[str, str] = {
            "location": self.location or "unknown",
            "location-type": self.location_type or "unknown",
            "versioning": {True: "enabled", False: "disabled", None: "unknown"}[settings.versioning],
        }
        if self.data_locations:
            pairs["data-locations"] = ",".join(self.data_locations)
        if self.rpo:
            pairs["rpo"] = self.rpo
        if settings.soft_delete_seconds is not None:
            pairs["soft-delete-retention-seconds"] = str(settings.soft_delete_seconds)
        if settings.retention_period is not None:
            pairs["retention-period-seconds"] = str(settings.retention_period)
            pairs["retention-policy-locked"] = str(settings.retention_locked).lower()
        if settings.object_retention:
            pairs["object-retention"] = "enabled"
        if settings.generation is not None:
            pairs["generation"] = str(settings.generation)
        if settings.soft_delete_time:
            pairs["soft-delete-time"] = settings.soft_delete_time
        if settings.hard_delete_time:
            pairs["hard-delete-time"] = settings.hard_delete_time
        return tuple(sorted(pairs.items()))
