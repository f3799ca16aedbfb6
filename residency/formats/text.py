"""Readable terminal output: a table of what needs attention and a summary line.

Colour only on a terminal: `render` is plain text (files, pipes); the CLI prints
`render_rich` to a terminal.
"""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table

from residency.findings import Finding, ScanResult, Status

_STYLE = {
    Status.VIOLATION: "bold red",
    Status.UNVERIFIABLE: "yellow",
    Status.EXEMPT: "cyan",
    Status.COMPLIANT: "green",
}
MAX_ROWS = 200


def _where(finding: Finding) -> str:
    parts = []
    for loc in finding.locations:
        countries = ",".join(loc.countries) if loc.countries else "?"
        parts.append(f"{loc.region or '?'} ({countries}) [{loc.kind.value}]")
    return "\n".join(parts) or "-"


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


def _table(result: ScanResult) -> Table:
    table = Table(title="Findings needing attention", show_lines=False, expand=False)
    for column in ("status", "severity", "policy", "rule", "resource", "where"):
        table.add_column(column, overflow="fold")
    shown = [f for f in result.findings if f.status is not Status.COMPLIANT]
    for finding in shown[:MAX_ROWS]:
        table.add_row(
            f"[{_STYLE[finding.status]}]{finding.status.value}[/]",
            finding.severity.value,
            finding.policy_id,
            finding.rule_id,
            f"{finding.resource.provider.value}:{finding.resource.name}",
            _where(finding),
        )
    if len(shown) > MAX_ROWS:
        table.caption = f"{len(shown) - MAX_ROWS} more not shown; see the JSON or HTML report"
    return table


def _print(console: Console, result: ScanResult) -> None:
    if any(f.status is not Status.COMPLIANT for f in result.findings):
        console.print(_table(result))
    else:
        console.print("No violations, nothing unverifiable.")
    for gap in result.meta.account_gaps:
        console.print(f"[yellow]not scanned:[/] {gap.provider.value}:{gap.account}: {gap.reason}")
    for policy, countries in countries_by_policy(result).items():
        console.print(f"{policy}: data found in {', '.join(countries) or 'no known country'}")
    console.print(summary_line(result))


def render(result: ScanResult) -> str:
    buffer = io.StringIO()
    _print(Console(file=buffer, width=160, no_color=True, force_terminal=False, highlight=False), result)
    return buffer.getvalue()


def print_to(console: Console, result: ScanResult) -> None:
    _print(console, result)
