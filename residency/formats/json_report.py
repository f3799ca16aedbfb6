"""The JSON report: documented, versioned (`REPORT_VERSION`), schema in report.schema.json.

The complete record of a run (every finding, every location, every account), so it is not
bounded; it is streamed instead, one finding per line, and memory stays flat at any size.
"""

from __future__ import annotations

import io
from functools import lru_cache
from typing import Any, TextIO

from residency.findings.model import STATUS_ORDER, Finding, ScanResult, TransferRecord
from residency.formats._shared import fingerprints
from residency.formats.context import DEFAULT_CONTEXT, ReportContext
from residency.formats.jsonout import dumps, dumps_indented
from residency.inventory.model import PlacementKind, Provider

REPORT_VERSION = "1.0"


@lru_cache(maxsize=65_536)
def _location(kind: PlacementKind, region: str | None, countries: tuple[str, ...] | None, reason: str,
              provider: Provider | None) -> dict[str, Any]:
    """Locations recur across thousands of findings (same region, same reason): one dict each."""
    return {
        "region": region,
        "country": countries[0] if countries and len(countries) == 1 else None,
        "countries": list(countries) if countries is not None else None,
        "kind": kind.value,
        "reason": reason,
        "provider": provider.value if provider else None,
    }


def finding_to_dict(finding: Finding, fingerprint: str | None = None) -> dict[str, Any]:
    exemption = finding.exemption
    return {
        "fingerprint": fingerprint or finding.fingerprint,
        "policy": finding.policy_id,
        "rule": finding.rule_id,
        "severity": finding.severity.value,
        "status": finding.status.value,
        "resource": {
            "provider": finding.resource.provider.value,
            "account": finding.resource.account,
            "id": finding.resource.id,
            "name": finding.resource.name,
            "kind": finding.resource.kind,
        },
        "locations": [_location(loc.kind, loc.region, loc.countries, loc.reason, loc.provider)
                      for loc in finding.locations],
        "message": finding.message,
        "remediation": finding.remediation,
        "policy_file": finding.policy_source.file,
        "policy_line": finding.policy_source.line,
        "exemption": None
        if exemption is None
        else {
            "resource": exemption.resource,
            "reason": exemption.reason,
            "owner": exemption.owner,
            "expires": exemption.expires.isoformat() if exemption.expires else None,
        },
        "baseline": finding.baseline,
    }


def transfer_to_dict(transfer: TransferRecord) -> dict[str, Any]:
    """A verified transfer: `summary` holds exactly the documented object counts."""
    return {
        "policy": transfer.policy_id,
        "source": transfer.source,
        "destination": transfer.destination,
        "map": [{"from": source, "to": destination} for source, destination in transfer.prefix_map],
        "engine": transfer.engine,
        "summary": dict(transfer.summary),
        "bytes": dict(transfer.bytes),
        "residual": {"verified": transfer.residual_verified, "reason": transfer.residual_note},
        "inventories": [
            {
                "role": inv.role, "location": inv.location, "cloud": inv.cloud, "container": inv.container,
                "taken_at": inv.taken_at, "format": inv.file_format, "files": inv.files, "rows": inv.rows,
                "versions_listed": inv.versions_listed,
            }
            for inv in transfer.inventories
        ],
        "details_file": transfer.details_file,
        "seconds": round(transfer.seconds, 3),
    }


def report_header(result: ScanResult) -> dict[str, Any]:
    """Everything but the findings."""
    meta = result.meta
    summary: dict[str, int] = {status.value: result.count(status) for status in STATUS_ORDER}
    summary["total"] = len(result.findings)
    return {
        "version": REPORT_VERSION,
        "tool": {"name": "residency", "version": meta.tool_version},
        "scan": {
            "started_at": meta.started_at,
            "finished_at": meta.finished_at,
            "source": meta.source,
            "providers": list(meta.providers),
            "scanned": [{"provider": p, "account": a} for p, a in meta.scanned],
            "not_scanned": [
                {"provider": g.provider.value, "account": g.account, "reason": g.reason}
                for g in meta.account_gaps
            ],
            "policy_files": [{"path": path, "sha256": digest} for path, digest in meta.policy_files],
            "options": dict(meta.options),
        },
        "summary": summary,
        "policies": [
            {
                "id": p.id,
                "title": p.title,
                "severity": p.severity.value,
                "file": p.source.file,
                "line": p.source.line,
            }
            for p in result.policies
        ],
        **({"transfers": [transfer_to_dict(t) for t in result.transfers]} if result.transfers else {}),
    }


def render(result: ScanResult, context: ReportContext = DEFAULT_CONTEXT) -> str:
    buffer = io.StringIO()
    write(result, buffer, context)
    return buffer.getvalue()


def write(result: ScanResult, out: TextIO, context: ReportContext) -> list[str]:
    head = dumps_indented(report_header(result))
    out.write(head.removesuffix("\n}"))
    out.write(',\n  "findings": [')
    separator = "\n    "
    for finding, fingerprint in zip(result.findings, fingerprints(result), strict=True):
        out.write(separator)
        out.write(dumps(finding_to_dict(finding, fingerprint)))
        separator = ",\n    "
    out.write("\n  ]\n}\n" if result.findings else "]\n}\n")
    return []
