"""`residency permissions`: the least-privilege, read-only permissions the adapters use."""

from __future__ import annotations

import argparse
import sys

from residency.inventory.model import Provider
from residency.sources.registry import permissions_document

HELP = "print the read-only permissions (IAM policy / role) a scan needs"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--provider", required=True, choices=[p.value for p in Provider])


def run(args: argparse.Namespace) -> int:
    sys.stdout.write(permissions_document(Provider(args.provider)).rstrip("\n") + "\n")
    return 0
