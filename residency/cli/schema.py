"""`residency schema [--report]`: print the policy file JSON Schema, or the JSON report's."""

from __future__ import annotations

import argparse
import sys
from importlib import resources

from residency.cli.exitcodes import ExitCode
from residency.errors import ResidencyError
from residency.policy.structure import schema_text

HELP = "print the JSON Schema of policy files (or, with --report, of the JSON report)"

_REPORT_SCHEMA = ("residency.formats", "report.schema.json")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--report", action="store_true",
                        help="print the schema of the JSON report (--format json) instead")


def report_schema_text() -> str:
    package, name = _REPORT_SCHEMA
    try:
        return resources.files(package).joinpath(name).read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError):
        raise ResidencyError(
            f"the JSON report schema ({package.replace('.', '/')}/{name}) is missing from this "
            "installation; reinstall residency"
        ) from None


def run(args: argparse.Namespace) -> int:
    text = report_schema_text() if args.report else schema_text()
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return ExitCode.OK
