"""Judging one resource's placements against one policy: the engine's per-shape step.

`judge_resource` looks only at a resource's shape (placements, state, residue, gaps, kind),
never its name or id, so the engine can cache the result for every resource of that shape.
"""

from __future__ import annotations

from dataclasses import dataclass

from residency.engine.locations import LocationJudge, Verdict
from residency.findings import rules
from residency.findings.model import STATUS_ORDER, FindingLocation, Status
from residency.inventory.model import UNKNOWN_TAGS, Placement, PlacementKind, ResourceState, StorageResource
from residency.policy.model import Policy

STATUS_RANK = {status: rank for rank, status in enumerate(STATUS_ORDER)}


def _effective_kind(resource: StorageResource, placement: Placement) -> PlacementKind:
    # A soft-deleted container's data is residual wherever it sits.
    if resource.state is ResourceState.SOFT_DELETED:
        return PlacementKind.RESIDUAL
    return placement.kind


class _Collector:
    """Groups offending locations by (rule, status) for one policy and resource."""

    def __init__(self) -> None:
        self.groups: dict[tuple[str, Status], list[FindingLocation]] = {}
        self.clauses: dict[tuple[str, Status], list[str]] = {}

    def add(self, rule_id: str, status: Status, location: FindingLocation, clause: str) -> None:
        key = (rule_id, status)
        self.groups.setdefault(key, []).append(location)
        clauses = self.clauses.setdefault(key, [])
        if clause not in clauses:
            clauses.append(clause)


@dataclass(frozen=True, slots=True)
class RuleOutcome:
    rule: rules.Rule
    status: Status
    locations: tuple[FindingLocation, ...]
    suffix: str  # the message after the resource name
    remediation: str
    rank: int  # position of `status` in STATUS_ORDER
    why: str  # the clauses alone, for messages built elsewhere


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one policy says about one shape of resource, before names and exemptions."""

    groups: tuple[RuleOutcome, ...]
    checked: tuple[FindingLocation, ...]
    compliant_suffix: str


def judge_resource(policy: Policy, resource: StorageResource, judge: LocationJudge) -> Outcome:
    collector = _Collector()
    checked: list[FindingLocation] = []
    for placement in resource.placements:
        kind = _effective_kind(resource, placement)
        if kind not in policy.counts:
            continue
        _judge_placement(policy, resource, placement, kind, judge, collector, checked)
    for gap in resource.gaps:
        if gap.what == UNKNOWN_TAGS:  # decides scope, not location: see _emit_possible
            continue
        location = FindingLocation(PlacementKind.PRIMARY, None, None, f"{gap.what}: {gap.reason}")
        collector.add(
            rules.LOCATION_UNVERIFIABLE.id,
            Status.UNVERIFIABLE,
            location,
            f"could not read {gap.what} ({gap.reason})",
        )
    groups = tuple(
        RuleOutcome(
            rules.RULES[rule_id], status, tuple(locations),
            f": {rules.RULES[rule_id].title.lower()}: {'; '.join(collector.clauses[(rule_id, status)])}.",
            remediation_for(policy, rules.RULES[rule_id]),
            STATUS_RANK[status],
            "; ".join(collector.clauses[(rule_id, status)]),
        )
        for (rule_id, status), locations in sorted(collector.groups.items(), key=lambda item: item[0][0])
    )
    where = ", ".join(sorted({loc.region or "?" for loc in checked})) or "no counted location"
    return Outcome(groups, tuple(checked), f": every counted location is allowed ({where}).")


def _judge_placement(
    policy: Policy,
    resource: StorageResource,
    placement: Placement,
    kind: PlacementKind,
    judge: LocationJudge,
    collector: _Collector,
    checked: list[FindingLocation],
) -> None:
    provider = placement.provider or resource.provider
    if placement.region is None:
        location = FindingLocation(kind, None, None, placement.reason, provider)
        collector.add(
            rules.LOCATION_UNVERIFIABLE.id, Status.UNVERIFIABLE, location,
            f"the {kind.value} location is unknown ({placement.reason})",
        )
        return
    judgement = judge.judge(policy, provider, placement.region)
    location = FindingLocation(kind, placement.region, judgement.countries, placement.reason, provider)
    if judgement.verdict is Verdict.ALLOWED:
        checked.append(location)
        return
    if judgement.verdict is Verdict.UNKNOWN:
        collector.add(rules.LOCATION_UNVERIFIABLE.id, Status.UNVERIFIABLE, location, judgement.why)
        return
    _outside(policy, resource, kind, location, judgement.why, collector, checked)


def _outside(
    policy: Policy,
    resource: StorageResource,
    kind: PlacementKind,
    location: FindingLocation,
    why: str,
    collector: _Collector,
    checked: list[FindingLocation],
) -> None:
    residue = resource.deletion_evidence
    own_location = kind in (PlacementKind.PRIMARY, PlacementKind.MEMBER, PlacementKind.RESIDUAL)
    if own_location and policy.requires_deletion and residue is not None:
        locks = residue.blocking_locks
        if locks:
            detail = "; ".join(lock.detail for lock in locks)
            collector.add(
                rules.RETENTION_BLOCKS_DELETION.id, Status.VIOLATION, location,
                f"{why}, and deletion is blocked: {detail}",
            )
        if kind is not PlacementKind.RESIDUAL and residue.has_live_data is False:
            deleted = residue.has_deleted_data
            if deleted is False:
                checked.append(location)  # emptied, nothing left behind: the pledge holds
                return
            if deleted is None:
                collector.add(
                    rules.LOCATION_UNVERIFIABLE.id, Status.UNVERIFIABLE, location,
                    f"{why}; it holds no live objects, but deleted copies could not be checked",
                )
                return
            collector.add(
                rules.RESIDUAL_OUTSIDE.id, Status.VIOLATION,
                FindingLocation(PlacementKind.RESIDUAL, location.region, location.countries,
                                location.reason, location.provider),
                f"{why}; its live objects are gone but {_residue_summary(resource)} remain",
            )
            return
    clause = f"{why}; {_residual_summary(resource)}" if kind is PlacementKind.RESIDUAL else why
    collector.add(rules.RULE_FOR_KIND[kind].id, Status.VIOLATION, location, clause)


def _residue_summary(resource: StorageResource) -> str:
    residue = resource.deletion_evidence
    if residue is None:
        return "deleted copies"
    at_least = "" if residue.exact else "at least "
    parts = []
    if residue.noncurrent_versions:
        parts.append(f"{at_least}{residue.noncurrent_versions} noncurrent version(s)")
    if residue.soft_deleted_objects:
        parts.append(f"{at_least}{residue.soft_deleted_objects} soft-deleted object(s)")
    return " and ".join(parts) or "deleted copies"


def _residual_summary(resource: StorageResource) -> str:
    if resource.state is ResourceState.SOFT_DELETED:
        return f"the {resource.kind} was deleted but is still recoverable, with its data"
    return "deleted data is still present there"


def remediation_for(policy: Policy, rule: rules.Rule) -> str:
    """The rule's hint, plus the policy's own when it has one."""
    return f"{rule.remediation} {policy.remediation}" if policy.remediation else rule.remediation
