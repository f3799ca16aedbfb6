"""The IAM permissions the GCP adapter's calls need, and roles that grant them."""

from __future__ import annotations

import textwrap

# (permission, the call that needs it)
PERMISSIONS: tuple[tuple[str, str], ...] = (
    ("resourcemanager.projects.get",
     "Resource Manager v1 projects.list returns the projects the caller has this permission on "
     "(only without --gcp-project)"),
    ("storage.buckets.list",
     "buckets.list per project: location, location type, data locations, labels, versioning, "
     "soft delete and retention settings; also with softDeleted=true for soft-deleted buckets"),
    ("storage.objects.list",
     "objects.list for deletion evidence: live objects, versions=true (noncurrent generations), "
     "softDeleted=true (soft-deleted objects), holds and object retention"),
)
CUSTOM_ROLE_ID = "residencyScanner"


def permissions() -> str:
    lines = [
        "Google Cloud: IAM permissions for `residency scan --provider gcp` (read-only; list calls only).",
        "OAuth scopes requested: devstorage.read_only, cloud-platform.read-only.",
        "",
    ]
    for name, why in PERMISSIONS:
        lines += [f"  {name}", *(f"      {line}" for line in textwrap.wrap(why, 88))]
    names = ",".join(name for name, _ in PERMISSIONS)
    lines += [
        "",
        "Least privilege: a custom role with exactly these permissions, granted on the organization,",
        "a folder or each project:",
        f"  gcloud iam roles create {CUSTOM_ROLE_ID} --organization=ORG_ID \\",
        '      --title="Residency scanner" --stage=GA \\',
        f"      --permissions={names}",
        "",
        "Predefined roles that cover them: roles/storage.bucketViewer (storage.buckets.list) together",
        "with roles/storage.objectViewer (storage.objects.list, resourcemanager.projects.get/list).",
        "objectViewer also lets the holder read object data, which the scanner never does.",
        "Without resourcemanager.projects.get, pass --gcp-project; the scan then covers only those",
        "projects (or only the credentials' own project, recorded as an incomplete scan).",
    ]
    return "\n".join(lines) + "\n"
