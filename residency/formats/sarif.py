"""SARIF 2.1.0 for code-scanning UIs (GitHub code scanning, Azure DevOps, VS Code viewers).

Each finding that needs attention is one result, located at the policy file and line it
breaks (so annotations land on the policy in a pull request) and at the cloud resource as
a logical location. Compliant findings are not results: code-scanning UIs list every
result as an alert, and a pass per resource and policy would bury the real ones; the run's
properties count them instead. Exempt findings are results with an accepted suppression
(the exemption written in the policy file), so they show as dismissed, not as open.
"""

from __future__ import annotations

import json
import posixpath
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

from residency.findings.model import Finding, ScanResult, Status
from residency.findings.rules import LOCATIONS_ALLOWED, RULES, Rule
from residency.formats._shared import needs_attention, status_counts
from residency.policy.model import Severity, SourceRef

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT_KEY = "residencyFinding/v1"
SRCROOT = "%SRCROOT%"

_VIOLATION_LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
}
_BASELINE_STATE = {"new": "new", "existing": "unchanged"}


def render(result: ScanResult) -> str:
    return json.dumps(sarif_log(result), indent=2, ensure_ascii=False) + "\n"


def sarif_log(result: ScanResult) -> dict[str, Any]:
    rule_index = {rule_id: index for index, rule_id in enumerate(RULES)}
    run: dict[str, Any] = {
        "tool": {"driver": _driver(result)},
        "invocations": [_invocation(result)],
        "originalUriBaseIds": {SRCROOT: {"description": {"text": "The directory residency ran in."}}},
        "artifacts": [_policy_artifact(path, digest) for path, digest in result.meta.policy_files],
        "results": [_result(f, rule_index, result.meta.source) for f in needs_attention(result.findings)],
        "columnKind": "unicodeCodePoints",
        "properties": _run_properties(result),
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _driver(result: ScanResult) -> dict[str, Any]:
    return {
        "name": "residency",
        "version": result.meta.tool_version,
        "semanticVersion": result.meta.tool_version,
        "rules": [_rule(rule) for rule in RULES.values()],
    }


def _rule(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "name": "".join(part.capitalize() for part in rule.id.split("-")),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.doc},
        "help": {
            "text": f"{rule.doc}\n\nHow to fix: {rule.remediation}",
            "markdown": f"{rule.doc}\n\n**How to fix:** {rule.remediation}",
        },
        "defaultConfiguration": {"level": _default_level(rule)},
        "properties": {"tags": ["data-residency"]},
    }


def _default_level(rule: Rule) -> str:
    if rule is LOCATIONS_ALLOWED:
        return "none"
    # Unverifiable rules (location, scope ...) prove nothing either way: a warning, not an error.
    return "warning" if rule.id.endswith("-unverifiable") else "error"


def _level(finding: Finding) -> str:
    # Unverifiable is a warning whatever the policy's severity: nothing was proven either way.
    if finding.status is Status.UNVERIFIABLE:
        return "warning"
    return _VIOLATION_LEVEL[finding.severity]


def _result(finding: Finding, rule_index: dict[str, int], source: str) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index[finding.rule_id],
        "kind": "fail",
        "level": _level(finding),
        "message": {"text": finding.message},
        "locations": [_location(finding)],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
    }
    plan_file = source.removeprefix("terraform-plan:") if source.startswith("terraform-plan:") else None
    if plan_file:
        result["relatedLocations"] = [
            {"id": 1, "physicalLocation": {"artifactLocation": _artifact_location(plan_file)},
             "message": {"text": "The Terraform plan this finding was evaluated from."}}
        ]
    if finding.baseline in _BASELINE_STATE:
        result["baselineState"] = _BASELINE_STATE[finding.baseline]
    if finding.status is Status.EXEMPT and finding.exemption is not None:
        result["suppressions"] = [_suppression(finding)]
    result["properties"] = _result_properties(finding)
    return result


def _location(finding: Finding) -> dict[str, Any]:
    resource = finding.resource
    location: dict[str, Any] = {}
    physical = _physical(finding.policy_source)
    if physical is not None:
        location["physicalLocation"] = physical
    location["logicalLocations"] = [
        {"name": resource.name, "fullyQualifiedName": resource.id, "kind": "resource"}
    ]
    return location


def _physical(source: SourceRef) -> dict[str, Any] | None:
    if not source.file:
        return None
    physical: dict[str, Any] = {"artifactLocation": _artifact_location(source.file)}
    if source.line > 0:
        physical["region"] = {"startLine": source.line}
    return physical


def _artifact_location(path: str) -> dict[str, Any]:
    """Relative paths resolve against the checkout (%SRCROOT%); absolute ones become file URIs."""
    windows = PureWindowsPath(path)
    if windows.drive:
        return {"uri": "file:///" + quote(windows.as_posix(), safe="/:")}
    if path.startswith("/"):
        return {"uri": "file://" + quote(path, safe="/")}
    # normpath: "policies/../policies/a.yaml" or "./a.yaml" must name the file as the repository does.
    relative = posixpath.normpath(PurePosixPath(path.replace("\\", "/")).as_posix())
    return {"uri": quote(relative, safe="/"), "uriBaseId": SRCROOT}


def _suppression(finding: Finding) -> dict[str, Any]:
    exemption = finding.exemption
    assert exemption is not None
    expires = exemption.expires.isoformat() if exemption.expires else "no expiry"
    suppression: dict[str, Any] = {
        "kind": "inSource",
        "status": "accepted",
        "justification": f"{exemption.reason} (owner: {exemption.owner}; expires: {expires})",
    }
    physical = _physical(exemption.source)
    if physical is not None:
        suppression["location"] = {"physicalLocation": physical}
    return suppression


def _result_properties(finding: Finding) -> dict[str, Any]:
    resource = finding.resource
    return {
        "policy": finding.policy_id,
        "status": finding.status.value,
        "severity": finding.severity.value,
        "resource": {
            "provider": resource.provider.value,
            "account": resource.account,
            "id": resource.id,
            "name": resource.name,
            "kind": resource.kind,
        },
        "locations": [
            {
                "kind": loc.kind.value,
                "region": loc.region,
                "countries": list(loc.countries) if loc.countries is not None else None,
                "reason": loc.reason,
            }
            for loc in finding.locations
        ],
        "remediation": finding.remediation,
    }


def _invocation(result: ScanResult) -> dict[str, Any]:
    meta = result.meta
    return {
        "executionSuccessful": True,
        "startTimeUtc": meta.started_at,
        "endTimeUtc": meta.finished_at,
        "toolExecutionNotifications": [
            {
                "level": "warning",
                "message": {"text": f"{gap.provider.value} account {gap.account} was not scanned: {gap.reason}"},
            }
            for gap in meta.account_gaps
        ],
    }


def _policy_artifact(path: str, digest: str) -> dict[str, Any]:
    return {"location": _artifact_location(path), "roles": ["policy"], "hashes": {"sha-256": digest}}


def _run_properties(result: ScanResult) -> dict[str, Any]:
    meta = result.meta
    return {
        "summary": {status.value: count for status, count in status_counts(result).items()},
        "source": meta.source,
        "providers": list(meta.providers),
        "scanned": [{"provider": p, "account": a} for p, a in meta.scanned],
        "notScanned": [
            {"provider": g.provider.value, "account": g.account, "reason": g.reason} for g in meta.account_gaps
        ],
    }
