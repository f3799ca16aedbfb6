"""What the HTML report shows, computed in Python so the template only lays it out.

The world view is a grid: one row per policy (data class), one column per country where a
copy of that data was found, each cell saying whether copies there are allowed, outside the
allowed locations, exempt, or unverified, and how many resources hold one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from residency.findings.model import Finding, ScanResult, Status
from residency.formats._shared import by_policy, policies_by_id, policy_ids, status_counts
from residency.policy.model import Exemption, LocationSet, Policy

UNKNOWN_COUNTRY = "?"

# Cell state per finding status, strongest first: one bad copy makes the cell bad.
CELL_STATES = ("outside", "exempt", "unverified", "allowed")
_STATE_FOR = {
    Status.VIOLATION: "outside",
    Status.EXEMPT: "exempt",
    Status.UNVERIFIABLE: "unverified",
    Status.COMPLIANT: "allowed",
}
CELL_LABEL = {
    "outside": "outside the allowed locations",
    "exempt": "outside, but exempt",
    "unverified": "could not be verified",
    "allowed": "allowed",
}


@dataclass(frozen=True, slots=True)
class Cell:
    policy_id: str
    country: str
    state: str
    resources: int

    @property
    def title(self) -> str:
        return f"{self.policy_id} in {self.country}: {self.resources} resource(s), {CELL_LABEL[self.state]}"


@dataclass(frozen=True, slots=True)
class WorldGrid:
    policies: tuple[str, ...]
    countries: tuple[str, ...]
    cells: dict[tuple[str, str], Cell]


@dataclass(frozen=True, slots=True)
class PolicySection:
    id: str
    policy: Policy | None
    findings: tuple[Finding, ...]
    counts: dict[str, int]


@dataclass(frozen=True, slots=True)
class EvidenceRow:
    finding: Finding
    kind: str
    region: str
    countries: str
    reason: str


def world_grid(result: ScanResult) -> WorldGrid:
    holders: dict[tuple[str, str], dict[str, set[str]]] = {}
    for finding in result.findings:
        state = _STATE_FOR[finding.status]
        for location in finding.locations:
            for country in location.countries or (UNKNOWN_COUNTRY,):
                states = holders.setdefault((finding.policy_id, country), {})
                states.setdefault(state, set()).add(finding.resource.id)
    cells = {
        key: Cell(key[0], key[1], _strongest(states), len(set().union(*states.values())))
        for key, states in holders.items()
    }
    countries = sorted({country for _, country in cells}, key=lambda c: (c == UNKNOWN_COUNTRY, c))
    rows = tuple(p for p in policy_ids(result) if any(key[0] == p for key in cells))
    return WorldGrid(rows, tuple(countries), cells)


def _strongest(states: dict[str, set[str]]) -> str:
    return next(state for state in CELL_STATES if state in states)


def policy_sections(result: ScanResult) -> list[PolicySection]:
    grouped = by_policy(result.findings)
    policies = policies_by_id(result)
    sections = []
    for policy_id in policy_ids(result):
        findings = tuple(grouped.get(policy_id, ()))
        counts = {status.value: sum(1 for f in findings if f.status is status) for status in Status}
        sections.append(PolicySection(policy_id, policies.get(policy_id), findings, counts))
    return sections


def evidence_rows(result: ScanResult) -> list[EvidenceRow]:
    """Every counted location of every resource, with why it counts."""
    rows = []
    for finding in sorted(result.findings, key=lambda f: (f.resource.name, f.resource.id, f.policy_id)):
        for loc in finding.locations:
            countries = ", ".join(loc.countries) if loc.countries else "unknown"
            rows.append(EvidenceRow(finding, loc.kind.value, loc.region or "unknown", countries, loc.reason))
    return rows


def location_set(locations: LocationSet | None) -> str:
    if locations is None:
        return "anything not denied"
    groups = (f"group {g}" for g in sorted(locations.groups))
    parts = [*sorted(locations.countries), *sorted(locations.regions), *groups]
    return ", ".join(parts) or "nothing"


@dataclass(frozen=True, slots=True)
class ExemptionRow:
    policy_id: str
    exemption: Exemption
    expired: bool
    matched: tuple[str, ...]  # names of the resources it covered in this scan


def exemption_rows(result: ScanResult) -> list[ExemptionRow]:
    """Every exemption the policies declare (or findings carry), with its state at scan time."""
    scan_day = dt.date.fromisoformat(result.meta.finished_at[:10])
    declared: dict[tuple[str, Exemption], set[str]] = {}
    for policy in result.policies:
        for exemption in policy.exemptions:
            declared.setdefault((policy.id, exemption), set())
    for finding in result.findings:
        if finding.exemption is not None:
            declared.setdefault((finding.policy_id, finding.exemption), set()).add(finding.resource.name)
    return [
        ExemptionRow(policy_id, exemption, exemption.is_expired(scan_day), tuple(sorted(names)))
        for (policy_id, exemption), names in declared.items()
    ]


def summary(result: ScanResult) -> dict[str, int]:
    return {status.value: count for status, count in status_counts(result).items()}
