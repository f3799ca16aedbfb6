"""Our local GCS server answers the SDK in the JSON API's shapes (resources, errors, paging)."""

from __future__ import annotations

import pytest
from google.api_core import exceptions

from scripts.localcloud.gcp.seed import BucketSpec, client_for, create_bucket, deny, hold, lock_retention, upload
from tests.integration.gcp.conftest import GcsServer

pytestmark = pytest.mark.integration


def test_bucket_resource_round_trips_placement_and_settings(own_gcs: GcsServer, uid: str) -> None:
    client = client_for(own_gcs.url, "shapes")
    spec = BucketSpec(f"{uid}-dual", "US", {"data-class": "x"}, ("US-EAST1", "US-WEST1"), versioning=True,
                      soft_delete_days=10, turbo=True)
    create_bucket(client, "shapes", spec)

    raw = client.get_bucket(spec.name)._properties

    assert (raw["kind"], raw["location"], raw["locationType"], raw["rpo"]) == (
        "storage#bucket", "US", "dual-region", "ASYNC_TURBO")
    assert raw["customPlacementConfig"] == {"dataLocations": ["US-EAST1", "US-WEST1"]}
    assert raw["labels"] == {"data-class": "x"} and raw["versioning"] == {"enabled": True}
    assert raw["softDeletePolicy"]["retentionDurationSeconds"] == "864000"
    assert set(raw["softDeletePolicy"]) == {"retentionDurationSeconds", "effectiveTime"}
    assert raw["metageneration"] == "1" and raw["projectNumber"].isdigit()


def test_retention_policy_lock_and_its_effects(own_gcs: GcsServer, uid: str) -> None:
    client = client_for(own_gcs.url, "shapes")
    bucket = create_bucket(client, "shapes", BucketSpec(f"{uid}-locked", "europe-west3"))
    upload(bucket, ["a"])
    lock_retention(bucket, 3600)

    policy = client.get_bucket(bucket.name)._properties["retentionPolicy"]
    assert (policy["retentionPeriod"], policy["isLocked"]) == ("3600", True) and policy["effectiveTime"]
    with pytest.raises(exceptions.Forbidden):
        bucket.delete_blob("a")
    bucket.retention_period = 60
    with pytest.raises(exceptions.Forbidden):
        bucket.patch()
    with pytest.raises(exceptions.Conflict):
        bucket.delete()


def test_generations_soft_delete_and_holds(own_gcs: GcsServer, uid: str) -> None:
    client = client_for(own_gcs.url, "shapes")
    bucket = create_bucket(client, "shapes", BucketSpec(f"{uid}-gen", "us-east1", versioning=True))
    upload(bucket, ["clip"], b"v1")
    upload(bucket, ["clip"], b"v2")
    assert bucket.blob("clip").download_as_bytes() == b"v2"
    hold(bucket, "clip")
    with pytest.raises(exceptions.Forbidden, match="Temporary hold"):
        bucket.delete_blob("clip")
    blob = bucket.get_blob("clip")
    assert blob is not None
    blob.temporary_hold = False
    blob.patch()
    bucket.delete_blob("clip")

    versions = list(client.list_blobs(bucket, versions=True))
    assert [(b.name, b.time_deleted is not None) for b in versions] == [("clip", True), ("clip", True)]
    bucket.delete_blob("clip", generation=versions[0].generation)
    (soft,) = client.list_blobs(bucket, soft_deleted=True)
    assert soft.generation == versions[0].generation
    assert soft._properties["softDeleteTime"] < soft._properties["hardDeleteTime"]
    assert list(client.list_blobs(bucket)) == []
    with pytest.raises(exceptions.BadRequest):
        list(client.list_blobs(bucket, versions=True, soft_deleted=True))


def test_soft_deleted_bucket_listing_and_get(own_gcs: GcsServer, uid: str) -> None:
    project = f"{uid}-sd"
    client = client_for(own_gcs.url, project)
    bucket = create_bucket(client, project, BucketSpec(f"{uid}-gone", "asia-east1"))
    bucket.delete()

    assert list(client.list_buckets(project=project)) == []
    (soft,) = client.list_buckets(project=project, soft_deleted=True)
    assert soft.name == bucket.name and soft._properties["softDeleteTime"] and soft._properties["hardDeleteTime"]
    again = client.get_bucket(bucket.name, soft_deleted=True, generation=soft.generation)
    assert again.location == "ASIA-EAST1"
    with pytest.raises(exceptions.NotFound):
        client.get_bucket(bucket.name)


def test_error_bodies_have_the_json_api_shape(own_gcs: GcsServer, uid: str) -> None:
    project = f"{uid}-denied"
    client = client_for(own_gcs.url, project)
    create_bucket(client, project, BucketSpec(f"{uid}-x", "us-east1"))
    deny(own_gcs.url, project=project)

    with pytest.raises(exceptions.Forbidden) as denied:
        list(client.list_buckets(project=project))
    with pytest.raises(exceptions.NotFound) as missing:
        client.get_bucket(f"{uid}-no-such-bucket")

    assert denied.value.code == 403
    message = ("anonymous caller does not have storage.buckets.list access to the Google Cloud project. "
               "Permission 'storage.buckets.list' denied on resource (or it may not exist).")
    assert denied.value.errors == [{"message": message, "domain": "global", "reason": "forbidden"}]
    assert denied.value.message.endswith(message)  # the SDK prefixes the method and URL
    assert missing.value.errors == [{"message": "The specified bucket does not exist.", "domain": "global",
                                     "reason": "notFound"}]


def test_object_listing_pages_prefixes_and_partial_responses(own_gcs: GcsServer, uid: str) -> None:
    client = client_for(own_gcs.url, "shapes")
    bucket = create_bucket(client, "shapes", BucketSpec(f"{uid}-pages", "us-east1"))
    upload(bucket, [f"users/{n}" for n in range(5)] + ["index"])

    iterator = client.list_blobs(bucket, prefix="users/", page_size=2, fields="items(name),nextPageToken")
    pages = [[blob._properties for blob in page] for page in iterator.pages]

    assert pages == [[{"name": "users/0"}, {"name": "users/1"}], [{"name": "users/2"}, {"name": "users/3"}],
                     [{"name": "users/4"}]]
    listing = client.list_blobs(bucket, delimiter="/")
    assert [b.name for b in listing] == ["index"] and listing.prefixes == {"users/"}
