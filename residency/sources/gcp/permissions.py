"""The IAM permissions the GCP adapter's calls need (from the kind registry), and roles that grant them."""

from __future__ import annotations

import textwrap

from residency.inventory.kinds import reads_of
from residency.inventory.model import Provider


def _permissions() -> tuple[tuple[str, str], ...]:
    """(permission, what the calls that need it read), each permission once, in registry order."""
    found: dict[str, list[str]] = {}
    for call in reads_of(Provider.GCP):
        if call.permission:
            found.setdefault(call.permission, []).append(f"{call.operation}: {call.purpose}")
    return tuple((permission, "; ".join(uses)) for permission, uses in found.items())


PERMISSIONS = _permissions()
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
        "Predefined roles that cover the Cloud Storage part: roles/storage.bucketViewer (storage.buckets.list)",
        "together with roles/storage.objectViewer (storage.objects.list, resourcemanager.projects.get/list).",
        "objectViewer also lets the holder read object data, which the scanner never does. For the other",
        "services the custom role above is the least-privilege answer: predefined viewer roles such as",
        "roles/cloudsql.viewer, roles/spanner.viewer, roles/bigquery.metadataViewer, roles/datastore.viewer,",
        "roles/bigtable.viewer and roles/compute.viewer grant more than these list calls, and not every",
        "one of them grants the backup and transfer listings.",
        "Without resourcemanager.projects.get, pass --gcp-project; the scan then covers only those",
        "projects (or only the credentials' own project, recorded as an incomplete scan).",
    ]
    return "\n".join(lines) + "\n"
