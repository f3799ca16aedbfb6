"""The cases gcp-storage-emulator can serve, run against it and against our own server.

The third-party emulator keeps only the name at bucket creation, so its buckets get their
location and labels by PATCH; it keeps no noncurrent generations and ignores the project
when listing, so each test scopes its policy to its own bucket names. Same seed, same
expected findings on both servers: the third party keeps our server honest.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from residency.inventory.model import PlacementKind
from residency.policy.model import Policy
from scripts.localcloud.gcp.seed import BucketSpec, client_for, create_bucket, delete_live, upload
from tests.integration.gcp.conftest import GcsServer
from tests.integration.gcp.helpers import LABEL, US_ONLY, findings, scan, summary

pytestmark = pytest.mark.integration

SERVERS = ["own_gcs", "third_party_gcs"]


def _scoped(uid: str) -> Policy:
    return replace(US_ONLY, scope=replace(US_ONLY.scope, names=(f"{uid}-*",)))


@pytest.mark.parametrize("server_fixture", SERVERS)
def test_single_region_location_and_labels(server_fixture: str, uid: str, request: pytest.FixtureRequest) -> None:
    server: GcsServer = request.getfixturevalue(server_fixture)
    project = f"{uid}-labels"
    client = client_for(server.url, project)
    patch = not server.own
    create_bucket(client, project, BucketSpec(f"{uid}-iowa", "us-central1", {LABEL: "us-user-data"}), patch)
    belgium = create_bucket(client, project, BucketSpec(f"{uid}-belgium", "europe-west1",
                                                        {LABEL: "us-user-data", "team": "video"}), patch)
    upload(belgium, ["user-1.json"])
    create_bucket(client, project, BucketSpec(f"{uid}-public", "europe-west1", {LABEL: "public"}), patch)
    policy = _scoped(uid)

    inventory = scan([project], [policy])

    assert summary(findings(inventory, [policy])) == {
        ("us-user-data", "locations-allowed", "compliant", f"gs://{uid}-iowa"),
        ("us-user-data", "primary-outside", "violation", f"gs://{uid}-belgium"),
    }
    belgium_resource = next(r for r in inventory.resources if r.name == f"{uid}-belgium")
    assert belgium_resource.tags == ((LABEL, "us-user-data"), ("team", "video"))
    assert [(p.kind, p.region) for p in belgium_resource.placements] == [(PlacementKind.PRIMARY, "europe-west1")]


@pytest.mark.parametrize("server_fixture", SERVERS)
def test_soft_deleted_objects_left_in_a_forbidden_region(
    server_fixture: str, uid: str, request: pytest.FixtureRequest
) -> None:
    server: GcsServer = request.getfixturevalue(server_fixture)
    project = f"{uid}-softobj"
    client = client_for(server.url, project)
    bucket = create_bucket(client, project, BucketSpec(f"{uid}-belgium", "europe-west1", {LABEL: "us-user-data"},
                                                       soft_delete_days=7), not server.own)
    names = ["a.json", "b.json"]
    upload(bucket, names)
    delete_live(bucket, names)
    policy = _scoped(uid)

    inventory = scan([project], [policy])

    assert summary(findings(inventory, [policy])) == {
        ("us-user-data", "primary-outside", "violation", f"gs://{uid}-belgium"),
        ("us-user-data", "residual-outside", "violation", f"gs://{uid}-belgium"),
    }
    resource = next(r for r in inventory.resources if r.name == f"{uid}-belgium")
    assert resource.deletion_evidence is not None
    assert (resource.deletion_evidence.live_objects, resource.deletion_evidence.soft_deleted_objects) == (0, 2)
