"""OSCAL assessment results (JSON) for auditors; the mapping is documented in oscal_document."""

from __future__ import annotations

import io
from typing import TextIO

from residency.findings.model import ScanResult
from residency.formats import oscal_document
from residency.formats.context import DEFAULT_CONTEXT, ReportContext


def render(result: ScanResult, context: ReportContext = DEFAULT_CONTEXT) -> str:
    buffer = io.StringIO()
    write(result, buffer, context)
    return buffer.getvalue()


def write(result: ScanResult, out: TextIO, context: ReportContext) -> list[str]:
    oscal_document.write(result, out)
    return []
