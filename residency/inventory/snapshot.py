"""Inventory snapshots: save a scan's inventory as JSON, evaluate it later offline.

Versioned (`SNAPSHOT_VERSION`); reading checks the version and every field, and reports a
bad file in one line naming the file and the JSON path.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from residency.errors import InputError
from residency.inventory.model import (
    AccountGap,
    DeletionEvidence,
    Gap,
    Inventory,
    Placement,
    PlacementKind,
    Provider,
    ResourceState,
    RetentionLock,
    StorageResource,
)
from residency.untrusted.jsonfile import read_json

SNAPSHOT_VERSION = "1"
MAX_SNAPSHOT_BYTES = 2 * 1024**3


def inventory_to_dict(inventory: Inventory) -> dict[str, Any]:
    return {
        "snapshot_version": SNAPSHOT_VERSION,
        "source": inventory.source,
        "scanned": [{"provider": p, "account": a} for p, a in inventory.scanned],
        "account_gaps": [
            {"provider": g.provider.value, "account": g.account, "reason": g.reason}
            for g in inventory.account_gaps
        ],
        "resources": [_resource_to_dict(r) for r in inventory.resources],
    }


def _resource_to_dict(resource: StorageResource) -> dict[str, Any]:
    return {
        "provider": resource.provider.value,
        "account": resource.account,
        "id": resource.id,
        "name": resource.name,
        "kind": resource.kind,
        "state": resource.state.value,
        "tags": dict(resource.tags),
        "attributes": dict(resource.attributes),
        "placements": [
            {
                "kind": p.kind.value,
                "region": p.region,
                "reason": p.reason,
                "provider": p.provider.value if p.provider else None,
                "target": p.target,
            }
            for p in resource.placements
        ],
        "residue": _residue_to_dict(resource.deletion_evidence) if resource.deletion_evidence else None,
        "gaps": [{"what": g.what, "reason": g.reason} for g in resource.gaps],
    }


def _residue_to_dict(residue: DeletionEvidence) -> dict[str, Any]:
    return {
        "live_objects": residue.live_objects,
        "noncurrent_versions": residue.noncurrent_versions,
        "delete_markers": residue.delete_markers,
        "soft_deleted_objects": residue.soft_deleted_objects,
        "bytes": residue.bytes,
        "exact": residue.exact,
        "locks": [
            {"kind": lk.kind, "detail": lk.detail, "until": lk.until, "blocks_deletion": lk.blocks_deletion}
            for lk in residue.locks
        ],
        "notes": list(residue.notes),
    }


def dumps(inventory: Inventory) -> str:
    return json.dumps(inventory_to_dict(inventory), indent=1, sort_keys=True) + "\n"


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

    def string_map(self, data: dict[str, Any], key: str, path: str) -> tuple[tuple[str, str], ...]:
        raw = self.obj(data.get(key, {}), f"{path}.{key}")
        if not all(isinstance(v, str) for v in raw.values()):
            raise self.fail(f"{path}.{key}", "expected string values")
        return tuple(sorted(raw.items()))


def inventory_from_dict(data: Any, file: str) -> Inventory:
    rd = _Reader(file)
    top = rd.obj(data, "$")
    version = top.get("snapshot_version")
    if version is None and "findings" in top:
        raise InputError(f"{file}: this is a residency report, not an inventory snapshot; "
                         "write one with `residency scan --inventory-out FILE`")
    if version != SNAPSHOT_VERSION:
        raise rd.fail("$.snapshot_version", f"unsupported snapshot version {version!r} (expected '1')")
    resources = tuple(
        _resource_from(rd, item, f"$.resources[{i}]")
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
    return Inventory(resources, gaps, scanned, source=f"snapshot:{file}")


def _resource_from(rd: _Reader, raw: Any, path: str) -> StorageResource:
    data = rd.obj(raw, path)
    provider = rd.enum(Provider, data, "provider", path)
    placements = tuple(
        _placement_from(rd, item, f"{path}.placements[{i}]")
        for i, item in enumerate(rd.lst(data.get("placements"), f"{path}.placements"))
    )
    residue_raw = data.get("residue")
    gaps = tuple(
        Gap(rd.text(rd.obj(g, f"{path}.gaps[{i}]"), "what", f"{path}.gaps[{i}]"),
            rd.text(g, "reason", f"{path}.gaps[{i}]"))
        for i, g in enumerate(rd.lst(data.get("gaps", []), f"{path}.gaps"))
    )
    return StorageResource(
        provider=provider,
        account=rd.text(data, "account", path),
        id=rd.text(data, "id", path),
        name=rd.text(data, "name", path),
        kind=rd.text(data, "kind", path),
        placements=placements,
        tags=rd.string_map(data, "tags", path),
        state=rd.enum(ResourceState, data, "state", path, optional=True) or ResourceState.ACTIVE,
        deletion_evidence=_residue_from(rd, residue_raw, f"{path}.deletion_evidence") if residue_raw is not None else None,
        gaps=gaps,
        attributes=rd.string_map(data, "attributes", path),
    )


def _placement_from(rd: _Reader, raw: Any, path: str) -> Placement:
    data = rd.obj(raw, path)
    return Placement(
        kind=rd.enum(PlacementKind, data, "kind", path),
        region=rd.text(data, "region", path, optional=True),
        reason=rd.text(data, "reason", path),
        provider=rd.enum(Provider, data, "provider", path, optional=True),
        target=rd.text(data, "target", path, optional=True),
    )


def _residue_from(rd: _Reader, raw: Any, path: str) -> DeletionEvidence:
    data = rd.obj(raw, path)
    locks = tuple(
        RetentionLock(
            kind=rd.text(rd.obj(lk, f"{path}.locks[{i}]"), "kind", f"{path}.locks[{i}]"),
            detail=rd.text(lk, "detail", f"{path}.locks[{i}]"),
            until=rd.text(lk, "until", f"{path}.locks[{i}]", optional=True),
            blocks_deletion=bool(lk.get("blocks_deletion", True)),
        )
        for i, lk in enumerate(rd.lst(data.get("locks", []), f"{path}.locks"))
    )
    notes = rd.lst(data.get("notes", []), f"{path}.notes")
    return DeletionEvidence(
        live_objects=rd.count(data, "live_objects", path),
        noncurrent_versions=rd.count(data, "noncurrent_versions", path),
        delete_markers=rd.count(data, "delete_markers", path),
        soft_deleted_objects=rd.count(data, "soft_deleted_objects", path),
        bytes=rd.count(data, "bytes", path),
        exact=bool(data.get("exact", False)),
        locks=locks,
        notes=tuple(str(n) for n in notes),
    )


def load_snapshot(path: str | Path) -> Inventory:
    data = read_json(path, "inventory snapshot", "give a snapshot from `residency scan --inventory-out`",
                     MAX_SNAPSHOT_BYTES)
    return inventory_from_dict(data, str(path))
