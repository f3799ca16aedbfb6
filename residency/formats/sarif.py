"""SARIF 2.1.0 for code-scanning UIs (GitHub code scanning, Azure DevOps, VS Code viewers).

A finding that needs attention is one result, located at the policy line it breaks (for `plan`,
at the Terraform block that declares the resource, with the policy line related), and at the
cloud resource as a logical location. Rules are per policy (`us-user-data/replica-outside`), so
each carries its policy's `security-severity` and the controls it evidences. Compliant and exempt
findings are not results (see `sarif_results` for why, and for GitHub's limits); the run's
properties count them. `automationDetails.id` is `residency/<command>/`, so a scan and a plan of
one commit are separate analyses.
"""

from __future__ import annotations

from typing import Any, TextIO
from urllib.parse import quote

from residency.findings.controls import controls_for
from residency.findings.model import Finding, ScanResult, Status
from residency.findings.rules import RULES, Rule
from residency.formats import sarif_results as results
from residency.formats._shared import status_counts
from residency.formats.context import DEFAULT_CONTEXT, ReportContext, command_of
from residency.formats.jsonout import dumps_indented
from residency.formats.links import INFORMATION_URI, rule_help_uri
from residency.formats.safe import inert
from residency.policy.model import Policy, Severity

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT_KEY = results.FINGERPRINT_KEY
SRCROOT = results.SRCROOT
MAX_LISTED = 1_000  # accounts listed in the run's properties and notifications; the JSON report has all
# GitHub's bands: over 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, below 4.0 low.
SECURITY_SEVERITY = {Severity.CRITICAL: "9.5", Severity.HIGH: "8.0", Severity.MEDIUM: "5.5", Severity.LOW: "2.0"}
MAX_TAGS = 10  # GitHub shows 10 tags per rule


def render(result: ScanResult, context: ReportContext = DEFAULT_CONTEXT) -> str:
    return dumps_indented(sarif_log(result, context)[0]) + "\n"


def write(result: ScanResult, out: TextIO, context: ReportContext) -> list[str]:
    log, notices = sarif_log(result, context)
    out.write(dumps_indented(log))
    out.write("\n")
    return notices


def sarif_log(result: ScanResult, context: ReportContext = DEFAULT_CONTEXT) -> tuple[dict[str, Any], list[str]]:
    selection = results.select(result.findings)
    policies = {policy.id: policy for policy in result.policies}
    rule_keys: dict[str, Finding] = {}
    for finding in selection.shown:
        rule_keys.setdefault(results.rule_key(finding), finding)
    heads = [max(omitted, key=lambda f: (f.status is Status.VIOLATION, f.severity.rank))
             for omitted in selection.omitted.values()]
    for head in heads:
        rule_keys.setdefault(results.rule_key(head), head)
    index = {key: position for position, key in enumerate(rule_keys)}
    items = [results.result(f, index[results.rule_key(f)], context, result.meta.source) for f in selection.shown]
    items += [results.aggregate(findings, index[results.rule_key(head)], context)
              for head, findings in zip(heads, selection.omitted.values(), strict=True)]
    notices = _notices(selection)
    run: dict[str, Any] = {
        "tool": {"driver": _driver(result, [(k, f, policies.get(f.policy_id)) for k, f in rule_keys.items()])},
        "invocations": [_invocation(result, notices)],
        "automationDetails": {"id": _automation_id(result, context)},
        "originalUriBaseIds": _base_ids(context),
        "artifacts": [_policy_artifact(path, digest, context) for path, digest in result.meta.policy_files],
        "results": items,
        "columnKind": "unicodeCodePoints",
        "properties": _run_properties(result, selection),
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}, notices


def _automation_id(result: ScanResult, context: ReportContext) -> str:
    category = (context.sarif_category or f"residency/{command_of(result.meta.source)}").rstrip("/")
    return f"{category}/"


def _base_ids(context: ReportContext) -> dict[str, Any]:
    base: dict[str, Any] = {"description": {"text": "The root of the repository the policies are in."}}
    if context.repository_root is not None:
        base["uri"] = "file://" + quote(context.repository_root.rstrip("/") + "/", safe="/")
    return {SRCROOT: base}


def _driver(result: ScanResult, rules: list[tuple[str, Finding, Policy | None]]) -> dict[str, Any]:
    version = result.meta.tool_version
    return {
        "name": "residency",
        "fullName": f"residency {version}: multi-cloud data-residency checker",
        "version": version,
        "semanticVersion": version,
        "informationUri": INFORMATION_URI,
        "rules": [_rule(key, RULES[finding.rule_id], finding, policy) for key, finding, policy in rules],
    }


