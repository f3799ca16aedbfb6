"""Answers the scanner cannot trust, from our local GCS server's fault injection, over the real client.

One malformed bucket record is that bucket's gap on the facet it spoils (and a run with real
violations still exits 1 with --allow-incomplete); looping page tokens end every listing with a
gap; a 503 asking `Retry-After: 3600` is given up after the call's retry deadline.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from residency.cli import main
from residency.inventory.model import Facet, StorageResource
from residency.sources.contract import CollectEverything, CommonOptions, NullProgress
from residency.sources.gcp.adapter import GcpAdapter
from residency.sources.gcp.calls import RETRY_TIMEOUT_S, call_limits
from residency.sources.gcp.options import GcpOptions
from scripts.localcloud.gcp.seed import BucketSpec, client_for, create_bucket, fault, served_requests, upload
from tests.integration.gcp.conftest import GcsServer
from tests.integration.gcp.helpers import LABEL, US_ONLY, scan

pytestmark = pytest.mark.integration

US = {LABEL: "us-user-data"}


@pytest.fixture
def faulty_gcs(own_gcs: GcsServer) -> Iterator[GcsServer]:
    yield own_gcs
    fault(own_gcs.url, kind="clear")


def by_name(resources: tuple[StorageResource, ...]) -> dict[str, StorageResource]:
    return {r.name: r for r in resources}


def test_one_malformed_record_spoils_only_its_own_facet(faulty_gcs: GcsServer, uid: str, tmp_path: Path) -> None:
    project = f"{uid}-mixed"
    client = client_for(faulty_gcs.url, project)
    for name, location in (("asia", "asia-east1"), ("labels", "asia-east1"), ("where", "us-east1")):
        create_bucket(client, project, BucketSpec(f"{uid}-{name}", location, US))
    fault(faulty_gcs.url, kind="override", bucket=f"{uid}-labels", fields={"labels": ["data-class"]})
    fault(faulty_gcs.url, kind="override", bucket=f"{uid}-where", fields={"location": 7})
    fault(faulty_gcs.url, kind="extra", project=project, item={"kind": "storage#bucket", "location": "EU"})

    inventory = scan([project], [US_ONLY])

    found = by_name(inventory.resources)
    assert found[f"{uid}-asia"].placements[0].region == "asia-east1" and not found[f"{uid}-asia"].gaps
    labels = found[f"{uid}-labels"]
    assert labels.placements[0].region == "asia-east1"  # where it is still counts
    assert labels.tags_unknown and [g.facet for g in labels.gaps] == [Facet.TAGS]
    where = found[f"{uid}-where"]
    assert where.placements[0].region is None and "'location' is a number" in where.placements[0].reason
    assert where.tags == ((LABEL, "us-user-data"),) and [g.facet for g in where.gaps] == [Facet.LOCATION]
    assert [g.reason for g in inventory.account_gaps] == [
        "buckets.list answered an entry that names no bucket (the bucket entry has no name)"]
    # The real violation (US data in Asia) still fails the run, --allow-incomplete or not.
    policy = tmp_path / "policy.yaml"
    policy.write_text("policies:\n  - id: us-user-data\n    title: US data\n    description: US data in the US\n"
                      "    severity: high\n    scope:\n      providers: [gcp]\n"
                      "      tags: {data-class: us-user-data}\n    allowed: {countries: [US]}\n")
    code = main(["scan", "--policy", str(policy), "--provider", "gcp", "--gcp-project", project,
                 "--allow-incomplete", "--format", "json", "--output", str(tmp_path / "out.json")])
    assert code == 1


def test_repeated_page_tokens_end_every_listing_with_a_gap(faulty_gcs: GcsServer, uid: str) -> None:
    project = f"{uid}-loop"
    client = client_for(faulty_gcs.url, project)
    bucket = create_bucket(client, project, BucketSpec(f"{uid}-deep", "us-east1", US))
    upload(bucket, ["a", "b", "c"])
    for listing in (f"buckets:{project}", f"objects:{uid}-deep", "projects"):
        fault(faulty_gcs.url, kind="loop", listing=listing)

    adapter = GcpAdapter(CommonOptions(deep=True, max_workers=2), GcpOptions((project,)))
    inventory = adapter.collect(CollectEverything(), NullProgress())

    live, soft_deleted = sorted(gap.reason for gap in inventory.account_gaps)
    assert live.startswith(f"buckets.list of project {project} answered a page token it had already given")
    assert soft_deleted.startswith(f"buckets.list of soft-deleted buckets of project {project} answered a page")
    evidence = by_name(inventory.resources)[f"{uid}-deep"].deletion_evidence
    assert evidence is not None and not evidence.exact and (evidence.live_objects or 0) >= 3
    assert any(f"objects.list of gs://{uid}-deep answered a page token" in note for note in evidence.notes)
    listed = GcpAdapter(CommonOptions(max_workers=2), GcpOptions()).collect(CollectEverything(), NullProgress())
    assert any(g.reason.startswith("projects.list answered a page token it had already given")
               for g in listed.account_gaps)
    assert int(str(fault(faulty_gcs.url, kind="clear")["looped"])) >= 3


def test_retry_after_an_hour_is_not_waited_for(faulty_gcs: GcsServer, uid: str) -> None:
    assert call_limits().retry.timeout == RETRY_TIMEOUT_S == 30  # google-cloud-storage's own: 120 s
    project = f"{uid}-busy"
    create_bucket(client_for(faulty_gcs.url, project), project, BucketSpec(f"{uid}-b", "us-east1", US))
    fault(faulty_gcs.url, kind="unavailable", project=project, retry_after=3600)
    before, _ = served_requests(faulty_gcs.url)

    adapter = GcpAdapter(CommonOptions(max_workers=2), GcpOptions((project,)), limits=call_limits(retry_timeout=3))
    inventory = adapter.collect(CollectEverything(), NullProgress())

    (gap,) = inventory.account_gaps
    assert gap.reason.startswith("buckets could not be listed (") and "503" in gap.reason
    _, served = served_requests(faulty_gcs.url, before)
    attempts = [path for method, path in served if path == "/storage/v1/b"]
    assert 2 <= len(attempts) <= 5  # retried with backoff, within the 3 s deadline, then given up
