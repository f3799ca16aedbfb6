"""The rule engine: `evaluate(policies, inventory) -> findings`. Pure, deterministic, no I/O."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Sequence
from operator import attrgetter

from residency.catalog import Catalog
from residency.engine.lineage import ScopeKeys
from residency.engine.locations import LocationJudge
from residency.engine.outcomes import STATUS_RANK, Outcome, judge_resource, remediation_for
from residency.engine.scope import Coverage, ScopeMatcher, compile_scopes, glob_matches
from residency.findings import rules
from residency.findings.model import STATUS_ORDER, Finding, ResourceRef, Status
from residency.inventory.model import (
    AccountGap,
    Inventory,
    StorageResource,
)
from residency.policy.model import Exemption, Policy, Severity

_OUTCOME_CACHE_LIMIT = 200_000
_BY_ID = attrgetter("id")  # ids differ across providers (ARN, gs://, /subscriptions/)
_COMPLIANT_RANK = STATUS_RANK[Status.COMPLIANT]
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
    scope_keys = ScopeKeys(inventory.resources)
    # Estates repeat the same placements under many names: intern each resource's shape
    # once, then judge each (policy, shape) once.
    shapes: dict[tuple[object, ...], int] = {}
    outcome_rows: list[list[Outcome | None]] = []  # [shape][policy index]
    # Findings are collected per policy and status in resource order, so the final order
    # (status, severity, policy, resource id, rule) needs no sort of millions of findings.
    buckets: list[list[list[Finding]]] = [[[] for _ in STATUS_ORDER] for _ in scopes]
    for resource in sorted(inventory.resources, key=_BY_ID):
        own, inherited, lineage_note = scope_keys.of(resource)
        covering = coverage.covering(own)
        via_source: tuple[int, ...] = ()
        if inherited is not None:
            via_source = tuple(i for i in coverage.covering(inherited) if i not in covering)
        possible = [i for key in (own, inherited) if key is not None for i in coverage.possibly_covering(key)]
        possible = [i for i in dict.fromkeys(possible) if i not in covering and i not in via_source]
        if not (covering or via_source or possible):
            continue
        shape_key = (resource.placements, resource.collected, resource.state, resource.deletion_evidence,
                     resource.gaps, resource.kind)
        shape = shapes.setdefault(shape_key, len(shapes))
        if shape == len(outcome_rows):
            outcome_rows.append([None] * len(scopes))
        row = outcome_rows[shape]
        ref = _ref(resource)
        for index in sorted(covering + via_source):
            policy = scopes[index][0]
            outcome = row[index]
            if outcome is None:
                outcome = row[index] = judge_resource(policy, resource, judge)
            note = f" It inherits the data class of its source: {lineage_note}." if index in via_source else ""
            _emit(policy, resource, ref, outcome, today, buckets[index], note)
        if possible:
            why = "its tags are unknown" if own.tags is None else lineage_note
            _emit_possible(scopes, resource, ref, possible, why, judge, row, buckets)
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
    possible: list[int],
    why: str,
    judge: LocationJudge,
    row: list[Outcome | None],
    buckets: list[list[list[Finding]]],
) -> None:
    """Scope unknown (tags or lineage): a tag-scoped policy may cover it; report data outside its locations."""
    for index in possible:
        policy = scopes[index][0]
        outcome = row[index]
        if outcome is None:  # the same per-shape cache the covering policies use
            outcome = row[index] = judge_resource(policy, resource, judge)
        # Outside, or not known to be inside: either way the unknown scope leaves it open.
        open_groups = [g for g in outcome.groups if g.status in (Status.VIOLATION, Status.UNVERIFIABLE)]
        if not open_groups:
            continue
        clauses = [g.why for g in open_groups]
        locations = tuple(loc for g in open_groups for loc in g.locations)
        rule = rules.SCOPE_UNVERIFIABLE
        message = f"{resource.name}: {why}, so it may hold data this policy covers: {'; '.join(clauses)}."
        buckets[index][STATUS_RANK[Status.UNVERIFIABLE]].append(
            Finding(policy.id, rule.id, policy.severity, Status.UNVERIFIABLE, ref, locations, message,
                    remediation_for(policy, rule), policy.source)
        )


def _add_account_gaps(
    inventory: Inventory, scopes: list[tuple[Policy, ScopeMatcher]], buckets: list[list[list[Finding]]]
) -> set[tuple[int, int]]:
    """Account-level findings join their buckets out of order; say which need sorting."""
    late: set[tuple[int, int]] = set()
    for gap in inventory.account_gaps:
        for index, finding in _account_gap_findings(gap, scopes):
            rank = STATUS_RANK[finding.status]
            buckets[index][rank].append(finding)
            late.add((index, rank))
    return late


def _bucket_order(policy: Policy, status_rank: int) -> tuple[int, int, str]:
    return (status_rank, -_SEVERITY_RANK[policy.severity], policy.id)


def _within_bucket(finding: Finding) -> tuple[str, str]:
    return (finding.resource.id, finding.rule_id)


def _ref(resource: StorageResource) -> ResourceRef:
    return ResourceRef(resource.provider, resource.account, resource.id, resource.name, resource.kind)


def _matching_exemption(policy: Policy, resource: StorageResource) -> Exemption | None:
    for exemption in policy.exemptions:
        if glob_matches(exemption.resource, resource.id) or glob_matches(exemption.resource, resource.name):
            return exemption
    return None


def _emit(
    policy: Policy,
    resource: StorageResource,
    ref: ResourceRef,
    outcome: Outcome,
    today: dt.date,
    sink: list[list[Finding]],
    note: str = "",
) -> None:
    """Append this (policy, resource)'s findings to `sink[status rank]`, ordered by rule."""
    if not outcome.groups:
        sink[_COMPLIANT_RANK].append(
            Finding(policy.id, rules.LOCATIONS_ALLOWED.id, policy.severity, Status.COMPLIANT, ref,
                    outcome.checked, resource.name + outcome.compliant_suffix + note,
                    rules.LOCATIONS_ALLOWED.remediation, policy.source)
        )
        return
    exemption = _matching_exemption(policy, resource) if policy.exemptions else None
    if exemption is None:
        for group in outcome.groups:
            sink[group.rank].append(
                Finding(policy.id, group.rule.id, policy.severity, group.status, ref, group.locations,
                        resource.name + group.suffix + note, group.remediation, policy.source)
            )
        return
    expired = exemption.is_expired(today)
    findings = []
    for group in outcome.groups:
        message = resource.name + group.suffix + note
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
        sink[STATUS_RANK[finding.status]].append(finding)


