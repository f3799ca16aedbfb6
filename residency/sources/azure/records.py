"""What one ARM item says, parsed from its raw JSON part by part, as the REST reference spells it.

A part that does not have the reference's types leaves what it decides unknown and says why:
tags that are a list make the tags unknown (a gap on the tags facet) and leave the location as
stated; a location that is a number makes the primary placement unknown and leaves the tags;
a SKU or secondary location that cannot be read makes the geo-redundant secondary unknown. The
SDK's models would coerce some of these silently (`"location": 7` reads as "7") and fail on
others when first read. Only an item without an `id` cannot be recorded at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from residency.inventory.model import Facet, Gap, sorted_tags

Tags = tuple[tuple[str, str], ...]
T = TypeVar("T")
_EMPTY: Mapping[str, Any] = {}
_NEITHER: tuple[str | None, str | None] = (None, None)


class MalformedRecord(ValueError):
    """An ARM item, or one of its parts, without the REST reference's JSON types."""


def _kind(value: Any) -> str:
    return {list: "a list", dict: "an object", bool: "a boolean", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__)


def text(item: Any, key: str) -> str | None:
    """A string field (None when absent); any other JSON type is malformed."""
    value = item.get(key) if isinstance(item, Mapping) else None
    if value is None or isinstance(value, str):
        return value or None
    raise MalformedRecord(f"'{key}' is {_kind(value)}, expected a string")


def section(item: Any, key: str) -> Mapping[str, Any]:
    value = item.get(key) if isinstance(item, Mapping) else None
    if value is None:
        return {}
    if isinstance(value, Mapping):
        return value
    raise MalformedRecord(f"'{key}' is {_kind(value)}, expected an object")


def _tags(item: Any) -> Tags:
    tags = section(item, "tags")
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in tags.items()):
        raise MalformedRecord("'tags' holds a value that is not a string")
    return sorted_tags(dict(tags))


def identity(item: Any, what: str) -> tuple[str, str]:
    """(id, name); raises MalformedRecord when the item names no resource."""
    if not isinstance(item, Mapping):
        raise MalformedRecord(f"the {what} entry is {_kind(item)}, expected an object")
    resource_id = text(item, "id")
    if not resource_id:
        raise MalformedRecord(f"the {what} entry has no id")
    return resource_id, text(item, "name") or resource_id.rstrip("/").rsplit("/", 1)[-1]


@dataclass
class _Reader:
    what: str
    problems: dict[str, str] = field(default_factory=dict)  # part -> why it could not be read

    def part(self, name: str, read: Callable[[], T], unknown: T) -> T:
        try:
            return read()
        except MalformedRecord as error:
            self.problems[name] = f"the {self.what} record is malformed: {error}"
            return unknown


@dataclass(frozen=True)
class AccountRecord:
    """A storage account as Storage Accounts - List / Get Properties answer it."""

    id: str
    name: str
    location: str | None = None  # the resource's location
    primary_location: str | None = None  # properties.primaryLocation
    secondary_location: str | None = None  # properties.secondaryLocation
    sku: str | None = None  # sku.name, e.g. Standard_RAGZRS
    kind: str | None = None
    tags: Tags | None = ()  # None when unreadable
    blob_endpoint: str | None = None
    status: tuple[tuple[str, str], ...] = ()  # statusOfPrimary, statusOfSecondary, failoverInProgress
    problems: Mapping[str, str] = field(default_factory=dict)  # "location", "secondary", "tags", "endpoints"

    @classmethod
    def parse(cls, item: Any) -> AccountRecord:
        resource_id, name = identity(item, "storage account")
        read = _Reader("storage account")
        props = read.part("properties", lambda: section(item, "properties"), _EMPTY)
        location, primary = read.part("location", lambda: (text(item, "location"), text(props, "primaryLocation")),
                                      _NEITHER)
        sku, secondary = read.part("secondary", lambda: (text(section(item, "sku"), "name"),
                                                         text(props, "secondaryLocation")), _NEITHER)
        if "properties" in read.problems:  # no primaryLocation or secondaryLocation could be read
            read.problems.setdefault("secondary", read.problems["properties"])
        return cls(
            id=resource_id, name=name, location=location, primary_location=primary, secondary_location=secondary,
            sku=sku, kind=read.part("kind", lambda: text(item, "kind"), None),
            tags=read.part("tags", lambda: _tags(item), None),
            blob_endpoint=read.part("endpoints", lambda: text(section(props, "primaryEndpoints"), "blob"), None),
            status=_status(props), problems=read.problems,
        )

    @property
    def gaps(self) -> tuple[Gap, ...]:
        """What the record could not say that no placement already says: its tags."""
        return (Gap("tags", self.problems["tags"], Facet.TAGS),) if "tags" in self.problems else ()


def _status(props: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    found = []
    for key, attribute in (("statusOfPrimary", "status_of_primary"), ("statusOfSecondary", "status_of_secondary"),
                           ("failoverInProgress", "failover_in_progress")):
        value = props.get(key)
        if isinstance(value, (str, bool)):
            found.append((attribute, str(value).lower() if isinstance(value, bool) else value))
    return tuple(found)


@dataclass(frozen=True)
class DeletedRecord:
    """A deleted, recoverable account as Deleted Accounts - List answers it."""

    id: str
    name: str
    location: str | None
    location_problem: str | None
    attributes: tuple[tuple[str, str], ...]

    @classmethod
    def parse(cls, item: Any) -> DeletedRecord:
        resource_id, name = identity(item, "deleted account")
        read = _Reader("deleted account")
        props = read.part("properties", lambda: section(item, "properties"), _EMPTY)
        location = read.part("location", lambda: text(props, "location"), None)
        attributes = []
        for key, attribute in (("storageAccountResourceId", "original_id"), ("deletionTime", "deletion_time"),
                               ("creationTime", "creation_time")):
            value = props.get(key)
            if isinstance(value, str) and value:
                attributes.append((attribute, value))
        problem = read.problems.get("location") or read.problems.get("properties")
        return cls(resource_id, name, location, problem, tuple(sorted(attributes)))

    @property
    def deletion_time(self) -> str | None:
        return dict(self.attributes).get("deletion_time")


@dataclass(frozen=True)
class PolicyRecord:
    """An object replication policy: None for a source or destination the policy does not name."""

    policy_id: str
    source: str | None
    destination: str | None
    problem: str | None = None  # why the policy could not be read

    @classmethod
    def parse(cls, item: Any, index: int) -> PolicyRecord:
        read = _Reader("object replication policy")
        props = read.part("properties", lambda: section(item, "properties"), _EMPTY)
        policy_id = (read.part("id", lambda: text(props, "policyId") or text(item, "name"), None)
                     or f"#{index}")
        source = read.part("accounts", lambda: text(props, "sourceAccount"), None)
        destination = read.part("accounts", lambda: text(props, "destinationAccount"), None)
        problem = next(iter(read.problems.values()), None)
        if not isinstance(item, Mapping):
            problem = f"the object replication policy entry is {_kind(item)}, expected an object"
        return cls(policy_id, source, destination, problem)
