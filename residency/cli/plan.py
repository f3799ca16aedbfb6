"""`residency plan`: evaluate a Terraform plan (JSON) against policies before anything is created."""

from __future__ import annotations

import argparse

from residency.catalog import load_catalog
from residency.cli.reporting import add_policy_argument, add_report_arguments, finish, now_iso, prepare_reports
from residency.policy.loader import load_policies
from residency.sources.contract import CollectEverything, NullProgress
from residency.sources.terraform import PlanSource

HELP = "check a Terraform plan (terraform show -json plan.out > plan.json) against policies before apply"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("plan", metavar="PLAN.json", help="output of: terraform show -json plan.out")
    add_policy_argument(parser)
    add_report_arguments(parser)


def run(args: argparse.Namespace) -> int:
    started = now_iso()
    request = prepare_reports(args)  # outputs checked (never an input) before any input is read
    catalog = load_catalog()
    policy_set = load_policies(args.policy, catalog)
    inventory = PlanSource(args.plan, catalog).collect(CollectEverything(), NullProgress())
    providers = sorted({resource.provider.value for resource in inventory.resources})
    return finish(args, policy_set, inventory, started, providers, [("plan", args.plan)], request)