def _rule(key: str, rule: Rule, finding: Finding, policy: Policy | None) -> dict[str, Any]:
    controls = controls_for(rule.id)
    policy_line = f"Policy {policy.id}: {inert(policy.title)}." if policy else f"Policy {finding.policy_id}."
    control_lines = [f"- {c.catalog.title} {c.id}: {c.title}" + (f" ({c.applies})" if c.applies else "")
                     for c in controls]
    markdown_controls = [f"- [{c.catalog.title}]({c.catalog.source}) {c.id}: {c.title}" for c in controls]
    tags = list(dict.fromkeys(["security", "data-residency", rule.id, *(c.id for c in controls)]))[:MAX_TAGS]
    return {
        "id": key,
        "name": "".join(part.capitalize() for part in rule.id.split("-")),
        "shortDescription": {"text": f"{rule.title} ({finding.policy_id})"},
        "fullDescription": {"text": f"{rule.doc} {policy_line}"},
        "help": {
            "text": "\n".join([rule.doc, policy_line, f"How to fix: {rule.remediation}",
                               "Controls this evidences:", *control_lines]),
            "markdown": "\n".join([rule.doc, "", policy_line, "", f"**How to fix:** {rule.remediation}", "",
                                   "**Controls this evidences:**", "", *markdown_controls]),
        },
        "helpUri": rule_help_uri(rule.id),
        "defaultConfiguration": {"level": "warning" if rule.id.endswith("-unverifiable") else "error"},
        "properties": {
            "tags": tags,
            "security-severity": SECURITY_SEVERITY[finding.severity],
            "precision": "high",
            "residencyRule": rule.id,
            "policy": finding.policy_id,
            "controls": [{"catalog": c.catalog.title, "id": c.id, "title": c.title, "source": c.catalog.source,
                          **({"applies": c.applies} if c.applies else {})} for c in controls],
        },
    }


def _notices(selection: results.Selection) -> list[str]:
    if not selection.omitted:
        return []
    return [f"sarif: {selection.omitted_count:,} findings are not listed one by one (GitHub code scanning keeps "
            f"{results.MAX_RESULTS:,} results per run); {len(selection.omitted)} aggregate result(s) count them "
            "per policy and rule; every finding is in the JSON, CSV and HTML reports"]


def _invocation(result: ScanResult, notices: list[str]) -> dict[str, Any]:
    meta = result.meta
    gaps = meta.account_gaps
    notifications = [
        {"level": "warning",
         "message": {"text": results.sarif_text(f"{g.provider.value} account {g.account} was not scanned: {g.reason}")}}
        for g in gaps[:MAX_LISTED]
    ]
    if len(gaps) > MAX_LISTED:
        notifications.append({"level": "warning", "message": {
            "text": f"{len(gaps) - MAX_LISTED:,} more accounts were not scanned; the JSON report lists them"}})
    notifications += [{"level": "note", "message": {"text": results.sarif_text(n)}} for n in notices]
    return {"executionSuccessful": True, "startTimeUtc": meta.started_at, "endTimeUtc": meta.finished_at,
            "toolExecutionNotifications": notifications}


def _policy_artifact(path: str, digest: str, context: ReportContext) -> dict[str, Any]:
    return {"location": results.artifact_location(path, context), "roles": ["policy"], "hashes": {"sha-256": digest}}


def _run_properties(result: ScanResult, selection: results.Selection) -> dict[str, Any]:
    meta = result.meta
    return {
        "summary": {status.value: count for status, count in status_counts(result).items()},
        "source": inert(meta.source),
        "providers": list(meta.providers),
        "scannedAccounts": len(meta.scanned),
        "scanned": [{"provider": p, "account": inert(a)} for p, a in meta.scanned[:MAX_LISTED]],
        "notScanned": [{"provider": g.provider.value, "account": inert(g.account), "reason": inert(g.reason)}
                       for g in meta.account_gaps[:MAX_LISTED]],
        "notResults": {
            Status.COMPLIANT.value: selection.compliant,
            Status.EXEMPT.value: selection.exempt,
            "overLimit": selection.omitted_count,
        },
        "limits": {"maxResults": results.MAX_RESULTS, "maxLocationsPerResult": results.MAX_LOCATIONS},
    }
