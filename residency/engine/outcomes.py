"""Judging one resource's placements against one policy: the engine's per-shape step.

`judge_resource` looks only at a resource's shape (kind, placements, collected facets, state,
deletion evidence, gaps), never its name or id, so the engine can cache the result for every
resource of that shape.

What is judged, in order: facts the policy needs that were never collected (unverifiable),
every counted placement (allowed, outside, or unknown), gaps in what was read, and a resource
with no location at all (unverifiable: nothing proves where its data is).
"""

from __future__ import annotations

from dataclasses import dataclass

from residency.engine.collector import Collector
from residency.engine.evidence import OWN_LOCATIONS, outside_own_location
from residency.engine.locations import LocationJudge, Verdict
from residency.findings import rules
from residency.findings.model import STATUS_ORDER, FindingLocation, Status
from residency.inventory.kinds import kind_of
from residency.inventory.model import (
    FACET_OF_PLACEMENT,
    Facet,
    Placement,
    PlacementKind,
    ResourceState,
    StorageResource,
)
from residency.policy.model import Policy

STATUS_RANK = {status: rank for rank, status in enumerate(STATUS_ORDER)}
# The placement kind a finding location takes for a gap in each facet.
PLACEMENT_OF_FACET = {
    Facet.LOCATION: PlacementKind.PRIMARY,
    Facet.REPLICAS: PlacementKind.REPLICA,
    Facet.COPIES: PlacementKind.DERIVED,
    Facet.DELETION_EVIDENCE: PlacementKind.RESIDUAL,
}
_FACET_WORDS = {
    Facet.LOCATION: "its location",
    Facet.REPLICAS: "its replicas",
    Facet.COPIES: "its derived copies (backups, snapshots, exports)",
    Facet.DELETION_EVIDENCE: "what deleted data remains",
}


def _effective_kind(resource: StorageResource, placement: Placement) -> PlacementKind:
    # A soft-deleted container's data is residual wherever it sits.
    if resource.state is ResourceState.SOFT_DELETED:
        return PlacementKind.RESIDUAL
    return placement.kind


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
    collector = Collector()
    _not_collected(policy, resource, collector)
    outside = False
    for placement in resource.placements:
        kind = _effective_kind(resource, placement)
        if kind in policy.counts:
            outside |= _judge_placement(policy, resource, placement, kind, judge, collector)
    _gaps(policy, resource, outside, collector)
    if Facet.LOCATION in resource.collected and not _has_own_location(resource):
        collector.unverifiable(FindingLocation(PlacementKind.PRIMARY, None, None, "no location was recorded"),
                               "no location was recorded for it, so nothing proves where its data is")
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
    return Outcome(groups, tuple(collector.checked), _compliant_suffix(collector.checked))


def _compliant_suffix(checked: list[FindingLocation]) -> str:
    if not checked:
        return ": no location of the kinds this policy counts was found outside the allowed locations."
    where = ", ".join(sorted({loc.region or "?" for loc in checked}))
    return f": every counted location is allowed ({where})."


def _possible_kinds(resource: StorageResource) -> frozenset[PlacementKind]:
    spec = kind_of(resource.kind)
    return spec.placements if spec is not None else frozenset(PlacementKind)


def _not_collected(policy: Policy, resource: StorageResource, collector: Collector) -> None:
    """Facts this policy needs that the source never fetched: unverifiable, never assumed absent."""
    needed = {FACET_OF_PLACEMENT[kind] for kind in policy.counts & _possible_kinds(resource)}
    if resource.state is ResourceState.SOFT_DELETED:
        needed = set()  # nothing replicates or copies from a deleted resource: where it sits is all there is
    needed.add(Facet.LOCATION)
    for facet in sorted(needed - resource.collected):
        location = FindingLocation(PLACEMENT_OF_FACET[facet], None, None, f"{facet.value} not collected")
        collector.unverifiable(location, f"{_FACET_WORDS[facet]} was not collected by the scan that recorded it "
                                         "(re-scan with this policy, or scan with --collect-all)")


def _has_own_location(resource: StorageResource) -> bool:
    """A kind that lives somewhere (most do) must have a placement of its own location."""
    if not (_possible_kinds(resource) & OWN_LOCATIONS):
        return True  # e.g. a replication configuration: only its targets are places
    return any(_effective_kind(resource, p) in OWN_LOCATIONS or p.kind is PlacementKind.SECONDARY
               for p in resource.placements)


def _gaps(policy: Policy, resource: StorageResource, outside: bool, collector: Collector) -> None:
    """What could not be read, where it matters to this policy (tags decide scope, not location)."""
    for gap in resource.gaps:
        if not _gap_matters(policy, gap.facet, outside):
            continue
        location = FindingLocation(PLACEMENT_OF_FACET[gap.facet], None, None, f"{gap.what}: {gap.reason}")
        collector.unverifiable(location, f"could not read {gap.what} ({gap.reason})")


def _gap_matters(policy: Policy, facet: Facet, outside: bool) -> bool:
    if facet is Facet.TAGS:
        return False  # decides scope, not location: see the engine's possibly-covering findings
    if facet is Facet.REPLICAS:
        return PlacementKind.REPLICA in policy.counts
    if facet is Facet.COPIES:
        return PlacementKind.DERIVED in policy.counts
    if facet is Facet.DELETION_EVIDENCE:
        return policy.requires_deletion and outside
    return True


def _judge_placement(
    policy: Policy,
    resource: StorageResource,
    placement: Placement,
    kind: PlacementKind,
    judge: LocationJudge,
    collector: Collector,
) -> bool:
    """Judge one counted placement; True when it is outside the allowed locations."""
    provider = placement.provider or resource.provider
    if placement.region is None:
        location = FindingLocation(kind, None, None, placement.reason, provider)
        collector.unverifiable(location, f"the {kind.value} location is unknown ({placement.reason})")
        return False
    judgement = judge.judge(policy, provider, placement.region)
    location = FindingLocation(kind, placement.region, judgement.countries, placement.reason, provider)
    if judgement.verdict is Verdict.ALLOWED:
        collector.checked.append(location)
        return False
    if judgement.verdict is Verdict.UNKNOWN:
        collector.unverifiable(location, judgement.why)
        return False
    if kind in OWN_LOCATIONS:
        outside_own_location(policy, resource, kind, location, judgement.why, collector)
    else:
        collector.add(rules.RULE_FOR_KIND[kind].id, Status.VIOLATION, location, judgement.why)
    return True


def remediation_for(policy: Policy, rule: rules.Rule) -> str:
    """The rule's hint, plus the policy's own where it fits (data outside the allowed locations)."""
    if policy.remediation and rule.id in rules.DATA_OUTSIDE:
        return f"{rule.remediation} {policy.remediation}"
    return rule.remediation
