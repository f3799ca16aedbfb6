"""Collecting one (policy, resource) judgement: offending locations grouped by rule and status."""

from __future__ import annotations

from residency.findings import rules
from residency.findings.model import FindingLocation, Status


class Collector:
    """Groups offending locations by (rule, status) for one policy and resource."""

    def __init__(self) -> None:
        self.groups: dict[tuple[str, Status], list[FindingLocation]] = {}
        self.clauses: dict[tuple[str, Status], list[str]] = {}
        self.checked: list[FindingLocation] = []

    def add(self, rule_id: str, status: Status, location: FindingLocation, clause: str) -> None:
        key = (rule_id, status)
        self.groups.setdefault(key, []).append(location)
        clauses = self.clauses.setdefault(key, [])
        if clause not in clauses:
            clauses.append(clause)

    def unverifiable(self, location: FindingLocation, clause: str) -> None:
        self.add(rules.LOCATION_UNVERIFIABLE.id, Status.UNVERIFIABLE, location, clause)
