"""How `residency diff OLD NEW` prints: text, JSON or Markdown. Pure functions of a ReportDiff.

Only open findings (violation, unverifiable) take part: new = open now but not before,
resolved = open before but not now, unchanged = open in both. A resolved finding whose
account the new scan could not reach is flagged: out of sight is not fixed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from residency.formats.markdown import MAX_BYTES, Budget, md
from residency.formats.safe import inert
from residency.history.baseline import ReportDiff, ReportFinding

SECTIONS = ("new", "resolved", "unchanged")
TABLE_RULE = "| --- | --- | --- | --- |"


def _sections(diff: ReportDiff) -> dict[str, tuple[ReportFinding, ...]]:
    return {"new": diff.added, "resolved": diff.resolved, "unchanged": diff.unchanged}


def render_text(diff: ReportDiff) -> str:
    lines = [inert(f"residency diff: {diff.old.path} ({diff.old.finished_at or '?'}) -> "
                   f"{diff.new.path} ({diff.new.finished_at or '?'})")]
    every = [f for findings in _sections(diff).values() for f in findings]
    policy_width = max((len(f.policy) for f in every), default=0)
    rule_width = max((len(f.rule) for f in every), default=0)
    for name, findings in _sections(diff).items():
        lines.append(f"{name}: {len(findings)}")
        for finding in findings:
            note = " (account not scanned in NEW: not confirmed fixed)" if name == "resolved" and \
                diff.unconfirmed(finding) else ""
            lines.append(inert(f"  {finding.status:<12} {finding.severity:<8} {finding.policy:<{policy_width}}  "
                               f"{finding.rule:<{rule_width}}  {finding.provider}:{finding.resource_name}") + note)
    lines.append(_summary(diff))
    return "\n".join(lines) + "\n"


def render_json(diff: ReportDiff) -> str:
    # The two reports under their own keys: "new" is the list of new findings.
    document: dict[str, Any] = {
        "reports": {
            "old": {"path": diff.old.path, "finished_at": diff.old.finished_at, "tool_version": diff.old.tool_version},
            "new": {"path": diff.new.path, "finished_at": diff.new.finished_at, "tool_version": diff.new.tool_version},
        },
        "summary": {name: len(findings) for name, findings in _sections(diff).items()},
    }
    for name, findings in _sections(diff).items():
        document[name] = [_as_dict(f, diff, name) for f in findings]
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _as_dict(finding: ReportFinding, diff: ReportDiff, section: str) -> dict[str, Any]:
    item: dict[str, Any] = {
        "fingerprint": finding.fingerprint,
        "policy": finding.policy,
        "rule": finding.rule,
        "severity": finding.severity,
        "status": finding.status,
        "resource": {"provider": finding.provider, "account": finding.account,
                     "id": finding.resource_id, "name": finding.resource_name},
        "message": finding.message,
    }
    if section == "resolved":
        item["confirmed"] = not diff.unconfirmed(finding)
    return item


def render_markdown(diff: ReportDiff) -> str:
    """Bounded like the scan's Markdown: under GitHub's comment limit however many findings changed."""
    budget = Budget(MAX_BYTES)
    for line in (f"## Data residency: what changed since {md(diff.old.finished_at or diff.old.path)}", "",
                 f"**{len(diff.added)} new**, {len(diff.resolved)} resolved, {len(diff.unchanged)} unchanged.", ""):
        budget.add(line)
    for name, findings in _sections(diff).items():
        if not findings or name == "unchanged":
            continue
        for line in (f"### {name.capitalize()}", "", "| Status | Policy | Resource | Finding |", TABLE_RULE):
            budget.add(line, 1_000)
        shown = 0
        for finding in findings:
            note = " (account not scanned: not confirmed)" if name == "resolved" and diff.unconfirmed(finding) else ""
            row = (f"| {md(finding.status)}{note} | {md(finding.policy)} | "
                   f"{md(finding.resource_name)} ({md(finding.provider)}) | {md(finding.message)} |")
            if not budget.add(row, 1_000):
                break
            shown += 1
        budget.add("")
        if shown < len(findings):
            budget.add(f"_{len(findings) - shown:,} more {name} finding(s) not shown; "
                       "`residency diff --format json` lists them all._")
            budget.add("")
    return budget.text()


def _summary(diff: ReportDiff) -> str:
    unconfirmed = sum(1 for f in diff.resolved if diff.unconfirmed(f))
    tail = f" ({unconfirmed} only because an account was not scanned)" if unconfirmed else ""
    return f"{len(diff.added)} new, {len(diff.resolved)} resolved{tail}, {len(diff.unchanged)} unchanged"


DIFF_FORMATS: dict[str, Callable[[ReportDiff], str]] = {
    "text": render_text,
    "json": render_json,
    "markdown": render_markdown,
}
