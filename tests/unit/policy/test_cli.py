"""`residency validate` and `residency schema` through the CLI entry point."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from residency.cli import main
from residency.cli import schema as schema_command
from tests.unit.policy.conftest import MINIMAL, REPO

Write = Callable[[str, str | bytes], Path]


def test_validate_counts_policies_and_files(write: Write, capsys: pytest.CaptureFixture[str]) -> None:
    one = write("one.yaml", MINIMAL)
    two = write("more/two.yaml", MINIMAL.replace("us-user-data\n", "b\n", 1)
                + MINIMAL[len("policies:\n"):].replace("us-user-data\n", "c\n", 1))
    assert main(["validate", str(one), str(two.parent)]) == 0
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("ok: 3 policies in 2 files\n", "")


def test_validate_stops_at_the_first_bad_file_with_exit_2(write: Write, capsys: pytest.CaptureFixture[str]) -> None:
    good = write("good.yaml", MINIMAL)
    bad = write("bad.yaml", MINIMAL.replace("severity: high", "severity: urgent"))
    assert main(["validate", str(good), str(bad)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"residency: error: {bad}:5 at policies[0].severity: 'urgent' is not a severity; "
        "use one of low, medium, high, critical\n"
    )


def test_validate_needs_a_path(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["validate"])
    assert stopped.value.code == 2
    assert "the following arguments are required: PATH" in capsys.readouterr().err


def test_schema_prints_the_policy_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    printed = json.loads(capsys.readouterr().out)
    Draft202012Validator.check_schema(printed)
    assert printed == json.loads((REPO / "residency" / "policy" / "schema.json").read_text())
    assert printed["properties"]["policies"]["items"] == {"$ref": "#/$defs/policy"}


def test_schema_report_prints_the_report_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "--report"]) == 0
    printed = json.loads(capsys.readouterr().out)
    Draft202012Validator.check_schema(printed)
    assert printed == json.loads((REPO / "residency" / "formats" / "report.schema.json").read_text())


def test_schema_report_missing_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(schema_command, "_REPORT_SCHEMA", ("residency.formats", "no-such.schema.json"))
    assert main(["schema", "--report"]) == 2
    assert capsys.readouterr().err == (
        "residency: error: the JSON report schema (residency/formats/no-such.schema.json) is missing "
        "from this installation; reinstall residency\n"
    )
