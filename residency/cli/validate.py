"""`residency validate PATH...`: check policy files (structure and meaning) without scanning."""

from __future__ import annotations

import argparse

from residency.catalog import load_catalog
from residency.cli.exitcodes import ExitCode
from residency.policy.loader import load_policies

HELP = "check policy files and directories; exit 0 when all are valid, 2 with the first error"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="policy file, or directory of *.yaml / *.yml policy files")


def _plural(count: int, word: str, plural: str) -> str:
    return f"{count} {word if count == 1 else plural}"


def run(args: argparse.Namespace) -> int:
    policy_set = load_policies(args.paths, load_catalog())  # raises PolicyError -> exit 2
    policies = _plural(len(policy_set.policies), "policy", "policies")
    files = _plural(len(policy_set.digests), "file", "files")
    print(f"ok: {policies} in {files}")
    return ExitCode.OK
