"""Markdown for a pull-request comment: summary counts, then what needs attention by policy.

Capped at MAX_ROWS table rows so a large estate cannot exceed comment size limits; the
rest is counted and pointed to the full (HTML/JSON) report. Every cloud-supplied string
is escaped: a bucket name or an API error cannot inject markup into the comment.
"""

from __future__ import annotations

import html
import re

from residency.findings.model import Finding, ScanResult, Status
from residency.formats._shared import by_policy, location_label, one_line, policies_by_id, policy_ids, status_counts

MAX_ROWS = 50
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]|~#])")


def md(text: str) -> str:
    """Escape for inline Markdown (and a table cell): no HTML, no emphasis, no cell breaks."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", html.escape(one_line(text), quote=False))


def render(result: ScanResult) -> str:
    lines = [_title(result), "", *_scope(result), ""]
    attention = [f for f in result.findings if f.status in (Status.VIOLATION, Status.UNVERIFIABLE)]
    shown = attention[:MAX_ROWS]
    grouped = by_policy(shown)
    policies = policies_by_id(result)
    for policy_id in policy_ids(result):
        if policy_id not in grouped:
            continue
        policy = policies.get(policy_id)
        heading = f"### {md(policy_id)}"
        if policy is not None:
            heading += f": {md(policy.title)} ({policy.severity.value})"
        lines += [heading, "", "| Status | Resource | Where | Finding |", "| --- | --- | --- | --- |"]
        lines += [_row(f) for f in grouped[policy_id]]
        lines.append("")
    if len(attention) > len(shown):
        lines += [f"_{len(attention) - len(shown)} more finding(s) not shown here._", ""]
    lines += _exemptions(result)
    lines.append(
        "_The full report (every resource, location, exemption and the scan's provenance) is the HTML "
        "or JSON report of this run: `residency scan ... --format html --output residency.html`._"
    )
    return "\n".join(lines) + "\n"


_LABELS = {Status.VIOLATION: "violations", Status.UNVERIFIABLE: "unverifiable", Status.EXEMPT: "exempt",
           Status.COMPLIANT: "compliant"}


def _title(result: ScanResult) -> str:
    counts = status_counts(result)
    parts = [f"{counts[status]} {_LABELS[status] if counts[status] != 1 else status.value}" for status in counts]
    verdict = "needs attention" if counts[Status.VIOLATION] or counts[Status.UNVERIFIABLE] else "all clear"
    return f"## Data residency: {verdict} ({', '.join(parts)})"


def _scope(result: ScanResult) -> list[str]:
    meta = result.meta
    scanned = ", ".join(f"{md(p)} {md(a)}" for p, a in meta.scanned) or "nothing"
    lines = [f"**Scanned:** {scanned} (source: {md(meta.source)}, residency {md(meta.tool_version)}, "
             f"{md(meta.finished_at)})"]
    policy_files = ", ".join(f"{md(path)} (sha256 {digest[:12]})" for path, digest in meta.policy_files)
    if policy_files:
        lines += ["", f"**Policies:** {policy_files}"]
    if meta.account_gaps:
        gaps = "; ".join(f"{g.provider.value} {md(g.account)}: {md(g.reason)}" for g in meta.account_gaps)
        lines += ["", f"**Not scanned:** {gaps}"]
    return lines


def _row(finding: Finding) -> str:
    resource = finding.resource
    status = f"**{finding.status.value}**" if finding.status is Status.VIOLATION else finding.status.value
    if finding.baseline == "new":
        status += " (new)"
    where = "<br>".join(md(location_label(loc)) for loc in finding.locations) or "-"
    name = f"{md(resource.name)} ({resource.provider.value} {md(resource.account)})"
    return f"| {status} | {name} | {where} | {md(finding.message)} |"


def _exemptions(result: ScanResult) -> list[str]:
    exempt = [f for f in result.findings if f.status is Status.EXEMPT]
    if not exempt:
        return []
    lines = [f"<details><summary>{len(exempt)} exempt finding(s)</summary>", ""]
    for finding in exempt[:MAX_ROWS]:
        exemption = finding.exemption
        owner = f" (owner {md(exemption.owner)}, expires {exemption.expires or 'never'})" if exemption else ""
        lines.append(f"- {md(finding.policy_id)}: {md(finding.resource.name)}: {md(finding.rule_id)}{owner}")
    return [*lines, "", "</details>", ""]
