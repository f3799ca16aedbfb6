"""JUnit XML, so any CI (Jenkins, GitLab, Azure Pipelines, GitHub test reporters) shows findings.

One test suite per policy, one test case per (policy, resource). A case fails when the resource
breaks the policy; it is an *error* when its location could not be verified (fail closed: it
must not look like a pass); it is *skipped* when an active exemption covers it; else it passes.

Flavours (`--junit-flavor`): `xunit` (default) is valid against the Jenkins xunit plugin's
`junit-10.xsd`, the strictest common schema; `gitlab` adds the `file` attribute GitLab shows on
a test case (not allowed by that schema). Each failure's text ends with a Java-style frame
`at policies.Policy(us-user-data.yaml:4)`, which dorny/test-reporter turns into an annotation
on the policy line. Bounded by design: at most `MAX_BYTES` (GitLab drops reports over 30 MB);
cases are written most important first, and each suite says how many it left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TextIO

from residency.findings.model import Finding, ScanResult, Status
from residency.formats._shared import location_label, policies_by_id, policy_ids
from residency.formats.context import DEFAULT_CONTEXT, ReportContext, repository_path
from residency.formats.safe import inert, truncate

MAX_BYTES = 25 * 1024 * 1024  # GitLab ignores a JUnit report over 30 MB
SUITE_RESERVE = 4_096  # bytes kept per suite for its header, properties and the "not listed" case
MAX_NAME = 300
MAX_MESSAGE = 500
MAX_DETAILS = 4_000
MAX_LOCATIONS = 20
_OUTCOME = {Status.VIOLATION: "failure", Status.UNVERIFIABLE: "error", Status.EXEMPT: "skipped"}
_RANK = {"failure": 0, "error": 1, "skipped": 2, None: 3}
_STATUS_RANK = {Status.VIOLATION: 0, Status.UNVERIFIABLE: 1, Status.EXEMPT: 2, Status.COMPLIANT: 3}
_RANKED_OUTCOMES = ("failure", "error", "skipped", None)
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ATTRIBUTE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;", "\r": "&#13;",
                            "\t": "&#9;"})
_PACKAGE_DIR = re.compile(r"[a-z_][A-Za-z0-9_-]*\Z")  # what dorny/test-reporter can match as a Java package


def escape(text: str) -> str:
    """XML character data (str.translate: a few times quicker than xml.sax.saxutils here)."""
    return text.translate(_TEXT)


def quoteattr(text: str) -> str:
    return f'"{text.translate(_ATTRIBUTE)}"'


def render(result: ScanResult, context: ReportContext = DEFAULT_CONTEXT) -> str:
    import io

    buffer = io.StringIO()
    write(result, buffer, context)
    return buffer.getvalue()


def write(result: ScanResult, out: TextIO, context: ReportContext) -> list[str]:
    cases = _cases(result)
    budget = MAX_BYTES - 1_024 - SUITE_RESERVE * len(cases)
    chosen: dict[tuple[str, str], str] = {}
    paths: dict[str, str | None] = {}
    outcomes = {(p, rid): _outcome(fs) for p, resources in cases.items() for rid, fs in resources.items()}
    for _, policy_id, resource_id in sorted(_priorities(cases, outcomes)):
        outcome = outcomes[(policy_id, resource_id)]
        text = _case_xml(policy_id, cases[policy_id][resource_id], outcome, context, paths)
        size = len(text.encode("utf-8"))
        if size > budget:
            break
        budget -= size
        chosen[(policy_id, resource_id)] = text
    suites = [_suite(result, policy_id, cases.get(policy_id, {}), chosen, outcomes) for policy_id in policy_ids(result)]
    totals = [sum(s[1][i] for s in suites) for i in range(3)]
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(f'<testsuites name="residency data residency" tests="{totals[0]}" failures="{totals[1]}" '
              f'errors="{totals[2]}" time="0">\n')
    for text, _ in suites:
        out.write(text)
    out.write("</testsuites>\n")
    left_out = sum(len(resources) for resources in cases.values()) - len(chosen)
    if not left_out:
        return []
    return [f"junit: {left_out:,} test cases are not listed one by one, to stay under {MAX_BYTES // 2**20} MB "
            "(GitLab ignores JUnit reports over 30 MB); each policy's suite counts what it left out"]


def _cases(result: ScanResult) -> dict[str, dict[str, list[Finding]]]:
    cases: dict[str, dict[str, list[Finding]]] = {}
    for finding in result.findings:
        cases.setdefault(finding.policy_id, {}).setdefault(finding.resource.id, []).append(finding)
    return cases


def _outcome(findings: list[Finding]) -> str | None:
    best = min((_STATUS_RANK[f.status] for f in findings), default=3)
    return _RANKED_OUTCOMES[best]


def _priorities(cases: dict[str, dict[str, list[Finding]]], outcomes: dict[tuple[str, str], str | None]
                ) -> Iterator[tuple[tuple[int, int, int], str, str]]:
    order = 0
    for policy_id, resources in cases.items():
        for resource_id, findings in resources.items():
            order += 1
            rank = _RANK[outcomes[(policy_id, resource_id)]]
            yield (rank, -max(f.severity.rank for f in findings), order), policy_id, resource_id


def _suite(result: ScanResult, policy_id: str, resources: dict[str, list[Finding]],
           chosen: dict[tuple[str, str], str], outcomes: dict[tuple[str, str], str | None]
           ) -> tuple[str, tuple[int, int, int]]:
    listed = [chosen[(policy_id, rid)] for rid in resources if (policy_id, rid) in chosen]
    counts = {"tests": 0, "failure": 0, "error": 0, "skipped": 0}
    omitted = {"failure": 0, "error": 0, "skipped": 0, None: 0}
    for rid in resources:
        outcome = outcomes[(policy_id, rid)]
        if (policy_id, rid) in chosen:
            counts["tests"] += 1
            if outcome:
                counts[outcome] += 1
        else:
            omitted[outcome] += 1
    if sum(omitted.values()):
        listed.append(_omitted_case(policy_id, omitted))
        counts["tests"] += 1
        worst = next((o for o in ("failure", "error", "skipped") if omitted[o]), None)
        if worst:
            counts[worst] += 1
    timestamp = result.meta.started_at.removesuffix("Z")
    head = (f'  <testsuite name={quoteattr(inert(policy_id))} tests="{counts["tests"]}" '
            f'failures="{counts["failure"]}" errors="{counts["error"]}" skipped="{counts["skipped"]}" '
            f'time="0" timestamp={quoteattr(timestamp)}>\n')
    body = head + _properties(result, policy_id) + "".join(listed) + "  </testsuite>\n"
    return body, (counts["tests"], counts["failure"], counts["error"])


def _properties(result: ScanResult, policy_id: str) -> str:
    pairs = [("tool.version", result.meta.tool_version)]
    policy = policies_by_id(result).get(policy_id)
    if policy is not None:
        pairs += [("policy.title", policy.title), ("policy.severity", policy.severity.value),
                  ("policy.file", policy.source.file)]
        digest = dict(result.meta.policy_files).get(policy.source.file)
        if digest:
            pairs.append(("policy.sha256", digest))
    lines = "".join(f"      <property name={quoteattr(n)} value={quoteattr(truncate(inert(v), MAX_NAME))}/>\n"
                    for n, v in pairs)
    return f"    <properties>\n{lines}    </properties>\n"


def _case_xml(policy_id: str, findings: list[Finding], outcome: str | None, context: ReportContext,
              paths: dict[str, str | None]) -> str:
    first = findings[0]
    resource = first.resource
    name = truncate(inert(f"{resource.provider.value}:{resource.account}:{resource.name}"), MAX_NAME)
    attributes = f"classname={quoteattr('residency.' + inert(policy_id))} name={quoteattr(name)}"
    source = next((f.policy_source for f in findings if f.status is not Status.COMPLIANT), first.policy_source)
    if source.file not in paths:
        paths[source.file] = repository_path(source.file, context)
    relative = paths[source.file]
    if context.junit_flavor == "gitlab" and relative is not None:
        attributes += f" file={quoteattr(relative)}"
    details = _details(findings, source.file, source.line, relative)
    if outcome is None:
        return f'    <testcase {attributes} time="0">\n      <system-out>{details}</system-out>\n    </testcase>\n'
    worst = next(f for f in findings if f.status is not Status.COMPLIANT)
    message = quoteattr(truncate(inert(worst.message), MAX_MESSAGE))
    kind = "" if outcome == "skipped" else f" type={quoteattr(','.join(sorted({f.rule_id for f in findings})))}"
    return (f'    <testcase {attributes} time="0">\n      <{outcome} message={message}{kind}>{details}</{outcome}>\n'
            "    </testcase>\n")


def _details(findings: list[Finding], policy_file: str, line: int, relative: str | None) -> str:
    lines = []
    for finding in findings:
        lines.append(f"[{finding.status.value}/{finding.severity.value}] {finding.rule_id}: {inert(finding.message)}")
        lines.append(f"  resource: {inert(finding.resource.id)}")
        lines += [f"  - {inert(location_label(loc))}: {inert(loc.reason)}" for loc in finding.locations[:MAX_LOCATIONS]]
        if len(finding.locations) > MAX_LOCATIONS:
            lines.append(f"  - ... {len(finding.locations) - MAX_LOCATIONS} more locations (JSON report)")
        if finding.status is not Status.COMPLIANT:
            lines.append(f"  fix: {inert(finding.remediation)}")
    text = truncate("\n".join(lines), MAX_DETAILS)
    text += f"\npolicy: {inert(policy_file)}:{line}"
    frame = _frame(relative, line)
    if frame:
        text += f"\n    {frame}"
    return escape(text + "\n")


def _frame(relative: str | None, line: int) -> str | None:
    """A Java stack frame naming the policy file and line, in the form dorny/test-reporter resolves."""
    if relative is None or line <= 0:
        return None
    *directories, file_name = relative.split("/")
    if not directories or not all(_PACKAGE_DIR.match(d) for d in directories) or "(" in file_name or ":" in file_name:
        return None
    return f"at {'.'.join(directories)}.Policy({file_name}:{line})"


def _omitted_case(policy_id: str, omitted: dict[str | None, int]) -> str:
    total = sum(omitted.values())
    labelled = (("failing", omitted["failure"]), ("error", omitted["error"]), ("skipped", omitted["skipped"]),
                ("passing", omitted[None]))
    parts = ", ".join(f"{n:,} {label}" for label, n in labelled if n)
    text = (f"{total:,} more resources are not listed ({parts}): the JUnit report stays under "
            f"{MAX_BYTES // 2**20} MB. Every finding is in the JSON, CSV and HTML reports.")
    name = quoteattr(f"residency: {total:,} more resources not listed")
    attributes = f"classname={quoteattr('residency.' + inert(policy_id))} name={name}"
    worst = next((o for o in ("failure", "error", "skipped") if omitted[o]), None)
    if worst is None:
        return f'    <testcase {attributes} time="0">\n      <system-out>{escape(text)}</system-out>\n    </testcase>\n'
    return (f'    <testcase {attributes} time="0">\n      <{worst} message={quoteattr(text)}>{escape(text)}</{worst}>\n'
            "    </testcase>\n")
