"""--baseline and `residency diff`: matching by fingerprint, new/resolved/unchanged, one-line errors."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from residency.cli import main
from residency.errors import InputError
from residency.findings.model import ScanResult, Status
from residency.formats import json_report
from residency.history.baseline import diff_reports, load_baseline, mark_baseline, read_report
from residency.inventory.model import AccountGap, Provider
from scripts.report_sample import sample_result

SAMPLE = sample_result()


def _write(path: Path, result: ScanResult) -> Path:
    path.write_text(json_report.render(result), encoding="utf-8")
    return path


def test_load_baseline_returns_the_open_findings_fingerprints(tmp_path: Path) -> None:
    report = _write(tmp_path / "old.json", SAMPLE)
    open_statuses = (Status.VIOLATION, Status.UNVERIFIABLE)
    expected = frozenset(f.fingerprint for f in SAMPLE.findings if f.status in open_statuses)
    assert load_baseline(report) == expected
    assert any(f.status is Status.EXEMPT for f in SAMPLE.findings)  # an exempt one is left out
    exempt = next(f for f in SAMPLE.findings if f.status is Status.EXEMPT)
    assert exempt.fingerprint not in expected


@given(st.sets(st.integers(min_value=0, max_value=len(SAMPLE.findings) - 1)))
def test_mark_baseline_marks_existing_exactly_the_known_fingerprints(known: set[int]) -> None:
    fingerprints = frozenset(SAMPLE.findings[i].fingerprint for i in known)
    marked = mark_baseline(SAMPLE.findings, fingerprints)
    assert [f.baseline == "existing" for f in marked] == [f.fingerprint in fingerprints for f in SAMPLE.findings]
    assert all(f.baseline in ("new", "existing") for f in marked)
    assert [replace(f, baseline=None) for f in marked] == [replace(f, baseline=None) for f in SAMPLE.findings]


def test_diff_new_resolved_unchanged_over_open_findings_only(tmp_path: Path) -> None:
    fixed, *rest = SAMPLE.findings  # the first violation gets fixed ...
    exempt_now = replace(rest[0], status=Status.EXEMPT)  # ... and one becomes exempt
    appeared = replace(rest[1], resource=replace(rest[1].resource, id="arn:aws:s3:::brand-new", name="brand-new"))
    new = ScanResult(SAMPLE.meta, (exempt_now, *rest[1:], appeared), SAMPLE.policies)
    diff = diff_reports(_write(tmp_path / "old.json", SAMPLE), _write(tmp_path / "new.json", new))
    assert [f.resource_name for f in diff.added] == ["brand-new"]
    assert {f.fingerprint for f in diff.resolved} == {fixed.fingerprint, rest[0].fingerprint}
    open_before = {f.fingerprint for f in SAMPLE.findings if f.status in (Status.VIOLATION, Status.UNVERIFIABLE)}
    assert {f.fingerprint for f in diff.unchanged} == open_before - {fixed.fingerprint, rest[0].fingerprint}


def test_resolved_only_because_the_account_was_not_scanned_is_flagged(tmp_path: Path) -> None:
    gone = SAMPLE.findings[0]
    meta = replace(SAMPLE.meta, account_gaps=(AccountGap(Provider.AWS, gone.resource.account, "throttled"),))
    new = ScanResult(meta, SAMPLE.findings[1:], SAMPLE.policies)
    diff = diff_reports(_write(tmp_path / "old.json", SAMPLE), _write(tmp_path / "new.json", new))
    (resolved,) = diff.resolved
    assert diff.unconfirmed(resolved)


def test_cli_diff_formats_and_fail_on_new(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = _write(tmp_path / "old.json", ScanResult(SAMPLE.meta, SAMPLE.findings[1:], SAMPLE.policies))
    new = _write(tmp_path / "new.json", SAMPLE)
    assert main(["diff", str(old), str(new)]) == 0
    out = capsys.readouterr().out
    assert "new: 1" in out and "us-user-profiles" in out and out.rstrip().endswith("1 new, 0 resolved, 6 unchanged")
    assert main(["diff", str(old), str(new), "--format", "json", "--fail-on-new"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["summary"] == {"new": 1, "resolved": 0, "unchanged": 6}
    assert main(["diff", str(old), str(new), "-f", "markdown", "-o", str(tmp_path / "d.md")]) == 0
    assert (tmp_path / "d.md").read_text().startswith("## Data residency: what changed since")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "invalid JSON at line 1 column 2"),
        ("[]", 'not a residency JSON report (no "findings" list)'),
        ('{"version": "2.0", "findings": []}', "report version '2.0' is not supported"),
        ('{"version": "1.0", "findings": [3]}', "$.findings[0]: expected an object, found int"),
        ('{"version": "1.0", "findings": [{"fingerprint": "x", "policy": "p", "rule": "r", "severity": "low",'
         ' "status": "bad", "resource": {}}]}', "$.findings[0].status: 'bad' is not one of"),
        ('{"version": "1.0", "findings": [{"fingerprint": "x", "policy": "p", "rule": "r", "severity": "low",'
         ' "status": "violation", "resource": {"provider": "aws"}}]}', "$.findings[0].resource.account: expected"),
    ],
)
def test_malformed_reports_get_one_line_errors(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_report(path)
    assert message in str(error.value) and str(path) in str(error.value) and "\n" not in str(error.value)


def test_missing_directory_and_binary_inputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    binary = tmp_path / "bin.json"
    binary.write_bytes(b"\xff\xfe\x00")
    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes(b'{"name": "caf\xe9"}')
    for path, message in ((tmp_path / "nope.json", "no such report file"),
                          (tmp_path, r"is not a regular file \(a directory\)"),
                          (binary, r"is not a text file \(NUL byte at offset 2\)"),
                          (latin1, r"latin1.json:1: is not UTF-8 text \(byte 0xe9 at offset 13\)")):
        with pytest.raises(InputError, match=message):
            read_report(path)
    assert main(["diff", str(tmp_path / "nope.json"), str(binary)]) == 2
    assert capsys.readouterr().err.count("\n") == 1
