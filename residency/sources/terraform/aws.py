"""AWS resources: S3 buckets, directory buckets, replication and Multi-Region Access Points.

A bucket's region is, in order: its planned `region` value (provider 6 plans the
per-resource `region` argument; earlier providers know it for existing buckets), its
`region` argument, then the region of its provider configuration. Provider 5 and earlier
leave `region` unknown for new buckets although the provider configuration decides it.
"""

from __future__ import annotations

from residency.catalog import normalise_code
from residency.inventory.kinds.aws import (
    S3_BUCKET,
    S3_DIRECTORY_BUCKET,
    S3_MULTI_REGION_ACCESS_POINT,
    S3_REPLICATION_CONFIGURATION,
)
from residency.inventory.model import Placement, PlacementKind, Provider, StorageResource
from residency.sources.terraform.links import (
    Contribution,
    PlannedContainer,
    TargetIndex,
    arn_bucket_name,
    known_names,
    resolve_targets,
    target_placement,
)
from residency.sources.terraform.values import Unknown, Values
from residency.sources.terraform.view import (
    KNOWN_AFTER_APPLY,
    PLAN_ACCOUNT,
    PLANNED,
    UNDETERMINED,
    ResourceView,
    merged_tags,
    string_map_of,
)
from residency.text import is_ascii_digits

BUCKET_TYPES = frozenset({"aws_s3_bucket"})
_DIRECTORY_SUFFIX = "--x-s3"


def bucket(view: ResourceView) -> StorageResource:
    region, reason = _bucket_region(view)
    reason += view.location_change(("region",), region)
    name = view.after.text("bucket")
    return StorageResource(
        provider=Provider.AWS,
        account=aws_account(view),
        id=view.address,
        name=name if isinstance(name, str) else view.address,
        kind=S3_BUCKET.id,
        placements=(Placement(PlacementKind.PRIMARY, region, reason),),
        tags=aws_tags(view),
        attributes=tuple(view.base_attributes()), collected=PLANNED,
    )


def _bucket_region(view: ResourceView) -> tuple[str | None, str]:
    planned = view.after.text("region")
    if isinstance(planned, str):
        if view.expression("region") is not None:
            return normalise_code(planned), "region argument"
        if view.change.before.text("region") == planned:
            return normalise_code(planned), "region of the existing bucket"
        return normalise_code(planned), f"planned region (provider configuration {view.provider_note()})"
    if view.expression("region") is not None:
        resolved = view.evaluate("region")
        if resolved.text:
            return normalise_code(resolved.text), f"region argument ({resolved.source})"
        return None, f"{KNOWN_AFTER_APPLY}: the region argument is {resolved.why or 'null'}"
    return provider_region(view)


def provider_region(view: ResourceView) -> tuple[str | None, str]:
    resolved = view.provider_value("region")
    key = view.provider_note()
    if resolved.text:
        via = f" ({resolved.source})" if resolved.source.startswith("var.") else ""
        return normalise_code(resolved.text), f"region of provider configuration {key}{via}"
    if view.provider.setting is None:
        return None, f"{UNDETERMINED}: {resolved.why}"
    if not resolved.known:
        return None, f"{UNDETERMINED}: the region of provider configuration {key} is {resolved.why}"
    return None, (f"{UNDETERMINED}: provider configuration {key} sets no region, "
                  "so it comes from the environment at apply time")


def aws_account(view: ResourceView) -> str:
    allowed = view.provider_value("allowed_account_ids")
    if allowed.known and isinstance(allowed.value, list) and len(allowed.value) == 1:
        return str(allowed.value[0])
    role = view.provider_block_value("assume_role", "role_arn").text or ""
    parts = role.split(":")
    if len(parts) > 4 and parts[0] == "arn" and is_ascii_digits(parts[4]):
        return parts[4]
    return PLAN_ACCOUNT


def aws_tags(view: ResourceView) -> tuple[tuple[str, str], ...]:
    """Resource tags over the provider's default_tags (only for resource types that take tags)."""
    if not (view.after.has("tags") or view.after.has("tags_all")):
        return ()
    defaults = string_map_of(view.provider_block_value("default_tags", "tags"))
    return merged_tags(view, defaults, "tags_all", "tags")


