"""AWS options and CLI flags (no SDK import: the CLI builds its parser from this)."""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from typing import Any

from residency.sources.contract import SourceError

DEFAULT_ORG_ROLE = "OrganizationAccountAccessRole"
_ROLE_NAME = re.compile(r"[\w+=,.@-]{1,64}", re.ASCII)

# option attribute -> the flag a user types
FLAGS = {
    "profile": "--aws-profile",
    "region": "--aws-region",
    "assume_role": "--aws-assume-role",
    "accounts_file": "--aws-accounts-file",
    "organization": "--aws-organization",
}


@dataclass(frozen=True, slots=True)
class AwsOptions:
    profile: str | None = None
    region: str | None = None
    assume_role: str | None = None
    accounts_file: str | None = None
    organization: bool = False
    org_role: str = DEFAULT_ORG_ROLE

    def given_flags(self) -> tuple[str, ...]:
        return tuple(flag for attribute, flag in FLAGS.items() if getattr(self, attribute))


def add_arguments(group: Any) -> None:
    group.add_argument("--aws-profile", help="named profile from the AWS config files")
    group.add_argument("--aws-region", help="region for global calls (STS, tagging); default from config")
    group.add_argument("--aws-assume-role", metavar="ARN", help="assume this role before scanning")
    group.add_argument("--aws-accounts-file", metavar="FILE",
                       help="scan many accounts: a file of account ids or role ARNs, one per line")
    group.add_argument("--aws-organization", action="store_true",
                       help="scan every account of the AWS Organization (assumes --aws-org-role in each)")
    group.add_argument("--aws-org-role", default=DEFAULT_ORG_ROLE,
                       help="role name assumed in each account (default: %(default)s)")


def from_args(args: argparse.Namespace) -> AwsOptions:
    if not _ROLE_NAME.fullmatch(args.aws_org_role or ""):
        raise SourceError(f"--aws-org-role {args.aws_org_role!r}: an IAM role name has 1 to 64 of the characters "
                          "A-Z a-z 0-9 + = , . @ _ -")
    return AwsOptions(
        profile=args.aws_profile,
        region=args.aws_region,
        assume_role=args.aws_assume_role,
        accounts_file=args.aws_accounts_file,
        organization=args.aws_organization,
        org_role=args.aws_org_role,
    )
