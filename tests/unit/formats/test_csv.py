"""CSV: one row per finding and location, spreadsheet-safe cells."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

from residency.findings.model import ScanResult
from residency.formats import csv_report


def _rows(result: ScanResult) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(csv_report.render(result), newline="")))


def test_one_row_per_location_and_one_for_findings_without_location(sample: ScanResult) -> None:
    rows = _rows(sample)
    assert len(rows) == sum(max(1, len(f.locations)) for f in sample.findings)
    events = [r for r in rows if r["resource_name"] == "us-events"]
    assert [(r["location_kind"], r["region"], r["countries"]) for r in events] == [
        ("replica", "unknown", "unknown"), ("primary", "us-gov-east-9", "unknown")
    ]
    lake = next(r for r in rows if r["resource_name"] == "eu-lake")
    assert lake["countries"] == "AT;BE;DE;FI;FR;IE;NL;SE"
    gap = next(r for r in rows if r["resource_kind"] == "account")
    assert (gap["status"], gap["location_kind"], gap["region"]) == ("unverifiable", "", "")


def test_exemption_and_baseline_columns(sample: ScanResult) -> None:
    archive = next(r for r in _rows(sample) if r["resource_name"] == "us-legacy-archive")
    assert (archive["exemption_owner"], archive["exemption_expires"]) == ("legal@example.com", "2027-03-31")
    marked = {r["resource_name"]: r["baseline"] for r in _rows(sample) if r["baseline"]}
    assert marked == {"us-user-profiles": "existing", "ususerblobs": "new"}


def test_formula_like_cells_are_neutralised(sample: ScanResult) -> None:
    evil = replace(sample.findings[0], message="=HYPERLINK(\"http://evil\")", remediation="+1", rule_id="@sum")
    (row,) = _rows(ScanResult(sample.meta, (evil,), ()))
    assert row["message"].startswith("'=") and row["remediation"] == "'+1" and row["rule"] == "'@sum"


def test_newlines_and_controls_are_escaped_so_every_row_is_one_line(sample: ScanResult) -> None:
    first = sample.findings[0]
    odd = replace(first, message="a\nb\r\x1b[31m\u202e", resource=replace(first.resource, name="=x\n::error::y"))
    text = csv_report.render(ScanResult(sample.meta, (odd,), sample.policies))
    assert len(text.splitlines()) == 2  # header and the one row
    (row,) = _rows(ScanResult(sample.meta, (odd,), sample.policies))
    assert row["message"] == "a\\nb\\r\\x1b[31m\\u202e"
    assert row["resource_name"] == "'=x\\n::error::y"


def test_a_cell_holding_the_row_check_separator_is_still_escaped(sample: ScanResult) -> None:
    # Found by the fuzz test: the fast whole-row check joins cells with \x1f.
    first = sample.findings[0]
    odd = replace(first, resource=replace(first.resource, name="a\x1fb"))
    (row,) = _rows(ScanResult(sample.meta, (odd,), sample.policies))
    assert row["resource_name"] == "a\\x1fb"
