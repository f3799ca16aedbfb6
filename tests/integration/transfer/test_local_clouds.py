"""`residency transfer` against the local clouds, through the SDKs, exactly as in production:
reports found through each container's inventory configuration, manifests and shards
downloaded and checked, classes counted; a damaged shard in the cloud makes the run exit 3.
"""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from residency.cli import main
from scripts.localcloud import transfer_story
from scripts.localcloud.inventory_seed import publish_azure, publish_gcs, publish_s3

pytestmark = pytest.mark.integration


def _report(tmp_path, *args: str) -> tuple[int, dict[str, Any]]:
    out = tmp_path / "report.json"
    code = main(["transfer", *args, "--format", "json", "--output", str(out)])
    return code, json.loads(out.read_text())


def test_s3_reports_found_through_the_inventory_configuration(cloud_env, tmp_path) -> None:
    s3 = boto3.client("s3")
    story = transfer_story.seed(s3)
    code, report = _report(tmp_path, story.source, story.destination, "--map", transfer_story.MAP)
    assert code == 1
    (transfer,) = report["transfers"]
    assert transfer["summary"] == story.expected
    assert [(i["format"], i["versions_listed"]) for i in transfer["inventories"]] == [("Parquet", True),
                                                                                      ("CSV", True)]
    manifest = transfer["inventories"][0]["location"]
    assert manifest.startswith(f"s3://{transfer_story.INVENTORY_EU}/inventory/{transfer_story.SOURCE}/")
    shard = json.loads(s3.get_object(Bucket=transfer_story.INVENTORY_EU,
                                     Key=manifest.split("/", 3)[3])["Body"].read())["files"][0]["key"]
    s3.put_object(Bucket=transfer_story.INVENTORY_EU, Key=shard, Body=b"not the shard")
    code, report = _report(tmp_path, manifest, story.destination, "--map", transfer_story.MAP)
    assert code == 3
    assert [f["rule"] for f in report["findings"]] == ["transfer-inventory-unverifiable"]


def test_gcs_reports_found_through_storage_insights_compare_with_s3(cloud_env, tmp_path) -> None:
    from google.auth.credentials import AnonymousCredentials
    from google.auth.transport.requests import AuthorizedSession
    from google.cloud import storage

    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="gcs-test-source")
    s3.create_bucket(Bucket="gcs-test-inventory")
    gcs = storage.Client(project="clipwave-data", credentials=AnonymousCredentials())
    source, target = gcs.create_bucket("us-landing", location="US-EAST1"), gcs.create_bucket("us-reports",
                                                                                             location="US-EAST1")
    for name, body, arrived in [("a.bin", b"alpha", b"alpha"), ("b.bin", b"bravo", b"BRAVO"), ("c.bin", b"c", None)]:
        s3.put_object(Bucket="gcs-test-source", Key=name, Body=body)
        if arrived is not None:
            source.blob(name).upload_from_string(arrived)
    publish_s3(s3, "gcs-test-source", "gcs-test-inventory", file_format="ORC", versions=False)
    session = AuthorizedSession(AnonymousCredentials())
    publish_gcs(session, cloud_env.gcs_url, "clipwave-data", source, target, file_format="Parquet")
    code, report = _report(tmp_path, "s3://gcs-test-source", "gs://us-landing")
    (transfer,) = report["transfers"]
    assert code == 1
    assert {k: v for k, v in transfer["summary"].items() if v} == {
        "copied-not-deleted": 1, "content-mismatch": 1, "not-copied": 1}
    assert transfer["residual"]["verified"]  # versioning was never enabled on the source bucket
    assert transfer["inventories"][1]["location"].startswith("gs://us-reports/inventory_reports/")


def test_azure_reports_found_through_the_inventory_policy(cloud_env, tmp_path) -> None:
    from scripts.localcloud.azure.seed import RESOURCE_GROUP, AzureSeeder

    seeder = AzureSeeder(cloud_env.azure.management_url)
    subscription = "5ec0aaaa-0000-4000-8000-000000000001"
    for name, location in (("eusource", "westeurope"), ("usdest", "eastus")):
        seeder.account(subscription, name, location)
    seeder.upload("eusource", "uploads", {"k1": b"one", "k2": b"two"})
    seeder.upload("eusource", "inventory", {})
    seeder.upload("usdest", "uploads", {"k1": b"one"})
    seeder.upload("usdest", "inventory", {})
    for account in ("eusource", "usdest"):
        service = seeder.blobs(account)
        publish_azure(seeder.mgmt(subscription), RESOURCE_GROUP, account, service.get_container_client("uploads"),
                      service.get_container_client("inventory"))
    code, report = _report(tmp_path, "azure://eusource/uploads", "azure://usdest/uploads")
    seeder.close()
    (transfer,) = report["transfers"]
    assert {k: v for k, v in transfer["summary"].items() if v} == {"copied-not-deleted": 1, "not-copied": 1}
    assert code == 1 and transfer["residual"]["verified"]
