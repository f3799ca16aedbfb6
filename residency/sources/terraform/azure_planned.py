"""Helpers of the azurerm data-store translators: other planned resources a resource refers to
(the server of a database, the disk of a snapshot), a copy's lineage, and the paired region
where Azure keeps geo-redundant copies (from the catalog's pair table)."""

from __future__ import annotations

from residency.catalog import normalise_code
from residency.inventory.kinds.azure import DISK_SNAPSHOT, MANAGED_DISK, SQL_DATABASE
from residency.inventory.model import Lineage, Placement, PlacementKind, Provider, ResourceKey, sorted_tags
from residency.sources.terraform.addresses import ResourceReference, parse_reference
from residency.sources.terraform.plan_json import PlannedChange
from residency.sources.terraform.values import Unknown
from residency.sources.terraform.view import KNOWN_AFTER_APPLY, PLAN_ACCOUNT, ResourceView

# Planned resource types that hold the data a copy is made from, and the kind residency gives it.
SOURCE_KINDS = {"azurerm_managed_disk": MANAGED_DISK.id, "azurerm_snapshot": DISK_SNAPSHOT.id,
                "azurerm_mssql_database": SQL_DATABASE.id}
MAX_DEPTH = 8


def account(view: ResourceView) -> str:
    return view.provider_value("subscription_id").text or PLAN_ACCOUNT


def region_of(value: str | Unknown | None) -> str | None:
    return normalise_code(value) if isinstance(value, str) else None


def referenced(view: ResourceView, path: str | tuple[str, ...], types: tuple[str, ...]) -> list[PlannedChange]:
    """The planned resources of `types` an attribute's expression (`path` into nested blocks) refers
    to, in the same module instance."""
    prefix = view.address[: len(view.address) - len(_own_tail(view))]
    found: dict[str, PlannedChange] = {}
    for group in view.reference_groups(*((path,) if isinstance(path, str) else path)):
        for reference in group:
            parsed = parse_reference(reference)
            if not isinstance(parsed, ResourceReference) or parsed.type not in types:
                continue
            base = f"{prefix}{parsed.type}.{parsed.name}"
            for change in view.context.document.changes:
                rest = change.address[len(base):] if change.address.startswith(base) else None
                if rest is not None and (rest == "" or rest.startswith("[")) and change.type == parsed.type:
                    found[change.address] = change
    return list(found.values())


def _own_tail(view: ResourceView) -> str:
    """`azurerm_x.name[key]`: the view's address without its module prefix."""
    marker = f"{view.change.type}.{view.change.location.name}"
    return view.address[view.address.rfind(marker):]


def planned_location(change: PlannedChange) -> str | None:
    return region_of(change.after.text("location"))


def paired(view: ResourceView, home: str | None, kind: PlacementKind, why: str) -> Placement:
    if home is None:
        return Placement(kind, None, f"{KNOWN_AFTER_APPLY} ({why}: the primary region)")
    pair = view.context.catalog.azure_pair(home)
    if pair is None:
        return Placement(kind, None, f"{why}: the region pair table has no pair for {home}")
    return Placement(kind, normalise_code(pair), f"{why} (paired region of {home})")


def lineage(view: ResourceView, attributes: tuple[str, ...], how: str, depth: int = 0) -> Lineage:
    """The planned or existing resource a copy is made from (the first attribute that names one)."""
    for attribute in attributes:
        planned = referenced(view, attribute, tuple(SOURCE_KINDS))
        if len(planned) == 1:
            return _planned_source(view, planned[0], f"{how} {planned[0].address}", depth)
        value = view.after.text(attribute)
        if isinstance(value, str):
            return _existing_source(value, f"{how} {value}")
        if isinstance(value, Unknown) or planned:
            return Lineage(None, f"{how}: which resource is known only after apply")
    return Lineage(None, f"{how}: no source resource in the plan")


def _planned_source(view: ResourceView, change: PlannedChange, how: str, depth: int) -> Lineage:
    """A source in the plan: a snapshot made from another planned copy follows it back (bounded)."""
    if change.type == "azurerm_snapshot" and depth < MAX_DEPTH:
        inner = lineage(view.context.view(change), ("source_resource_id",), f"{how}, a snapshot of", depth + 1)
        if inner.source is not None:
            return inner
    name = change.after.text("name")
    tags = change.after.string_map("tags")
    key = ResourceKey(Provider.AZURE, account(view), SOURCE_KINDS[change.type], change.address,
                      name if isinstance(name, str) else change.address,
                      None if isinstance(tags, Unknown) else sorted_tags(tags))
    return Lineage(key, how)


def _existing_source(resource_id: str, how: str) -> Lineage:
    lowered = resource_id.lower()
    kind = next((k for marker, k in (("/disks/", MANAGED_DISK.id), ("/snapshots/", DISK_SNAPSHOT.id),
                                     ("/databases/", SQL_DATABASE.id)) if marker in lowered), None)
    if kind is None or not lowered.startswith("/subscriptions/"):
        return Lineage(None, f"{how}: not a resource residency inventories")
    key = ResourceKey(Provider.AZURE, resource_id.split("/")[2], kind, resource_id, resource_id.rsplit("/", 1)[-1],
                      None)
    return Lineage(key, f"{how} (outside the plan: its tags come from a scan)")
