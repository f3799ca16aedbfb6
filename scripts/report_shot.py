"""`make report-shot`: a screenshot of the HTML report into docs/report.png, for the README.

Uses the newest HTML report under reports/ (what `make demo` writes) when there is one,
otherwise renders the fixed sample scan result. Debian's Chromium, headless, driven by
Playwright; Playwright's own browser download is never used.

    python -m scripts.report_shot [--report FILE] [--output docs/report.png] [--width 1280]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from residency.formats import html
from scripts.report_sample import sample_result

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def newest_report(directory: Path) -> Path | None:
    reports = sorted(directory.glob("*.html"), key=lambda p: p.stat().st_mtime) if directory.is_dir() else []
    return reports[-1] if reports else None


def screenshot(report: Path, output: Path, width: int, height: int) -> None:
    from playwright.sync_api import sync_playwright

    output.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
            page.goto(report.resolve().as_uri(), wait_until="load")
            # The top of the report (summary, map, first findings): a full page is tens of MB tall.
            page.screenshot(path=str(output), full_page=False)
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--report", type=Path, help="HTML report to shoot (default: newest reports/*.html)")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "report.png")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=1500)
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        sys.stderr.write(f"report-shot: {CHROMIUM} not found; run scripts/install_system_deps.sh\n")
        return 2
    report = args.report or newest_report(ROOT / "reports")
    with tempfile.TemporaryDirectory() as scratch:
        if report is None:
            report = Path(scratch) / "sample.html"
            report.write_text(html.render(sample_result()), encoding="utf-8")
            source = "the built-in sample scan result"
        else:
            source = str(report)
        screenshot(report, args.output, args.width, args.height)
    print(f"report-shot: {args.output} from {source}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
