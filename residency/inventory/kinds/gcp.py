"""Google Cloud kinds: where data lives on Google Cloud, and the read calls that find it."""

from __future__ import annotations

from residency.inventory.kinds import gcp_services
from residency.inventory.kinds.spec import ReadCall, ResourceKind
from residency.inventory.model import PlacementKind, Provider

GCP = Provider.GCP
P = PlacementKind

ACCOUNT_READS = (
    ReadCall("cloudresourcemanager.projects.list", "resourcemanager.projects.get",
             "the projects the credentials can see (only without --gcp-project)"),
)

GCS_BUCKET = ResourceKind(
    "gcs-bucket", GCP, "Cloud Storage", "Cloud Storage bucket",
    frozenset({P.PRIMARY, P.MEMBER, P.RESIDUAL}),
    (
        ReadCall("storage.buckets.list", "storage.buckets.list",
                 "location, location type, data locations, labels, versioning, soft delete and retention "
                 "settings; also with softDeleted=true for soft-deleted buckets"),
        ReadCall("storage.objects.list", "storage.objects.list",
                 "deletion evidence: live objects, versions=true (noncurrent generations), softDeleted=true "
                 "(soft-deleted objects), holds and object retention"),
    ),
    terraform_types=("google_storage_bucket",),
)

KINDS = (GCS_BUCKET, *gcp_services.KINDS)
