"""SARIF results: which findings become results, their identity, where they are, what is left out.

GitHub code scanning is the consumer that sets the rules here:
- Identity: GitHub matches alerts across runs by `partialFingerprints.primaryLocationLineHash`
  (computed by upload-sarif from the text of the located line when absent, so every resource
  breaking one policy line would share one alert). It is given per (policy, rule, resource),
  independent of line numbers and wording, so editing a policy keeps every alert.
- Limits: a run may hold at most 25,000 results and GitHub keeps only the top 5,000. At most
  `MAX_RESULTS` results are written: the most important findings first (violations before
  unverifiable, higher severity, new before existing), then one aggregate result per policy and
  rule that says how many more there are. What was left out is counted in the run's
  properties, in a tool notification and (through the returned notices) on stderr.
- Exemptions: GitHub ignores SARIF `suppressions`, so an exempt finding would be an open alert.
  Exempt findings are therefore not results; the run's properties count them.
"""

from __future__ import annotations

import hashlib
import heapq
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from residency.findings.model import Finding, Status
from residency.formats.context import ReportContext, absolute_path, repository_path
from residency.formats.safe import inert, truncate
from residency.policy.model import Severity, SourceRef

SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "residencyFinding/v1"
LINE_HASH_KEY = "primaryLocationLineHash"
MAX_RESULTS = 5_000  # GitHub stores the top 5,000 results of a run (and rejects over 25,000)
MAX_LOCATIONS = 20  # copies listed per result; the JSON report has all
MAX_MESSAGE = 2_000
_OPEN = (Status.VIOLATION, Status.UNVERIFIABLE)
_VIOLATION_LEVEL = {Severity.CRITICAL: "error", Severity.HIGH: "error", Severity.MEDIUM: "warning",
                    Severity.LOW: "note"}
_BASELINE_STATE = {"new": "new", "existing": "unchanged"}
_BASELINE_RANK = {"new": 0, None: 1, "existing": 2}
_BRACKET = re.compile(r"(\\*)([\[\]])")


def sarif_text(text: str) -> str:
    """Plain message text: one inert line, `[`/`]` escaped (SARIF 3.11.6) so cloud text never becomes a link."""
    return _BRACKET.sub(lambda m: m.group(1) * 2 + "\\" + m.group(2), truncate(inert(text), MAX_MESSAGE))


def rule_key(finding: Finding) -> str:
    """The SARIF rule id: policy and rule, so each rule carries its policy's security severity."""
    return f"{finding.policy_id}/{finding.rule_id}"


def _rule_id(finding: Finding) -> str:
    return finding.rule_id


def line_hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:16] + ":1"


def level(finding: Finding) -> str:
    # Unverifiable is a warning whatever the policy's severity: nothing was proven either way.
    return "warning" if finding.status is Status.UNVERIFIABLE else _VIOLATION_LEVEL[finding.severity]


@dataclass
class Selection:
    shown: list[Finding]
    omitted: dict[str, list[Finding]] = field(default_factory=dict)  # rule key -> findings left out
    exempt: int = 0
    compliant: int = 0

    @property
    def omitted_count(self) -> int:
        return sum(len(findings) for findings in self.omitted.values())


def _priority(item: tuple[int, Finding]) -> tuple[int, int, int, int]:
    index, finding = item
    return (_OPEN.index(finding.status), -finding.severity.rank, _BASELINE_RANK.get(finding.baseline, 1), index)


def select(findings: Iterable[Finding], limit: int | None = None) -> Selection:
    """The findings that become results, most important first within the limit, in engine order."""
    limit = MAX_RESULTS if limit is None else limit
    candidates: list[tuple[int, Finding]] = []
    exempt = compliant = 0
    for index, finding in enumerate(findings):
        if finding.status in _OPEN:
            candidates.append((index, finding))
        elif finding.status is Status.EXEMPT:
            exempt += 1
        else:
            compliant += 1
    if len(candidates) <= limit:
        return Selection([f for _, f in candidates], {}, exempt, compliant)
    group_of = rule_key
    if len({rule_key(f) for _, f in candidates}) > limit // 2:  # so many policies: aggregate per rule id
        group_of = _rule_id
    groups = {group_of(f) for _, f in candidates}
    budget = max(0, limit - len(groups))  # room for one aggregate per group
    chosen = {index for index, _ in heapq.nsmallest(budget, candidates, key=_priority)}
    omitted: dict[str, list[Finding]] = {}
    for index, finding in candidates:
        if index not in chosen:
            omitted.setdefault(group_of(finding), []).append(finding)
    shown = [f for index, f in candidates if index in chosen]
    return Selection(shown, omitted, exempt, compliant)


def artifact_location(path: str, context: ReportContext) -> dict[str, Any]:
    """Relative to the repository root (%SRCROOT%) when inside it; otherwise an absolute file URI."""
    relative = repository_path(path, context)
    if relative is not None:
        return {"uri": quote(relative, safe="/"), "uriBaseId": SRCROOT}
    absolute = absolute_path(path, context)
    prefix = "file:///" if not absolute.startswith("/") else "file://"
    return {"uri": prefix + quote(absolute, safe="/:" if not absolute.startswith("/") else "/")}


