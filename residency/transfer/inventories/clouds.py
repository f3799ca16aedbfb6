"""Stores that read reports through the providers' SDKs, and finding a container's newest report.

Credentials come from each SDK's standard chain (AWS profiles and `AWS_ENDPOINT_URL`,
Application Default Credentials or `STORAGE_EMULATOR_HOST`, `DefaultAzureCredential` or
`AZURE_STORAGE_CONNECTION_STRING` for that account). Every call is a read.

A container given as FROM/TO (`s3://bucket`) is looked up through its inventory
configuration: S3 `ListBucketInventoryConfigurations`, then the newest completed report
(one whose manifest.checksum exists) under the configured destination.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from residency.transfer.inventories import discovery
from residency.transfer.inventories.store import MAX_MANIFEST_BYTES, InventoryError, Store
from residency.transfer.locate import Where


def _reason(error: Exception) -> str:
    text = " ".join(str(error).split())
    return text[:200] or type(error).__name__


class S3Store:
    def __init__(self, bucket: str) -> None:
        import boto3

        self.bucket = bucket
        self.client = boto3.client("s3")

    def describe(self, key: str) -> str:
        return f"s3://{self.bucket}/{key}"

    def read(self, key: str, limit: int = MAX_MANIFEST_BYTES) -> bytes:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            response = self.client.get_object(Bucket=self.bucket, Key=key)
            if int(response.get("ContentLength", 0)) > limit:
                raise InventoryError(f"{self.describe(key)}: larger than {limit >> 20} MiB; not an inventory manifest")
            return bytes(response["Body"].read())
        except (ClientError, BotoCoreError) as error:
            raise InventoryError(f"{self.describe(key)}: cannot be read ({_reason(error)})") from None

    def fetch(self, key: str, target: Path) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client.download_file(self.bucket, key, str(target))
        except (ClientError, BotoCoreError) as error:
            raise InventoryError(f"{self.describe(key)}: listed in the manifest but cannot be read "
                                 f"({_reason(error)}); the report is incomplete") from None


def gcs_client() -> Any:
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import storage

    if os.environ.get("STORAGE_EMULATOR_HOST"):
        return storage.Client(project=os.environ.get("GOOGLE_CLOUD_PROJECT", "local"),
                              credentials=AnonymousCredentials())  # type: ignore[no-untyped-call]
    return storage.Client()


class GcsStore:
    def __init__(self, bucket: str) -> None:
        self.bucket_name = bucket
        self.bucket = gcs_client().bucket(bucket)

    def describe(self, key: str) -> str:
        return f"gs://{self.bucket_name}/{key}"

    def read(self, key: str, limit: int = MAX_MANIFEST_BYTES) -> bytes:
        from google.api_core.exceptions import GoogleAPIError

        try:
            data = bytes(self.bucket.blob(key).download_as_bytes())
        except GoogleAPIError as error:
            raise InventoryError(f"{self.describe(key)}: cannot be read ({_reason(error)})") from None
        if len(data) > limit:
            raise InventoryError(f"{self.describe(key)}: larger than {limit >> 20} MiB; not an inventory manifest")
        return data

    def fetch(self, key: str, target: Path) -> None:
        from google.api_core.exceptions import GoogleAPIError
        from google.resumable_media.common import DataCorruption

        try:
            self.bucket.blob(key).download_to_filename(str(target))
        except (GoogleAPIError, DataCorruption) as error:
            raise InventoryError(f"{self.describe(key)}: listed in the manifest but cannot be read "
                                 f"({_reason(error)}); the report is incomplete") from None


def azure_service(account: str) -> Any:
    from azure.storage.blob import BlobServiceClient

    connection = os.environ.get("AZURE_STORAGE_CONNECTION_STRING", "")
    if re.search(rf"(^|;)AccountName={re.escape(account)}(;|$)", connection):
        return BlobServiceClient.from_connection_string(connection)
    from residency.transfer.inventories.azure_policy import blob_service

    local = blob_service(account)
    if local is not None:
        return local
    from azure.identity import DefaultAzureCredential

    return BlobServiceClient(f"https://{account}.blob.core.windows.net", credential=DefaultAzureCredential())


class AzureStore:
    def __init__(self, account: str, container: str) -> None:
        self.account = account
        self.container_name = container
        self.container = azure_service(account).get_container_client(container)

    def describe(self, key: str) -> str:
        return f"https://{self.account}.blob.core.windows.net/{self.container_name}/{key}"

    def read(self, key: str, limit: int = MAX_MANIFEST_BYTES) -> bytes:
        from azure.core.exceptions import AzureError

        try:
            downloader = self.container.download_blob(key)
            if downloader.size > limit:
                raise InventoryError(f"{self.describe(key)}: larger than {limit >> 20} MiB; not an inventory manifest")
            return bytes(downloader.readall())
        except AzureError as error:
            raise InventoryError(f"{self.describe(key)}: cannot be read ({_reason(error)})") from None

    def fetch(self, key: str, target: Path) -> None:
        from azure.core.exceptions import AzureError

        try:
            with target.open("wb") as handle:
                self.container.download_blob(key).readinto(handle)
        except AzureError as error:
            raise InventoryError(f"{self.describe(key)}: listed in the manifest but cannot be read "
                                 f"({_reason(error)}); the report is incomplete") from None


def locate(where: Where) -> tuple[Store, str]:
    """The store holding the report and its manifest's key (found through the container when needed)."""
    if where.kind == "s3":
        if where.is_container:
            bucket, key = discovery.newest_s3(S3Store(where.container).client, where.container)
            return S3Store(bucket), key
        return S3Store(where.container), where.key
    if where.kind == "gs":
        if where.is_container:
            bucket, key = discovery.newest_gcs(gcs_client(), where.container)
            return GcsStore(bucket), key
        return GcsStore(where.container), where.key
    if where.is_container:
        assert where.source_container is not None
        container, key = discovery.newest_azure(azure_service(where.account), where.account, where.source_container)
        return AzureStore(where.account, container), key
    return AzureStore(where.account, where.container), where.key


def s3_versioning_never_enabled(bucket: str) -> bool:
    """True only when GetBucketVersioning answers with no Status: versioning was never turned on."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        answer = S3Store(bucket).client.get_bucket_versioning(Bucket=bucket)
    except (ClientError, BotoCoreError):
        return False
    return "Status" not in answer and "MFADelete" not in answer