def _expired(policy: Policy, ref: ResourceRef, exemption: Exemption) -> Finding:
    rule = rules.EXEMPTION_EXPIRED
    return Finding(
        policy.id, rule.id, policy.severity, Status.VIOLATION, ref, (),
        f"{ref.name}: the exemption owned by {exemption.owner} ({exemption.reason}) expired on "
        f"{exemption.expires}, so its violations count again.",
        remediation_for(policy, rule), exemption.source if exemption.source.file else policy.source,
        exemption,
    )


def _account_gap_findings(
    gap: AccountGap, scopes: list[tuple[Policy, ScopeMatcher]]
) -> list[tuple[int, Finding]]:
    # "*": the provider itself could not be scanned (no credentials, a setup failure), not one account.
    name = f"every {gap.provider.value} account" if gap.account == "*" else gap.account
    ref = ResourceRef(gap.provider, gap.account, f"{gap.provider.value}:{gap.account}", name, "account")
    rule = rules.LOCATION_UNVERIFIABLE
    return [
        (
            index,
            Finding(
                policy.id, rule.id, policy.severity, Status.UNVERIFIABLE, ref, (),
                f"{name}: could not be scanned ({gap.reason}); where its data lives is unverified.",
                remediation_for(policy, rule), policy.source,
            ),
        )
        for index, (policy, matcher) in enumerate(scopes)
        if matcher.covers_account(gap.provider, gap.account)
    ]
