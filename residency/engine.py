"""The rule engine: `evaluate(policies, inventory) -> findings`. Pure, deterministic, no I/O."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter

from residency import rules
from residency.catalog import Catalog
from residency.findings import STATUS_ORDER, Finding, FindingLocation, ResourceRef, Status
from residency.geo import LocationJudge, Verdict
from residency.model import (
    UNKNOWN_TAGS,
    AccountGap,
    Inventory,
    Placement,
    PlacementKind,
    ResourceState,
    StorageResource,
)
from residency.policy.model import Exemption, Policy, Severity
from residency.scope import Coverage, ScopeMatcher, compile_scopes, glob_matches, possibly_covering

_STATUS_RANK = {status: rank for rank, status in enumerate(STATUS_ORDER)}
_OUTCOME_CACHE_LIMIT = 200_000
_BY_ID = attrgetter("id")  # ids differ across providers (ARN, gs://, /subscriptions/)
_COMPLIANT_RANK = _STATUS_RANK[Status.COMPLIANT]
_SEVERITY_RANK = {severity: severity.rank for severity in Severity}


def evaluate(
    policies: Sequence[Policy],
    inventory: Inventory,
    catalog: Catalog,
    today: dt.date,
) -> tuple[Finding, ...]:
    """Every (policy, resource) in scope yields at least one finding; sorted stably."""
    # Millions of small findings would trigger the cyclic GC over and over, scanning the
    # whole heap each time (most of the run time at 1M resources). Nothing here makes cycles.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _evaluate(policies, inventory, catalog, today)
    finally:
        if was_enabled:
            gc.enable()


def _evaluate(
    policies: Sequence[Policy],
    inventory: Inventory,
    catalog: Catalog,
    today: dt.date,
) -> tuple[Finding, ...]:
    judge = LocationJudge(catalog)
    scopes = compile_scopes(policies)
    coverage = Coverage(scopes)
    # Estates repeat the same placements under many names: intern each resource's shape
    # once, then judge each (policy, shape) once.
    shapes: dict[tuple[object, ...], int] = {}
    outcome_rows: list[list[_Outcome | None]] = []  # [shape][policy index]
    # Findings are collected per policy and status in resource order, so the final order
    # (status, severity, policy, resource id, rule) needs no sort of millions of findings.
    buckets: list[list[list[Finding]]] = [[[] for _ in STATUS_ORDER] for _ in scopes]
    for resource in sorted(inventory.resources, key=_BY_ID):
        covering = coverage.covering(resource)
        tags_unknown = bool(resource.gaps) and resource.tags_unknown
        if not covering and not tags_unknown:
            continue
        shape_key = (resource.placements, resource.state, resource.residue, resource.gaps, resource.kind)
        shape = shapes.setdefault(shape_key, len(shapes))
        if shape == len(outcome_rows):
            outcome_rows.append([None] * len(scopes))
        row = outcome_rows[shape]
        ref = _ref(resource)
        for index in covering:
            policy = scopes[index][0]
            outcome = row[index]
            if outcome is None:
                outcome = row[index] = _outcome(policy, resource, judge)
            _emit(policy, resource, ref, outcome, today, buckets[index])
        if tags_unknown:
            _emit_possible(scopes, resource, ref, covering, judge, buckets)
        if len(shapes) >= _OUTCOME_CACHE_LIMIT:  # bound memory on estates with no repetition
            shapes.clear()
            outcome_rows.clear()
    late = _add_account_gaps(inventory, scopes, buckets)
    ordered: list[Finding] = []
    keys = [(index, rank) for index in range(len(scopes)) for rank in range(len(STATUS_ORDER))]
    for index, rank in sorted(keys, key=lambda k: _bucket_order(scopes[k[0]][0], k[1])):
        bucket = buckets[index][rank]
        if (index, rank) in late:
            bucket.sort(key=_within_bucket)
        ordered.extend(bucket)
    return tuple(ordered)


def _emit_possible(
    scopes: list[tuple[Policy, ScopeMatcher]],
    resource: StorageResource,
    ref: ResourceRef,
    covering: tuple[int, ...],
    judge: LocationJudge,
    buckets: list[list[list[Finding]]],
) -> None:
    """Tags unknown: a tag-scoped policy may cover it; report data outside its locations."""
    for index in possibly_covering(scopes, resource):
        if index in covering:
            continue
        policy = scopes[index][0]
        outcome = _outcome(policy, resource, judge)
        # Outside, or not known to be inside: either way the unknown tags leave it open.
        open_groups = [g for g in outcome.groups if g.status in (Status.VIOLATION, Status.UNVERIFIABLE)]
        if not open_groups:
            continue
        clauses = [g.why for g in open_groups]
        locations = tuple(loc for g in open_groups for loc in g.locations)
        rule = rules.SCOPE_UNVERIFIABLE
        message = (f"{resource.name}: its tags are unknown, so it may hold data this policy covers: "
                   f"{'; '.join(clauses)}.")
        buckets[index][_STATUS_RANK[Status.UNVERIFIABLE]].append(
            Finding(policy.id, rule.id, policy.severity, Status.UNVERIFIABLE, ref, locations, message,
                    _remediation(policy, rule), policy.source)
        )


def _add_account_gaps(
    inventory: Inventory, scopes: list[tuple[Policy, ScopeMatcher]], buckets: list[list[list[Finding]]]
) -> set[tuple[int, int]]:
    """Account-level findings join their buckets out of order; say which need sorting."""
    late: set[tuple[int, int]] = set()
    for gap in inventory.account_gaps:
        for index, finding in _account_gap_findings(gap, scopes):
            rank = _STATUS_RANK[finding.status]
            buckets[index][rank].append(finding)
            late.add((index, rank))
    return late


def _bucket_order(policy: Policy, status_rank: int) -> tuple[int, int, str]:
    return (status_rank, -_SEVERITY_RANK[policy.severity], policy.id)


def _within_bucket(finding: Finding) -> tuple[str, str]:
    return (finding.resource.id, finding.rule_id)


def _ref(resource: StorageResource) -> ResourceRef:
    return ResourceRef(resource.provider, resource.account, resource.id, resource.name, resource.kind)


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
class _Group:
    rule: rules.Rule
    status: Status
    locations: tuple[FindingLocation, ...]
    suffix: str  # the message after the resource name
    remediation: str
    rank: int  # position of `status` in STATUS_ORDER
    why: str  # the clauses alone, for messages built elsewhere


@dataclass(frozen=True, slots=True)
class _Outcome:
    """What one policy says about one shape of resource, before names and exemptions."""

    groups: tuple[_Group, ...]
    checked: tuple[FindingLocation, ...]
    compliant_suffix: str


def _outcome(policy: Policy, resource: StorageResource, judge: LocationJudge) -> _Outcome:
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
        _Group(
            rules.RULES[rule_id], status, tuple(locations),
            f": {rules.RULES[rule_id].title.lower()}: {'; '.join(collector.clauses[(rule_id, status)])}.",
            _remediation(policy, rules.RULES[rule_id]),
            _STATUS_RANK[status],
            "; ".join(collector.clauses[(rule_id, status)]),
        )
        for (rule_id, status), locations in sorted(collector.groups.items(), key=lambda item: item[0][0])
    )
    where = ", ".join(sorted({loc.region or "?" for loc in checked})) or "no counted location"
    return _Outcome(groups, tuple(checked), f": every counted location is allowed ({where}).")


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
    residue = resource.residue
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
    residue = resource.residue
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


def _matching_exemption(policy: Policy, resource: StorageResource) -> Exemption | None:
    for exemption in policy.exemptions:
        if glob_matches(exemption.resource, resource.id) or glob_matches(exemption.resource, resource.name):
            return exemption
    return None


def _emit(
    policy: Policy,
    resource: StorageResource,
    ref: ResourceRef,
    outcome: _Outcome,
    today: dt.date,
    sink: list[list[Finding]],
) -> None:
    """Append this (policy, resource)'s findings to `sink[status rank]`, ordered by rule."""
    if not outcome.groups:
        sink[_COMPLIANT_RANK].append(
            Finding(policy.id, rules.LOCATIONS_ALLOWED.id, policy.severity, Status.COMPLIANT, ref,
                    outcome.checked, resource.name + outcome.compliant_suffix,
                    rules.LOCATIONS_ALLOWED.remediation, policy.source)
        )
        return
    exemption = _matching_exemption(policy, resource) if policy.exemptions else None
    if exemption is None:
        for group in outcome.groups:
            sink[group.rank].append(
                Finding(policy.id, group.rule.id, policy.severity, group.status, ref, group.locations,
                        resource.name + group.suffix, group.remediation, policy.source)
            )
        return
    expired = exemption.is_expired(today)
    findings = []
    for group in outcome.groups:
        message = resource.name + group.suffix
        status = group.status
        if not expired:
            status = Status.EXEMPT
            message += f" Exempt until {exemption.expires or 'further notice'}: {exemption.reason} ({exemption.owner})."
        else:
            message += f" Its exemption ({exemption.reason}) expired on {exemption.expires}."
        findings.append(
            Finding(policy.id, group.rule.id, policy.severity, status, ref, group.locations,
                    message, group.remediation, policy.source, exemption)
        )
    if expired and any(group.status is Status.VIOLATION for group in outcome.groups):
        findings.append(_expired(policy, ref, exemption))
    for finding in sorted(findings, key=lambda finding: finding.rule_id):
        sink[_STATUS_RANK[finding.status]].append(finding)


