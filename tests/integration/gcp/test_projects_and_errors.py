"""Projects and failures: listing projects, paging, a denied project or bucket never hides the rest."""

from __future__ import annotations

from dataclasses import replace

import pytest

from residency.catalog import load_catalog
from residency.engine.needs import PolicyNeeds
from residency.inventory.model import Provider
from residency.sources.contract import CommonOptions, NullProgress, SourceError
from residency.sources.gcp.adapter import GcpAdapter
from residency.sources.gcp.options import GcpOptions
from scripts.localcloud.gcp.seed import (
    BucketSpec,
    client_for,
    create_bucket,
    deny,
    register_project,
    served_requests,
    upload,
)
from tests.integration.gcp.conftest import GcsServer
from tests.integration.gcp.helpers import LABEL, US_ONLY, findings, scan, summary

pytestmark = pytest.mark.integration

US = {LABEL: "us-user-data"}


def test_denied_project_is_an_account_gap_and_others_are_still_scanned(own_gcs: GcsServer, uid: str) -> None:
    open_project, closed_project = f"{uid}-open", f"{uid}-closed"
    create_bucket(client_for(own_gcs.url, open_project), open_project, BucketSpec(f"{uid}-ok", "us-east1", US))
    create_bucket(client_for(own_gcs.url, closed_project), closed_project,
                  BucketSpec(f"{uid}-hidden", "asia-east1", US))
    deny(own_gcs.url, project=closed_project)

    inventory = scan([closed_project, open_project], [US_ONLY])

    assert [r.name for r in inventory.resources] == [f"{uid}-ok"]
    (gap,) = inventory.account_gaps
    assert (gap.provider, gap.account) == (Provider.GCP, closed_project)
    assert gap.reason.startswith("buckets could not be listed (HTTP 403: ")
    assert "storage.buckets.list" in gap.reason
    assert inventory.scanned == (("gcp", open_project),)
    assert summary(findings(inventory, [US_ONLY])) == {
        ("us-user-data", "locations-allowed", "compliant", f"gs://{uid}-ok"),
        ("us-user-data", "location-unverifiable", "unverifiable", f"gcp:{closed_project}"),
    }


def test_denied_bucket_contents_are_a_gap_on_that_bucket_only(own_gcs: GcsServer, uid: str) -> None:
    project = f"{uid}-partial"
    client = client_for(own_gcs.url, project)
    upload(create_bucket(client, project, BucketSpec(f"{uid}-secret", "europe-west1", US)), ["a"])
    upload(create_bucket(client, project, BucketSpec(f"{uid}-open", "europe-west1", US)), ["a"])
    deny(own_gcs.url, bucket=f"{uid}-secret")

    inventory = scan([project], [US_ONLY])

    secret = next(r for r in inventory.resources if r.name == f"{uid}-secret")
    assert [gap.what for gap in secret.gaps] == ["objects", "noncurrent object generations", "soft-deleted objects"]
    assert all(gap.reason.startswith("HTTP 403: ") for gap in secret.gaps)
    assert summary(findings(inventory, [US_ONLY])) == {
        ("us-user-data", "primary-outside", "violation", f"gs://{uid}-secret"),
        ("us-user-data", "location-unverifiable", "unverifiable", f"gs://{uid}-secret"),
        ("us-user-data", "primary-outside", "violation", f"gs://{uid}-open"),
    }


def test_a_project_with_more_buckets_than_one_page(own_gcs: GcsServer, uid: str) -> None:
    project = f"{uid}-paged"
    client = client_for(own_gcs.url, project)
    names = [f"{uid}-b{n}" for n in range(7)]
    for name in names:
        create_bucket(client, project, BucketSpec(name, "us-central1", US))

    inventory = scan([project], [US_ONLY], bucket_page_size=3)

    assert [r.name for r in inventory.resources] == sorted(names)


def test_every_listed_project_is_scanned_without_gcp_project(own_gcs: GcsServer, uid: str) -> None:
    first, second, empty = f"{uid}-first", f"{uid}-second", f"{uid}-empty"
    create_bucket(client_for(own_gcs.url, first), first, BucketSpec(f"{uid}-one", "us-east1", US))
    create_bucket(client_for(own_gcs.url, second), second, BucketSpec(f"{uid}-two", "us-west1", US))
    register_project(own_gcs.url, empty)
    # Other tests' projects live on the same server: scope the policy to this test's projects.
    policy = replace(US_ONLY, scope=replace(US_ONLY.scope, accounts=(f"{uid}-*",)))

    inventory = GcpAdapter(CommonOptions(), GcpOptions()).collect(PolicyNeeds([policy], load_catalog()), NullProgress())

    assert {r.name for r in inventory.resources} == {f"{uid}-one", f"{uid}-two"}
    assert {account for _, account in inventory.scanned} == {first, second, empty}


def test_emulator_without_projects_is_a_configuration_error(
    own_gcs: GcsServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RESIDENCY_GCP_RESOURCE_MANAGER_URL")
    with pytest.raises(SourceError, match="--gcp-project"):
        GcpAdapter(CommonOptions(), GcpOptions()).collect(PolicyNeeds([US_ONLY], load_catalog()), NullProgress())


def test_a_scan_only_reads(own_gcs: GcsServer, uid: str) -> None:
    project = f"{uid}-readonly"
    client = client_for(own_gcs.url, project)
    abroad = create_bucket(client, project, BucketSpec(f"{uid}-abroad", "europe-west1", US, versioning=True))
    upload(abroad, ["a"])
    create_bucket(client, project, BucketSpec(f"{uid}-gone", "asia-east1", US)).delete()
    before, _ = served_requests(own_gcs.url)

    scan([project], [US_ONLY], deep=True)

    _, requests = served_requests(own_gcs.url, before)
    assert {method for method, _ in requests} == {"GET"}
    assert sorted(set(requests)) == [("GET", "/storage/v1/b"), ("GET", f"/storage/v1/b/{uid}-abroad/o")]
    assert len(requests) == 5  # buckets + soft-deleted buckets; live, versions, soft-deleted objects
