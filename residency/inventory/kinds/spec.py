"""The types of the kind registry: a kind of resource, and the read calls that discover it."""

from __future__ import annotations

from dataclasses import dataclass

from residency.inventory.model import FACET_OF_PLACEMENT, Facet, PlacementKind, Provider


@dataclass(frozen=True, slots=True)
class ReadCall:
    """One read-only API call a source makes, and the permission that authorises it.

    `operation` names the call as the provider's API does: `s3:ListBuckets` (botocore service
    and operation), `storage.buckets.list` (Google API method), or an Azure REST operation such as
    `GET Microsoft.Storage/storageAccounts`. `permission` is the IAM action / GCP permission /
    Azure RBAC action it needs (None when it needs none, like sts:GetCallerIdentity).
    """

    operation: str
    permission: str | None
    purpose: str
    data_plane: bool = False  # Azure: a DataAction (reads blob data-plane metadata)


@dataclass(frozen=True, slots=True)
class ResourceKind:
    id: str  # stable, used in snapshots and reports: "s3-bucket"
    provider: Provider
    service: str  # "Amazon S3", "Cloud Storage", "Azure Storage"
    display: str  # in prose: "S3 bucket"
    placements: frozenset[PlacementKind]  # the placement kinds a resource of this kind can have
    reads: tuple[ReadCall, ...]  # what the cloud scan calls to discover and inspect it
    terraform_types: tuple[str, ...] = ()  # resource types that create it (or link to it) in a plan
    derived: bool = False  # it is a copy of another resource's data (backup, snapshot, export)
    scanned: bool = True  # False: only a Terraform plan produces it (e.g. a replication configuration)

    @property
    def facets(self) -> frozenset[Facet]:
        """The facets a source can collect for this kind."""
        return frozenset({Facet.TAGS, Facet.DELETION_EVIDENCE}) | {FACET_OF_PLACEMENT[p] for p in self.placements}
