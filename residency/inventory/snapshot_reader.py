"""Reading a snapshot's JSON into an `Inventory`, checking every field (one-line errors).

Version 1 snapshots did not record what was collected. They are read fail-closed: a resource
with placements counts as located and tagged, one without as tagged only; replicas, derived
copies and deletion evidence count as not collected, so policies that need them report the
resource as unverifiable instead of trusting an absence nobody looked for.
"""

from __future__ import annotations

from typing import Any

from residency.errors import InputError
from residency.inventory.kinds import KINDS
from residency.inventory.model import (
    AccountGap,
    DeletionEvidence,
    Facet,
    Gap,
    Inventory,
    Lineage,
    Placement,
    PlacementKind,
    Provider,
    ResourceKey,
    ResourceState,
    RetentionLock,
    StorageResource,
)

SUPPORTED_VERSIONS = ("1", "2")


class _Reader:
    """Pulls typed fields out of parsed JSON, naming the JSON path when one is wrong."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, path: str, problem: str) -> InputError:
        return InputError(
            f"{self.file} at {path}: {problem} (write snapshots with `residency scan --inventory-out`)"
        )

    def obj(self, value: Any, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(path, f"expected an object, found {type(value).__name__}")
        return value

    def lst(self, value: Any, path: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(path, f"expected a list, found {type(value).__name__}")
        return value

    def text(self, data: dict[str, Any], key: str, path: str, optional: bool = False) -> Any:
        value = data.get(key)
        if value is None and optional:
            return None
        if not isinstance(value, str):
            raise self.fail(f"{path}.{key}", "expected a string")
        return value

    def flag(self, data: dict[str, Any], key: str, path: str, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(f"{path}.{key}", "expected true or false")
        return value

    def count(self, data: dict[str, Any], key: str, path: str) -> int | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise self.fail(f"{path}.{key}", "expected a non-negative integer or null")
        return value

    def enum(self, enum: Any, data: dict[str, Any], key: str, path: str, optional: bool = False) -> Any:
        raw = self.text(data, key, path, optional)
        if raw is None:
            return None
        try:
            return enum(raw)
        except ValueError:
            choices = ", ".join(m.value for m in enum)
            raise self.fail(f"{path}.{key}", f"'{raw}' is not one of {choices}") from None

    def kind(self, data: dict[str, Any], path: str) -> str:
        kind = self.text(data, "kind", path)
        if kind not in KINDS:
            raise self.fail(f"{path}.kind", f"'{kind}' is not a resource kind this residency version knows; "
                                            "check it with the version that wrote the snapshot")
        return str(kind)

    def string_map(self, data: dict[str, Any], key: str, path: str) -> tuple[tuple[str, str], ...]:
        raw = self.obj(data.get(key, {}), f"{path}.{key}")
        if not all(isinstance(v, str) for v in raw.values()):
            raise self.fail(f"{path}.{key}", "expected string values")
        return tuple(sorted(raw.items()))

    def strings(self, data: dict[str, Any], key: str, path: str) -> tuple[str, ...]:
        raw = self.lst(data.get(key, []), f"{path}.{key}")
        if not all(isinstance(v, str) for v in raw):
            raise self.fail(f"{path}.{key}", "expected a list of strings")
        return tuple(raw)


def inventory_from_dict(data: Any, file: str) -> Inventory:
    rd = _Reader(file)
    top = rd.obj(data, "$")
    version = top.get("snapshot_version")
    if version is None and "findings" in top:
        raise InputError(f"{file}: this is a residency report, not an inventory snapshot; "
                         "write one with `residency scan --inventory-out FILE`")
    if version not in SUPPORTED_VERSIONS:
        raise rd.fail("$.snapshot_version", f"unsupported snapshot version {version!r} "
                                            f"(this residency reads {', '.join(SUPPORTED_VERSIONS)})")
    resources = tuple(
        _resource_from(rd, item, f"$.resources[{i}]", version)
        for i, item in enumerate(rd.lst(top.get("resources"), "$.resources"))
    )
    gaps = tuple(
        AccountGap(
            rd.enum(Provider, rd.obj(g, f"$.account_gaps[{i}]"), "provider", f"$.account_gaps[{i}]"),
            rd.text(g, "account", f"$.account_gaps[{i}]"),
            rd.text(g, "reason", f"$.account_gaps[{i}]"),
        )
        for i, g in enumerate(rd.lst(top.get("account_gaps", []), "$.account_gaps"))
    )
    scanned = tuple(
        (rd.text(entry, "provider", f"$.scanned[{i}]"), rd.text(entry, "account", f"$.scanned[{i}]"))
        for i, raw in enumerate(rd.lst(top.get("scanned", []), "$.scanned"))
        for entry in (rd.obj(raw, f"$.scanned[{i}]"),)  # checked to be an object first
    )
    policy_files = tuple(
        (rd.text(entry, "path", f"$.policy_files[{i}]"), rd.text(entry, "sha256", f"$.policy_files[{i}]"))
        for i, raw in enumerate(rd.lst(top.get("policy_files", []), "$.policy_files"))
        for entry in (rd.obj(raw, f"$.policy_files[{i}]"),)
    )
    return Inventory(resources, gaps, scanned, source=f"snapshot:{file}", policy_files=policy_files)


def _resource_from(rd: _Reader, raw: Any, path: str, version: str) -> StorageResource:
    data = rd.obj(raw, path)
    provider = rd.enum(Provider, data, "provider", path)
    placements = tuple(
        _placement_from(rd, item, f"{path}.placements[{i}]")
        for i, item in enumerate(rd.lst(data.get("placements"), f"{path}.placements"))
    )
    evidence_key = "deletion_evidence" if version != "1" else "residue"
    evidence_raw = data.get(evidence_key)
    gaps = tuple(_gap_from(rd, g, f"{path}.gaps[{i}]") for i, g in enumerate(rd.lst(data.get("gaps", []),
                                                                                     f"{path}.gaps")))
    if version == "1":
        collected = frozenset({Facet.LOCATION, Facet.TAGS}) if placements else frozenset({Facet.TAGS})
    else:
        collected = frozenset(_facet(rd, value, f"{path}.collected")
                              for value in rd.strings(data, "collected", path))
    lineage_raw = data.get("lineage")
    return StorageResource(
        provider=provider,
        account=rd.text(data, "account", path),
        id=rd.text(data, "id", path),
        name=rd.text(data, "name", path),
        kind=rd.kind(data, path),
        placements=placements,
        collected=collected,
        tags=rd.string_map(data, "tags", path),
        state=rd.enum(ResourceState, data, "state", path, optional=True) or ResourceState.ACTIVE,
        deletion_evidence=(_evidence_from(rd, evidence_raw, f"{path}.{evidence_key}")
                           if evidence_raw is not None else None),
        gaps=gaps,
        attributes=rd.string_map(data, "attributes", path),
        lineage=_lineage_from(rd, lineage_raw, f"{path}.lineage") if lineage_raw is not None else None,
    )


def _facet(rd: _Reader, value: str, path: str) -> Facet:
    try:
        return Facet(value)
    except ValueError:
        raise rd.fail(path, f"'{value}' is not one of {', '.join(f.value for f in Facet)}") from None


def _gap_from(rd: _Reader, raw: Any, path: str) -> Gap:
    data = rd.obj(raw, path)
    what = rd.text(data, "what", path)
    facet = rd.enum(Facet, data, "facet", path, optional=True)
    if facet is None:  # version 1: only "tags" gaps were about something other than location
        facet = Facet.TAGS if what == "tags" else Facet.LOCATION
    return Gap(what, rd.text(data, "reason", path), facet)


def _placement_from(rd: _Reader, raw: Any, path: str) -> Placement:
    data = rd.obj(raw, path)
    return Placement(
        kind=rd.enum(PlacementKind, data, "kind", path),
        region=rd.text(data, "region", path, optional=True),
        reason=rd.text(data, "reason", path),
        provider=rd.enum(Provider, data, "provider", path, optional=True),
        target=rd.text(data, "target", path, optional=True),
    )


def _lineage_from(rd: _Reader, raw: Any, path: str) -> Lineage:
    data = rd.obj(raw, path)
    source_raw = data.get("source")
    source = None
    if source_raw is not None:
        src = rd.obj(source_raw, f"{path}.source")
        tags = None if src.get("tags") is None else rd.string_map(src, "tags", f"{path}.source")
        source = ResourceKey(rd.enum(Provider, src, "provider", f"{path}.source"),
                             rd.text(src, "account", f"{path}.source"), rd.kind(src, f"{path}.source"),
                             rd.text(src, "id", f"{path}.source"), rd.text(src, "name", f"{path}.source"), tags)
    return Lineage(source, rd.text(data, "how", path))


def _evidence_from(rd: _Reader, raw: Any, path: str) -> DeletionEvidence:
    data = rd.obj(raw, path)
    locks = tuple(
        RetentionLock(
            kind=rd.text(rd.obj(lk, f"{path}.locks[{i}]"), "kind", f"{path}.locks[{i}]"),
            detail=rd.text(lk, "detail", f"{path}.locks[{i}]"),
            until=rd.text(lk, "until", f"{path}.locks[{i}]", optional=True),
            blocks_deletion=rd.flag(lk, "blocks_deletion", f"{path}.locks[{i}]", default=True),
        )
        for i, lk in enumerate(rd.lst(data.get("locks", []), f"{path}.locks"))
    )
    return DeletionEvidence(
        live_objects=rd.count(data, "live_objects", path),
        noncurrent_versions=rd.count(data, "noncurrent_versions", path),
        delete_markers=rd.count(data, "delete_markers", path),
        soft_deleted_objects=rd.count(data, "soft_deleted_objects", path),
        bytes=rd.count(data, "bytes", path),
        exact=rd.flag(data, "exact", path, default=False),
        locks=locks,
        notes=rd.strings(data, "notes", path),
    )
