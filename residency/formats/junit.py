"""JUnit XML, so any CI (GitLab, Jenkins, Azure Pipelines, GitHub test reporters) shows findings.

One test suite per policy, one test case per (policy, resource). A case fails when the
resource breaks the policy; it is an *error* when its location could not be verified (the
check could not run to completion, and the scan fails closed, so it must not look like a
pass); it is *skipped* when an active exemption covers it. Compliant resources pass.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from residency.findings.model import Finding, ScanResult, Status
from residency.formats._shared import by_policy, location_label, one_line, policies_by_id, policy_ids

_TOTAL_KEYS = ("tests", "failures", "errors", "skipped")
# Characters XML 1.0 cannot carry at all; an API error message could contain them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def render(result: ScanResult) -> str:
    root = ET.Element("testsuites", name="residency data residency")
    findings_by_policy = by_policy(result.findings)
    totals = dict.fromkeys(_TOTAL_KEYS, 0)
    for policy_id in policy_ids(result):
        suite = _suite(policy_id, findings_by_policy.get(policy_id, []), result)
        root.append(suite)
        for key in totals:
            totals[key] += int(suite.get(key, "0"))
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("time", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _suite(policy_id: str, findings: list[Finding], result: ScanResult) -> ET.Element:
    suite = ET.Element("testsuite", name=policy_id, timestamp=result.meta.started_at.removesuffix("Z"))
    properties = ET.SubElement(suite, "properties")
    _property(properties, "tool.version", result.meta.tool_version)
    policy = policies_by_id(result).get(policy_id)
    if policy is not None:
        _property(properties, "policy.title", _xml_text(policy.title))
        _property(properties, "policy.severity", policy.severity.value)
        _property(properties, "policy.file", policy.source.file)
        digests = dict(result.meta.policy_files)
        if policy.source.file in digests:
            _property(properties, "policy.sha256", digests[policy.source.file])
    counts = dict.fromkeys(_TOTAL_KEYS, 0)
    for resource_findings in _by_resource(findings).values():
        case = _case(policy_id, resource_findings)
        suite.append(case)
        counts["tests"] += 1
        for child, key in (("failure", "failures"), ("error", "errors"), ("skipped", "skipped")):
            if case.find(child) is not None:
                counts[key] += 1
    for key, value in counts.items():
        suite.set(key, str(value))
    suite.set("time", "0")
    return suite


def _property(parent: ET.Element, name: str, value: str) -> None:
    ET.SubElement(parent, "property", name=name, value=value)


def _by_resource(findings: list[Finding]) -> dict[str, list[Finding]]:
    grouped: dict[str, list[Finding]] = {}
    for finding in findings:
        grouped.setdefault(finding.resource.id, []).append(finding)
    return grouped


def _case(policy_id: str, findings: list[Finding]) -> ET.Element:
    first = findings[0]
    resource = first.resource
    case = ET.Element(
        "testcase",
        classname=f"residency.{policy_id}",
        name=_xml_text(f"{resource.provider.value}:{resource.account}:{resource.name}"),
        file=first.policy_source.file,
        line=str(first.policy_source.line),
        time="0",
    )
    statuses = {f.status for f in findings}
    if Status.VIOLATION in statuses:
        _outcome(case, "failure", findings)
    elif Status.UNVERIFIABLE in statuses:
        _outcome(case, "error", findings)
    elif Status.EXEMPT in statuses:
        skipped = ET.SubElement(case, "skipped", message=_xml_text(one_line(first.message)))
        skipped.text = _details(findings)
    else:
        ET.SubElement(case, "system-out").text = _details(findings)
    return case


def _outcome(case: ET.Element, tag: str, findings: list[Finding]) -> None:
    """The case's failure/error element; its message is the first (most severe) finding's."""
    rules = ",".join(sorted({f.rule_id for f in findings}))
    element = ET.SubElement(case, tag, message=_xml_text(one_line(findings[0].message)), type=rules)
    element.text = _details(findings)


def _details(findings: list[Finding]) -> str:
    lines = []
    for finding in findings:
        lines.append(f"[{finding.status.value}/{finding.severity.value}] {finding.rule_id}: {finding.message}")
        lines.append(f"  resource: {finding.resource.id}")
        lines.extend(f"  - {location_label(loc)}: {loc.reason}" for loc in finding.locations)
        if finding.status is not Status.COMPLIANT:
            lines.append(f"  fix: {finding.remediation}")
    return _xml_text("\n".join(lines) + "\n")
