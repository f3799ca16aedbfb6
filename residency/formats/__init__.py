"""Output formats, registered in one table the CLI reads its choices from.

Each format is a pure function of a `ScanResult`: `render(result) -> str`. No I/O here;
the CLI writes files atomically once the text is complete.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from residency.findings import ScanResult
from residency.formats import json_report, text


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
    )
}
