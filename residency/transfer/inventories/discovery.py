"""The newest complete inventory report of a container, found through its inventory configuration.

- S3: `ListBucketInventoryConfigurations` on the bucket; each enabled configuration writes
  to `DESTINATION/PREFIX/BUCKET/ID/YYYY-MM-DDTHH-MMZ/manifest.json`; a report is complete once
  its manifest.checksum exists. A configuration listing all versions is preferred.
- GCS: Storage Insights `reportConfigs` of the bucket's project and location whose
  `storageFilters.bucket` is the bucket, then the newest successful `reportDetails`; its
  `reportPathPrefix` + "manifest.json" is the manifest.
- Azure: the storage account's blob inventory policy (management plane), its enabled blob
  rules covering the container, then the newest `YYYY/MM/DD/HH-MM-SS/RULE/RULE-manifest.json`
  that has its checksum file in the rule's destination container.
"""

from __future__ import annotations

import os
import re
from typing import Any

from residency.transfer.inventories.store import InventoryError

_S3_RUN = re.compile(r"/(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}Z)/$")
_AZURE_RUN = re.compile(r"^(\d{4}/\d{2}/\d{2}/\d{2}-\d{2}-\d{2})/([^/]+)/\2-manifest\.json$")
INSIGHTS_URL = "https://storageinsights.googleapis.com"
INSIGHTS_ENV = "RESIDENCY_GCP_STORAGE_INSIGHTS_URL"  # a local server with the same v1 shape


def _reason(error: Exception) -> str:
    return " ".join(str(error).split())[:200] or type(error).__name__


def _s3_pages(client: Any, operation: str, **kwargs: Any) -> list[dict[str, Any]]:
    pages, token_in, token_out = [], "ContinuationToken", "NextContinuationToken"
    while True:
        page = getattr(client, operation)(**kwargs)
        pages.append(page)
        if not page.get("IsTruncated") or not page.get(token_out):
            return pages
        kwargs[token_in] = page[token_out]


