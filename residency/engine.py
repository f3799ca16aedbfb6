"""The rule engine: `evaluate(policies, inventory) -> findings`. Pure, deterministic, no I/O."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from residency import rules
from residency.catalog import Catalog
from residency.findings import STATUS_ORDER, Finding, FindingLocation, ResourceRef, Status
from residency.geo import LocationJudge, Verdict
from residency.model import (
    AccountGap,
    Inventory,
    Placement,
    PlacementKind,
    ResourceState,
    StorageResource,
)
from residency.policy.model import Exemption, Policy
from residency.scope import ScopeMatcher, compile_scopes, glob_matches

_STATUS_RANK = {status: rank for rank, status in enumerate(STATUS_ORDER)}


def evaluate(
    policies: Sequence[Policy],
    inventory: Inventory,
    catalog: Catalog,
    today: dt.date,
) -> tuple[Finding, ...]:
    """Every (policy, resource) in scope yields at least one finding; sorted stably."""
    judge = LocationJudge(catalog)
    scopes = compile_scopes(policies)
    findings: list[Finding] = []
    for resource in inventory.resources:
        ref: ResourceRef | None = None
        for policy, matcher in scopes:
            if not matcher.covers(
                resource.provider, resource.account, resource.name, resource.id, resource.tags
            ):
                continue
            ref = ref or _ref(resource)
            findings.extend(_evaluate_resource(policy, resource, ref, judge, today))
    for gap in inventory.account_gaps:
        findings.extend(_account_gap_findings(gap, scopes))
    findings.sort(key=_sort_key)
    return tuple(findings)


def _sort_key(finding: Finding) -> tuple[int, int, str, str, str, str]:
    return (
        _STATUS_RANK[finding.status],
        -finding.severity.rank,
        finding.policy_id,
        finding.resource.provider.value,
        finding.resource.id,
        finding.rule_id,
    )


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


def _evaluate_resource(
    policy: Policy,
    resource: StorageResource,
    ref: ResourceRef,
    judge: LocationJudge,
    today: dt.date,
) -> list[Finding]:
    collector = _Collector()
    checked: list[FindingLocation] = []
    for placement in resource.placements:
        kind = _effective_kind(resource, placement)
        if kind not in policy.counts:
            continue
        _judge_placement(policy, resource, placement, kind, judge, collector, checked)
    for gap in resource.gaps:
        location = FindingLocation(PlacementKind.PRIMARY, None, None, f"{gap.what}: {gap.reason}")
        collector.add(
            rules.LOCATION_UNVERIFIABLE.id,
            Status.UNVERIFIABLE,
            location,
            f"could not read {gap.what} ({gap.reason})",
        )
    return _findings_for(policy, resource, ref, collector, checked, today)


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


def _findings_for(
    policy: Policy,
    resource: StorageResource,
    ref: ResourceRef,
    collector: _Collector,
    checked: list[FindingLocation],
    today: dt.date,
) -> list[Finding]:
    if not collector.groups:
        return [_compliant(policy, resource, ref, checked)]
    exemption = _matching_exemption(policy, resource)
    expired = exemption is not None and exemption.is_expired(today)
    findings = []
    for (rule_id, status), locations in collector.groups.items():
        rule = rules.RULES[rule_id]
        message = _message(resource, rule_id, collector.clauses[(rule_id, status)])
        final_status = status
        if exemption is not None and not expired:
            final_status = Status.EXEMPT
            message += f" Exempt until {exemption.expires or 'further notice'}: {exemption.reason} ({exemption.owner})."
        elif expired and exemption is not None:
            message += f" Its exemption ({exemption.reason}) expired on {exemption.expires}."
        findings.append(
            Finding(policy.id, rule_id, policy.severity, final_status, ref, tuple(locations),
                    message, _remediation(policy, rule), policy.source, exemption)
        )
    if expired and exemption is not None and any(
        s is Status.VIOLATION for _, s in collector.groups
    ):
        findings.append(_expired(policy, ref, exemption))
    return findings


def _message(resource: StorageResource, rule_id: str, clauses: list[str]) -> str:
    return f"{resource.name}: {rules.RULES[rule_id].title.lower()}: {'; '.join(clauses)}."


def _remediation(policy: Policy, rule: rules.Rule) -> str:
    return f"{rule.remediation} {policy.remediation}" if policy.remediation else rule.remediation


def _compliant(
    policy: Policy, resource: StorageResource, ref: ResourceRef, checked: list[FindingLocation]
) -> Finding:
    where = ", ".join(sorted({loc.region or "?" for loc in checked})) or "no counted location"
    return Finding(
        policy.id, rules.LOCATIONS_ALLOWED.id, policy.severity, Status.COMPLIANT, ref,
        tuple(checked), f"{resource.name}: every counted location is allowed ({where}).",
        rules.LOCATIONS_ALLOWED.remediation, policy.source,
    )


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
) -> list[Finding]:
    ref = ResourceRef(gap.provider, gap.account, f"{gap.provider.value}:{gap.account}", gap.account, "account")
    rule = rules.LOCATION_UNVERIFIABLE
    return [
        Finding(
            policy.id, rule.id, policy.severity, Status.UNVERIFIABLE, ref, (),
            f"{gap.account}: could not be scanned ({gap.reason}); its storage is unverified.",
            _remediation(policy, rule), policy.source,
        )
        for policy, matcher in scopes
        if matcher.covers_account(gap.provider, gap.account)
    ]
