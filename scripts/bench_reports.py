"""Benchmark the report writers at the size of a real organisation, beside the engine in the same run.

    .venv/bin/python scripts/bench_reports.py [--resources 200000] [--accounts 50] [--html-resources 50000]

Writes a synthetic estate (scripts/report_estate.py: 20 policies, three providers, replicas,
secondaries, exemptions, unscanned accounts) as policy files and an inventory snapshot, then,
each in a fresh process:
  1. baseline: the engine alone (load the snapshot and the policies, evaluate): what `check`
     costs before any report is written;
  2. `residency check --output-dir` with every format: the figure the targets are about
     (under 30 s and 1.5 GB peak RSS at 200,000 resources);
  3. each writer on its own (forked from a process holding the evaluated result): wall and CPU
     time, peak RSS and what the writer added to it, output size;
  4. the HTML report of `--html-resources` resources in headless Chromium: time until it is
     interactive, and how long filtering and sorting take (targets 3 s and 300 ms).
Machines differ and this one may be shared: compare the figures with the baseline of the same run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scripts.report_estate import Estate, write_estate

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
TARGET_SECONDS, TARGET_MIB = 30.0, 1536.0
TARGET_INTERACTIVE_MS, TARGET_FILTER_MS = 3_000.0, 300.0
HTML_MAX_BYTES = 15_000_000


def _run_child(args: list[str]) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds, peak RSS (MiB) and stdout of a fresh Python process."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    out = process.stdout.read() if process.stdout else ""
    err = process.stderr.read() if process.stderr else ""
    if os.waitstatus_to_exitcode(status) not in (0, 1, 3):
        raise SystemExit(f"bench: {' '.join(args[:3])} failed:\n{err}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out + err


def engine_only(estate: Estate) -> None:
    """Child: the baseline. Load and evaluate exactly as `check` does, write nothing."""
    from residency.catalog import load_catalog
    from residency.engine.evaluate import evaluate
    from residency.inventory.snapshot import load_snapshot
    from residency.policy.loader import load_policies

    catalog = load_catalog()
    policies = load_policies([str(estate.policy_dir)], catalog)
    findings = evaluate(policies.policies, load_snapshot(estate.snapshot), catalog, dt.date(2026, 11, 25))
    print(f"findings {len(findings)}")


def writers(estate: Estate, out_dir: Path) -> None:
    """Child: evaluate once, then fork one process per writer and measure it."""
    from residency.catalog import load_catalog
    from residency.cli.reporting import build_result
    from residency.formats import FORMATS
    from residency.formats.context import ReportContext
    from residency.inventory.snapshot import load_snapshot
    from residency.policy.loader import load_policies

    catalog = load_catalog()
    policies = load_policies([str(estate.policy_dir)], catalog)
    inventory = load_snapshot(estate.snapshot)
    result = build_result(policies, inventory, catalog, "2026-11-25T08:00:00Z", dt.date(2026, 11, 25), ["aws"])
    gc.freeze()
    for name, fmt in FORMATS.items():
        target = out_dir / f"writer.{fmt.extension}"
        read, write = os.pipe()
        started = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            os.close(read)
            before = _status("VmRSS")
            with open("/proc/self/clear_refs", "w", encoding="ascii") as clear:
                clear.write("5")  # reset this process's peak RSS to its current RSS
            with open(target, "w", encoding="utf-8", newline="") as handle:
                fmt.write(result, handle, ReportContext())
            os.write(write, f"{before} {_status('VmHWM')}".encode())
            os._exit(0)
        os.close(write)
        _, _, usage = os.wait4(pid, 0)
        wall = time.perf_counter() - started
        rss_kib, peak_kib = (int(v) for v in os.read(read, 100).split())
        os.close(read)
        print(f"  {name:9} {wall:7.2f} s  cpu {usage.ru_utime + usage.ru_stime:6.2f} s  "
              f"adds {(peak_kib - rss_kib) / 1024:6.0f} MiB to {rss_kib / 1024:.0f}  "
              f"{target.stat().st_size / 1e6:8.1f} MB")
    print(f"  ({len(result.findings):,} findings held in memory by every writer)")


def _status(field: str) -> int:
    """A /proc/self/status figure in KiB."""
    with open("/proc/self/status", encoding="ascii") as status:
        return int(next(line for line in status if line.startswith(f"{field}:")).split()[1])


def browser_timings(report: Path) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    args = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=args)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(report.as_uri(), wait_until="load", timeout=120_000)
            page.wait_for_selector("html[data-ready=true]", timeout=120_000)
            interactive = page.evaluate("performance.getEntriesByName('residency-ready')[0].startTime")
            measure = """async ([id, value]) => {
                const control = document.getElementById(id), started = performance.now();
                control.value = value; control.dispatchEvent(new Event('input'));
                await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
                return performance.now() - started; }"""
            timings = {"interactive": interactive}
            for label, control, value in (("filter text (first)", "filter-text", "bucket-1"),
                                          ("filter text", "filter-text", "eu-west"),
                                          ("filter status", "filter-status", "violation"),
                                          ("clear filters", "filter-text", "")):
                timings[label] = page.evaluate(measure, [control, value])
            timings["sort"] = page.evaluate("""async () => {
                const started = performance.now();
                document.querySelector('#findings-table th[data-key=resource] button').click();
                await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
                return performance.now() - started; }""")
            timings["JS heap MiB"] = page.evaluate("performance.memory.usedJSHeapSize") / 2**20
            return timings
        finally:
            browser.close()


def _check_all(estate: Estate, out_dir: Path) -> tuple[float, float, float, str]:
    return _run_child(["-m", "residency", "check", "--policy", str(estate.policy_dir), "--inventory",
                       str(estate.snapshot), "--output-dir", str(out_dir), "--allow-incomplete"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--resources", type=int, default=200_000)
    parser.add_argument("--accounts", type=int, default=50)
    parser.add_argument("--html-resources", type=int, default=50_000, help="0 skips the browser measurement")
    parser.add_argument("--child", choices=["engine", "writers"], help=argparse.SUPPRESS)
    parser.add_argument("--estate", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        estate = Estate(args.estate / "policies", args.estate / "inventory.json", args.resources, args.accounts)
        if args.child == "engine":
            engine_only(estate)
        else:
            writers(estate, args.estate / "writers")
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-reports-") as scratch:
        return _bench(args, Path(scratch))


def _bench(args: Any, scratch: Path) -> int:
    estate = write_estate(scratch / "estate", args.resources, args.accounts)
    (scratch / "estate" / "writers").mkdir()
    print(f"estate: {args.resources:,} resources over {args.accounts:,} accounts, 20 policies "
          f"(snapshot {estate.snapshot.stat().st_size / 1e6:.0f} MB)")
    child = ["scripts/bench_reports.py", "--estate", str(scratch / "estate"), "--resources", str(args.resources),
             "--accounts", str(args.accounts)]
    wall, cpu, peak, out = _run_child([*child, "--child", "engine"])
    print(f"baseline, engine alone (load + evaluate): {wall:6.1f} s  cpu {cpu:6.1f} s  peak {peak:6.0f} MiB  "
          f"[{out.strip()}]")
    reports = scratch / "reports"
    reports.mkdir()
    wall_all, cpu_all, peak_all, out = _check_all(estate, reports)
    print(f"check, every format:                      {wall_all:6.1f} s  cpu {cpu_all:6.1f} s  "
          f"peak {peak_all:6.0f} MiB  (reports add {wall_all - wall:+.1f} s, {peak_all - peak:+.0f} MiB)")
    for line in out.splitlines():
        if line.startswith("residency: note"):
            print(f"  {line}")
    for path in sorted(reports.iterdir()):
        print(f"  {path.name:24} {path.stat().st_size / 1e6:9.2f} MB")
    print("each writer alone (forked from a process holding the evaluated result):")
    _, _, _, out = _run_child([*child, "--child", "writers"])
    print(out.rstrip())
    met = wall_all < TARGET_SECONDS and peak_all < TARGET_MIB
    print(f"target check < {TARGET_SECONDS:.0f} s and < {TARGET_MIB:.0f} MiB: {'met' if met else 'NOT met'}")
    if args.html_resources and CHROMIUM.exists():
        met = _html(args, scratch) and met
    return 0 if met else 1


def _html(args: Any, scratch: Path) -> bool:
    estate = write_estate(scratch / "html-estate", args.html_resources, args.accounts)
    out = scratch / "html"
    out.mkdir()
    _run_child(["-m", "residency", "check", "--policy", str(estate.policy_dir), "--inventory", str(estate.snapshot),
                "--format", "html", "--output", str(out / "residency.html"), "--allow-incomplete"])
    report = out / "residency.html"
    size = report.stat().st_size
    timings = browser_timings(report)
    print(f"HTML at {args.html_resources:,} resources: {size / 1e6:.1f} MB (target < {HTML_MAX_BYTES / 1e6:.0f} MB)")
    for label, value in timings.items():
        print(f"  {label:20} {value:8.0f} {'MiB' if 'MiB' in label else 'ms'}")
    filters = [v for k, v in timings.items() if k.startswith(("filter", "clear", "sort"))]
    met = size < HTML_MAX_BYTES and timings["interactive"] < TARGET_INTERACTIVE_MS and max(filters) < TARGET_FILTER_MS
    print(f"target HTML < 15 MB, interactive < 3 s, filtering < 300 ms: {'met' if met else 'NOT met'}")
    return met


if __name__ == "__main__":
    raise SystemExit(main())
