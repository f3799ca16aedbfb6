"""HTML report (static checks; tests/browser runs it in Chromium)."""

from __future__ import annotations

import re
from dataclasses import replace

from residency.findings.model import ScanResult
from residency.formats import html, html_view


def test_self_contained_no_external_references(sample: ScanResult) -> None:
    page = html.render(sample)
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    urls = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)""", page)
    assert all(url.startswith("#") for url in urls), urls
    assert not re.search(r"@import|url\(", page)


def test_every_section_reviewers_need_is_there(sample: ScanResult) -> None:
    page = html.render(sample)
    for section in ('id="summary"', 'id="world"', 'id="policies"', 'id="evidence"', 'id="exemptions"',
                    'id="not-scanned"', 'id="provenance"'):
        assert section in page
    assert "a" * 64 in page and "legal@example.com" in page and "AccessDenied on sts:AssumeRole" in page


def test_cloud_strings_are_escaped(sample: ScanResult) -> None:
    first = sample.findings[0]
    evil = replace(first, resource=replace(first.resource, name="<script>alert(1)</script>"))
    page = html.render(ScanResult(sample.meta, (evil,), sample.policies))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_world_grid_marks_the_strongest_state_per_policy_and_country(sample: ScanResult) -> None:
    grid = html_view.world_grid(sample)
    assert grid.policies == ("us-user-data", "eu-customer-data")
    assert grid.countries[-1] == html_view.UNKNOWN_COUNTRY
    cell = grid.cells
    assert cell[("us-user-data", "IE")].state == "outside"
    assert cell[("us-user-data", "BR")].state == "outside" and cell[("us-user-data", "BR")].resources == 1
    assert cell[("us-user-data", "DE")].state == "exempt"
    assert cell[("us-user-data", "US")].state == "allowed"
    assert cell[("us-user-data", "?")].state == "unverified"
    assert cell[("eu-customer-data", "FI")].resources == 2  # eu-orders (dual-region) and eu-lake (multi-region)


def test_exemption_rows_show_active_and_expired(sample: ScanResult) -> None:
    rows = {(r.policy_id, r.exemption.owner): (r.expired, r.matched) for r in html_view.exemption_rows(sample)}
    assert rows == {("us-user-data", "legal@example.com"): (False, ("us-legacy-archive",)),
                    ("eu-customer-data", "ml-platform@example.com"): (True, ("eu-ml-scratch",))}


def test_an_unused_exemption_still_shows_as_covering_nothing(sample: ScanResult) -> None:
    only_compliant = ScanResult(sample.meta, sample.findings[-1:], sample.policies)
    rows = html_view.exemption_rows(only_compliant)
    assert {r.matched for r in rows} == {()}
