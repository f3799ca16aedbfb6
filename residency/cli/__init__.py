"""Command line: one module per subcommand, listed in COMMANDS. Only here do errors become exit codes."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import Protocol, cast

from residency import __version__
from residency.cli.exitcodes import ExitCode
from residency.errors import ResidencyError

# name -> module defining `HELP: str`, `add_arguments(parser)` and `run(args) -> int`.
COMMANDS: dict[str, str] = {
    "scan": "residency.cli.scan",
    "check": "residency.cli.check",
    "plan": "residency.cli.plan",
    "validate": "residency.cli.validate",
    "schema": "residency.cli.schema",
    "regions": "residency.cli.regions",
    "permissions": "residency.cli.permissions",
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
        sys.stderr.write(f"residency: error: {error}\n")
        return ExitCode.USAGE
    except KeyboardInterrupt:
        sys.stderr.write("residency: interrupted\n")
        return 130
    except BrokenPipeError:
        return ExitCode.OK
