"""Readable terminal output: what needs attention, where each data class was found, provenance.

`render` is plain text for files and pipes: aligned columns, one finding per line, never
wrapped, so `grep` sees whole findings. The CLI prints `print_to` on a terminal: the same
lines in colour, or two lines per finding when one would not fit the terminal's width.
Cloud-supplied strings are made inert (control, bidi and newline characters escaped), so a
bucket name can neither start a GitHub Actions workflow command line nor a terminal escape, and
a `[` in a name or region is never taken as markup. Long lists (findings, unscanned accounts,
scanned accounts) are cut with a count; the JSON report has everything.
"""

from __future__ import annotations

import io
import sys
from collections import Counter
from typing import TextIO

from rich.console import Console
from rich.markup import escape

from residency.findings.model import Finding, ScanResult, Status, TransferRecord
from residency.formats._shared import needs_attention
from residency.formats.context import ReportContext
from residency.formats.safe import inert

_STYLE = {
    Status.VIOLATION: "bold red",
    Status.UNVERIFIABLE: "yellow",
    Status.EXEMPT: "cyan",
    Status.COMPLIANT: "green",
}
MAX_ROWS = 200
MAX_LISTED = 20  # scanned accounts named in the provenance line
COLUMNS = ("status", "severity", "policy", "rule", "resource", "where")


def _location(finding: Finding) -> list[str]:
    """One entry per location: "eu-west-1 (IE) replica"."""
    return [
        f"{inert(loc.region) if loc.region else '?'} ({','.join(loc.countries) if loc.countries else '?'}) "
        f"{loc.kind.value}"
        for loc in finding.locations
    ]


def _resource(finding: Finding, source: str) -> str:
    resource = finding.resource
    named = f"{resource.provider.value}:{inert(resource.name)}"
    # A plan finding is fixed in Terraform code: its address says where.
    if source.startswith("terraform-plan:") and resource.id != resource.name:
        return f"{named} {inert(resource.id)}"
    return named


def _cells(finding: Finding, source: str, separator: str) -> tuple[str, ...]:
    where = separator.join(_location(finding)) or "-"
    return (finding.status.value, finding.severity.value, finding.policy_id, finding.rule_id,
            _resource(finding, source), where)


def summary_line(result: ScanResult) -> str:
    counts = {status: result.count(status) for status in Status}
    resources = len({f.resource.id for f in result.findings})
    return (
        f"{counts[Status.VIOLATION]} violation(s), {counts[Status.UNVERIFIABLE]} unverifiable, "
        f"{counts[Status.EXEMPT]} exempt, {counts[Status.COMPLIANT]} compliant "
        f"across {resources} resource(s) and {len(result.policies)} polic(y/ies)"
    )


def countries_by_policy(result: ScanResult) -> dict[str, list[str]]:
    """Countries where each policy's data class was found (any counted location)."""
    found: dict[str, set[str]] = {}
    for finding in result.findings:
        bucket = found.setdefault(finding.policy_id, set())
        for loc in finding.locations:
            bucket.update(loc.countries or ())
    return {policy: sorted(countries) for policy, countries in sorted(found.items())}


def transfer_line(transfer: TransferRecord) -> str:
    """'transfer s3://a -> s3://b: moved 9, lost 1, ...' with every count that is not zero."""
    counts = ", ".join(f"{name} {count}" for name, count in transfer.summary if count) or "no objects"
    residual = "" if transfer.residual_verified else "; deleted data outside unverifiable"
    return f"transfer {transfer.source} -> {transfer.destination}: {counts}{residual}"


def provenance_lines(result: ScanResult) -> list[str]:
    """Tool version, time, scope scanned and policy digests (DESIGN: every report carries them)."""
    meta = result.meta
    scanned = ", ".join(f"{provider}:{inert(account)}" for provider, account in meta.scanned[:MAX_LISTED]) or "nothing"
    if len(meta.scanned) > MAX_LISTED:
        per_provider = ", ".join(f"{p} {n:,}" for p, n in Counter(p for p, _ in meta.scanned).items())
        scanned += f" and {len(meta.scanned) - MAX_LISTED:,} more ({len(meta.scanned):,} accounts: {per_provider})"
    lines = [
        inert(f"residency {meta.tool_version}, {meta.source}, {meta.started_at} to {meta.finished_at}"),
        f"providers: {', '.join(meta.providers) or '-'}; scanned: {scanned}",
    ]
    lines += [f"policy file {inert(path)} sha256:{digest}" for path, digest in meta.policy_files]
    return lines


def _tail(result: ScanResult) -> list[tuple[str, str]]:
    """(style, line) after the findings: gaps, countries, provenance, summary."""
    gaps = result.meta.account_gaps
    lines = [("yellow", f"not scanned: {gap.provider.value}:{inert(gap.account)}: {inert(gap.reason)}")
             for gap in gaps[:MAX_ROWS]]
    if len(gaps) > MAX_ROWS:
        lines.append(("yellow", f"not scanned: {len(gaps) - MAX_ROWS:,} more accounts; see the JSON report"))
    lines += [("", f"{policy}: data found in {', '.join(countries) or 'no known country'}")
              for policy, countries in countries_by_policy(result).items() if not result.transfers]
    lines += [("", transfer_line(t)) for t in result.transfers]
    lines += [("dim", line) for line in provenance_lines(result)]
    lines.append(("bold", summary_line(result)))
    return lines


def _aligned(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]


def render(result: ScanResult) -> str:
    lines = [line for _, line in [*_finding_lines(result, sys.maxsize), *_tail(result)]]
    return "\n".join(lines) + "\n"


def write(result: ScanResult, out: TextIO, context: ReportContext) -> list[str]:
    out.write(render(result))
    return []


def _finding_lines(result: ScanResult, width: int) -> list[tuple[str, str]]:
    """(style, line) of the findings block: one aligned line each, or two when `width` is too narrow."""
    shown = needs_attention(result.findings)
    if not shown:
        return [("", "No violations, nothing unverifiable.")]
    findings = shown[:MAX_ROWS]
    header = tuple(c.upper() for c in COLUMNS)
    rows = [header, *(_cells(f, result.meta.source, "; ") for f in findings)]
    styles = ["bold", *(_STYLE[f.status] for f in findings)]
    lines = _aligned(rows)
    if max(len(line) for line in lines) <= width:
        styled = list(zip(styles, lines, strict=True))
    else:  # what the finding is on one line; resource and where indented below
        heads = _aligned([(*row[:4], "", "") for row in rows])
        styled = [(style, line) for style, head, row in zip(styles, heads, rows, strict=True)
                  for line in (head, *_below(row, width))]
    if len(shown) > MAX_ROWS:
        styled.append(("", f"... {len(shown) - MAX_ROWS} more not shown; see the JSON or HTML report"))
    return styled


def _below(row: tuple[str, ...], width: int) -> list[str]:
    """Resource and where under a stacked finding; one location a line when they do not fit."""
    line = f"    {row[4]}  {row[5]}"
    if len(line) <= width:
        return [line]
    return [f"    {row[4]}", *(f"      {where}" for where in row[5].split("; "))]


def print_to(console: Console, result: ScanResult) -> None:
    for style, line in [*_finding_lines(result, console.width), *_tail(result)]:
        console.print(f"[{style}]{escape(line)}[/]" if style else escape(line), highlight=False, soft_wrap=True)


def render_terminal(result: ScanResult, width: int) -> str:
    """What a terminal of `width` columns shows, without colour (tests)."""
    buffer = io.StringIO()
    print_to(Console(file=buffer, width=width, no_color=True, force_terminal=False, highlight=False), result)
    return buffer.getvalue()
