"""`residency scan`: discover where data lives in the clouds and evaluate it against policies."""

from __future__ import annotations

import argparse
from pathlib import Path

from residency.catalog import load_catalog
from residency.cli.progress import make_progress
from residency.cli.reporting import (
    add_policy_argument,
    add_report_arguments,
    finish,
    now_iso,
    prepare_reports,
)
from residency.engine.needs import PolicyNeeds
from residency.errors import UsageError
from residency.inventory.model import AccountGap, Inventory, Provider
from residency.inventory.redaction import redact_inventory
from residency.inventory.snapshot import dumps
from residency.policy.loader import load_policies
from residency.sources.contract import (
    CollectEverything,
    CollectionPlan,
    CommonOptions,
    Progress,
    ProviderOptions,
    SourceError,
)
from residency.sources.registry import ENTRIES

HELP = "discover where data lives (buckets, accounts and more on AWS, Google Cloud, Azure) and check it"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_policy_argument(parser)
    parser.add_argument(
        "--provider", action="append", choices=[p.value for p in Provider], dest="providers",
        help="provider to scan, repeatable (default: every provider a policy names)",
    )
    parser.add_argument("--deep", action="store_true",
                        help="count objects, versions and bytes fully instead of an O(1) probe")
    parser.add_argument("--max-workers", type=int, default=16, help="concurrent API calls per provider")
    parser.add_argument("--inventory-out", metavar="FILE", help="also save the discovered inventory (JSON)")
    parser.add_argument("--collect-all", action="store_true",
                        help="collect every fact about every resource, not only what the policies need "
                             "(for an --inventory-out that other policies will check later)")
    for entry in ENTRIES.values():
        entry.options.add_arguments(parser.add_argument_group(entry.title))
    add_report_arguments(parser)


def common_options(args: argparse.Namespace) -> CommonOptions:
    if args.max_workers < 1 or args.max_workers > 256:
        raise UsageError(f"--max-workers {args.max_workers}: choose 1 to 256")
    return CommonOptions(deep=args.deep, max_workers=args.max_workers)


def _scan_provider(
    provider: Provider, common: CommonOptions, options: ProviderOptions, plan: CollectionPlan,
    progress: Progress, explicit: bool,
) -> Inventory:
    try:
        return ENTRIES[provider].create(common, options).collect(plan, progress)
    except SourceError as error:
        if explicit:
            raise UsageError(f"{provider.value}: {error}") from None
        # Chosen only because a policy names it: report it as not scanned (exit 3, fail closed)
        # and scan the clouds the user does have credentials for.
        reason = f"{error}; pass --provider to scan only the clouds you have credentials for"
        return Inventory((), (AccountGap(provider, "*", reason),), (), "scan")
    except Exception as error:  # a bug or an unexpected answer: this provider only, never the others
        reason = f"{type(error).__name__}: {error}".splitlines()[0][:500]
        gap = AccountGap(provider, "*", f"provider scan failed ({reason})")
        return Inventory((), (gap,), (), "scan")


def _provider_options(args: argparse.Namespace, providers: list[Provider]) -> dict[Provider, ProviderOptions]:
    """Every provider's options; an option for a provider this scan leaves out is a mistake."""
    parsed: dict[Provider, ProviderOptions] = {}
    for provider, entry in ENTRIES.items():
        try:
            options = entry.options.from_args(args)
        except SourceError as error:
            raise UsageError(str(error)) from None
        given = options.given_flags()
        if given and provider not in providers:
            scanned = ", ".join(p.value for p in providers) or "none"
            raise UsageError(f"{given[0]} applies to {provider.value}, which this scan does not include "
                             f"(providers: {scanned}); add --provider {provider.value} or drop {given[0]}")
        parsed[provider] = options
    return parsed


def run(args: argparse.Namespace) -> int:
    started = now_iso()
    request = prepare_reports(args)
    catalog = load_catalog()
    policy_set = load_policies(args.policy, catalog)
    named = {p for policy in policy_set.policies for p in policy.scope.providers}
    providers = [Provider(p) for p in dict.fromkeys(args.providers)] if args.providers else sorted(named)
    options = _provider_options(args, providers)
    common = common_options(args)
    needs = PolicyNeeds(policy_set.policies, catalog)
    plan: CollectionPlan = CollectEverything() if args.collect_all else needs
    inventory = Inventory((), (), (), "scan", policy_set.digests)
    progress = make_progress()
    with progress:
        for provider in providers:
            if needs.wants_provider(provider):
                explicit = bool(args.providers) or bool(options[provider].given_flags())
                found = _scan_provider(provider, common, options[provider], plan, progress, explicit)
                inventory = inventory.merged(redact_inventory(found))
    snapshot = [(Path(args.inventory_out), dumps(inventory))] if args.inventory_out else []
    recorded = [("deep", str(args.deep).lower()), ("collect-all", str(args.collect_all).lower())]
    return finish(args, policy_set, inventory, started, [p.value for p in providers], recorded, request, snapshot)



