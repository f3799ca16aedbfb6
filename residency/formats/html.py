"""The HTML report for reviewers: one self-contained file, nothing fetched from the network.

CSS, JavaScript and the SVG world view are inline; a Content-Security-Policy meta tag
forbids every fetch, so the file behaves the same offline, in a mail attachment or in a
CI artifact viewer. Templates are package data (`templates/`), rendered by jinja2 with
autoescaping on: every cloud-supplied string is escaped.
"""

from __future__ import annotations

from functools import cache

import jinja2

from residency.findings.model import ScanResult
from residency.formats import html_view

GRID_CELL = (34, 26)  # width, height of one world-view cell, in SVG units
GRID_LABEL_WIDTH = 190


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("residency.formats", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(result: ScanResult) -> str:
    template = _environment().get_template("report.html.j2")
    return template.render(
        meta=result.meta,
        summary=html_view.summary(result),
        grid=html_view.world_grid(result),
        cell=GRID_CELL,
        label_width=GRID_LABEL_WIDTH,
        cell_labels=html_view.CELL_LABEL,
        sections=html_view.policy_sections(result),
        evidence=html_view.evidence_rows(result),
        exemptions=html_view.exemption_rows(result),
        location_set=html_view.location_set,
    )
