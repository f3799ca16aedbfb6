"""The HTML report in a real headless Chromium (Debian's package, driven by Playwright).

Renders, logs no console errors, makes no network request beyond loading its own file,
filters and sorts its tables, and can be screenshotted.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from residency.formats import html
from scripts.report_sample import sample_result

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

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


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Loaded]:
    from playwright.sync_api import sync_playwright

    report = tmp_path_factory.mktemp("html") / "residency.html"
    report.write_text(html.render(sample_result()), encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            run = Loaded(page, report.as_uri())
            page.on("console", lambda msg: run.console_errors.append(msg.text) if msg.type == "error" else None)
            page.on("pageerror", lambda error: run.console_errors.append(str(error)))
            page.on("request", lambda request: run.requests.append(request.url))
            page.goto(run.url, wait_until="load")
            yield run
        finally:
            browser.close()


def _visible_rows(page: Any) -> list[str]:
    return [text.strip() for text in page.locator("table.filterable tbody tr:visible").all_inner_texts()]


def _filter(page: Any, text: str = "", status: str = "", policy: str = "") -> None:
    page.fill("#filter-text", text)
    page.select_option("#filter-status", status)
    page.select_option("#filter-policy", policy)


def test_renders_summary_and_world_view(loaded: Loaded) -> None:
    page = loaded.page
    assert page.title() == "Data residency report: 2026-11-25T08:01:30Z"
    assert page.inner_text("#summary .count.violation strong") == "5"
    assert page.locator("#world svg.world rect.outside").count() >= 3
    assert "outside the allowed locations" in page.inner_text("#world")


def test_no_console_errors_and_no_network_requests(loaded: Loaded) -> None:
    _filter(loaded.page, "brazil")  # exercise the scripts first
    assert loaded.console_errors == []
    assert set(loaded.requests) == {loaded.url}


def test_filter_by_text_status_and_policy(loaded: Loaded) -> None:
    page = loaded.page
    _filter(page)
    total = len(_visible_rows(page))
    _filter(page, "brazilsouth")
    rows = _visible_rows(page)
    assert len(rows) == 4 and all("brazilsouth" in row for row in rows)
    assert page.inner_text("#filter-count") == f"4 of {total} rows shown"
    _filter(page, status="exempt")
    rows = _visible_rows(page)
    assert len(rows) == 3 and all("us-legacy-archive" in row for row in rows)
    _filter(page, policy="eu-customer-data", status="compliant")
    rows = _visible_rows(page)
    assert len(rows) == 4 and all(("eu-orders" in row) != ("eu-lake" in row) for row in rows)
    _filter(page)
    assert len(_visible_rows(page)) == total


def test_sorting_by_clicking_a_header(loaded: Loaded) -> None:
    page = loaded.page
    _filter(page)
    header = page.locator("#evidence th", has_text="Status")
    header.click()
    statuses = page.locator("#evidence tbody tr td:nth-child(3)").all_inner_texts()
    assert statuses[0].lower() == "violation" and statuses[-1].lower() == "compliant"
    header.click()
    statuses = page.locator("#evidence tbody tr td:nth-child(3)").all_inner_texts()
    assert statuses[0].lower() == "compliant" and statuses[-1].lower() == "violation"
    assert header.get_attribute("aria-sort") == "descending"


def test_screenshot(loaded: Loaded, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    loaded.page.screenshot(path=str(shot), full_page=True)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
