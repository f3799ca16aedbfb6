"""`residency scan`: discover storage in the clouds and evaluate it against policies."""

from __future__ import annotations

import argparse
from pathlib import Path

from residency.catalog import load_catalog
from residency.cli.output import write_atomically
from residency.cli.progress import make_progress
from residency.cli.reporting import (
    add_policy_argument,
    add_report_arguments,
    check_writable,
    finish,
    now_iso,
    prepare_reports,
)
from residency.engine.needs import ScanNeeds
from residency.errors import UsageError
from residency.inventory.model import AccountGap, Inventory, Provider
from residency.inventory.snapshot import dumps
from residency.policy.loader import load_policies
from residency.sources import create_adapter
from residency.sources.contract import Progress, ProviderError, ScanOptions

HELP = "discover where storage lives (AWS S3, GCS, Azure Blob) and check it against policies"


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
    aws = parser.add_argument_group("AWS")
    aws.add_argument("--aws-profile", help="named profile from the AWS config files")
    aws.add_argument("--aws-region", help="region for global calls (STS, tagging); default from config")
    aws.add_argument("--aws-assume-role", metavar="ARN", help="assume this role before scanning")
    aws.add_argument("--aws-accounts-file", metavar="FILE",
                     help="scan many accounts: a file of account ids or role ARNs, one per line")
    aws.add_argument("--aws-organization", action="store_true",
                     help="scan every account of the AWS Organization (assumes --aws-org-role in each)")
    aws.add_argument("--aws-org-role", default="OrganizationAccountAccessRole",
                     help="role name assumed in each account (default: %(default)s)")
    gcp = parser.add_argument_group("Google Cloud")
    gcp.add_argument("--gcp-project", action="append", dest="gcp_projects", metavar="PROJECT",
                     help="project to scan, repeatable (default: every project the credentials can list)")
    azure = parser.add_argument_group("Azure")
    azure.add_argument("--azure-subscription", action="append", dest="azure_subscriptions", metavar="ID",
                       help="subscription to scan, repeatable (default: every one the credential can list)")
    add_report_arguments(parser)


def scan_options(args: argparse.Namespace) -> ScanOptions:
    if args.max_workers < 1 or args.max_workers > 256:
        raise UsageError(f"--max-workers {args.max_workers}: choose 1 to 256")
    return ScanOptions(
        deep=args.deep,
        max_workers=args.max_workers,
        aws_profile=args.aws_profile,
        aws_region=args.aws_region,
        aws_assume_role=args.aws_assume_role,
        aws_accounts_file=args.aws_accounts_file,
        aws_organization=args.aws_organization,
        aws_org_role=args.aws_org_role,
        gcp_projects=tuple(args.gcp_projects or ()),
        azure_subscriptions=tuple(args.azure_subscriptions or ()),
    )


def _scan_provider(
    provider: Provider, options: ScanOptions, needs: ScanNeeds, progress: Progress, explicit: bool
) -> Inventory:
    try:
        adapter = create_adapter(provider, options)
        return adapter.scan(needs, progress)
    except ProviderError as error:
        if explicit:
            raise UsageError(f"{provider.value}: {error}") from None
        # Chosen only because a policy names it: report it as not scanned (exit 3, fail closed)
        # and scan the clouds the user does have credentials for.
        reason = f"{error}; pass --provider to scan only the clouds you have credentials for"
        return Inventory((), (AccountGap(provider, "*", reason),), (), "scan")
    except Exception as error:
        reason = f"{type(error).__name__}: {error}".splitlines()[0][:500]
        gap = AccountGap(provider, "*", f"provider scan failed ({reason})")
        return Inventory((), (gap,), (), "scan")


# argparse dest -> the flag a user typed, per provider
_PROVIDER_OPTIONS = {
    Provider.AWS: {"aws_profile": "--aws-profile", "aws_region": "--aws-region",
                   "aws_assume_role": "--aws-assume-role", "aws_accounts_file": "--aws-accounts-file",
                   "aws_organization": "--aws-organization"},
    Provider.GCP: {"gcp_projects": "--gcp-project"},
    Provider.AZURE: {"azure_subscriptions": "--azure-subscription"},
}


def _has_provider_options(args: argparse.Namespace, provider: Provider) -> bool:
    return any(getattr(args, dest) for dest in _PROVIDER_OPTIONS[provider])


def _check_provider_options(args: argparse.Namespace, providers: list[Provider]) -> None:
    """An option for a provider this scan leaves out is a mistake, not something to ignore."""
    for provider, flags in _PROVIDER_OPTIONS.items():
        given = [flag for dest, flag in flags.items() if getattr(args, dest)]
        if given and provider not in providers:
            scanned = ", ".join(p.value for p in providers) or "none"
            raise UsageError(f"{given[0]} applies to {provider.value}, which this scan does not include "
                             f"(providers: {scanned}); add --provider {provider.value} or drop {given[0]}")


def run(args: argparse.Namespace) -> int:
    started = now_iso()
    request = prepare_reports(args)
    if args.inventory_out:
        check_writable(Path(args.inventory_out), "--inventory-out")
    catalog = load_catalog()
    policy_set = load_policies(args.policy, catalog)
    named = {p for policy in policy_set.policies for p in policy.scope.providers}
    providers = [Provider(p) for p in dict.fromkeys(args.providers)] if args.providers else sorted(named)
    _check_provider_options(args, providers)
    options = scan_options(args)
    needs = ScanNeeds(policy_set.policies, catalog)
    inventory = Inventory((), (), (), "scan")
    progress = make_progress()
    with progress:
        for provider in providers:
            if needs.wants_provider(provider):
                explicit = bool(args.providers) or _has_provider_options(args, provider)
                inventory = inventory.merged(_scan_provider(provider, options, needs, progress, explicit))
    if args.inventory_out:
        write_atomically(args.inventory_out, dumps(inventory))
    recorded = [("deep", str(args.deep).lower())]
    return finish(args, policy_set, inventory, started, [p.value for p in providers], recorded, request)
