"""Policy objects, as the loader builds them from YAML. Frozen, typed, no I/O."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from residency.inventory.model import PlacementKind, Provider


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return SEVERITY_ORDER.index(self)


SEVERITY_ORDER = (Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL)


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where something was written: the file and 1-based line (0 when unknown)."""

    file: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class Scope:
    """Which resources a policy covers. Empty selectors match everything of `providers`."""

    providers: frozenset[Provider]
    tags: tuple[tuple[str, tuple[str, ...]], ...] = ()  # key -> accepted values (exact or glob)
    accounts: tuple[str, ...] = ()  # exact or glob; AWS account / GCP project / Azure subscription
    names: tuple[str, ...] = ()  # resource name globs
    resources: tuple[str, ...] = ()  # resource id globs
    kinds: tuple[str, ...] = ()  # resource kind ids or globs (the kind registry's ids)


@dataclass(frozen=True, slots=True)
class LocationSet:
    """A set of places: countries (ISO 3166-1 alpha-2), region codes, catalog group names."""

    countries: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()  # "code" (any provider) or "provider:code"
    groups: frozenset[str] = frozenset()

    @property
    def is_empty(self) -> bool:
        return not (self.countries or self.regions or self.groups)


@dataclass(frozen=True, slots=True)
class Exemption:
    resource: str  # resource id or glob
    reason: str
    owner: str
    expires: dt.date | None
    source: SourceRef = field(default=SourceRef(""))

    def is_expired(self, today: dt.date) -> bool:
        return self.expires is not None and self.expires < today


@dataclass(frozen=True, slots=True)
class Transfer:
    """A migration to prove from inventory reports: FROM (oldest report first) -> TO."""

    sources: tuple[str, ...]
    destination: str
    prefix_map: tuple[tuple[str, str], ...] = ()  # (source prefix, destination prefix)
    source: SourceRef = field(default=SourceRef(""))


ALL_KINDS = frozenset(PlacementKind)


@dataclass(frozen=True, slots=True)
class Policy:
    id: str
    title: str
    description: str
    severity: Severity
    scope: Scope
    allowed: LocationSet | None  # None: anything not denied is allowed
    denied: LocationSet | None
    counts: frozenset[PlacementKind] = ALL_KINDS
    exemptions: tuple[Exemption, ...] = ()
    source: SourceRef = field(default=SourceRef(""))
    remediation: str | None = None  # optional policy-specific hint appended to findings
    transfers: tuple[Transfer, ...] = ()  # migrations `residency transfer --policy` proves

    @property
    def requires_deletion(self) -> bool:
        """Data outside the allowed locations must be gone, including "deleted" residue."""
        return PlacementKind.RESIDUAL in self.counts


@dataclass(frozen=True, slots=True)
class PolicySet:
    policies: tuple[Policy, ...]
    digests: tuple[tuple[str, str], ...]  # (file path, sha256 hex) of every file read
