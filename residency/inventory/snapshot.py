"""Inventory snapshots: save a scan's inventory as JSON, evaluate it later offline.

A snapshot is self-describing: each resource says which facets the scan collected (its
location, tags, replicas, derived copies, deletion evidence), so `residency check` with other
policies judges only what the evidence supports and reports the rest as not collected. It
records the digests of the policies the scan collected for. Versioned (`SNAPSHOT_VERSION`);
the reader (`snapshot_reader`) checks every field and reports a bad file in one line naming
the file and the JSON path. Version 1 snapshots (without `collected`) are read fail-closed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from residency.inventory.model import DeletionEvidence, Inventory, Lineage, ResourceKey, StorageResource
from residency.inventory.snapshot_reader import inventory_from_dict
from residency.untrusted.jsonfile import read_json

SNAPSHOT_VERSION = "2"
MAX_SNAPSHOT_BYTES = 2 * 1024**3


def inventory_to_dict(inventory: Inventory) -> dict[str, Any]:
    return {
        "snapshot_version": SNAPSHOT_VERSION,
        "source": inventory.source,
        "policy_files": [{"path": path, "sha256": digest} for path, digest in inventory.policy_files],
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
        "collected": sorted(facet.value for facet in resource.collected),
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
        "deletion_evidence": _evidence_to_dict(resource.deletion_evidence) if resource.deletion_evidence else None,
        "gaps": [{"what": g.what, "reason": g.reason, "facet": g.facet.value} for g in resource.gaps],
        "lineage": _lineage_to_dict(resource.lineage) if resource.lineage else None,
    }


def _evidence_to_dict(evidence: DeletionEvidence) -> dict[str, Any]:
    return {
        "live_objects": evidence.live_objects,
        "noncurrent_versions": evidence.noncurrent_versions,
        "delete_markers": evidence.delete_markers,
        "soft_deleted_objects": evidence.soft_deleted_objects,
        "bytes": evidence.bytes,
        "exact": evidence.exact,
        "locks": [
            {"kind": lk.kind, "detail": lk.detail, "until": lk.until, "blocks_deletion": lk.blocks_deletion}
            for lk in evidence.locks
        ],
        "notes": list(evidence.notes),
    }


def _lineage_to_dict(lineage: Lineage) -> dict[str, Any]:
    return {"how": lineage.how, "source": _key_to_dict(lineage.source) if lineage.source else None}


def _key_to_dict(key: ResourceKey) -> dict[str, Any]:
    return {
        "provider": key.provider.value, "account": key.account, "kind": key.kind, "id": key.id, "name": key.name,
        "tags": dict(key.tags) if key.tags is not None else None,
    }


def dumps(inventory: Inventory) -> str:
    return json.dumps(inventory_to_dict(inventory), indent=1, sort_keys=True) + "\n"


def load_snapshot(path: str | Path) -> Inventory:
    data = read_json(path, "inventory snapshot", "give a snapshot from `residency scan --inventory-out`",
                     MAX_SNAPSHOT_BYTES)
    return inventory_from_dict(data, str(path))
