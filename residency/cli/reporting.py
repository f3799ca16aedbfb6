"""What scan, check and plan share: policy and report options, evaluation, outputs, exit code."""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from rich.console import Console

from residency import __version__
from residency.catalog import Catalog, load_catalog
from residency.cli.exitcodes import exit_code_for
from residency.cli.output import Content, check_output_path, quiet_stdout, refuse_inputs_as_outputs, write_reports
from residency.engine.evaluate import evaluate
from residency.errors import UsageError
from residency.findings.model import ScanMeta, ScanResult
from residency.formats import FORMATS, text
from residency.formats.context import JUNIT_FLAVORS, ReportContext
from residency.formats.locate import discover
from residency.formats.safe import inert
from residency.inventory.model import Inventory
from residency.policy.files import find_policy_files
from residency.policy.model import PolicySet, Severity
from residency.text import quoted


def add_policy_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--policy", "-p", action="append", required=True, metavar="PATH",
        help="policy file or directory (repeatable)",
    )


def add_report_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("reports and exit code")
    group.add_argument(
        "--format", "-f", action="append", choices=sorted(FORMATS), dest="formats", metavar="FORMAT",
        help=f"report format, repeatable, paired in order with --output ({', '.join(sorted(FORMATS))})",
    )
    group.add_argument("--output", "-o", action="append", dest="outputs", metavar="FILE",
                       help="file for the matching --format (default: standard output)")
    group.add_argument("--output-dir", metavar="DIR", help="write every format to DIR/residency.<ext>")
    group.add_argument("--fail-on", choices=[s.value for s in Severity], default=Severity.LOW.value,
                       help="exit 1 for violations at or above this severity (default: low, i.e. any)")
    group.add_argument("--allow-incomplete", action="store_true",
                       help="exit 0 instead of 3 when something in scope could not be verified")
    group.add_argument("--baseline", metavar="REPORT.json",
                       help="a previous JSON report: findings in it are marked existing")
    group.add_argument("--new-only", action="store_true",
                       help="with --baseline: only new findings can fail the run")
    group.add_argument("--as-of", metavar="YYYY-MM-DD",
                       help="evaluate exemption expiry as of this date (default: today, UTC)")
    group.add_argument("--junit-flavor", choices=JUNIT_FLAVORS, default=JUNIT_FLAVORS[0],
                       help="JUnit dialect: xunit (Jenkins junit-10.xsd, default) or gitlab (adds testcase file)")
    group.add_argument("--sarif-category", metavar="CATEGORY",
                       help="SARIF automationDetails.id category (default: residency/<command>); "
                            "distinct per upload of one commit")


@dataclass(frozen=True, slots=True)
class OutputPlan:
    to_files: tuple[tuple[str, Path], ...]
    to_stdout: str | None  # a format name, or None for the text summary


def plan_outputs(args: argparse.Namespace) -> OutputPlan:
    formats: list[str] = list(args.formats or [])
    outputs: list[str] = list(args.outputs or [])
    if len(outputs) > len(formats):
        raise UsageError("more --output than --format options; give a --format before each --output")
    pairs = [(fmt, Path(out)) for fmt, out in zip(formats, outputs, strict=False)]
    unpaired = formats[len(outputs):]
    if len(unpaired) > 1:
        raise UsageError(
            f"formats {', '.join(unpaired)} have no --output; only one report can go to standard output"
        )
    if args.output_dir:
        directory = _output_dir(Path(args.output_dir))
        named = {fmt for fmt, _ in pairs}
        pairs += [(f.name, directory / f"residency.{f.extension}") for f in FORMATS.values() if f.name not in named]
    _check_outputs(args, pairs)
    return OutputPlan(tuple(pairs), unpaired[0] if unpaired else None)


def _check_outputs(args: argparse.Namespace, pairs: list[tuple[str, Path]]) -> None:
    """Every output writable, none written twice, none an input of this run."""
    outputs = [(f"--format {fmt}", "--output", path) for fmt, path in pairs]
    inventory_out = getattr(args, "inventory_out", None)
    if inventory_out:
        outputs.append(("--inventory-out", "--inventory-out", Path(inventory_out)))
    seen: dict[Path, str] = {}
    for label, option, path in outputs:
        check_writable(path, option)
        key = Path(os.path.realpath(path))  # never raises, not even on a link loop
        if key in seen:
            raise UsageError(f"{path}: both {seen[key]} and {label} would write it; give each its own --output")
        seen[key] = label
    refuse_inputs_as_outputs([(option, path) for _, option, path in outputs], input_paths(args))


def input_paths(args: argparse.Namespace) -> list[tuple[str, Path]]:
    """The files this run reads: policies (directories expanded), inventory, plan and baseline."""
    found = [(option, Path(value)) for option, value in (
        ("--inventory", getattr(args, "inventory", None)),
        ("plan", getattr(args, "plan", None)),
        ("--baseline", getattr(args, "baseline", None)),
    ) if value]
    if getattr(args, "policy", None):
        found += [("--policy", path) for _, path in find_policy_files(args.policy)]
    return found


