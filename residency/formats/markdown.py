"""Markdown for a pull-request comment or job summary: counts, then what needs attention by policy.

Bounded by design below GitHub's 65,536-character comment limit at any estate size: every
part is written through a byte budget (`MAX_BYTES` of UTF-8, which no character count can
exceed), long lists (accounts, gaps, policy files) are summarised past a few entries, and the
table stops with "N more not shown" when the budget runs out. Every cloud-supplied string is
made inert: no HTML, no table breaks, no emphasis, no @mention, issue reference or link.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from typing import TextIO

from residency.findings.model import Finding, ScanResult, Status
from residency.formats._shared import by_policy, location_label, policies_by_id, policy_ids, status_counts
from residency.formats.context import DEFAULT_CONTEXT, ReportContext
from residency.formats.safe import inert, truncate

MAX_BYTES = 60_000  # GitHub rejects comments over 65,536 characters; UTF-8 bytes >= characters
MAX_ROWS = 50
MAX_LISTED = 10  # accounts, gaps, files named before "and N more"
MAX_CELL = 300
_TAIL_RESERVE = 2_000
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]|~#<>!])")
_ZWSP = "&#8203;"  # between '@' and a name, so GitHub neither mentions nor autolinks
_NEUTRALISE = (
    (re.compile(r"@"), "@" + _ZWSP),  # @mentions, @team mentions, e-mail autolinks
    (re.compile(r"(\\#)(?=\w)"), r"\1" + _ZWSP),  # #123 issue references
    (re.compile(r":(?=//)"), ":" + _ZWSP),  # scheme://... autolinks
    (re.compile(r"(?i)\b(www)\."), r"\1" + _ZWSP + "."),  # www. autolinks
)


def md(text: str, limit: int = MAX_CELL) -> str:
    """Inline Markdown from untrusted text: one line, no HTML, no markup, no mention, no link."""
    escaped = _MARKDOWN_PUNCTUATION.sub(r"\\\1", html.escape(truncate(inert(text), limit), quote=False))
    for pattern, replacement in _NEUTRALISE:
        escaped = pattern.sub(replacement, escaped)
    return escaped


class Budget:
    """Lines that fit in `limit` UTF-8 bytes; `add` says False once a line did not fit."""

    def __init__(self, limit: int) -> None:
        self.left = limit
        self.lines: list[str] = []

    def add(self, line: str, reserve: int = 0) -> bool:
        size = len(line.encode("utf-8")) + 1
        if size + reserve > self.left:
            return False
        self.left -= size
        self.lines.append(line)
        return True

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def render(result: ScanResult, context: ReportContext = DEFAULT_CONTEXT) -> str:
    budget = Budget(MAX_BYTES)
    for line in [_title(result), "", *_scope(result), ""]:
        budget.add(line)
    attention = [f for f in result.findings if f.status in (Status.VIOLATION, Status.UNVERIFIABLE)]
    shown = _tables(result, attention, budget)
    if len(attention) > shown:
        budget.add(f"_{len(attention) - shown:,} more finding(s) needing attention are not shown here._")
        budget.add("")
    _exemptions(result, budget)
    budget.add("_The full report (every resource, location, exemption and the scan's provenance) is the HTML "
               "or JSON report of this run: `residency scan ... --format html --output residency.html`._")
    return budget.text()


def write(result: ScanResult, out: TextIO, context: ReportContext) -> list[str]:
    out.write(render(result, context))
    return []


_LABELS = {Status.VIOLATION: "violations", Status.UNVERIFIABLE: "unverifiable", Status.EXEMPT: "exempt",
           Status.COMPLIANT: "compliant"}


def _title(result: ScanResult) -> str:
    counts = status_counts(result)
    parts = [f"{counts[s]:,} {_LABELS[s] if counts[s] != 1 else s.value}" for s in counts]
    verdict = "needs attention" if counts[Status.VIOLATION] or counts[Status.UNVERIFIABLE] else "all clear"
    return f"## Data residency: {verdict} ({', '.join(parts)})"


def _listed(items: list[str], total: int, what: str) -> str:
    shown = ", ".join(items[:MAX_LISTED]) or "nothing"
    return shown if total <= MAX_LISTED else f"{shown} and {total - MAX_LISTED:,} more {what}"


def _scope(result: ScanResult) -> list[str]:
    meta = result.meta
    per_provider = Counter(p for p, _ in meta.scanned)
    if len(meta.scanned) <= MAX_LISTED:
        scanned = ", ".join(f"{md(p)} {md(a)}" for p, a in meta.scanned) or "nothing"
    else:
        counts = ", ".join(f"{md(p)} {n:,}" for p, n in per_provider.items())
        scanned = f"{len(meta.scanned):,} accounts ({counts})"
    lines = [f"**Scanned:** {scanned} (source: {md(meta.source)}, residency {md(meta.tool_version)}, "
             f"{md(meta.finished_at)})"]
    files = [f"{md(path)} (sha256 {digest[:12]})" for path, digest in meta.policy_files[:MAX_LISTED]]
    if files:
        lines += ["", f"**Policies:** {_listed(files, len(meta.policy_files), 'files')}"]
    if meta.account_gaps:
        gaps = [f"{g.provider.value} {md(g.account)}: {md(g.reason, 120)}" for g in meta.account_gaps[:MAX_LISTED]]
        text = "; ".join(gaps)
        if len(meta.account_gaps) > MAX_LISTED:
            text += f"; and {len(meta.account_gaps) - MAX_LISTED:,} more accounts (the JSON report lists them)"
        lines += ["", f"**Not scanned ({len(meta.account_gaps):,}):** {text}"]
    return lines


def _tables(result: ScanResult, attention: list[Finding], budget: Budget) -> int:
    """Tables by policy until MAX_ROWS or the budget is reached; returns how many rows were shown."""
    grouped = by_policy(attention[:MAX_ROWS])
    policies = policies_by_id(result)
    shown = 0
    for policy_id in policy_ids(result):
        if policy_id not in grouped:
            continue
        policy = policies.get(policy_id)
        heading = f"### {md(policy_id)}"
        if policy is not None:
            heading += f": {md(policy.title)} ({policy.severity.value})"
        header = [heading, "", "| Status | Resource | Where | Finding |", "| --- | --- | --- | --- |"]
        if not all(budget.add(line, _TAIL_RESERVE) for line in header):
            return shown
        for finding in grouped[policy_id]:
            if not budget.add(_row(finding), _TAIL_RESERVE):
                budget.add("")
                return shown
            shown += 1
        budget.add("")
    return shown


def _row(finding: Finding) -> str:
    resource = finding.resource
    status = f"**{finding.status.value}**" if finding.status is Status.VIOLATION else finding.status.value
    if finding.baseline == "new":
        status += " (new)"
    where = "<br>".join(md(location_label(loc), 120) for loc in finding.locations[:5]) or "-"
    if len(finding.locations) > 5:
        where += f"<br>and {len(finding.locations) - 5} more"
    name = f"{md(resource.name, 120)} ({resource.provider.value} {md(resource.account, 80)})"
    return f"| {status} | {name} | {where} | {md(finding.message)} |"


def _exemptions(result: ScanResult, budget: Budget) -> None:
    exempt = [f for f in result.findings if f.status is Status.EXEMPT]
    if not exempt:
        return
    budget.add(f"<details><summary>{len(exempt):,} exempt finding(s)</summary>", _TAIL_RESERVE)
    budget.add("")
    listed = 0
    for finding in exempt[:MAX_ROWS]:
        exemption = finding.exemption
        owner = f" (owner {md(exemption.owner, 80)}, expires {exemption.expires or 'never'})" if exemption else ""
        line = f"- {md(finding.policy_id)}: {md(finding.resource.name, 120)}: {md(finding.rule_id)}{owner}"
        if not budget.add(line, _TAIL_RESERVE // 2):
            break
        listed += 1
    if len(exempt) > listed:
        budget.add(f"- and {len(exempt) - listed:,} more (the JSON report lists them)")
    budget.add("")
    budget.add("</details>")
    budget.add("")
