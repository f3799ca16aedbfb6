"""Seed a GCS estate through the real google-cloud-storage client (tests, demo, benchmarks).

Every change goes through the SDK's public calls over HTTP, so a seeded estate is one
the SDK could have produced on Cloud Storage itself. The only exceptions are the
test-only controls of our own server (`deny`) and `patch_location` for the third-party
gcp-storage-emulator, which ignores the location given at creation.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field

from google.cloud import storage


@dataclass(frozen=True)
class BucketSpec:
    name: str
    location: str
    labels: dict[str, str] = field(default_factory=dict)
    data_locations: tuple[str, ...] = ()
    versioning: bool = False
    soft_delete_days: int | None = None  # None: the service default (7 days on GCS)
    turbo: bool = False


def client_for(url: str, project: str) -> storage.Client:
    """A client for the server at `url` (the same as with STORAGE_EMULATOR_HOST set)."""
    from google.auth.credentials import AnonymousCredentials

    client = storage.Client(project=project, credentials=AnonymousCredentials(),  # type: ignore[no-untyped-call]
                            client_options={"api_endpoint": url})
    client._bucket_metadata_cache = None  # no background telemetry fetches (see the GCP adapter)
    return client


def create_bucket(client: storage.Client, project: str, spec: BucketSpec,
                  patch_location: bool = False) -> storage.Bucket:
    bucket = storage.Bucket(client, spec.name)
    bucket.labels = dict(spec.labels)
    if spec.versioning:
        bucket.versioning_enabled = True
    if spec.soft_delete_days is not None:
        bucket.soft_delete_policy.retention_duration_seconds = spec.soft_delete_days * 86_400
    if spec.turbo:
        bucket.rpo = "ASYNC_TURBO"
    created = client.create_bucket(bucket, project=project, location=spec.location,
                                   data_locations=list(spec.data_locations) or None)
    if patch_location:
        # gcp-storage-emulator keeps only the name at creation; it accepts the location by PATCH.
        created._patch_property("location", spec.location.upper())
        created._patch_property("labels", dict(spec.labels))
        created.patch()
    return created


def upload(bucket: storage.Bucket, names: Iterable[str], payload: bytes = b"user record\n") -> None:
    for name in names:
        bucket.blob(name).upload_from_string(payload, content_type="text/plain")


def delete_live(bucket: storage.Bucket, names: Iterable[str]) -> None:
    """Delete the live objects, as a migration script would after copying them elsewhere."""
    for name in names:
        bucket.delete_blob(name)


def delete_every_generation(bucket: storage.Bucket) -> None:
    """Delete every generation; with soft delete on, they become soft-deleted objects."""
    for blob in list(bucket.client.list_blobs(bucket, versions=True)):
        bucket.delete_blob(blob.name, generation=blob.generation)


def lock_retention(bucket: storage.Bucket, seconds: int) -> None:
    bucket.retention_period = seconds
    bucket.patch()
    bucket.lock_retention_policy()


def hold(bucket: storage.Bucket, name: str) -> None:
    blob = bucket.get_blob(name)
    if blob is None:
        raise LookupError(f"gs://{bucket.name}/{name} does not exist")
    blob.temporary_hold = True
    blob.patch()


def _control(url: str, action: str, **query: str) -> None:
    request = urllib.request.Request(f"{url}/_residency/{action}?{urllib.parse.urlencode(query)}",
                                     data=b"", method="POST")
    with urllib.request.urlopen(request, timeout=10):
        pass


def deny(url: str, project: str | None = None, bucket: str | None = None) -> None:
    """Test-only control of our own server: answer 403 to calls on this project / bucket."""
    _control(url, "deny", **{k: v for k, v in (("project", project), ("bucket", bucket)) if v})


def register_project(url: str, project: str) -> None:
    """Test-only control of our own server: list an (empty) project in projects.list."""
    _control(url, "projects", project=project)


def served_requests(url: str, since: int = 0) -> tuple[int, list[tuple[str, str]]]:
    """Test-only control of our own server: (count so far, (method, path) served after `since`)."""
    with urllib.request.urlopen(f"{url}/_residency/requests?since={since}", timeout=10) as response:
        body = json.load(response)
    return int(body["count"]), [(method, path) for method, path in body["requests"]]


def fault(url: str, **body: object) -> dict[str, object]:
    """Test-only control of our own server: inject one fault (see `scripts.localcloud.gcp.faults`)."""
    request = urllib.request.Request(f"{url}/_residency/fault", data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        answer: dict[str, object] = json.load(response)
        return answer
