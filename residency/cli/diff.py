"""`residency diff OLD NEW`: what changed between two JSON reports (new, resolved, unchanged)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from residency.cli.exitcodes import ExitCode
from residency.cli.output import check_output_path, quiet_stdout, refuse_inputs_as_outputs, write_atomically
from residency.formats.diff_report import DIFF_FORMATS
from residency.history.baseline import diff_reports

HELP = "compare two JSON reports: new, resolved and unchanged findings"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", metavar="OLD", help="the earlier JSON report (residency scan --format json)")
    parser.add_argument("new", metavar="NEW", help="the later JSON report")
    parser.add_argument("--format", "-f", choices=sorted(DIFF_FORMATS), default="text", help="output format")
    parser.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of standard output")
    parser.add_argument("--fail-on-new", action="store_true",
                        help="exit 1 when NEW has violations or unverifiable findings that OLD did not")


def run(args: argparse.Namespace) -> int:
    if args.output:
        output = Path(args.output)
        check_output_path(output, "--output")
        refuse_inputs_as_outputs([("--output", output)], [("OLD", Path(args.old)), ("NEW", Path(args.new))])
    diff = diff_reports(args.old, args.new)
    text = DIFF_FORMATS[args.format](diff)
    code = ExitCode.VIOLATIONS if args.fail_on_new and diff.added else ExitCode.OK
    if args.output:
        write_atomically(args.output, text)
        return int(code)
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        quiet_stdout()  # the reader stopped early; the exit code still says whether anything is new
    return int(code)
