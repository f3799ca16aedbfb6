"""`residency check` end to end: snapshots in, reports and exit codes out (no cloud)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from residency.cli import main
from residency.inventory.model import (
    ALL_FACETS,
    Facet,
    Inventory,
    Placement,
    PlacementKind,
    Provider,
    StorageResource,
    sorted_tags,
)
from residency.inventory.snapshot import dumps

POLICY = """\
policies:
  - id: us-user-data
    title: US users' data stays in the United States
    description: Private data of US users is stored only in the US, and deleted elsewhere.
    severity: high
    scope:
      providers: [aws]
      tags: {data-class: us-user-data}
    allowed:
      countries: [US]
  - id: logs-low
    title: Logs stay in the US
    description: Low-severity rule for --fail-on tests.
    severity: low
    scope:
      providers: [aws]
      tags: {data-class: logs}
    allowed:
      countries: [US]
"""


def _bucket(name: str, region: str | None, data_class: str = "us-user-data") -> StorageResource:
    return StorageResource(
        Provider.AWS, "111122223333", f"arn:aws:s3:::{name}", name, "s3-bucket",
        (Placement(PlacementKind.PRIMARY, region, "bucket region" if region else "HeadBucket 403"),),
        ALL_FACETS, tags=sorted_tags({"data-class": data_class}),
    )


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "policy.yaml").write_text(POLICY)
    return tmp_path


def _snapshot(path: Path, *resources: StorageResource) -> str:
    path.write_text(dumps(Inventory(tuple(resources), scanned=(("aws", "111122223333"),))))
    return str(path)


def check(workdir: Path, *resources: StorageResource, extra: tuple[str, ...] = ()) -> int:
    snap = _snapshot(workdir / "inv.json", *resources)
    return main(["check", "--policy", "policy.yaml", "--inventory", snap, *extra])


def test_exit_0_when_everything_complies(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert check(workdir, _bucket("ok", "us-east-1")) == 0
    assert "0 violation(s), 0 unverifiable, 0 exempt, 1 compliant" in capsys.readouterr().out


def test_exit_1_on_violation(workdir: Path) -> None:
    assert check(workdir, _bucket("eu", "eu-west-1")) == 1


def test_exit_3_when_only_unverifiable(workdir: Path) -> None:
    assert check(workdir, _bucket("denied", None)) == 3


def test_allow_incomplete_turns_3_into_0(workdir: Path) -> None:
    assert check(workdir, _bucket("denied", None), extra=("--allow-incomplete",)) == 0


def test_violation_wins_over_incomplete(workdir: Path) -> None:
    assert check(workdir, _bucket("denied", None), _bucket("eu", "eu-west-1")) == 1


def test_fail_on_ignores_lower_severities(workdir: Path) -> None:
    low = _bucket("logs", "eu-west-1", data_class="logs")
    assert check(workdir, low) == 1
    assert check(workdir, low, extra=("--fail-on", "high")) == 0
    assert check(workdir, low, _bucket("eu", "eu-west-1"), extra=("--fail-on", "high")) == 1


def test_json_report_matches_its_schema(workdir: Path) -> None:
    code = check(workdir, _bucket("eu", "eu-west-1"), _bucket("ok", "us-east-1"), _bucket("x", None),
                 extra=("--format", "json", "--output", "out.json"))
    assert code == 1
    report = json.loads((workdir / "out.json").read_text())
    schema = json.loads(resources.files("residency.formats").joinpath("report.schema.json").read_text())
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(report)
    assert report["summary"] == {"violation": 1, "unverifiable": 1, "exempt": 0, "compliant": 1, "total": 3}
    violation = report["findings"][0]
    assert (violation["rule"], violation["resource"]["name"]) == ("primary-outside", "eu")
    assert violation["locations"] == [{"region": "eu-west-1", "country": "IE", "countries": ["IE"],
                                       "kind": "primary", "reason": "bucket region", "provider": "aws"}]
    assert violation["policy_file"] == "policy.yaml" and violation["policy_line"] > 0
    assert report["scan"]["policy_files"][0]["path"] == "policy.yaml"


def test_output_dir_writes_every_registered_format(workdir: Path) -> None:
    from residency.formats import FORMATS

    assert check(workdir, _bucket("ok", "us-east-1"), extra=("--output-dir", "reports")) == 0
    written = sorted(p.name for p in (workdir / "reports").iterdir())
    assert written == sorted(f"residency.{f.extension}" for f in FORMATS.values())
    assert not [p for p in (workdir / "reports").iterdir() if p.name.startswith(".")]  # no temp files left


def test_single_format_to_stdout(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert check(workdir, _bucket("ok", "us-east-1"), extra=("--format", "json")) == 0
    assert json.loads(capsys.readouterr().out)["summary"]["compliant"] == 1


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--output", "a.json"), "more --output than --format"),
        (("--format", "json", "--format", "text"), "only one report can go to standard output"),
        (("--new-only",), "--new-only needs --baseline"),
        (("--as-of", "tomorrow"), "--as-of 'tomorrow' is not a date"),
        (("--format", "json", "--output", "missing-dir/r.json"), "directory missing-dir does not exist"),
    ],
)
def test_usage_errors_exit_2_with_one_line(
    workdir: Path, capsys: pytest.CaptureFixture[str], extra: tuple[str, ...], message: str
) -> None:
    assert check(workdir, _bucket("ok", "us-east-1"), extra=extra) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "invalid JSON"),
        ('{"snapshot_version": "9", "resources": []}', "unsupported snapshot version"),
        ('{"snapshot_version": "1", "resources": [{"provider": "ibm"}]}', "$.resources[0].provider: 'ibm'"),
        ("[]", "expected an object"),
        ('{"version": "1.0", "findings": []}', "this is a residency report, not an inventory snapshot"),
    ],
)
def test_bad_snapshot_exit_2(workdir: Path, capsys: pytest.CaptureFixture[str], content: str, message: str) -> None:
    (workdir / "bad.json").write_text(content)
    assert main(["check", "--policy", "policy.yaml", "--inventory", "bad.json"]) == 2
    err = capsys.readouterr().err
    assert message in err and err.startswith("residency: error: bad.json") and err.count("\n") == 1


def test_a_provider_the_policy_covers_but_the_inventory_lacks_is_not_scanned(
    workdir: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    (workdir / "policy.yaml").write_text(POLICY.replace("providers: [aws]", "providers: [aws, gcp]", 1))
    assert check(workdir, _bucket("ok", "us-east-1")) == 3
    assert "not scanned: gcp:*: the inventory holds nothing from gcp" in capsys.readouterr().out


def test_a_bucket_saved_without_its_location_is_unverifiable_not_compliant(workdir: Path) -> None:
    """scan --policy A --inventory-out, then check --policy B: what A did not need was not collected."""
    listed = StorageResource(Provider.AWS, "111122223333", "arn:aws:s3:::eu", "eu", "s3-bucket", (),
                             frozenset({Facet.TAGS}), tags=sorted_tags({"data-class": "us-user-data"}))
    assert check(workdir, listed, extra=("--format", "json", "--output", "r.json")) == 3
    (finding,) = json.loads((workdir / "r.json").read_text())["findings"]
    assert (finding["rule"], finding["status"]) == ("location-unverifiable", "unverifiable")


def test_missing_snapshot_exit_2(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--policy", "policy.yaml", "--inventory", "nope.json"]) == 2
    assert "nope.json: no such inventory snapshot file" in capsys.readouterr().err


def test_snapshot_round_trip_keeps_every_field(workdir: Path) -> None:
    from residency.inventory.model import DeletionEvidence, Facet, Gap, Lineage, ResourceKey, RetentionLock
    from residency.inventory.snapshot import load_snapshot

    resource = StorageResource(
        Provider.GCP, "proj", "gs://b", "b", "gcs-bucket",
        (Placement(PlacementKind.MEMBER, "nam4", "dual-region", Provider.GCP, "gs://b"),),
        frozenset({Facet.LOCATION, Facet.TAGS, Facet.DELETION_EVIDENCE}), tags=(("data-class", "x"),),
        deletion_evidence=DeletionEvidence(0, 2, None, 1, 10, True,
                                                     (RetentionLock("bucket-lock", "locked", "2027-01-01"),), ("v",)),
        gaps=(Gap("labels", "403", Facet.TAGS),), attributes=(("rpo", "ASYNC_TURBO"),),
        lineage=Lineage(ResourceKey(Provider.GCP, "proj", "gcs-bucket", "gs://a", "a", None), "test lineage"),
    )
    original = Inventory((resource,), scanned=(("gcp", "proj"),), policy_files=(("p.yaml", "ab" * 32),))
    path = workdir / "snap.json"
    path.write_text(dumps(original))
    loaded = load_snapshot(path)
    assert loaded.resources == original.resources and loaded.scanned == original.scanned
    assert loaded.policy_files == original.policy_files


def test_module_entry_point_and_usage_error_exit_2() -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    done = subprocess.run([sys.executable, "-m", "residency", "scan"], capture_output=True, text=True, env=env)
    assert done.returncode == 2
    assert "the following arguments are required: --policy" in done.stderr
    assert "Traceback" not in done.stderr
