"""Inventory model: what the provider adapters discovered, as plain frozen data.

Adapters build these; the engine reads them; snapshots serialise them
(`residency.inventory.snapshot`). Nothing here does I/O. Anything that could not be read
is recorded as data (`Gap`, `Placement.region is None`), never raised.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple


class Provider(StrEnum):
    AWS = "aws"
    GCP = "gcp"
    AZURE = "azure"


# Placement, RetentionLock, DeletionEvidence and Gap are NamedTuples, not dataclasses: the engine
# hashes and compares them for every resource (to judge each shape once), and tuple hashing
# runs in C; at a million resources that is most of the difference to the 10 s target.


class PlacementKind(StrEnum):
    """Why a copy of the data may live somewhere. Policies choose which kinds count."""

    PRIMARY = "primary"  # the container's own region
    REPLICA = "replica"  # a replication target (S3 CRR/SRR, Azure object replication, MRAP member)
    SECONDARY = "secondary"  # a geo-redundant secondary the provider maintains (Azure GRS/GZRS)
    MEMBER = "member"  # a member region of a dual-region or multi-region location (GCS)
    RESIDUAL = "residual"  # "deleted" data that still exists (soft-deleted container, deleted account)


class ResourceState(StrEnum):
    ACTIVE = "active"
    SOFT_DELETED = "soft-deleted"  # GCS soft-deleted bucket, Azure deleted-but-recoverable account


class Placement(NamedTuple):
    """One place a copy of the resource's data may live, and why it counts.

    `region` is a provider location code as the catalog knows it (region, dual-region,
    multi-region or zone id). `None` means the location could not be determined; the
    engine reports it as unverifiable with `reason`.
    """

    kind: PlacementKind
    region: str | None
    reason: str
    provider: Provider | None = None  # defaults to the resource's provider
    target: str | None = None  # id of the other container involved (replica destination ...)


class RetentionLock(NamedTuple):
    """Something that blocks deleting data (Object Lock, Bucket Lock, immutability, legal hold)."""

    kind: str  # e.g. "object-lock-compliance", "bucket-lock", "legal-hold", "immutability-policy"
    detail: str
    until: str | None = None  # ISO 8601 date/time when it ends; None = no end (legal hold) or unknown
    blocks_deletion: bool = True  # False e.g. for GOVERNANCE mode, which privileged users can bypass


class DeletionEvidence(NamedTuple):
    """Deletion evidence: is data left in the container, and what keeps it there.

    Counts are `None` when not looked at. When `exact` is False the counts come from a
    bounded probe (one small page) and mean "at least this many".
    """

    live_objects: int | None = None
    noncurrent_versions: int | None = None
    delete_markers: int | None = None
    soft_deleted_objects: int | None = None
    bytes: int | None = None
    exact: bool = False
    locks: tuple[RetentionLock, ...] = ()
    notes: tuple[str, ...] = ()  # versioning state, lifecycle rules, soft-delete retention ...

    @property
    def has_live_data(self) -> bool | None:
        return None if self.live_objects is None else self.live_objects > 0

    @property
    def has_deleted_data(self) -> bool | None:
        """True when "deleted" data (noncurrent versions, soft-deleted objects) remains."""
        known = [n for n in (self.noncurrent_versions, self.soft_deleted_objects) if n is not None]
        if any(n > 0 for n in known):
            return True
        if len(known) < 2:
            return None
        return False

    @property
    def blocking_locks(self) -> tuple[RetentionLock, ...]:
        return tuple(lock for lock in self.locks if lock.blocks_deletion)


class Gap(NamedTuple):
    """Something about a resource (or a whole account) that could not be read."""

    what: str  # e.g. "replication configuration", "tags", "object versions"
    reason: str  # e.g. "AccessDenied: ... (HTTP 403)"


# `Gap.what` for a resource whose tags/labels could not be read (e.g. Azure deleted accounts):
# tag-scoped policies may or may not cover it, and the engine says so instead of guessing.
UNKNOWN_TAGS = "tags"


@dataclass(frozen=True, slots=True)
class StorageResource:
    provider: Provider
    account: str  # AWS account id / GCP project id / Azure subscription id
    id: str  # stable id: ARN, gs://bucket, Azure resource id
    name: str
    kind: str  # "s3-bucket", "s3-directory-bucket", "gcs-bucket", "azure-storage-account", ...
    placements: tuple[Placement, ...]
    tags: tuple[tuple[str, str], ...] = ()  # sorted (key, value) pairs: tags or labels
    state: ResourceState = ResourceState.ACTIVE
    deletion_evidence: DeletionEvidence | None = None
    gaps: tuple[Gap, ...] = ()
    attributes: tuple[tuple[str, str], ...] = ()  # extra facts for reports (sku, versioning, rpo ...)

    @property
    def tag_map(self) -> dict[str, str]:
        return dict(self.tags)

    @property
    def tags_unknown(self) -> bool:
        return any(gap.what == UNKNOWN_TAGS for gap in self.gaps)


@dataclass(frozen=True, slots=True)
class AccountGap:
    """A whole account/project/subscription (or part of one) that could not be scanned."""

    provider: Provider
    account: str
    reason: str


@dataclass(frozen=True, slots=True)
class Inventory:
    resources: tuple[StorageResource, ...]
    account_gaps: tuple[AccountGap, ...] = ()
    scanned: tuple[tuple[str, str], ...] = field(default=())  # (provider, account) pairs covered
    source: str = "scan"  # "scan", "snapshot:<file>", "terraform-plan:<file>"

    def merged(self, other: Inventory) -> Inventory:
        return Inventory(
            resources=self.resources + other.resources,
            account_gaps=self.account_gaps + other.account_gaps,
            scanned=self.scanned + other.scanned,
            source=self.source,
        )


def sorted_tags(tags: dict[str, str] | None) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((tags or {}).items()))
