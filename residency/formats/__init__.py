"""Output formats, registered in one table the CLI reads its choices from.

Each format is a pure function of a `ScanResult` and a `ReportContext` that streams its text
to a writable handle: `write(result, out, context) -> notices`. Streaming keeps memory flat at
hundreds of thousands of findings; the notices say what a bounded format left out (they go
to stderr and are also written inside the report). No file I/O here: the CLI opens the files
and makes them appear atomically once the text is complete.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from residency.findings.model import ScanResult
from residency.formats import csv_report, html, json_report, junit, markdown, oscal, sarif, text
from residency.formats.context import DEFAULT_CONTEXT, ReportContext

Writer = Callable[[ScanResult, TextIO, ReportContext], list[str]]


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    extension: str  # for --output-dir
    description: str
    write: Writer

    def render(self, result: ScanResult, context: ReportContext = DEFAULT_CONTEXT) -> str:
        """The whole report as one string (tests, small outputs)."""
        buffer = io.StringIO()
        self.write(result, buffer, context)
        return buffer.getvalue()


FORMATS: dict[str, Format] = {
    fmt.name: fmt
    for fmt in (
        Format("text", "txt", "Readable table and summary (colour on a terminal only)", text.write),
        Format("json", "json", "Versioned JSON report (schema: `residency schema --report`)", json_report.write),
        Format("sarif", "sarif", "SARIF 2.1.0 for code scanning, within GitHub's result limits", sarif.write),
        Format("junit", "junit.xml", "JUnit XML (Jenkins xunit junit-10.xsd; --junit-flavor gitlab)", junit.write),
        Format("markdown", "md", "Markdown pull-request comment, under GitHub's 65,536-character limit",
               markdown.write),
        Format("html", "html", "Self-contained HTML report for reviewers (no network fetches)", html.write),
        Format("oscal", "oscal.json", "OSCAL assessment-results JSON for auditors (policies = controls)", oscal.write),
        Format("csv", "csv", "CSV, one row per finding and location, for spreadsheets", csv_report.write),
    )
}
