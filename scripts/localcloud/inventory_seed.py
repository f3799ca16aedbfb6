"""Put inventory reports into the local clouds as the clouds would: list a seeded bucket or
container through its SDK, write the report into the inventory destination, and configure the
source so `residency transfer s3://B` (gs://B, azure://ACCOUNT/C) finds its newest report.

Everything goes through the real SDKs and the servers' public API shapes: S3
`PutBucketInventoryConfiguration` (moto), Storage Insights `reportConfigs.create` (the
project's GCS server), the blob inventory policy (the project's Azure management server).
"""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from scripts.localcloud.inventory_reports import Row, Sink, report_options, write_azure, write_gcs, write_s3


def s3_sink(client: Any, bucket: str) -> Sink:
    return lambda key, data: client.put_object(Bucket=bucket, Key=key, Body=data)


def gcs_sink(bucket: Any) -> Sink:
    return lambda key, data: bucket.blob(key).upload_from_string(data)


def azure_sink(container: Any) -> Sink:
    return lambda key, data: container.upload_blob(key, data, overwrite=True)


def rows_from_s3(client: Any, bucket: str) -> list[Row]:
    """Every version and delete marker, as ListObjectVersions shows them."""
    rows: list[Row] = []
    for page in client.get_paginator("list_object_versions").paginate(Bucket=bucket):
        for version in page.get("Versions", []):
            etag = version["ETag"].strip('"')
            rows.append(Row(version["Key"], version["Size"], b"" if "-" in etag else bytes.fromhex(etag),
                            version["VersionId"], version["IsLatest"], modified=version["LastModified"],
                            multipart_etag=etag if "-" in etag else None))
        rows += [Row(m["Key"], version=m["VersionId"], current=m["IsLatest"], delete_marker=True,
                     modified=m["LastModified"]) for m in page.get("DeleteMarkers", [])]
    return rows


def publish_s3(client: Any, bucket: str, destination: str, *, file_format: str = "CSV",
               versions: bool = True, when: dt.datetime | None = None) -> str:
    """Write the bucket's report into `destination` and point its inventory configuration there."""
    config = "all-versions" if versions else "current"
    moment = when or dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
    key = write_s3(s3_sink(client, destination), rows_from_s3(client, bucket), bucket, file_format=file_format,
                   versions=versions, config=config, destination=destination, when=moment)
    client.put_bucket_inventory_configuration(Bucket=bucket, Id=config, InventoryConfiguration={
        "Id": config, "IsEnabled": True, "IncludedObjectVersions": "All" if versions else "Current",
        "Schedule": {"Frequency": "Daily"},
        "Destination": {"S3BucketDestination": {"Bucket": f"arn:aws:s3:::{destination}", "Format": file_format,
                                                "Prefix": "inventory"}},
        "OptionalFields": ["Size", "LastModifiedDate", "ETag", "StorageClass", "IsMultipartUploaded",
                           "EncryptionStatus"],
    })
    return key


def rows_from_gcs(bucket: Any) -> list[Row]:
    """Live objects with their md5Hash and crc32c, as the JSON API lists them."""
    return [Row(blob.name, blob.size, base64.b64decode(blob.md5_hash) if blob.md5_hash else b"",
                str(blob.generation), crc32c=blob.crc32c or "", modified=blob.updated)
            for blob in bucket.list_blobs()]


def publish_gcs(session: Any, server: str, project: str, bucket: Any, destination: Any, *,
                file_format: str = "CSV", when: dt.datetime | None = None) -> str:
    """Create the bucket's Storage Insights report config (REST), then write a report for it."""
    location = str(bucket.location).lower()
    body = {"frequencyOptions": {"frequency": "DAILY"},
            **({"csvOptions": {"delimiter": ",", "recordSeparator": "\n", "headerRequired": True}}
               if file_format == "CSV" else {"parquetOptions": {}}),
            "objectMetadataReportOptions": report_options(bucket.name, destination.name, "inventory_reports")}
    response = session.post(f"{server}/v1/projects/{project}/locations/{location}/reportConfigs", json=body)
    response.raise_for_status()
    config_id = response.json()["name"].rsplit("/", 1)[-1]
    moment = when or dt.datetime.now(dt.UTC).replace(microsecond=0)
    return write_gcs(gcs_sink(destination), rows_from_gcs(bucket), bucket.name, file_format=file_format,
                     config_id=config_id, destination=destination.name, when=moment)


def rows_from_azure(container: Any) -> list[Row]:
    """Base blobs, versions, snapshots and soft-deleted blobs, as List Blobs includes them."""
    rows = []
    for blob in container.list_blobs(include=["versions", "snapshots", "deleted"]):
        md5 = bytes(blob.content_settings.content_md5 or b"")
        current = blob.is_current_version if blob.version_id else blob.snapshot is None
        rows.append(Row(blob.name, blob.size, md5, blob.version_id, bool(current) and not blob.deleted,
                        soft_deleted=bool(blob.deleted), snapshot=blob.snapshot, modified=blob.last_modified))
    return rows


def publish_azure(storage: Any, resource_group: str, account: str, container: Any, destination: Any, *,
                  file_format: str = "CSV", rule: str = "alldata", when: dt.datetime | None = None) -> str:
    """Set the account's blob inventory policy (management plane), then write a run of its rule."""
    from azure.mgmt.storage.models import (
        BlobInventoryPolicy,
        BlobInventoryPolicyDefinition,
        BlobInventoryPolicyFilter,
        BlobInventoryPolicyProperties,
        BlobInventoryPolicyRule,
        BlobInventoryPolicySchema,
    )

    name = container.container_name
    definition = BlobInventoryPolicyDefinition(
        filters=BlobInventoryPolicyFilter(prefix_match=[f"{name}/"], blob_types=["blockBlob"],
                                          include_blob_versions=True, include_snapshots=True, include_deleted=True),
        format=file_format, schedule="Daily", object_type="Blob",
        schema_fields=["Name", "Content-Length", "Content-MD5", "VersionId", "IsCurrentVersion", "Snapshot",
                       "Deleted"])
    policy = BlobInventoryPolicySchema(enabled=True, type="Inventory", rules=[
        BlobInventoryPolicyRule(enabled=True, name=rule, destination=destination.container_name,
                                definition=definition)])
    storage.blob_inventory_policies.create_or_update(resource_group, account, "default",
                                                     BlobInventoryPolicy(properties=BlobInventoryPolicyProperties(
                                                         policy=policy)))
    moment = when or dt.datetime.now(dt.UTC).replace(microsecond=0)
    return write_azure(azure_sink(destination), rows_from_azure(container), account, name, file_format=file_format,
                       rule=rule, destination=destination.container_name, when=moment)
