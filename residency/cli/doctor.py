"""`residency doctor`: which clouds the current credentials reach, which endpoints are overridden, and
whether the first reads of a scan are allowed. Read-only, like everything else."""

from __future__ import annotations

import argparse
import sys

from residency.cli.exitcodes import ExitCode
from residency.errors import UsageError
from residency.inventory.model import Provider
from residency.sources.contract import CommonOptions, Diagnosis, SourceError
from residency.sources.registry import ENTRIES
from residency.untrusted.redact import redact, register_environment

HELP = "check which clouds the credentials reach, which endpoints are overridden, what reads are allowed"
_MARK = {True: "ok  ", False: "FAIL", None: "--  "}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--provider", action="append", choices=[p.value for p in Provider], dest="providers",
                        help="provider to check, repeatable (default: all)")
    for entry in ENTRIES.values():
        entry.options.add_arguments(parser.add_argument_group(entry.title))


def render(diagnosis: Diagnosis) -> list[str]:
    who = redact(diagnosis.identity) if diagnosis.identity else "no usable credentials"
    lines = [f"{diagnosis.provider.value}: {who}"]
    lines += [f"  endpoint {name}={redact(value)}" for name, value in diagnosis.endpoints]
    lines += [f"  {_MARK[check.ok]} {check.what}: {redact(check.detail)}" for check in diagnosis.checks]
    return lines


def run(args: argparse.Namespace) -> int:
    register_environment()
    providers = [Provider(p) for p in dict.fromkeys(args.providers)] if args.providers else list(Provider)
    failed = False
    for provider in providers:
        entry = ENTRIES[provider]
        try:
            diagnosis = entry.diagnose(CommonOptions(max_workers=4), entry.options.from_args(args))
        except SourceError as error:
            raise UsageError(f"{provider.value}: {error}") from None
        sys.stdout.write("\n".join(render(diagnosis)) + "\n")
        failed |= any(check.ok is False for check in diagnosis.checks)
    if failed:
        sys.stdout.write("Some reads failed: `residency permissions --provider P` prints what a scan needs.\n")
        return int(ExitCode.INCOMPLETE)
    return int(ExitCode.OK)
