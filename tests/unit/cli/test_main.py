"""`cli.main`: one line for every error, a distinct exit code for a bug, never a traceback."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from residency.cli import main
from residency.cli import validate as validate_command
from residency.cli.exitcodes import ISSUE_TRACKER, ExitCode
from residency.errors import InputError
from residency.text import one_line


def _crash(args: argparse.Namespace) -> int:
    one_line(None)  # type: ignore[arg-type]  # a bug inside residency, reached through a command
    return 0


def test_a_bug_is_one_line_naming_its_place_and_the_tracker_and_exit_70(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(validate_command, "run", _crash)
    monkeypatch.delenv("RESIDENCY_DEBUG", raising=False)
    assert main(["validate", "policies"]) == ExitCode.INTERNAL
    assert int(ExitCode.INTERNAL) == 70
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("residency: internal error (TypeError at residency/text.py:")
    assert "this is a bug in residency, not a verdict on your data" in err and ISSUE_TRACKER in err
    assert "NoneType" not in err  # the exception's text is left out: it may carry cloud text or secrets


def test_residency_debug_adds_the_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(validate_command, "run", _crash)
    monkeypatch.setenv("RESIDENCY_DEBUG", "1")
    assert main(["validate", "policies"]) == 70
    assert "Traceback (most recent call last)" in capsys.readouterr().err


def test_an_error_message_with_a_line_break_stays_on_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(args: argparse.Namespace) -> int:
        raise InputError("bucket\n::error::injected")

    monkeypatch.setattr(validate_command, "run", fail)
    assert main(["validate", "policies"]) == 2
    assert capsys.readouterr().err == "residency: error: bucket\\n::error::injected\n"


def test_a_closed_pipe_keeps_the_verdict_and_prints_nothing_more(tmp_path: Path) -> None:
    # `residency check ... | head -c 10`: the reader stops early; exit 1 (violations) still stands.
    from tests.acceptance.test_cli_check import POLICY, _bucket, _snapshot

    (tmp_path / "policy.yaml").write_text(POLICY)
    _snapshot(tmp_path / "inv.json", *[_bucket(f"eu-{n}", "eu-west-1") for n in range(300)])
    command = (f"{sys.executable} -m residency check --policy policy.yaml --inventory inv.json --format json"
               " | head -c 10")
    done = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=tmp_path, capture_output=True, check=False)
    assert done.stdout == b'{\n  "versi'
    assert done.returncode == 1 and done.stderr == b""
