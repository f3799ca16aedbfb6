"""What the HTML report shows beside the findings, computed in Python so the template only lays it out.

Where the data lives is shown twice: on a world map (countries shaded, and patterned, by what
copies of the selected data class have there) and in a policy x country grid, the same facts
as text for reading, printing and assistive technology. A grid cell counts the resources with
a copy of the policy's data in that country, by state, and takes the strongest state present:
outside > unverified > exempt > allowed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from residency.findings.controls import CONTROLS_FOR_RULE, Control
from residency.findings.model import Finding, ScanResult, Status
from residency.formats._shared import policies_by_id, policy_ids, status_counts
from residency.policy.model import Exemption, LocationSet, Policy

UNKNOWN_COUNTRY = "?"
CELL_STATES = ("outside", "unverified", "exempt", "allowed")  # strongest first
_STATE_FOR = {Status.VIOLATION: "outside", Status.UNVERIFIABLE: "unverified", Status.EXEMPT: "exempt",
              Status.COMPLIANT: "allowed"}
CELL_LABEL = {"outside": "outside the allowed locations", "unverified": "could not be verified",
              "exempt": "outside, but exempt", "allowed": "allowed"}
CELL_SYMBOL = {"outside": "✕", "unverified": "?", "exempt": "⊘", "allowed": "✓"}
_RANK = {status: CELL_STATES.index(state) for status, state in _STATE_FOR.items()}


@dataclass(frozen=True, slots=True)
class Cell:
    policy_id: str
    country: str
    counts: dict[str, int]  # state -> resources

    @property
    def state(self) -> str:
        return next(state for state in CELL_STATES if self.counts.get(state))

    @property
    def resources(self) -> int:
        return sum(self.counts.values())

    @property
    def breakdown(self) -> str:
        return ", ".join(f"{self.counts[s]:,} {CELL_LABEL[s]}" for s in CELL_STATES if self.counts.get(s))


@dataclass(frozen=True, slots=True)
class WorldGrid:
    policies: tuple[str, ...]
    countries: tuple[str, ...]
    cells: dict[tuple[str, str], Cell]
    map_states: dict[str, dict[str, str]] = field(default_factory=dict)  # policy ("" = all) -> country -> state


def world_grid(result: ScanResult) -> WorldGrid:
    # (policy, resource) -> countries tuple -> state rank: a multi-region's 27 countries are one key
    strongest: dict[tuple[str, str], dict[tuple[str, ...], int]] = {}
    for finding in result.findings:
        rank = _RANK[finding.status]
        places = strongest.get((finding.policy_id, finding.resource.id))
        if places is None:
            places = strongest[(finding.policy_id, finding.resource.id)] = {}
        for location in finding.locations:
            countries = location.countries or (UNKNOWN_COUNTRY,)
            if rank < places.get(countries, len(CELL_STATES)):
                places[countries] = rank
    tallies: dict[tuple[str, str], Counter[str]] = {}
    for (policy_id, _), places in strongest.items():
        best: dict[str, int] = {}
        for countries, rank in places.items():
            for country in countries:
                if rank < best.get(country, len(CELL_STATES)):
                    best[country] = rank
        for country, rank in best.items():
            tally = tallies.get((policy_id, country))
            if tally is None:
                tally = tallies[(policy_id, country)] = Counter()
            tally[CELL_STATES[rank]] += 1
    cells = {key: Cell(key[0], key[1], dict(counts)) for key, counts in tallies.items()}
    countries = tuple(sorted({c for _, c in cells}, key=lambda c: (c == UNKNOWN_COUNTRY, c)))
    rows = tuple(p for p in policy_ids(result) if any((p, c) in cells for c in countries))
    return WorldGrid(rows, countries, cells, _map_states(cells))


def _map_states(cells: dict[tuple[str, str], Cell]) -> dict[str, dict[str, str]]:
    states: dict[str, dict[str, str]] = {"": {}}
    for (policy_id, country), cell in cells.items():
        if country == UNKNOWN_COUNTRY:
            continue
        states.setdefault(policy_id, {})[country] = cell.state
        current = states[""].get(country)
        if current is None or CELL_STATES.index(cell.state) < CELL_STATES.index(current):
            states[""][country] = cell.state
    return states


@cache
def world_map() -> dict[str, object]:
    """Natural Earth country shapes (scripts/build_world_map.py wrote them), package data."""
    text = resources.files("residency.formats").joinpath("data/world.json").read_text(encoding="utf-8")
    loaded: dict[str, object] = json.loads(text)
    return loaded


@dataclass(frozen=True, slots=True)
class PolicyRow:
    id: str
    policy: Policy | None
    counts: dict[str, int]


def policy_rows(result: ScanResult) -> list[PolicyRow]:
    counts: dict[str, Counter[str]] = {}
    for finding in result.findings:
        tally = counts.get(finding.policy_id)
        if tally is None:
            tally = counts[finding.policy_id] = Counter()
        tally[finding.status.value] += 1
    policies = policies_by_id(result)
    return [PolicyRow(p, policies.get(p), {s.value: counts.get(p, Counter())[s.value] for s in Status})
            for p in policy_ids(result)]


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
    matched: int  # resources it covered in this scan
    examples: tuple[str, ...]


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
    return [ExemptionRow(policy_id, exemption, exemption.is_expired(scan_day), len(names), tuple(sorted(names)[:5]))
            for (policy_id, exemption), names in declared.items()]


def controls_table() -> list[tuple[str, tuple[Control, ...]]]:
    return list(CONTROLS_FOR_RULE.items())


def summary(result: ScanResult) -> dict[str, int]:
    return {status.value: count for status, count in status_counts(result).items()}


def needs_attention(findings: tuple[Finding, ...]) -> int:
    return sum(1 for f in findings if f.status in (Status.VIOLATION, Status.UNVERIFIABLE))
