"""google_storage_bucket: location, dual-/multi-region members, labels and protection settings.

A configurable dual-region lists its regions in `custom_placement_config.data_locations`
(its `location` is then the multi-region code, e.g. "US"); a predefined dual-region
(`NAM4`) expands to its member regions from the catalog; a multi-region (`EU`) stays one
MEMBER placement with its code. No objects exist before apply, so versioning, soft
delete and retention are recorded as attributes, not as deletion evidence.
"""

from __future__ import annotations

from residency.catalog import LocationType, normalise_code
from residency.inventory.kinds.gcp import GCS_BUCKET
from residency.inventory.model import Placement, PlacementKind, Provider, StorageResource
from residency.sources.terraform.values import UNKNOWN, Values
from residency.sources.terraform.view import (
    KNOWN_AFTER_APPLY,
    PLAN_ACCOUNT,
    PLANNED,
    ResourceView,
    merged_tags,
    string_map_of,
)


def bucket(view: ResourceView) -> StorageResource:
    name = view.after.text("name")
    project = view.after.text("project")
    if not isinstance(project, str):
        project = view.provider_value("project").text
    labels = merged_tags(view, string_map_of(view.provider_value("default_labels")), "labels", "terraform_labels")
    return StorageResource(
        provider=Provider.GCP,
        account=project or PLAN_ACCOUNT,
        id=view.address,
        name=name if isinstance(name, str) else view.address,
        kind=GCS_BUCKET.id,
        placements=_placements(view),
        tags=labels,
        attributes=(*view.base_attributes(), *_protection(view.after)), collected=PLANNED,
    )


def _placements(view: ResourceView) -> tuple[Placement, ...]:
    location = view.after.text("location")
    data_locations = view.after.get("custom_placement_config", 0, "data_locations")
    if location is UNKNOWN or data_locations is UNKNOWN:
        return (Placement(PlacementKind.PRIMARY, None, f"{KNOWN_AFTER_APPLY} (the bucket location)"),)
    if not isinstance(location, str):
        return (Placement(PlacementKind.PRIMARY, None, "the plan gives no bucket location"),)
    shown = location.upper()
    if isinstance(data_locations, list) and data_locations:
        note = view.location_change(("location",), location)
        return tuple(
            Placement(PlacementKind.MEMBER, normalise_code(str(region)),
                      f"data location of configurable dual-region {shown}{note}")
            for region in data_locations
        )
    code = normalise_code(location)
    note = view.location_change(("location",), location)
    catalogued = view.context.catalog.lookup(Provider.GCP, code)
    if catalogued is not None and catalogued.type is LocationType.DUAL_REGION and catalogued.members:
        return tuple(
            Placement(PlacementKind.MEMBER, member, f"member of dual-region {shown}{note}")
            for member in catalogued.members
        )
    if catalogued is not None and catalogued.type is LocationType.MULTI_REGION:
        return (Placement(PlacementKind.MEMBER, code, f"multi-region {shown}{note}"),)
    return (Placement(PlacementKind.PRIMARY, code, f"bucket location {shown}{note}"),)


def _protection(after: Values) -> list[tuple[str, str]]:
    """Settings that decide whether "deleted" data lingers once the bucket holds objects."""
    attributes = []
    versioning = after.get("versioning", 0, "enabled")
    if versioning is not None:
        attributes.append(("versioning", _shown(versioning, "enabled", "disabled")))
    soft_delete = after.get("soft_delete_policy", 0, "retention_duration_seconds")
    if soft_delete is not None:
        attributes.append(("soft-delete-retention", _seconds(soft_delete)))
    retention = after.get("retention_policy", 0, "retention_period")
    if retention is not None:
        locked = after.get("retention_policy", 0, "is_locked")
        suffix = ", locked" if locked is True else ""
        attributes.append(("retention-policy", f"{_seconds(retention)}{suffix}"))
    return attributes


def _shown(value: object, true: str, false: str) -> str:
    if value is UNKNOWN:
        return "known after apply"
    return true if value is True else false


def _seconds(value: object) -> str:
    if value is UNKNOWN:
        return "known after apply"
    return f"{value}s"
