"""The HTML report in a real headless Chromium (Debian's package, driven by Playwright).

Renders, logs no console errors, makes no network request beyond loading its own file,
filters, sorts from the keyboard, pages, switches to the one-page summary, prints, and passes
axe-core's WCAG 2 A/AA rules (contrast, names, table headers, aria-sort ...). Speed at 50,000
resources is measured by scripts/bench_reports.py, not asserted here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest

from residency.findings.model import ScanResult
from residency.formats import html
from scripts.report_sample import sample_result

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium absent (scripts/install_system_deps.sh)"),
]


@dataclass
class Loaded:
    page: Any
    url: str
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


def _many(count: int) -> ScanResult:
    """The sample plus enough findings to need several pages."""
    sample = sample_result()
    base = sample.findings[0]
    extra = tuple(replace(base, resource=replace(base.resource, id=f"arn:aws:s3:::page-{i:03d}", name=f"page-{i:03d}"),
                          message=f"page-{i:03d}: replica outside the allowed locations.") for i in range(count))
    return ScanResult(sample.meta, sample.findings + extra, sample.policies)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def _open(browser: Any, path: Path, result: ScanResult) -> Loaded:
    path.write_text(html.render(result), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    run = Loaded(page, path.as_uri())
    page.on("console", lambda msg: run.console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: run.console_errors.append(str(error)))
    page.on("request", lambda request: run.requests.append(request.url))
    page.goto(run.url, wait_until="load")
    page.wait_for_selector("html[data-ready=true]")
    return run


@pytest.fixture(scope="module")
def loaded(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Loaded]:
    run = _open(browser, tmp_path_factory.mktemp("html") / "residency.html", sample_result())
    yield run
    run.page.close()


def _rows(page: Any, table: str) -> list[str]:
    return [text.strip() for text in page.locator(f"#{table} tbody tr").all_inner_texts()]


def _filter(page: Any, text: str = "", status: str = "", policy: str = "") -> None:
    page.fill("#filter-text", text)
    page.select_option("#filter-status", status)
    page.select_option("#filter-policy", policy)


def test_renders_summary_map_and_grid(loaded: Loaded) -> None:
    page = loaded.page
    assert page.title() == "Data residency report: 2026-11-25T08:01:30Z"
    assert page.inner_text("#signoff .count.violation strong") == "5"
    assert page.locator("#world-map path.s-outside[data-c=BR]").count() == 1
    assert page.locator("#world-map .s-exempt[data-c=DE]").count() == 1
    assert page.locator("#world-map circle.s-exempt[data-c=SG]").count() == 1  # too small to see: a marker
    assert "outside the allowed locations" in page.inner_text("table.grid")


def test_no_console_errors_and_no_network_requests(loaded: Loaded) -> None:
    _filter(loaded.page, "brazil")
    _filter(loaded.page)
    assert loaded.console_errors == []
    assert set(loaded.requests) == {loaded.url}


def test_filter_by_text_status_and_policy(loaded: Loaded) -> None:
    page = loaded.page
    _filter(page, "brazilsouth")
    findings, evidence = _rows(page, "findings-table"), _rows(page, "evidence-table")
    assert len(findings) == 2 and all("ususerblobs" in row for row in findings)
    assert len(evidence) == 2 and all("brazilsouth" in row for row in evidence)
    assert page.inner_text("#filter-count") == "2 of 11 findings, 2 of 12 evidence rows shown"
    _filter(page, status="exempt")
    assert len(_rows(page, "findings-table")) == 1 and len(_rows(page, "evidence-table")) == 2
    _filter(page, policy="eu-customer-data", status="compliant")
    rows = _rows(page, "findings-table")
    assert len(rows) == 2 and all(("eu-orders" in row) != ("eu-lake" in row) for row in rows)
    _filter(page)
    assert len(_rows(page, "findings-table")) == 11


def test_evidence_rows_name_their_rule_and_status_in_words(loaded: Loaded) -> None:
    page = loaded.page
    _filter(page, "ususerblobs")
    rows = _rows(page, "evidence-table")
    assert any("secondary-outside" in row for row in rows) and any("primary-outside" in row for row in rows)
    assert all("VIOLATION" in row.upper() for row in rows)
    _filter(page)


def test_sorting_from_the_keyboard_sets_aria_sort(loaded: Loaded) -> None:
    page = loaded.page
    _filter(page)
    button = page.locator("#evidence-table th[data-key=status] button")
    button.focus()
    page.keyboard.press("Enter")
    header = page.locator("#evidence-table th[data-key=status]")
    assert header.get_attribute("aria-sort") == "ascending"
    statuses = page.locator("#evidence-table tbody tr td:nth-child(4)").all_inner_texts()
    assert "VIOLATION" in statuses[0].upper() and "COMPLIANT" in statuses[-1].upper()
    page.keyboard.press("Space")
    assert header.get_attribute("aria-sort") == "descending"
    statuses = page.locator("#evidence-table tbody tr td:nth-child(4)").all_inner_texts()
    assert "COMPLIANT" in statuses[0].upper()
    assert page.locator("#evidence-table th[aria-sort]").count() == 1


def test_map_follows_the_selected_data_class(loaded: Loaded) -> None:
    page = loaded.page
    page.select_option("#map-policy", "eu-customer-data")
    assert page.locator("#world-map path.s-outside[data-c=BR]").count() == 0
    assert page.locator("#world-map path.s-allowed[data-c=FI]").count() == 1
    page.select_option("#map-policy", "")
    assert page.locator("#world-map path.s-outside[data-c=BR]").count() == 1


def test_one_page_summary_view_and_print_stylesheet(loaded: Loaded) -> None:
    page = loaded.page
    page.click("#view-summary")
    assert page.locator("#findings").is_hidden() and page.locator("#signoff").is_visible()
    assert page.get_attribute("#view-summary", "aria-pressed") == "true"
    page.click("#view-summary")
    assert page.locator("#findings").is_visible()
    page.emulate_media(media="print")
    try:
        assert page.locator(".filters").is_hidden() and page.locator(".signature").is_visible()
    finally:
        page.emulate_media(media="screen")


def test_axe_core_finds_no_wcag_a_or_aa_violation(loaded: Loaded) -> None:
    page = loaded.page
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    results = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA)
    violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results["violations"]]
    assert violations == []
    assert results["passes"]  # the run really checked something


def test_pages_through_many_findings(browser: Any, tmp_path: Path) -> None:
    run = _open(browser, tmp_path / "many.html", _many(250))
    try:
        page = run.page
        assert len(_rows(page, "findings-table")) == 100
        info = page.locator('.pager[data-for="findings-table"] .page-info')
        assert info.inner_text() == "Rows 1–100 of 261"
        page.click('.pager[data-for="findings-table"] [data-page="next"]')
        assert info.inner_text() == "Rows 101–200 of 261"
        page.click('.pager[data-for="findings-table"] [data-page="next"]')
        assert len(_rows(page, "findings-table")) == 61
        assert page.locator('.pager[data-for="findings-table"] [data-page="next"]').is_disabled()
        assert run.console_errors == []
    finally:
        run.page.close()


def test_screenshot(loaded: Loaded, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    loaded.page.screenshot(path=str(shot), full_page=True)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
