"""HTML report (static checks; tests/browser runs it in Chromium with axe-core)."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from html.parser import HTMLParser
from typing import Any

from residency.catalog import load_catalog
from residency.findings.model import ScanResult
from residency.formats import html, html_data, html_view


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: dict[str, str] = {}
        self.tags: list[str] = []
        self._current: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "script":
            self._current = dict(attrs).get("id") or "inline"

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self.scripts[self._current] = self.scripts.get(self._current, "") + data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._current = None


def parse(page: str) -> _Scripts:
    parser = _Scripts()
    parser.feed(page)
    return parser


def report_data(page: str) -> Any:
    return json.loads(parse(page).scripts["report-data"])


def test_self_contained_no_external_references(sample: ScanResult) -> None:
    page = html.render(sample)
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    urls = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)""", page)
    assert all(url.startswith("#") for url in urls), urls
    assert not re.search(r"@import", page)
    assert all(ref.startswith("#") for ref in re.findall(r"url\(([^)]*)\)", page))


def test_every_section_reviewers_need_is_there(sample: ScanResult) -> None:
    page = html.render(sample)
    for section in ('id="signoff"', 'id="world"', 'id="findings"', 'id="evidence"', 'id="exemptions"',
                    'id="not-scanned"', 'id="controls"', 'id="provenance"', 'id="world-map"', "@media print"):
        assert section in page
    assert "a" * 64 in page and "legal@example.com" in page and "AccessDenied on sts:AssumeRole" in page
    assert "CCC.Core.CN06.AR01" in page and "DSP-19" in page and "SA-9(8)" in page and "7.5.2" in page


def test_findings_travel_once_as_data_with_their_rule(sample: ScanResult) -> None:
    data = report_data(html.render(sample))
    strings = data["strings"]
    assert len(data["findings"]) == len(sample.findings)
    for row, finding in zip(data["findings"], sample.findings, strict=True):
        resource = data["resources"][row[0]]
        assert strings[resource[0]] == finding.resource.name
        spec = resource[4]
        assert (strings[spec] + finding.resource.name if isinstance(spec, int) else spec) == finding.resource.id
        assert strings[row[2]] == finding.rule_id  # evidence rows name their rule
        assert data["statuses"][row[3]] == finding.status.value
        assert strings[row[5]].replace(html_data.NAME_MARK, finding.resource.name) == finding.message
        assert [strings[loc[0]] for loc in row[8]] == [loc.kind.value for loc in finding.locations]


def test_cloud_strings_are_escaped(sample: ScanResult) -> None:
    first = sample.findings[0]
    evil = replace(first, resource=replace(first.resource, name="</script><script>alert(1)</script>\u202e"))
    page = html.render(ScanResult(sample.meta, (evil,), sample.policies))
    assert "<script>alert(1)" not in page and "</script><script>" not in page
    parsed = parse(page)
    assert parsed.tags.count("script") == 3  # the map data, the report data, the code: nothing injected
    data = report_data(page)
    assert data["strings"][data["resources"][0][0]] == "</script><script>alert(1)</script>\\u202e"


def test_world_grid_counts_resources_by_state_per_policy_and_country(sample: ScanResult) -> None:
    grid = html_view.world_grid(sample)
    assert grid.policies == ("us-user-data", "eu-customer-data")
    assert grid.countries[-1] == html_view.UNKNOWN_COUNTRY
    cell = grid.cells
    assert cell[("us-user-data", "IE")].state == "outside"
    assert cell[("us-user-data", "BR")].state == "outside" and cell[("us-user-data", "BR")].resources == 1
    assert cell[("us-user-data", "DE")].state == "exempt"  # an exempt resource shows as exempt
    assert cell[("us-user-data", "DE")].breakdown == "1 outside, but exempt"
    assert cell[("us-user-data", "US")].state == "allowed"
    assert cell[("us-user-data", "?")].state == "unverified"
    assert cell[("eu-customer-data", "FI")].resources == 2  # eu-orders (dual-region) and eu-lake (multi-region)
    assert grid.map_states[""]["BR"] == "outside" and grid.map_states["eu-customer-data"]["FI"] == "allowed"


def test_grid_cells_say_their_state_in_words_not_only_colour(sample: ScanResult) -> None:
    page = html.render(sample)
    cells = re.findall(r'<td class="cell (\w+)"[^>]*>(.*?)</td>', page)
    assert cells and all(state == "none" or html_view.CELL_LABEL[state] in content for state, content in cells)


def test_exemption_rows_show_active_and_expired(sample: ScanResult) -> None:
    rows = {(r.policy_id, r.exemption.owner): (r.expired, r.matched, r.examples)
            for r in html_view.exemption_rows(sample)}
    assert rows == {("us-user-data", "legal@example.com"): (False, 1, ("us-legacy-archive",)),
                    ("eu-customer-data", "ml-platform@example.com"): (True, 1, ("eu-ml-scratch",))}


def test_an_unused_exemption_still_shows_as_covering_nothing(sample: ScanResult) -> None:
    only_compliant = ScanResult(sample.meta, sample.findings[-1:], sample.policies)
    assert {r.matched for r in html_view.exemption_rows(only_compliant)} == {0}


def test_every_country_a_region_can_be_in_is_on_the_map() -> None:
    world = html_view.world_map()
    countries: dict[str, Any] = world["countries"]  # type: ignore[assignment]
    catalog = load_catalog()
    needed = {c for location in catalog.locations for c in (location.countries or ())}
    missing = sorted(c for c in needed if c not in countries or not (countries[c]["d"] or "marker" in countries[c]))
    assert missing == []


def test_size_grows_by_little_per_finding(sample: ScanResult) -> None:
    base = sample.findings[0]
    many = tuple(replace(base, resource=replace(base.resource, id=f"arn:aws:s3:::bucket-{i}", name=f"bucket-{i}"),
                         message=f"bucket-{i}: replica outside the allowed locations: eu-west-1 is in IE.")
                 for i in range(5_000))
    small = len(html.render(ScanResult(sample.meta, many[:1], sample.policies)))
    large = len(html.render(ScanResult(sample.meta, many, sample.policies)))
    assert (large - small) / 5_000 < 100  # bytes per finding: 50,000 resources (~90,000 findings) stay under 15 MB
