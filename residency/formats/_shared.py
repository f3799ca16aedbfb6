"""Small helpers the report formats share: grouping, labels, counts. Pure functions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from residency.findings.model import STATUS_ORDER, Finding, FindingLocation, ScanResult, Status
from residency.policy.model import Policy

ATTENTION = (Status.VIOLATION, Status.UNVERIFIABLE, Status.EXEMPT)


def needs_attention(findings: Iterable[Finding]) -> list[Finding]:
    """Everything but compliant findings, in the engine's order."""
    return [f for f in findings if f.status is not Status.COMPLIANT]


def status_counts(result: ScanResult) -> dict[Status, int]:
    counts = Counter(finding.status for finding in result.findings)  # one pass, not one per status
    return {status: counts[status] for status in STATUS_ORDER}


def countries_label(location: FindingLocation) -> str:
    """"US", "DE, FR", or "unknown" when the countries are not published."""
    return ", ".join(location.countries) if location.countries else "unknown"


def location_label(location: FindingLocation) -> str:
    """One line: kind, region and countries, e.g. "replica eu-west-1 (IE)"."""
    return f"{location.kind.value} {location.region or 'unknown region'} ({countries_label(location)})"


def policies_by_id(result: ScanResult) -> dict[str, Policy]:
    return {policy.id: policy for policy in result.policies}


def policy_ids(result: ScanResult) -> list[str]:
    """Policies in declaration order, then any only findings mention."""
    ids = dict.fromkeys(policy.id for policy in result.policies)
    for finding in result.findings:
        ids.setdefault(finding.policy_id)
    return list(ids)


def by_policy(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    grouped: dict[str, list[Finding]] = {}
    for finding in findings:
        grouped.setdefault(finding.policy_id, []).append(finding)
    return grouped


_FINGERPRINTS: list[tuple[tuple[Finding, ...], list[str]]] = []


def fingerprints(result: ScanResult) -> list[str]:
    """Every finding's fingerprint, computed once per run however many reports need them."""
    if not _FINGERPRINTS or _FINGERPRINTS[0][0] is not result.findings:
        _FINGERPRINTS[:] = [(result.findings, [finding.fingerprint for finding in result.findings])]
    return _FINGERPRINTS[0][1]


def one_line(text: str) -> str:
    """Collapse newlines and runs of spaces: table cells and XML attributes stay on one line."""
    return " ".join(text.split())