def newest_s3(client: Any, bucket: str) -> tuple[str, str]:
    """(destination bucket, manifest key) of the bucket's newest complete report."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        pages = _s3_pages(client, "list_bucket_inventory_configurations", Bucket=bucket)
        configs = [c for page in pages for c in page.get("InventoryConfigurationList", []) if c.get("IsEnabled")]
        found: list[tuple[bool, str, str, str]] = []
        for config in configs:
            destination = config["Destination"]["S3BucketDestination"]
            target = destination["Bucket"].rsplit(":::", 1)[-1]
            prefix = destination.get("Prefix", "").strip("/")
            base = f"{prefix}/{bucket}/{config['Id']}/" if prefix else f"{bucket}/{config['Id']}/"
            listed = _s3_pages(client, "list_objects_v2", Bucket=target, Prefix=base, Delimiter="/")
            runs = sorted((p["Prefix"] for page in listed for p in page.get("CommonPrefixes", [])
                           if _S3_RUN.search(p["Prefix"])), reverse=True)
            for run in runs:
                done = client.list_objects_v2(Bucket=target, Prefix=f"{run}manifest.checksum").get("KeyCount", 0)
                if done:
                    found.append((config.get("IncludedObjectVersions") == "All", run, target, f"{run}manifest.json"))
                    break
    except (ClientError, BotoCoreError) as error:
        raise InventoryError(f"s3://{bucket}: its inventory reports cannot be listed ({_reason(error)}); grant "
                             "s3:GetInventoryConfiguration and read access to the destination, or give the "
                             "manifest's s3:// URL") from None
    if not found:
        raise InventoryError(f"s3://{bucket}: no enabled inventory configuration has a complete report; "
                             "configure S3 Inventory (all versions) or give a manifest")
    _, _, target, key = max(found, key=lambda item: (item[0], item[1].rsplit("/", 2)[-2]))
    return target, key


def newest_gcs(client: Any, bucket: str) -> tuple[str, str]:
    from google.api_core.exceptions import GoogleAPIError
    from google.auth.transport.requests import AuthorizedSession

    base = os.environ.get(INSIGHTS_ENV, INSIGHTS_URL).rstrip("/")
    session = AuthorizedSession(client._credentials)  # type: ignore[no-untyped-call]
    try:
        meta = client.get_bucket(bucket)
        parent = f"projects/{meta.project_number}/locations/{str(meta.location).lower()}"
        configs = _insights_list(session, f"{base}/v1/{parent}/reportConfigs", "reportConfigs")
        runs = []
        for config in configs:
            filters = config.get("objectMetadataReportOptions", {}).get("storageFilters", {})
            if filters.get("bucket") != bucket:
                continue
            for detail in _insights_list(session, f"{base}/v1/{config['name']}/reportDetails", "reportDetails"):
                prefix = detail.get("reportPathPrefix") or detail.get("report_path_prefix") or ""
                if prefix.startswith("gs://") and not (detail.get("status") or {}).get("code"):
                    runs.append((detail.get("snapshotTime") or detail.get("snapshot_time") or "", prefix))
    except (GoogleAPIError, OSError, ValueError, KeyError) as error:
        raise InventoryError(f"gs://{bucket}: its inventory reports cannot be listed ({_reason(error)}); grant "
                             "storageinsights.reportConfigs.list and reportDetails.list, or give the manifest's "
                             "gs:// URL") from None
    finally:
        session.close()  # type: ignore[no-untyped-call]
    if not runs:
        raise InventoryError(f"gs://{bucket}: no Storage Insights inventory report of it succeeded; "
                             "configure one or give a manifest")
    _, prefix = max(runs)
    destination, _, path = prefix[5:].partition("/")
    return destination, f"{path}manifest.json"


def _insights_list(session: Any, url: str, field: str) -> list[dict[str, Any]]:
    from google.api_core import exceptions as api_exceptions

    items: list[dict[str, Any]] = []
    params: dict[str, str] = {}
    while True:
        response = session.get(url, params=params, timeout=60)
        if response.status_code >= 400:
            raise api_exceptions.from_http_response(response)  # type: ignore[no-untyped-call]
        body = response.json()
        items += body.get(field, [])
        if not body.get("nextPageToken"):
            return items
        params["pageToken"] = body["nextPageToken"]


def newest_azure(service: Any, account: str, container: str) -> tuple[str, str]:
    """(destination container, manifest blob) for the container's newest succeeded rule run."""
    from azure.core.exceptions import AzureError

    try:
        policy = _inventory_policy(account)
        rules = [r for r in (policy.get("rules") or []) if r.get("enabled", True)
                 and str(r.get("definition", {}).get("objectType", "blob")).lower() == "blob"
                 and _covers(r.get("definition", {}).get("filters", {}), container)]
        runs = []
        for rule in rules:
            destination = rule.get("destination") or policy.get("destination")
            client = service.get_container_client(destination)
            names = {b.name for b in client.list_blobs()}
            for name in names:
                match = _AZURE_RUN.match(name)
                if match and match.group(2) == rule["name"] and name.replace(".json", ".checksum") in names:
                    runs.append((match.group(1), destination, name))
    except (AzureError, OSError, KeyError) as error:
        raise InventoryError(f"azure://{account}/{container}: its inventory reports cannot be listed "
                             f"({_reason(error)}); grant read access to the inventory policy and its destination, "
                             "or give the manifest's https:// URL") from None
    if not runs:
        raise InventoryError(f"azure://{account}/{container}: no blob inventory rule covering it has a complete "
                             "run; add a rule or give a manifest")
    _, destination, name = max(runs)
    return str(destination), str(name)


def _covers(filters: dict[str, Any], container: str) -> bool:
    prefixes = [p for p in (filters.get("prefixMatch") or []) if isinstance(p, str) and p]
    return not prefixes or any(container.startswith(p) or p.startswith(f"{container}/") for p in prefixes)


def _inventory_policy(account: str) -> dict[str, Any]:
    from residency.transfer.inventories.azure_policy import inventory_policy

    return inventory_policy(account)