def physical(source: SourceRef, context: ReportContext) -> dict[str, Any] | None:
    if not source.file:
        return None
    location: dict[str, Any] = {"artifactLocation": artifact_location(source.file, context)}
    if source.line > 0:
        location["region"] = {"startLine": source.line}
    return location


def result(finding: Finding, rule_index: int, context: ReportContext, source: str = "scan") -> dict[str, Any]:
    resource = finding.resource
    declared = context.declared_at.get(resource.id)
    primary = physical(declared or finding.policy_source, context)
    location: dict[str, Any] = {} if primary is None else {"physicalLocation": primary}
    location["logicalLocations"] = [{"name": inert(resource.name), "fullyQualifiedName": inert(resource.id),
                                     "kind": "resource"}]
    item: dict[str, Any] = {
        "ruleId": rule_key(finding),
        "ruleIndex": rule_index,
        "kind": "fail",
        "level": level(finding),
        "message": {"text": sarif_text(finding.message)},
        "locations": [location],
        "partialFingerprints": {
            LINE_HASH_KEY: line_hash(finding.policy_id, finding.rule_id, resource.id),
            FINGERPRINT_KEY: finding.fingerprint,
        },
    }
    related = _related(finding, declared, context, source)
    if related:
        item["relatedLocations"] = related
    if finding.baseline in _BASELINE_STATE:
        item["baselineState"] = _BASELINE_STATE[finding.baseline]
    item["properties"] = _properties(finding)
    return item


def _related(finding: Finding, declared: SourceRef | None, context: ReportContext,
             source: str) -> list[dict[str, Any]]:
    """With a Terraform location first, the policy line it breaks comes along; a plan finding names its plan."""
    related: list[dict[str, Any]] = []
    if declared is not None:
        policy = physical(finding.policy_source, context)
        if policy is not None:
            related.append({"id": 1, "physicalLocation": policy,
                            "message": {"text": f"The policy this breaks: {sarif_text(finding.policy_id)}"}})
    if source.startswith("terraform-plan:"):
        plan = source.removeprefix("terraform-plan:")
        related.append({"id": len(related) + 1,
                        "physicalLocation": {"artifactLocation": artifact_location(plan, context)},
                        "message": {"text": "The Terraform plan this finding was evaluated from."}})
    return related


def _properties(finding: Finding) -> dict[str, Any]:
    resource = finding.resource
    locations = finding.locations[:MAX_LOCATIONS]
    properties: dict[str, Any] = {
        "policy": finding.policy_id,
        "rule": finding.rule_id,
        "status": finding.status.value,
        "severity": finding.severity.value,
        "resource": {"provider": resource.provider.value, "account": inert(resource.account),
                     "id": inert(resource.id), "name": inert(resource.name), "kind": inert(resource.kind)},
        "locations": [
            {"kind": loc.kind.value, "region": inert(loc.region) if loc.region is not None else None,
             "countries": list(loc.countries) if loc.countries is not None else None,
             "reason": truncate(inert(loc.reason), MAX_MESSAGE)}
            for loc in locations
        ],
        "remediation": truncate(inert(finding.remediation), MAX_MESSAGE),
    }
    if len(finding.locations) > len(locations):
        properties["locationsOmitted"] = len(finding.locations) - len(locations)
    return properties


def aggregate(findings: list[Finding], rule_index: int, context: ReportContext) -> dict[str, Any]:
    """One result standing for every finding of one policy and rule (or one rule) that did not fit."""
    first = max(findings, key=lambda f: (f.status is Status.VIOLATION, f.severity.rank))
    count = len(findings)
    policies = {f.policy_id for f in findings}
    what = rule_key(first) if len(policies) == 1 else f"{first.rule_id} in {len(policies):,} policies"
    text = (f"{count:,} more resource(s) break {what} and are not listed here: GitHub code scanning keeps "
            f"{MAX_RESULTS:,} results per run. Every finding is in the JSON, CSV and HTML reports of this run.")
    primary = physical(first.policy_source, context)
    location: dict[str, Any] = {} if primary is None else {"physicalLocation": primary}
    location["logicalLocations"] = [{"name": f"{count} more resources", "kind": "resource"}]
    return {
        "ruleId": rule_key(first),
        "ruleIndex": rule_index,
        "kind": "fail",
        "level": level(first),
        "message": {"text": sarif_text(text)},
        "locations": [location],
        "partialFingerprints": {LINE_HASH_KEY: line_hash(first.policy_id if len(policies) == 1 else "",
                                                         first.rule_id, "\x00omitted")},
        "properties": {"policy": first.policy_id, "rule": first.rule_id, "omitted": count,
                       "statuses": sorted({f.status.value for f in findings})},
    }
