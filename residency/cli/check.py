"""`residency check`: evaluate a saved inventory snapshot offline, no cloud calls."""

from __future__ import annotations

import argparse
from dataclasses import replace

from residency.catalog import load_catalog
from residency.cli.reporting import add_policy_argument, add_report_arguments, finish, now_iso, prepare_reports
from residency.inventory.model import AccountGap, Inventory, Provider
from residency.policy.loader import load_policies
from residency.policy.model import PolicySet
from residency.sources.contract import CollectEverything, NullProgress
from residency.sources.snapshot import SnapshotSource

HELP = "evaluate a saved inventory snapshot (from scan --inventory-out) against policies"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_policy_argument(parser)
    parser.add_argument("--inventory", "-i", required=True, metavar="FILE", help="inventory snapshot JSON")
    add_report_arguments(parser)


def with_missing_providers(inventory: Inventory, policy_set: PolicySet) -> Inventory:
    """A provider a policy covers but the inventory never scanned is not scanned (exit 3), not clean."""
    present = {Provider(p) for p, _ in inventory.scanned} | {r.provider for r in inventory.resources}
    present |= {g.provider for g in inventory.account_gaps}
    named = {p for policy in policy_set.policies for p in policy.scope.providers}
    missing = sorted(named - present)
    gaps = tuple(AccountGap(p, "*", f"the inventory holds nothing from {p.value}: it was not scanned")
                 for p in missing)
    return replace(inventory, account_gaps=inventory.account_gaps + gaps) if gaps else inventory


def run(args: argparse.Namespace) -> int:
    started = now_iso()
    request = prepare_reports(args)  # outputs checked (never an input) before any input is read
    policy_set = load_policies(args.policy, load_catalog())
    saved = SnapshotSource(args.inventory).collect(CollectEverything(), NullProgress())
    inventory = with_missing_providers(saved, policy_set)
    providers = sorted({r.provider.value for r in inventory.resources} | {p for p, _ in inventory.scanned})
    return finish(args, policy_set, inventory, started, providers, request=request)
