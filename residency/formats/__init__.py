"""Output formats, registered in one table the CLI reads its choices from.

Each format is a pure function of a `ScanResult`: `render(result) -> str`. No I/O here;
the CLI writes files atomically once the text is complete.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from residency.findings.model import ScanResult
from residency.formats import csv_report, html, json_report, junit, markdown, oscal, sarif, text


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    extension: str  # for --output-dir
    description: str
    render: Callable[[ScanResult], str]


FORMATS: dict[str, Format] = {
    fmt.name: fmt
    for fmt in (
        Format("text", "txt", "Readable table and summary (colour on a terminal only)", text.render),
        Format("json", "json", "Versioned JSON report (schema: `residency schema --report`)", json_report.render),
        Format("sarif", "sarif", "SARIF 2.1.0 for code scanning: results on the policy line", sarif.render),
        Format("junit", "junit.xml", "JUnit XML: a test case per policy and resource, for any CI", junit.render),
        Format("markdown", "md", "Markdown pull-request comment: counts and what needs attention", markdown.render),
        Format("html", "html", "Self-contained HTML report for reviewers (no network fetches)", html.render),
        Format("oscal", "oscal.json", "OSCAL assessment-results JSON for auditors (policies = controls)", oscal.render),
        Format("csv", "csv", "CSV, one row per finding and location, for spreadsheets", csv_report.render),
    )
}
