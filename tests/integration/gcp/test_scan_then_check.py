"""`scan --policy A --inventory-out` then `check --policy B`: never more lenient than `scan --policy B`.

The README recommends exactly this workflow. What scan A did not need it did not collect, and the
snapshot says so: check B judges what the evidence supports and reports the rest as unverifiable;
with --collect-all the snapshot holds everything and check B matches scan B exactly.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from residency.cli import main
from scripts.localcloud.gcp.seed import BucketSpec, client_for, create_bucket, upload
from tests.integration.gcp.conftest import GcsServer

pytestmark = pytest.mark.integration

POLICY_A = """\
policies:
  - id: us-user-data
    title: US users' data stays in the US
    description: A.
    severity: high
    scope: {providers: [gcp], tags: {data-class: us-user-data}}
    allowed: {countries: [US]}
"""
POLICY_B = """\
policies:
  - id: video-in-us
    title: Video team data stays in the US
    description: B.
    severity: high
    scope: {providers: [gcp], tags: {team: video}}
    allowed: {countries: [US]}
"""


def _findings(path: Path) -> set[tuple[str, str, str, str]]:
    found = json.loads(path.read_text())["findings"]
    return {(f["policy"], f["rule"], f["status"], f["resource"]["name"]) for f in found}


def test_check_with_other_policies_is_never_more_lenient_than_a_scan_with_them(
    own_gcs: GcsServer, uid: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = f"{uid}-workflow"
    client = client_for(own_gcs.url, project)
    create_bucket(client, project, BucketSpec(f"{uid}-us-users", "us-central1", {"data-class": "us-user-data"}))
    video = create_bucket(client, project, BucketSpec(f"{uid}-eu-video", "europe-west1", {"team": "video"},
                                                      versioning=True, soft_delete_days=0))
    upload(video, ["clip.mp4"])
    video.blob("clip.mp4").delete()  # a noncurrent generation left behind: only deletion evidence shows it
    monkeypatch.chdir(tmp_path)
    Path("a.yaml").write_text(POLICY_A)
    Path("b.yaml").write_text(POLICY_B)
    common = ["--provider", "gcp", "--gcp-project", project]

    assert main(["scan", "--policy", "a.yaml", *common, "--inventory-out", "a-inventory.json"]) == 0
    assert main(["scan", "--policy", "a.yaml", *common, "--collect-all", "--inventory-out", "all.json"]) == 0
    assert main(["scan", "--policy", "b.yaml", *common, "--format", "json", "--output", "scan-b.json"]) == 1
    assert main(["check", "--policy", "b.yaml", "--inventory", "a-inventory.json",
                 "--format", "json", "--output", "check-b.json"]) == 1
    assert main(["check", "--policy", "b.yaml", "--inventory", "all.json",
                 "--format", "json", "--output", "check-all-b.json"]) == 1

    scanned_b = _findings(Path("scan-b.json"))
    assert scanned_b == {("video-in-us", "primary-outside", "violation", f"{uid}-eu-video"),
                         ("video-in-us", "residual-outside", "violation", f"{uid}-eu-video")}
    # Scan A never looked for deletion evidence in the video bucket: check B cannot see the residue,
    # but the location it did record still makes the bucket a violation, and nothing reads as compliant.
    checked_b = _findings(Path("check-b.json"))
    assert ("video-in-us", "primary-outside", "violation", f"{uid}-eu-video") in checked_b
    assert not {f for f in checked_b if f[2] == "compliant"}
    assert _findings(Path("check-all-b.json")) == scanned_b
    snapshot = json.loads(Path("a-inventory.json").read_text())
    video_record = next(r for r in snapshot["resources"] if r["name"] == f"{uid}-eu-video")
    assert video_record["collected"] == ["location", "tags"]
    assert [p["path"] for p in snapshot["policy_files"]] == ["a.yaml"]
