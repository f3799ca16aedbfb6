"""The JSON report: documented, versioned (`REPORT_VERSION`), schema in report.schema.json."""

from __future__ import annotations

import json
from typing import Any

from residency.findings.model import STATUS_ORDER, Finding, ScanResult, TransferRecord

REPORT_VERSION = "1.0"


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    exemption = finding.exemption
    return {
        "fingerprint": finding.fingerprint,
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
        "locations": [
            {
                "region": loc.region,
                "country": loc.country,
                "countries": list(loc.countries) if loc.countries is not None else None,
                "kind": loc.kind.value,
                "reason": loc.reason,
                "provider": loc.provider.value if loc.provider else None,
            }
            for loc in finding.locations
        ],
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


def report_to_dict(result: ScanResult) -> dict[str, Any]:
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
        "findings": [finding_to_dict(f) for f in result.findings],
        **({"transfers": [transfer_to_dict(t) for t in result.transfers]} if result.transfers else {}),
    }


def render(result: ScanResult) -> str:
    return json.dumps(report_to_dict(result), indent=2, ensure_ascii=False) + "\n"
