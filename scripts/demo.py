"""`make demo`: local clouds seeded with a realistic estate, one full scan, every report.

    .venv/bin/python -m scripts.demo [--small] [--out reports]

Starts moto's S3 server, Azurite and the project's own local GCS and Azure servers on free
loopback ports, seeds the estate of a short-video company migrating its US users' data into
the United States, runs `residency scan` over all three providers with `policies/`, writes
every format to `reports/`, prints a summary, and stops every service it started (also on
Ctrl-C, SIGTERM, SIGHUP or failure: each service is recorded as soon as its process exists).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, cast

from scripts.localcloud import transfer_story
from scripts.localcloud.aws import demo as aws_demo
from scripts.localcloud.azure import demo as azure_demo
from scripts.localcloud.gcp import demo as gcp_demo
from scripts.localcloud.services import REPO_ROOT, ServiceGroup

PROVIDER_MODULES: dict[str, ModuleType] = {"aws": aws_demo, "gcp": gcp_demo, "azure": azure_demo}


@dataclass(frozen=True)
class DemoRun:
    exit_code: int
    report: dict[str, Any]
    out_dir: Path
    seconds: dict[str, float]
    secrets: tuple[str, ...]  # credential values the scan was given: none may appear in a report


def _scan_args(env: dict[str, str]) -> list[str]:
    args: list[str] = []
    for module in PROVIDER_MODULES.values():
        extra = getattr(module, "scan_args", None)
        if callable(extra):
            args += cast(Callable[[dict[str, str]], list[str]], extra)(env)
    return args


def run_demo(out_dir: Path, small: bool = False, quiet: bool = False, group: ServiceGroup | None = None) -> DemoRun:
    """The whole demo. `group` (default: a new one logging to out_dir/logs) holds the services;
    while it runs, SIGTERM and SIGHUP raise KeyboardInterrupt like Ctrl-C, and every service
    started so far is stopped before the exception leaves."""
    out_dir.mkdir(parents=True, exist_ok=True)
    seconds: dict[str, float] = {}
    env: dict[str, str] = {}
    services = group if group is not None else ServiceGroup(out_dir / "logs")
    with services:
        started = time.monotonic()
        for module in PROVIDER_MODULES.values():
            env.update(module.start(services, services.log_dir))
        seconds["services up"] = time.monotonic() - started
        started = time.monotonic()
        _seed_all(env, small)
        seconds["seeding"] = time.monotonic() - started
        started = time.monotonic()
        # A relative policy path: reports cite policies/x.yaml, not this machine's directories.
        command = [
            sys.executable, "-m", "residency", "scan", "--policy", "policies",
            "--provider", "aws", "--provider", "gcp", "--provider", "azure",
            "--output-dir", str(out_dir), "--inventory-out", str(out_dir / "inventory.json"),
            *_scan_args(env),
        ]
        scan_env = {**os.environ, **env}
        completed = subprocess.run(
            command, env=scan_env, cwd=REPO_ROOT, stdout=subprocess.DEVNULL if quiet else None, check=False
        )
        seconds["scan"] = time.monotonic() - started
        started = time.monotonic()  # then the migration, proven object by object (transfer.json)
        transfer_story.run_step(env, out_dir, quiet)
        seconds["transfer proof"] = time.monotonic() - started
    report_path = out_dir / "residency.json"
    report = json.loads(report_path.read_text()) if report_path.exists() else {}
    secrets = tuple(value for key, value in env.items()
                    if any(word in key for word in ("SECRET", "TOKEN", "KEY")) and len(value) >= 8)
    return DemoRun(completed.returncode, report, out_dir, seconds, secrets)


def _seed_all(env: dict[str, str], small: bool) -> None:
    pool = ThreadPoolExecutor(max_workers=3)
    try:
        for future in [pool.submit(module.seed, dict(env), small) for module in PROVIDER_MODULES.values()]:
            future.result()
    finally:
        # On Ctrl-C, do not wait for the seeding threads: stopping the services ends their calls.
        pool.shutdown(wait=False, cancel_futures=True)


def _print_summary(run: DemoRun) -> None:
    findings = run.report.get("findings", [])
    print("\nWhere each data class was found (!: violation, ?: unverifiable):")
    for policy in run.report.get("policies", []):
        seen: dict[str, set[str]] = {"violation": set(), "unverifiable": set(), "ok": set()}
        for finding in findings:
            if finding["policy"] == policy["id"]:
                status = finding["status"] if finding["status"] in seen else "ok"
                for loc in finding["locations"]:
                    seen[status].update(loc["countries"] or [])
        outside, unsure = seen["violation"], seen["unverifiable"] - seen["violation"]
        countries = (sorted(seen["ok"] - outside - unsure) + [f"?{c}" for c in sorted(unsure)]
                     + [f"!{c}" for c in sorted(outside)])
        print(f"  {policy['id']:<30} {' '.join(countries) or '-'}")
    violations = [f for f in findings if f["status"] == "violation"]
    print(f"\nTop violations ({len(violations)} in all):")
    for finding in violations[:10]:
        resource = finding["resource"]
        print(f"  [{finding['severity']}] {finding['policy']} {finding['rule']}: "
              f"{resource['provider']}:{resource['name']}")
    summary = run.report.get("summary", {})
    print(f"\n{summary.get('violation', 0)} violation(s), {summary.get('unverifiable', 0)} unverifiable, "
          f"{summary.get('exempt', 0)} exempt, {summary.get('compliant', 0)} compliant")
    timing = ", ".join(f"{k} {v:.1f}s" for k, v in run.seconds.items())
    print(f"Reports in {run.out_dir}/ (HTML: {run.out_dir / 'residency.html'}); {timing}")


def main() -> int:
    parser = argparse.ArgumentParser(description="Run residency end to end on local clouds.")
    parser.add_argument("--small", action="store_true", help="a smaller estate (what the acceptance test uses)")
    parser.add_argument("--out", default=str(REPO_ROOT / "reports"), help="report directory (default: reports/)")
    args = parser.parse_args()
    group = ServiceGroup(Path(args.out) / "logs")
    try:
        run = run_demo(Path(args.out), small=args.small, quiet=True, group=group)
    except KeyboardInterrupt as interrupt:
        _say_interrupted(str(interrupt) or "SIGINT", group.survivors)
        return 130
    if run.exit_code not in (0, 1, 3):  # 1 and 3 are the findings the demo exists to show
        print(f"residency scan failed with exit code {run.exit_code}", file=sys.stderr)
        return run.exit_code
    _print_summary(run)
    transfer_story.print_summary(run.out_dir / "transfer.json")
    return 0


def _say_interrupted(signal_name: str, survivors: list[str]) -> None:
    if survivors:
        message = f"demo interrupted ({signal_name}); these services did not stop: {', '.join(survivors)}"
    else:
        message = f"demo interrupted ({signal_name}); every service it started has been stopped"
    with contextlib.suppress(OSError):  # after SIGHUP the terminal may be gone
        print(message, file=sys.stderr)


if __name__ == "__main__":
    raise SystemExit(main())
