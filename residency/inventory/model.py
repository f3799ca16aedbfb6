"""Inventory model: where copies of data live, as plain frozen data.

Inventory sources (cloud adapters, Terraform plans, snapshots) build these; the engine reads
them; snapshots serialise them (`residency.inventory.snapshot`). Nothing here does I/O and
nothing here knows about policies: what a resource is and where its data lives does not
depend on who asks. Anything that could not be read is recorded as data (`Gap`,
`Placement.region is None`, a facet missing from `collected`), never raised.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

Tags = tuple[tuple[str, str], ...]  # sorted (key, value) pairs: tags or labels


class Provider(StrEnum):
    AWS = "aws"
    GCP = "gcp"
    AZURE = "azure"


# Placement, RetentionLock, DeletionEvidence, Gap and Lineage are NamedTuples, not dataclasses:
# the engine hashes and compares them for every resource (to judge each shape once), and tuple
# hashing runs in C; at a million resources that is most of the difference to the 10 s target.


class PlacementKind(StrEnum):
    """Why a copy of the data may live somewhere. Policies choose which kinds count."""

    PRIMARY = "primary"  # the resource's own region
    REPLICA = "replica"  # a replication target (S3 CRR/SRR, Azure object replication, MRAP member, read replica)
    SECONDARY = "secondary"  # a geo-redundant secondary the provider maintains (Azure GRS/GZRS)
    MEMBER = "member"  # a member region of a dual-region or multi-region location (GCS)
    RESIDUAL = "residual"  # "deleted" data that still exists (soft-deleted container, deleted account)
    DERIVED = "derived"  # a derived copy: backup, snapshot, export, log destination


class Facet(StrEnum):
    """A kind of fact a source collects about a resource. A source fetches only what someone
    needs; `StorageResource.collected` says which facets it did fetch, so a later judgement
    never mistakes "not looked at" for "nothing there"."""

    LOCATION = "location"  # its own location(s): region, members, geo-redundant secondary
    TAGS = "tags"  # tags or labels (they decide which tag-scoped policies cover it)
    REPLICAS = "replicas"  # replication targets
    COPIES = "copies"  # derived copies: backups, snapshots, exports, log destinations
    DELETION_EVIDENCE = "deletion-evidence"  # live objects, versions, soft-deleted data, locks


ALL_FACETS = frozenset(Facet)

# Which facet establishes placements of each kind.
FACET_OF_PLACEMENT: dict[PlacementKind, Facet] = {
    PlacementKind.PRIMARY: Facet.LOCATION,
    PlacementKind.SECONDARY: Facet.LOCATION,
    PlacementKind.MEMBER: Facet.LOCATION,
    PlacementKind.RESIDUAL: Facet.LOCATION,
    PlacementKind.REPLICA: Facet.REPLICAS,
    PlacementKind.DERIVED: Facet.COPIES,
}


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
    target: str | None = None  # id of the other resource involved (replica destination, copy ...)


class RetentionLock(NamedTuple):
    """Something that blocks deleting data (Object Lock, Bucket Lock, immutability, legal hold)."""

    kind: str  # e.g. "object-lock-compliance", "bucket-lock", "legal-hold", "immutability-policy"
    detail: str
    until: str | None = None  # ISO 8601 date/time when it ends; None = no end (legal hold) or unknown
    blocks_deletion: bool = True  # False e.g. for GOVERNANCE mode, which privileged users can bypass


class DeletionEvidence(NamedTuple):
    """Is data left in the container, and what keeps it there.

    Counts are `None` when not known. When `exact` is False the counts come from a bounded
    probe (one small page) and mean "at least this many"; a zero from such a probe is never
    recorded (it proves nothing), so it is `None`.
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
    """A fact about a resource that the source tried to read and could not."""

    what: str  # e.g. "replication configuration", "tags", "object versions"
    reason: str  # e.g. "AccessDenied: ... (HTTP 403)"
    facet: Facet = Facet.LOCATION  # which kind of fact is missing because of it


class ResourceKey(NamedTuple):
    """Who a resource is, before where its data lives is known: what scoping looks at.

    `tags` is None when the tags are not known (not read, or unreadable).
    """

    provider: Provider
    account: str  # AWS account id / GCP project id / Azure subscription id
    kind: str  # a kind id of the registry (`residency.inventory.kinds`)
    id: str  # stable id: ARN, gs://bucket, Azure resource id, Terraform address
    name: str
    tags: Tags | None


class Lineage(NamedTuple):
    """Where a derived copy's data came from, and how that was established.

    A copy inherits its source's data class: policies that cover the source cover the copy.
    `source` is None when the lineage could not be established; the copy could then hold any
    data, so tag-scoped policies report it rather than assume it out of scope.
    """

    source: ResourceKey | None
    how: str  # e.g. "SourceDBSnapshotIdentifier of the copy", or why the source is unknown


@dataclass(frozen=True, slots=True)
class StorageResource:
    """A place that holds data (bucket, account, database, snapshot ...) and every place its
    data may live. `collected` says which facets the source fetched (see `Facet`)."""

    provider: Provider
    account: str  # AWS account id / GCP project id / Azure subscription id
    id: str  # stable id: ARN, gs://bucket, Azure resource id
    name: str
    kind: str  # a kind id of the registry: "s3-bucket", "gcs-bucket", "azure-storage-account" ...
    placements: tuple[Placement, ...]
    collected: frozenset[Facet]
    tags: Tags = ()
    state: ResourceState = ResourceState.ACTIVE
    deletion_evidence: DeletionEvidence | None = None
    gaps: tuple[Gap, ...] = ()
    attributes: tuple[tuple[str, str], ...] = ()  # extra facts for reports (sku, versioning, rpo ...)
    lineage: Lineage | None = None  # for derived copies: the resource they copy

    @property
    def tag_map(self) -> dict[str, str]:
        return dict(self.tags)

    @property
    def tags_unknown(self) -> bool:
        """Tags not read, or unreadable: tag-scoped policies can neither include nor exclude it."""
        return Facet.TAGS not in self.collected or any(gap.facet is Facet.TAGS for gap in self.gaps)

    @property
    def key(self) -> ResourceKey:
        return ResourceKey(self.provider, self.account, self.kind, self.id, self.name,
                           None if self.tags_unknown else self.tags)


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
    policy_files: tuple[tuple[str, str], ...] = ()  # (path, sha256) of the policies the scan collected for

    def merged(self, other: Inventory) -> Inventory:
        return Inventory(
            resources=self.resources + other.resources,
            account_gaps=self.account_gaps + other.account_gaps,
            scanned=self.scanned + other.scanned,
            source=self.source,
            policy_files=self.policy_files,
        )


def sorted_tags(tags: dict[str, str] | None) -> Tags:
    return tuple(sorted((tags or {}).items()))
