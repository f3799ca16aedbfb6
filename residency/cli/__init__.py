"""Command line: one module per subcommand, listed in COMMANDS. Only here do errors become exit codes."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, cast

from residency import __version__
from residency.cli.exitcodes import ISSUE_TRACKER, ExitCode
from residency.cli.output import quiet_stdout
from residency.errors import ResidencyError
from residency.text import one_line
from residency.untrusted.redact import redact

_PACKAGE_ROOT = Path(__file__).resolve().parents[1]  # .../residency

# name -> module defining `HELP: str`, `add_arguments(parser)` and `run(args) -> int`.
COMMANDS: dict[str, str] = {
    "scan": "residency.cli.scan",
    "check": "residency.cli.check",
    "plan": "residency.cli.plan",
    "validate": "residency.cli.validate",
    "schema": "residency.cli.schema",
    "regions": "residency.cli.regions",
    "kinds": "residency.cli.kinds",
    "permissions": "residency.cli.permissions",
    "doctor": "residency.cli.doctor",
    "diff": "residency.cli.diff",
    "transfer": "residency.cli.transfer",
}


class _Command(Protocol):
    HELP: str

    def add_arguments(self, parser: argparse.ArgumentParser) -> None: ...

    def run(self, args: argparse.Namespace) -> int: ...


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # argparse's default prints usage and exits 2; keep the exit code, make it one line.
        sys.stderr.write(f"residency: error: {message} (see '{self.prog} --help')\n")
        raise SystemExit(ExitCode.USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="residency", description="Check where cloud storage data really lives.")
    parser.add_argument("--version", action="version", version=f"residency {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name, module_name in COMMANDS.items():
        command = cast(_Command, importlib.import_module(module_name))
        child = sub.add_parser(name, help=command.HELP, description=command.HELP)
        command.add_arguments(child)
        child.set_defaults(_run=command.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args._run(args))
    except ResidencyError as error:
        sys.stderr.write(f"residency: error: {one_line(redact(str(error)))}\n")
        return ExitCode.USAGE
    except KeyboardInterrupt:
        sys.stderr.write("residency: interrupted\n")
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        quiet_stdout()  # `residency regions | head`: the reader has all it wanted
        return ExitCode.OK
    except Exception as error:  # a bug: one line that says so, never a traceback or exit 1 ("violations")
        sys.stderr.write(internal_error_line(error))
        if os.environ.get("RESIDENCY_DEBUG"):
            traceback.print_exception(error, file=sys.stderr)
        return ExitCode.INTERNAL


def internal_error_line(error: BaseException) -> str:
    """Names the exception type and where in residency it was raised, never its text: exception
    messages can carry cloud error text, URLs or credentials."""
    place = ""
    for frame, line in traceback.walk_tb(error.__traceback__):
        path = Path(frame.f_code.co_filename)
        if _PACKAGE_ROOT in path.parents:
            place = f" at {path.relative_to(_PACKAGE_ROOT.parent)}:{line}"
    kind = "ran out of memory" if isinstance(error, MemoryError) else f"{type(error).__name__}{place}"
    return (f"residency: internal error ({kind}); this is a bug in residency, not a verdict on your data: "
            f"please report it at {ISSUE_TRACKER} with the command you ran (RESIDENCY_DEBUG=1 shows the "
            f"traceback); exit code {int(ExitCode.INTERNAL)}\n")
