"""`residency transfer`: prove a migration object by object from the clouds' inventory reports.

    residency transfer FROM [FROM...] TO [--map SRC=DST]... [--engine duckdb|spark]
    residency transfer --policy DIR     (every `transfers:` entry of every policy)

Every source key falls in one class (moved, copied-not-deleted, not-copied, lost,
content-mismatch, content-unverified); what breaks the pledge becomes a finding with its own
rule id in every report format. Exit codes as for `scan`.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path

from rich.console import Console

from residency import __version__
from residency.catalog import load_catalog
from residency.cli.exitcodes import exit_code_for
from residency.cli.output import write_atomically
from residency.cli.progress import wants_progress
from residency.cli.reporting import ReportRequest, add_report_arguments, check_writable, now_iso, prepare_reports
from residency.errors import UsageError
from residency.findings.model import Finding, ScanMeta, ScanResult, TransferRecord
from residency.formats import FORMATS, text
from residency.policy.loader import load_policies
from residency.policy.model import Policy, PolicySet, Severity, SourceRef
from residency.transfer.findings import findings_for, record_for, unreadable
from residency.transfer.inventories.store import InventoryError
from residency.transfer.model import PrefixMap
from residency.transfer.verify import ENGINES, EngineOptions, TransferSpec, parse_map, verify

HELP = "prove a migration object by object from inventory reports (S3 Inventory, GCS, Azure)"
_SIZE = re.compile(r"^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$", re.IGNORECASE)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("locations", nargs="*", metavar="FROM... TO",
                        help="source report(s), oldest first, then the destination's report: a manifest path "
                             "or URL, or s3://BUCKET, gs://BUCKET, azure://ACCOUNT/CONTAINER")
    parser.add_argument("--policy", "-p", action="append", metavar="PATH",
                        help="verify every `transfers:` entry of these policy files or directories")
    parser.add_argument("--map", action="append", default=[], metavar="SRC_PREFIX=DST_PREFIX",
                        help="source keys under SRC_PREFIX are expected under DST_PREFIX (repeatable)")
    parser.add_argument("--severity", choices=[s.value for s in Severity], default=Severity.HIGH.value,
                        help="severity of the findings without --policy (default: %(default)s)")
    engine = parser.add_argument_group("engine")
    engine.add_argument("--engine", choices=ENGINES, default="duckdb",
                        help="duckdb (embedded, default) or spark (local mode or --spark-master)")
    engine.add_argument("--spark-master", default="local[2]", metavar="URL",
                        help="Spark master for --engine spark (default: %(default)s)")
    engine.add_argument("--memory-limit", default="2GB", metavar="SIZE",
                        help="memory the engine may use before spilling to disk (default: %(default)s)")
    engine.add_argument("--temp-dir", metavar="DIR", help="where shards and spill files go (default: system temp)")
    engine.add_argument("--details", metavar="FILE",
                        help="write every key that did not move, with its class, to FILE (.parquet or .csv)")
    add_report_arguments(parser)


def _transfers(args: argparse.Namespace) -> tuple[list[tuple[TransferSpec, Severity, SourceRef]], PolicySet | None]:
    if args.policy and args.locations:
        raise UsageError("give FROM TO or --policy, not both")
    if args.policy:
        if args.map:
            raise UsageError("--map applies to FROM TO; in a policy file write map: under the transfer")
        policy_set = load_policies(args.policy, load_catalog())
        found = [(TransferSpec(t.sources, t.destination, tuple(PrefixMap(s, d) for s, d in t.prefix_map), p.id),
                  p.severity, t.source) for p in policy_set.policies for t in p.transfers]
        if not found:
            raise UsageError(f"no policy in {', '.join(args.policy)} declares transfers:; add one or give FROM TO")
        return found, policy_set
    if len(args.locations) < 2:
        raise UsageError("give at least one FROM and a TO (or --policy DIR)")
    spec = TransferSpec(tuple(args.locations[:-1]), args.locations[-1], tuple(parse_map(m) for m in args.map))
    return [(spec, Severity(args.severity), SourceRef("command line"))], None


def _details_path(args: argparse.Namespace, index: int, count: int) -> Path | None:
    if not args.details:
        return None
    path = Path(args.details)
    if count > 1:
        path = path.with_name(f"{path.stem}-{index + 1}{path.suffix}")
    check_writable(path, "--details")
    return path


def _say() -> Callable[[str], None]:
    if not wants_progress():
        return lambda _: None
    console = Console(stderr=True, highlight=False)

    def say(line: str) -> None:
        console.print(line, style="dim", markup=False)
    return say


def _cloud_of(text: str) -> str:
    return {"s3": "aws", "gs": "gcp"}.get(text.split("://", 1)[0], "azure" if "://" in text else "aws")


def run(args: argparse.Namespace) -> int:
    started = now_iso()
    if not _SIZE.match(args.memory_limit.strip()):
        raise UsageError(f"--memory-limit {args.memory_limit}: write a size such as 2GB or 512MB")
    if args.temp_dir and not Path(args.temp_dir).is_dir():
        raise UsageError(f"--temp-dir {args.temp_dir}: no such directory; create it or choose another")
    transfers, policy_set = _transfers(args)
    request = prepare_reports(args)
    options = EngineOptions(args.engine, args.memory_limit.strip(), args.spark_master, None,
                            Path(args.temp_dir) if args.temp_dir else None)
    findings: list[Finding] = []
    records: list[TransferRecord] = []
    say = _say()
    for index, (spec, severity, source_ref) in enumerate(transfers):
        try:
            proof = verify(spec, options, _details_path(args, index, len(transfers)), say)
        except InventoryError as error:
            sys.stderr.write(f"residency: unverifiable: {error}\n")
            findings.append(unreadable(spec.label, _cloud_of(spec.sources[-1]), str(error), spec.policy_id,
                                       severity, source_ref))
            continue
        findings += findings_for(proof, severity, source_ref)
        records.append(record_for(proof))
    policies: tuple[Policy, ...] = policy_set.policies if policy_set else ()
    meta = ScanMeta(
        tool_version=__version__, started_at=started, finished_at=now_iso(),
        policy_files=policy_set.digests if policy_set else (),
        providers=tuple(sorted({f.resource.provider.value for f in findings})), scanned=(), source="transfer",
        options=(("engine", args.engine), ("memory_limit", options.memory_limit)),
    )
    return _report(args, request, ScanResult(meta, tuple(findings), policies, tuple(records)))


def _report(args: argparse.Namespace, request: ReportRequest, result: ScanResult) -> int:
    if request.baseline is not None:
        from residency.history.baseline import mark_baseline

        result = ScanResult(result.meta, mark_baseline(result.findings, request.baseline), result.policies,
                            result.transfers)
    for fmt, path in request.outputs.to_files:
        write_atomically(path, FORMATS[fmt].render(result))
    stdout_format = request.outputs.to_stdout
    if stdout_format is not None and stdout_format != "text":
        sys.stdout.write(FORMATS[stdout_format].render(result))
    elif sys.stdout.isatty():
        text.print_to(Console(), result)
    else:
        sys.stdout.write(text.render(result))
    return int(exit_code_for(result.findings, Severity(args.fail_on), args.allow_incomplete, args.new_only))
