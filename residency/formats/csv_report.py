"""CSV of findings for spreadsheets: one row per finding and location.

A finding with several locations (a replica and a secondary, say) gets one row per
location so a spreadsheet can filter and pivot by region or country; a finding with no
location (an unscanned account, an expired exemption) gets one row with those cells empty.
Each row ends with its provenance: the policy file's SHA-256, the tool version, the scan time.
Cells that a spreadsheet would run as a formula are prefixed with a quote (CSV injection:
bucket names, tags and API error text come from the cloud, not from us), and control, bidi and
newline characters are escaped visibly, so every row is one line a `grep` or a log shows whole.
Rows are streamed: memory stays flat however many findings there are.
"""

from __future__ import annotations

import csv
import io
import re
from typing import TextIO

from residency.findings.model import Finding, FindingLocation, ScanResult
from residency.formats._shared import fingerprints
from residency.formats.context import DEFAULT_CONTEXT, ReportContext
from residency.formats.safe import inert

COLUMNS = (
    "status", "severity", "policy", "rule", "provider", "account", "resource_id", "resource_name",
    "resource_kind", "location_kind", "region", "countries", "location_reason", "message", "remediation",
    "policy_file", "policy_line", "exemption_owner", "exemption_expires", "exemption_reason", "baseline",
    "fingerprint", "policy_sha256", "tool_version", "scan_finished",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A row of plain printable ASCII with no cell starting like a formula needs no cell-by-cell work.
_PLAIN_CELL = r"(?:[^=+\-@\x00-\x1f\x7f-\U0010ffff][\x20-\x7e]*)?"
_PLAIN_ROW = re.compile(rf"{_PLAIN_CELL}(?:\x1f{_PLAIN_CELL})*")


def render(result: ScanResult, context: ReportContext = DEFAULT_CONTEXT) -> str:
    buffer = io.StringIO()
    write(result, buffer, context)
    return buffer.getvalue()


def write(result: ScanResult, out: TextIO, context: ReportContext) -> list[str]:
    buffer = io.StringIO()  # the csv module writes cell by cell: batch its output into large writes
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    # Provenance on every row, so a filtered or pasted extract still says where it came from.
    digests = dict(result.meta.policy_files)
    provenances: dict[str, tuple[list[str], bool]] = {}
    places: dict[tuple[object, ...], tuple[list[str], bool]] = {}
    for number, (finding, fingerprint) in enumerate(zip(result.findings, fingerprints(result), strict=True)):
        file = finding.policy_source.file
        if file not in provenances:
            provenances[file] = _checked([digests.get(file, ""), result.meta.tool_version, result.meta.finished_at])
        provenance, provenance_plain = provenances[file]
        head, tail = _row(finding, fingerprint)
        (head, head_plain), (tail, tail_plain) = _checked(head), _checked(tail)
        for location in finding.locations or (None,):
            key = (location.kind, location.region, location.countries, location.reason) if location else ()
            if key not in places:  # places repeat across thousands of findings: checked once each
                places[key] = _checked(_location(location))
            cells, plain = places[key]
            if head_plain and tail_plain and plain and provenance_plain:
                writer.writerow([*head, *cells, *tail, *provenance])
            else:
                writer.writerow([_safe(c) for c in [*head, *cells, *tail, *provenance]])
        if number % 2_000 == 1_999:
            out.write(buffer.getvalue())
            buffer.seek(0)
            buffer.truncate()
    out.write(buffer.getvalue())
    return []


def _checked(cells: list[str]) -> tuple[list[str], bool]:
    return cells, _plain(cells)


def _row(finding: Finding, fingerprint: str) -> tuple[list[str], list[str]]:
    """The cells before and after the location's, which every row of one finding shares."""
    resource = finding.resource
    exemption = finding.exemption
    head = [finding.status.value, finding.severity.value, finding.policy_id, finding.rule_id,
            resource.provider.value, resource.account, resource.id, resource.name, resource.kind]
    tail = [
        finding.message,
        finding.remediation,
        finding.policy_source.file,
        str(finding.policy_source.line),
        exemption.owner if exemption else "",
        exemption.expires.isoformat() if exemption and exemption.expires else "",
        exemption.reason if exemption else "",
        finding.baseline or "",
        fingerprint,
    ]
    return head, tail


def _location(location: FindingLocation | None) -> list[str]:
    if location is None:
        return ["", "", "", ""]
    countries = ";".join(location.countries) if location.countries else "unknown"
    return [location.kind.value, location.region or "unknown", countries, location.reason]


def _plain(cells: list[str]) -> bool:
    joined = "\x1f".join(cells)
    # the separator count proves no cell carried a \x1f of its own into the check
    return _PLAIN_ROW.fullmatch(joined) is not None and joined.count("\x1f") == len(cells) - 1


def _safe(cell: str) -> str:
    cell = inert(cell)
    return "'" + cell if cell.startswith(_FORMULA_START) else cell
