"""CSV of findings for spreadsheets: one row per finding and location.

A finding with several locations (a replica and a secondary, say) gets one row per
location so a spreadsheet can filter and pivot by region or country; a finding with no
location (an unscanned account, an expired exemption) gets one row with those cells empty.
Each row ends with its provenance: the policy file's SHA-256, the tool version, the scan time.
Cells that a spreadsheet would run as a formula are prefixed with a quote (CSV injection:
bucket names, tags and API error text come from the cloud, not from us).
"""

from __future__ import annotations

import csv
import io

from residency.findings.model import Finding, FindingLocation, ScanResult

COLUMNS = (
    "status", "severity", "policy", "rule", "provider", "account", "resource_id", "resource_name",
    "resource_kind", "location_kind", "region", "countries", "location_reason", "message", "remediation",
    "policy_file", "policy_line", "exemption_owner", "exemption_expires", "exemption_reason", "baseline",
    "fingerprint", "policy_sha256", "tool_version", "scan_finished",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def render(result: ScanResult) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    # Provenance on every row, so a filtered or pasted extract still says where it came from.
    digests = dict(result.meta.policy_files)
    for finding in result.findings:
        provenance = [digests.get(finding.policy_source.file, ""), result.meta.tool_version,
                      result.meta.finished_at]
        for location in finding.locations or (None,):
            writer.writerow([_safe(cell) for cell in [*_row(finding, location), *provenance]])
    return buffer.getvalue()


def _row(finding: Finding, location: FindingLocation | None) -> list[str]:
    resource = finding.resource
    exemption = finding.exemption
    return [
        finding.status.value,
        finding.severity.value,
        finding.policy_id,
        finding.rule_id,
        resource.provider.value,
        resource.account,
        resource.id,
        resource.name,
        resource.kind,
        location.kind.value if location else "",
        (location.region or "unknown") if location else "",
        (";".join(location.countries) if location.countries else "unknown") if location else "",
        location.reason if location else "",
        finding.message,
        finding.remediation,
        finding.policy_source.file,
        str(finding.policy_source.line),
        exemption.owner if exemption else "",
        exemption.expires.isoformat() if exemption and exemption.expires else "",
        exemption.reason if exemption else "",
        finding.baseline or "",
        finding.fingerprint,
    ]


def _safe(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA_START) else cell
