"""Report options are checked before any cloud is called, and report files are written as users expect."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from residency.cli import main
from tests.acceptance.test_cli_check import POLICY, _bucket, _snapshot

NO_CLOUD = {"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
            "AWS_CONFIG_FILE": "/nonexistent", "GOOGLE_APPLICATION_CREDENTIALS": "/nonexistent"}


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name, value in NO_CLOUD.items():
        monkeypatch.setenv(name, value)
    (tmp_path / "policy.yaml").write_text(POLICY)
    return tmp_path


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--new-only"], "--new-only needs --baseline"),
        (["--as-of", "tomorrow"], "--as-of 'tomorrow' is not a date"),
        (["--format", "json", "--output", "missing/r.json"], "directory missing does not exist"),
        (["--format", "json", "--output", "."], "is a directory; give a file name"),
        (["--format", "json", "--output", "r.json", "--format", "sarif", "--output", "./r.json"],
         "both --format json and --format sarif would write it"),
        (["--output-dir", "policy.yaml"], "is a file, not a directory"),
        (["--baseline", "nope.json"], "nope.json: no such report file"),
        (["--inventory-out", "missing/inv.json"], "directory missing does not exist"),
        (["--gcp-project", "p1"], "--gcp-project applies to gcp, which this scan does not include"),
    ],
)
def test_scan_rejects_report_options_before_scanning(
    workdir: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    # No credentials exist: an error about credentials would mean the scan started first.
    assert main(["scan", "--policy", "policy.yaml", "--provider", "aws", *extra]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "credentials" not in err


def test_report_files_get_the_usual_mode_not_0600(workdir: Path) -> None:
    snap = _snapshot(workdir / "inv.json", _bucket("ok", "us-east-1"))
    old = os.umask(0o022)
    try:
        assert main(["check", "--policy", "policy.yaml", "--inventory", snap, "--output-dir", "out"]) == 0
        kept = workdir / "kept.json"
        kept.write_text("{}")
        kept.chmod(0o640)
        assert main(["check", "--policy", "policy.yaml", "--inventory", snap, "-f", "json", "-o", str(kept)]) == 0
    finally:
        os.umask(old)
    modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in (workdir / "out").iterdir()}
    assert modes and set(modes.values()) == {0o644}, modes
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640