def _remediation(policy: Policy, rule: rules.Rule) -> str:
    return f"{rule.remediation} {policy.remediation}" if policy.remediation else rule.remediation


def _expired(policy: Policy, ref: ResourceRef, exemption: Exemption) -> Finding:
    rule = rules.EXEMPTION_EXPIRED
    return Finding(
        policy.id, rule.id, policy.severity, Status.VIOLATION, ref, (),
        f"{ref.name}: the exemption owned by {exemption.owner} ({exemption.reason}) expired on "
        f"{exemption.expires}, so its violations count again.",
        _remediation(policy, rule), exemption.source if exemption.source.file else policy.source,
        exemption,
    )


def _account_gap_findings(
    gap: AccountGap, scopes: list[tuple[Policy, ScopeMatcher]]
) -> list[tuple[int, Finding]]:
    ref = ResourceRef(gap.provider, gap.account, f"{gap.provider.value}:{gap.account}", gap.account, "account")
    rule = rules.LOCATION_UNVERIFIABLE
    return [
        (
            index,
            Finding(
                policy.id, rule.id, policy.severity, Status.UNVERIFIABLE, ref, (),
                f"{gap.account}: could not be scanned ({gap.reason}); its storage is unverified.",
                _remediation(policy, rule), policy.source,
            ),
        )
        for index, (policy, matcher) in enumerate(scopes)
        if matcher.covers_account(gap.provider, gap.account)
    ]
