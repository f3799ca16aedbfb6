"""`residency diff` output: both reports named in JSON, aligned text columns."""

from __future__ import annotations

import json
from pathlib import Path

from residency.findings.model import ScanResult
from residency.formats import json_report
from residency.formats.diff_report import render_json, render_text
from residency.history.baseline import diff_reports


def _reports(tmp_path: Path, sample: ScanResult) -> tuple[Path, Path]:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json_report.render(ScanResult(sample.meta, sample.findings[1:], sample.policies)))
    new.write_text(json_report.render(sample))
    return old, new


def test_json_names_both_reports_and_lists_new_findings(tmp_path: Path, sample: ScanResult) -> None:
    old, new = _reports(tmp_path, sample)
    document = json.loads(render_json(diff_reports(old, new)))
    assert document["reports"]["old"]["path"] == str(old) and document["reports"]["new"]["path"] == str(new)
    assert document["reports"]["new"]["finished_at"] == sample.meta.finished_at
    assert [f["fingerprint"] for f in document["new"]] == [sample.findings[0].fingerprint]
    assert document["summary"]["new"] == 1


def test_text_columns_line_up(tmp_path: Path, sample: ScanResult) -> None:
    old, new = _reports(tmp_path, sample)
    rows = [line for line in render_text(diff_reports(old, new)).splitlines() if line.startswith("  ")]
    resource_columns = {line.index(f"{f.resource.provider.value}:") for f in sample.findings for line in rows
                        if line.endswith(f"{f.resource.provider.value}:{f.resource.name}")}
    assert len(rows) > 2 and len(resource_columns) == 1


def test_markdown_diff_is_bounded_and_neutralises_cloud_text(tmp_path: Path, sample: ScanResult) -> None:
    from dataclasses import replace

    from residency.formats.diff_report import render_markdown
    from residency.formats.markdown import MAX_BYTES

    base = sample.findings[0]
    many = tuple(replace(base, message="@octocat " + "m" * 400,
                         resource=replace(base.resource, id=f"arn:aws:s3:::b{i}", name=f"b{i}\n::error::x"))
                 for i in range(2_000))
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json_report.render(ScanResult(sample.meta, (), sample.policies)))
    new.write_text(json_report.render(ScanResult(sample.meta, many, sample.policies)))
    text = render_markdown(diff_reports(old, new))
    assert len(text.encode()) <= MAX_BYTES and "more new finding(s) not shown" in text
    assert "@octocat" not in text and not any(line.startswith("::") for line in text.splitlines())