def _output_dir(directory: Path) -> Path:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise UsageError(f"--output-dir {directory}: is a file, not a directory; choose a directory") from None
    except OSError as error:
        raise UsageError(f"--output-dir {directory}: cannot be created ({error.strerror}); "
                         "choose a writable directory") from None
    return directory


def check_writable(path: Path, option: str) -> None:
    """Fail before the scan, not after it, when a report could not be written."""
    check_output_path(path, option)


def parse_as_of(value: str | None) -> dt.date:
    if value is None:
        return dt.datetime.now(dt.UTC).date()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--as-of {quoted(value)} is not a date; use YYYY-MM-DD") from None


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True, slots=True)
class ReportRequest:
    """The report options, checked before any cloud is called: a typo never costs a whole scan."""

    outputs: OutputPlan
    today: dt.date
    baseline: frozenset[str] | None  # fingerprints of the --baseline report


def prepare_reports(args: argparse.Namespace) -> ReportRequest:
    if args.new_only and not args.baseline:
        raise UsageError("--new-only needs --baseline REPORT.json")
    today = parse_as_of(args.as_of)
    outputs = plan_outputs(args)  # before reading the baseline: an output may not overwrite it
    baseline = None
    if args.baseline:
        from residency.history.baseline import load_baseline

        baseline = load_baseline(args.baseline)
    return ReportRequest(outputs, today, baseline)


def build_result(
    policy_set: PolicySet,
    inventory: Inventory,
    catalog: Catalog,
    started_at: str,
    today: dt.date,
    providers: Sequence[str],
    options: Sequence[tuple[str, str]] = (),
) -> ScanResult:
    findings = evaluate(policy_set.policies, inventory, catalog, today)
    meta = ScanMeta(
        tool_version=__version__,
        started_at=started_at,
        finished_at=now_iso(),
        policy_files=policy_set.digests,
        providers=tuple(providers),
        scanned=inventory.scanned,
        account_gaps=inventory.account_gaps,
        source=inventory.source,
        options=tuple(options),
    )
    return ScanResult(meta, findings, policy_set.policies)


def finish(
    args: argparse.Namespace,
    policy_set: PolicySet,
    inventory: Inventory,
    started_at: str,
    providers: Sequence[str],
    options: Sequence[tuple[str, str]] = (),
    request: ReportRequest | None = None,
    also_write: Sequence[tuple[Path, str]] = (),
) -> int:
    """Evaluate, write every requested report (and `also_write`, e.g. the inventory snapshot, staged
    with them), print to stdout, return the exit code."""
    request = prepare_reports(args) if request is None else request
    catalog = load_catalog()
    result = build_result(policy_set, inventory, catalog, started_at, request.today, providers, options)
    if request.baseline is not None:
        from residency.history.baseline import mark_baseline

        result = ScanResult(result.meta, mark_baseline(result.findings, request.baseline), result.policies)
    # The findings live until the end of the run: keep the cyclic GC from rescanning them (and the
    # inventory) every time a report writer's short-lived objects trigger a collection.
    gc.freeze()
    try:
        notices = _write_reports(request, result, discover(result, args.junit_flavor, args.sarif_category),
                                 also_write)
    finally:
        gc.unfreeze()  # callers that run several checks in one process (tests) collect as usual again
    for notice in dict.fromkeys(notices):
        sys.stderr.write(f"residency: note: {inert(notice)}\n")
    code = exit_code_for(result.findings, Severity(args.fail_on), args.allow_incomplete, args.new_only)
    return int(code)


def _write_reports(
    request: ReportRequest, result: ScanResult, context: ReportContext, also_write: Sequence[tuple[Path, str]],
) -> list[str]:
    """Every requested report, files first (all or none), then standard output; returns the notices."""
    notices: list[str] = []
    files: list[tuple[Path, Content]] = [(path, _writer(fmt, result, context, notices))
                                         for fmt, path in request.outputs.to_files]
    write_reports([*files, *also_write])
    stdout_format = request.outputs.to_stdout
    try:
        if stdout_format is not None and stdout_format != "text":
            notices += FORMATS[stdout_format].write(result, sys.stdout, context)
        elif sys.stdout.isatty():
            text.print_to(Console(), result)
        else:
            sys.stdout.write(text.render(result))
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader stopped early (`| head`): the verdict still stands in the exit code.
        quiet_stdout()
    return notices


def _writer(fmt: str, result: ScanResult, context: ReportContext, notices: list[str]) -> Callable[[TextIO], None]:
    def write(handle: TextIO) -> None:
        notices.extend(FORMATS[fmt].write(result, handle, context))

    return write