def directory_bucket(view: ResourceView) -> StorageResource:
    name = view.after.text("bucket")
    zone = view.after.text("location", 0, "name")
    zone_type = view.after.text("location", 0, "type")
    if zone is None and isinstance(name, str) and name.endswith(_DIRECTORY_SUFFIX):
        zone = name[: -len(_DIRECTORY_SUFFIX)].rpartition("--")[2] or None
    if isinstance(zone, str):
        where = zone_type if isinstance(zone_type, str) else "zone"
        placement = Placement(PlacementKind.PRIMARY, normalise_code(zone), f"directory bucket in {where} {zone}")
    else:
        placement = Placement(PlacementKind.PRIMARY, None, f"{KNOWN_AFTER_APPLY} (the directory bucket's zone)")
    return StorageResource(
        provider=Provider.AWS, account=aws_account(view), id=view.address,
        name=name if isinstance(name, str) else view.address, kind=S3_DIRECTORY_BUCKET.id,
        placements=(placement,), tags=aws_tags(view), attributes=tuple(view.base_attributes()), collected=PLANNED,
    )


def replication_configuration(view: ResourceView, index: TargetIndex) -> Contribution:
    """aws_s3_bucket_replication_configuration: REPLICA placements for its source bucket."""
    source_name = view.after.text("bucket")
    sources = resolve_targets(view, index, BUCKET_TYPES, known_names([source_name]),
                              view.reference_groups("bucket")[:1])
    placements = _replica_placements(view, index, view.after.blocks("rule"), ("rule",))
    owner = _single(sources[0].hits) if sources else None
    if owner is not None:
        return Contribution(owner.resource.id, placements, (("replication", view.address),))
    shown = source_name if isinstance(source_name, str) else view.address
    standalone = StorageResource(
        provider=Provider.AWS, account=aws_account(view), id=view.address, name=shown,
        kind=S3_REPLICATION_CONFIGURATION.id, placements=placements,
        attributes=(*view.base_attributes(), ("source-bucket", f"{shown} (not in the plan)")), collected=PLANNED,
    )
    return Contribution(standalone=standalone)


def inline_replication(view: ResourceView, index: TargetIndex) -> Contribution:
    """The `replication_configuration` block of aws_s3_bucket (AWS provider 3 and earlier).
    Later providers plan it as a computed attribute, so only a written block counts."""
    if view.expression("replication_configuration") is None:
        return Contribution()
    configurations = view.after.blocks("replication_configuration")
    if isinstance(configurations, Unknown):
        unknown = Placement(PlacementKind.REPLICA, None, f"{KNOWN_AFTER_APPLY} (the replication rules)")
        return Contribution(view.address, (unknown,))
    rules = [rule for config in configurations for rule in _as_list(config.blocks("rules"))]
    return Contribution(view.address, _replica_placements(view, index, rules, ("replication_configuration", "rules")))


def _replica_placements(
    view: ResourceView, index: TargetIndex, rules: list[Values] | Unknown, rule_path: tuple[str, ...]
) -> tuple[Placement, ...]:
    if isinstance(rules, Unknown):
        return (Placement(PlacementKind.REPLICA, None, f"{KNOWN_AFTER_APPLY} (the replication rules)"),)
    names: list[str | Unknown | None] = []
    for rule in rules:
        if rule.text("status") == "Disabled":
            continue
        for destination in _as_list(rule.blocks("destination")):
            names.append(arn_bucket_name(destination.text("bucket")))
    groups = view.reference_groups(*rule_path, "destination", "bucket", skip=("status", "Disabled"))
    targets = resolve_targets(view, index, BUCKET_TYPES, known_names(names), groups)
    return tuple(target_placement(t, PlacementKind.REPLICA, "replication destination bucket") for t in targets)


def multi_region_access_point(view: ResourceView, index: TargetIndex) -> Contribution:
    """An MRAP copies nothing itself, but routes requests to every member bucket's region."""
    regions = view.after.blocks("details", 0, "region")
    if isinstance(regions, Unknown):
        placements: tuple[Placement, ...] = (
            Placement(PlacementKind.REPLICA, None, f"{KNOWN_AFTER_APPLY} (the access point's buckets)"),
        )
    else:
        names = known_names([member.text("bucket") for member in regions])
        groups = view.reference_groups("details", "region", "bucket")
        targets = resolve_targets(view, index, BUCKET_TYPES, names, groups)
        placements = tuple(target_placement(t, PlacementKind.REPLICA, "access point member bucket") for t in targets)
    name = view.after.text("details", 0, "name")
    resource = StorageResource(
        provider=Provider.AWS, account=aws_account(view), id=view.address,
        name=name if isinstance(name, str) else view.address, kind=S3_MULTI_REGION_ACCESS_POINT.id,
        placements=placements, attributes=tuple(view.base_attributes()), collected=PLANNED,
    )
    return Contribution(standalone=resource)


def _as_list(blocks: list[Values] | Unknown) -> list[Values]:
    return [] if isinstance(blocks, Unknown) else blocks


def _single(hits: tuple[PlannedContainer, ...]) -> PlannedContainer | None:
    return hits[0] if len(hits) == 1 else None
