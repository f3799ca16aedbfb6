"""`residency check`: evaluate a saved inventory snapshot offline, no cloud calls."""

from __future__ import annotations

import argparse

from residency.catalog import load_catalog
from residency.cli.reporting import add_policy_argument, add_report_arguments, finish, now_iso, prepare_reports
from residency.inventory.snapshot import load_snapshot
from residency.policy.loader import load_policies

HELP = "evaluate a saved inventory snapshot (from scan --inventory-out) against policies"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_policy_argument(parser)
    parser.add_argument("--inventory", "-i", required=True, metavar="FILE", help="inventory snapshot JSON")
    add_report_arguments(parser)


def run(args: argparse.Namespace) -> int:
    started = now_iso()
    request = prepare_reports(args)  # outputs checked (never an input) before any input is read
    policy_set = load_policies(args.policy, load_catalog())
    inventory = load_snapshot(args.inventory)
    providers = sorted({r.provider.value for r in inventory.resources})
    return finish(args, policy_set, inventory, started, providers, request=request)
