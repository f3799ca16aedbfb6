"""A resource's own location outside the allowed ones: what it holds decides the wording and
whether deletion evidence adds findings, never whether it is a violation.

The container is a violation wherever it is outside, even when empty: it is where the next
write lands, and "empty" is one moment's listing (native guardrails such as Azure Policy
allowed locations, GCP resourceLocations and SCP region denies judge it the same way). When the
policy requires deletion, data left behind (noncurrent versions, soft-deleted objects) and
retention locks that block deleting it are reported too.
"""

from __future__ import annotations

from residency.engine.collector import Collector
from residency.findings import rules
from residency.findings.model import FindingLocation, Status
from residency.inventory.kinds import display_name
from residency.inventory.model import DeletionEvidence, PlacementKind, ResourceState, StorageResource
from residency.policy.model import Policy

OWN_LOCATIONS = frozenset({PlacementKind.PRIMARY, PlacementKind.MEMBER, PlacementKind.RESIDUAL})


def outside_own_location(
    policy: Policy,
    resource: StorageResource,
    kind: PlacementKind,
    location: FindingLocation,
    why: str,
    collector: Collector,
) -> None:
    evidence = resource.deletion_evidence
    if kind is PlacementKind.RESIDUAL:
        collector.add(rules.RESIDUAL_OUTSIDE.id, Status.VIOLATION, location, f"{why}; {residual_summary(resource)}")
    else:
        collector.add(rules.RULE_FOR_KIND[kind].id, Status.VIOLATION, location, why + _holdings(evidence))
    if not policy.requires_deletion or evidence is None:
        return
    if kind is not PlacementKind.RESIDUAL and evidence.has_deleted_data:
        residual = FindingLocation(PlacementKind.RESIDUAL, location.region, location.countries, location.reason,
                                   location.provider)
        collector.add(rules.RESIDUAL_OUTSIDE.id, Status.VIOLATION, residual,
                      f"{why}; {_residue_summary(evidence)} remain")
    locks = evidence.blocking_locks
    if locks:
        detail = "; ".join(lock.detail for lock in locks)
        collector.add(rules.RETENTION_BLOCKS_DELETION.id, Status.VIOLATION, location,
                      f"{why}, and deletion is blocked: {detail}")


def _holdings(evidence: DeletionEvidence | None) -> str:
    """What the evidence says it holds now, as a clause after the location's verdict."""
    if evidence is None or evidence.has_live_data is not False:
        return ""
    deleted = evidence.has_deleted_data
    if deleted is False:
        return "; it holds no data now: delete it"
    if deleted is None:
        return "; it holds no live data now (whether deleted copies remain could not be checked)"
    return "; it holds no live data now"


def _residue_summary(evidence: DeletionEvidence) -> str:
    at_least = "" if evidence.exact else "at least "
    parts = []
    if evidence.noncurrent_versions:
        parts.append(f"{at_least}{evidence.noncurrent_versions} noncurrent version(s)")
    if evidence.soft_deleted_objects:
        parts.append(f"{at_least}{evidence.soft_deleted_objects} soft-deleted object(s)")
    return " and ".join(parts) or "deleted copies"


def residual_summary(resource: StorageResource) -> str:
    if resource.state is ResourceState.SOFT_DELETED:
        return f"the {display_name(resource.kind)} was deleted but is still recoverable, with its data"
    return "deleted data is still present there"
