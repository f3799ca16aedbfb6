""""Deleted" data that is still there: noncurrent generations, soft-deleted objects and
buckets, retention locks and holds. Seeded through the SDK, asserted exactly."""

from __future__ import annotations

import pytest

from residency.inventory.model import ResourceState
from scripts.localcloud.gcp.seed import (
    BucketSpec,
    client_for,
    create_bucket,
    delete_every_generation,
    delete_live,
    hold,
    lock_retention,
    upload,
)
from tests.integration.gcp.conftest import GcsServer
from tests.integration.gcp.helpers import LABEL, US_ONLY, findings, scan, summary

pytestmark = pytest.mark.integration

US = {LABEL: "us-user-data"}
FILES = [f"users/{n}.json" for n in range(3)]


def test_noncurrent_generations_and_soft_deleted_objects_left_abroad(own_gcs: GcsServer, uid: str) -> None:
    project = f"{uid}-residue"
    client = client_for(own_gcs.url, project)
    versioned = create_bucket(client, project, BucketSpec(f"{uid}-versioned", "europe-west1", US,
                                                          versioning=True, soft_delete_days=0))
    upload(versioned, FILES)
    delete_live(versioned, FILES)  # "copied to the US and deleted": noncurrent generations remain
    soft = create_bucket(client, project, BucketSpec(f"{uid}-soft", "europe-west1", US))  # 7-day default
    upload(soft, FILES)
    delete_live(soft, FILES)  # soft-deleted objects remain
    emptied = create_bucket(client, project, BucketSpec(f"{uid}-emptied", "europe-west1", US,
                                                        soft_delete_days=0))
    upload(emptied, FILES)
    delete_live(emptied, FILES)  # really gone

    inventory = scan([project], [US_ONLY])

    assert summary(findings(inventory, [US_ONLY])) == {
        ("us-user-data", "primary-outside", "violation", f"gs://{uid}-versioned"),
        ("us-user-data", "residual-outside", "violation", f"gs://{uid}-versioned"),
        ("us-user-data", "primary-outside", "violation", f"gs://{uid}-soft"),
        ("us-user-data", "residual-outside", "violation", f"gs://{uid}-soft"),
        # Emptied with nothing left behind is still a bucket outside the US: delete it.
        ("us-user-data", "primary-outside", "violation", f"gs://{uid}-emptied"),
    }
    emptied_message = next(f.message for f in findings(inventory, [US_ONLY]) if f.resource.name == f"{uid}-emptied")
    assert "holds no data now: delete it" in emptied_message
    residues = {r.name: r.deletion_evidence for r in inventory.resources}
    versioned_residue, soft_residue = residues[f"{uid}-versioned"], residues[f"{uid}-soft"]
    assert versioned_residue is not None and soft_residue is not None
    assert (versioned_residue.live_objects, versioned_residue.noncurrent_versions,
            versioned_residue.soft_deleted_objects, versioned_residue.exact) == (0, 3, 0, True)  # one page held all
    assert (soft_residue.live_objects, soft_residue.noncurrent_versions, soft_residue.soft_deleted_objects) == (0, 0, 3)
    assert "soft delete keeps deleted objects for 7 day(s); they cannot be purged earlier" in soft_residue.notes


def test_probe_counts_at_least_and_deep_counts_exactly(own_gcs: GcsServer, uid: str) -> None:
    project = f"{uid}-deep"
    client = client_for(own_gcs.url, project)
    bucket = create_bucket(client, project, BucketSpec(f"{uid}-many", "europe-west1", US, versioning=True,
                                                       soft_delete_days=0))
    names = [f"clip-{n:03d}.mp4" for n in range(55)]
    upload(bucket, names, payload=b"0123456789")
    delete_live(bucket, names)

    probe = scan([project], [US_ONLY]).resources[0].deletion_evidence
    deep = scan([project], [US_ONLY], deep=True).resources[0].deletion_evidence

    assert probe is not None and deep is not None
    assert (probe.noncurrent_versions, probe.exact, probe.bytes) == (50, False, 500)  # lower bounds
    assert (deep.noncurrent_versions, deep.exact, deep.bytes) == (55, True, 550)
    message = next(f.message for f in findings(scan([project], [US_ONLY]), [US_ONLY])
                   if f.rule_id == "residual-outside")
    assert "at least 50 noncurrent version(s)" in message


def test_soft_deleted_bucket_in_taiwan_is_residual_data(own_gcs: GcsServer, uid: str) -> None:
    project = f"{uid}-taiwan"
    client = client_for(own_gcs.url, project)
    bucket = create_bucket(client, project, BucketSpec(f"{uid}-taipei", "asia-east1", US))
    upload(bucket, FILES)
    delete_every_generation(bucket)
    bucket.delete()

    inventory = scan([project], [US_ONLY])

    (resource,) = inventory.resources
    assert resource.state is ResourceState.SOFT_DELETED
    assert resource.id.startswith(f"gs://{uid}-taipei#") and resource.name == f"{uid}-taipei"
    attributes = dict(resource.attributes)
    assert attributes["soft-delete-time"] < attributes["hard-delete-time"]
    (finding,) = findings(inventory, [US_ONLY])
    assert (finding.rule_id, finding.status.value) == ("residual-outside", "violation")
    assert [(loc.region, loc.countries) for loc in finding.locations] == [("asia-east1", ("TW",))]
    assert "deleted but is still recoverable" in finding.message


def test_locked_retention_policy_blocks_the_required_deletion(own_gcs: GcsServer, uid: str) -> None:
    project = f"{uid}-locked"
    client = client_for(own_gcs.url, project)
    frankfurt = create_bucket(client, project, BucketSpec(f"{uid}-frankfurt", "europe-west3", US))
    upload(frankfurt, FILES)
    lock_retention(frankfurt, 30 * 86_400)
    held = create_bucket(client, project, BucketSpec(f"{uid}-held", "europe-west3", US))
    upload(held, FILES)
    hold(held, FILES[0])

    inventory = scan([project], [US_ONLY], deep=True)

    assert summary(findings(inventory, [US_ONLY])) == {
        ("us-user-data", "retention-blocks-deletion", "violation", f"gs://{uid}-frankfurt"),
        ("us-user-data", "primary-outside", "violation", f"gs://{uid}-frankfurt"),
        ("us-user-data", "retention-blocks-deletion", "violation", f"gs://{uid}-held"),
        ("us-user-data", "primary-outside", "violation", f"gs://{uid}-held"),
    }
    locks = {r.name: r.deletion_evidence.locks for r in inventory.resources if r.deletion_evidence}
    (bucket_lock,) = locks[f"{uid}-frankfurt"]
    assert bucket_lock.kind == "bucket-lock" and bucket_lock.blocks_deletion and bucket_lock.until
    assert [(lock.kind, lock.detail) for lock in locks[f"{uid}-held"]] == [
        ("temporary-hold", "temporary hold on 1 object(s)")]
