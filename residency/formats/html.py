"""The HTML report for reviewers: one self-contained file, nothing fetched from the network.

CSS, JavaScript and the SVG world map are inline; a Content-Security-Policy meta tag forbids
every fetch, so the file behaves the same offline, in a mail attachment or in a CI artifact
viewer. The summary, map, grid, exemptions, gaps, controls and provenance are HTML rendered by
jinja2 (autoescaping on; every cloud-supplied string is also made inert). The findings and
evidence travel as compact JSON (`html_data`) that the script renders a page at a time, so a
report of 50,000 resources stays a few MB and opens in a second.
"""

from __future__ import annotations

import io
from functools import cache
from typing import Any, TextIO

import jinja2

from residency.findings.controls import CATALOGS
from residency.findings.model import ScanResult
from residency.formats import html_view
from residency.formats.context import DEFAULT_CONTEXT, ReportContext
from residency.formats.html_data import write_data
from residency.formats.safe import inert

DATA_MARKER = "@@RESIDENCY_DATA@@"
MAX_GAPS = 1_000  # rows in the "Not scanned" table; the JSON report lists every one
TABLES = (
    {"id": "findings-table", "caption": "Findings",
     "columns": (("status", "Status"), ("severity", "Severity"), ("policy", "Policy"), ("rule", "Rule"),
                 ("resource", "Resource"), ("account", "Account"), ("where", "Where"), ("finding", "Finding"))},
    {"id": "evidence-table", "caption": "Evidence",
     "columns": (("resource", "Resource"), ("policy", "Policy"), ("rule", "Rule"), ("status", "Status"),
                 ("kind", "Copy"), ("region", "Region"), ("countries", "Countries"), ("reason", "Why it counts"))},
)


@cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("residency.formats", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["inert"] = inert
    return environment


def render(result: ScanResult, context: ReportContext = DEFAULT_CONTEXT) -> str:
    buffer = io.StringIO()
    write(result, buffer, context)
    return buffer.getvalue()


def write(result: ScanResult, out: TextIO, context: ReportContext) -> list[str]:
    page = _environment().get_template("report.html.j2").render(**_view(result))
    head, tail = page.split(DATA_MARKER)
    out.write(head)
    write_data(result, out)
    out.write(tail)
    return []


def _view(result: ScanResult) -> dict[str, Any]:
    world = html_view.world_map()
    countries: dict[str, dict[str, Any]] = world["countries"]  # type: ignore[assignment]
    return {
        "meta": result.meta,
        "summary": html_view.summary(result),
        "policies": html_view.policy_rows(result),
        "grid": html_view.world_grid(result),
        "world": world,
        "country_names": {code: entry["name"] for code, entry in countries.items()},
        "states": html_view.CELL_STATES,
        "labels": html_view.CELL_LABEL,
        "symbols": {**html_view.CELL_SYMBOL, "violation": "✕", "unverifiable": "?", "compliant": "✓"},
        "exemptions": html_view.exemption_rows(result),
        "controls": html_view.controls_table(),
        "catalogs": CATALOGS,
        "tables": TABLES,
        "location_set": html_view.location_set,
        "inert": inert,
        "max_gaps": MAX_GAPS,
        "data_marker": DATA_MARKER,
    }
