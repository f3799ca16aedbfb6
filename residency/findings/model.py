"""Findings and scan results: what the engine produces and every format reads."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum

from residency.inventory.model import AccountGap, PlacementKind, Provider
from residency.policy.model import Exemption, Policy, Severity, SourceRef

# _NOT_FROZEN: findings are built by the million (the engine benchmark); a frozen dataclass
# costs about 7x more to construct than a plain slotted one. Treat them as immutable anyway:
# derive changed copies with dataclasses.replace.


class Status(StrEnum):
    VIOLATION = "violation"
    UNVERIFIABLE = "unverifiable"
    EXEMPT = "exempt"
    COMPLIANT = "compliant"


STATUS_ORDER = (Status.VIOLATION, Status.UNVERIFIABLE, Status.EXEMPT, Status.COMPLIANT)


@dataclass(slots=True)  # see _NOT_FROZEN
class ResourceRef:
    provider: Provider
    account: str
    id: str
    name: str
    kind: str


@dataclass(slots=True)  # see _NOT_FROZEN
class FindingLocation:
    """One offending (or, for compliant findings, checked) place and why it counts."""

    kind: PlacementKind
    region: str | None
    countries: tuple[str, ...] | None  # None = not known
    reason: str
    provider: Provider | None = None

    @property
    def country(self) -> str | None:
        """The single country, or None when unknown or several (see `countries`)."""
        return self.countries[0] if self.countries and len(self.countries) == 1 else None


@dataclass(slots=True)  # see _NOT_FROZEN
class Finding:
    policy_id: str
    rule_id: str
    severity: Severity
    status: Status
    resource: ResourceRef
    locations: tuple[FindingLocation, ...]
    message: str
    remediation: str
    policy_source: SourceRef
    exemption: Exemption | None = None
    baseline: str | None = None  # "new" / "existing" when compared with a baseline report

    @property
    def fingerprint(self) -> str:
        """Stable across runs: the same policy, rule and resource give the same alert."""
        key = f"{self.policy_id}\x1f{self.rule_id}\x1f{self.resource.id}"
        return hashlib.sha256(key.encode()).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class ScanMeta:
    tool_version: str
    started_at: str  # ISO 8601 UTC
    finished_at: str
    policy_files: tuple[tuple[str, str], ...]  # (path, sha256)
    providers: tuple[str, ...]
    scanned: tuple[tuple[str, str], ...]  # (provider, account)
    account_gaps: tuple[AccountGap, ...] = ()
    source: str = "scan"
    options: tuple[tuple[str, str], ...] = field(default=())  # non-secret options, for provenance


@dataclass(frozen=True, slots=True)
class InventoryRecord:
    """One inventory report a transfer proof read (residency.transfer builds these)."""

    role: str  # "from" or "to"
    location: str  # the manifest read (path or URL)
    cloud: str
    container: str  # s3://bucket, gs://bucket, azure://account/container
    taken_at: str  # ISO 8601 UTC
    file_format: str
    files: int
    rows: int
    versions_listed: bool


@dataclass(frozen=True, slots=True)
class TransferRecord:
    """A verified transfer as the reports show it: counts by class, bytes, the reports used."""

    policy_id: str
    source: str
    destination: str
    engine: str
    summary: tuple[tuple[str, int], ...]  # (class, objects) in the documented order
    bytes: tuple[tuple[str, int], ...]
    inventories: tuple[InventoryRecord, ...]
    residual_verified: bool
    residual_note: str
    prefix_map: tuple[tuple[str, str], ...] = ()
    details_file: str | None = None
    seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class ScanResult:
    meta: ScanMeta
    findings: tuple[Finding, ...]
    policies: tuple[Policy, ...] = ()
    transfers: tuple[TransferRecord, ...] = ()  # `residency transfer`: object-level proofs

    def count(self, status: Status) -> int:
        return sum(1 for f in self.findings if f.status is status)
