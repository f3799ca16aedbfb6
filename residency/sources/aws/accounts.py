"""Which accounts to scan: the caller's, an accounts file, or every account of the Organization.

An accounts file has one entry a line: a 12-digit account id (the `--aws-org-role` role is
assumed in it) or a full role ARN; `#` starts a comment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from residency.sources.contract import SourceError

# ASCII only: `\d` and `\w` would accept "١٢٣٤٥٦٧٨٩٠١٢" (Arabic-Indic digits) as an account id.
_ACCOUNT_ID = re.compile(r"[0-9]{12}")
_ROLE_ARN = re.compile(r"arn:(aws[a-z-]*):iam::([0-9]{12}):role/[A-Za-z0-9_+=,.@/-]+")


@dataclass(frozen=True, slots=True)
class AccountTarget:
    account: str
    role_arn: str | None  # None: scan with the caller's own credentials


def role_arn(partition: str, account: str, role_name: str) -> str:
    return f"arn:{partition}:iam::{account}:role/{role_name}"


def account_of_role(arn: str) -> str:
    match = _ROLE_ARN.fullmatch(arn)
    if not match:
        raise SourceError(f"'{arn}' is not an IAM role ARN (arn:aws:iam::<12 digits>:role/<name>)")
    return match.group(2)


def partition_of_arn(arn: str) -> str:
    parts = arn.split(":")
    return parts[1] if len(parts) > 2 and parts[1] else "aws"


def read_accounts_file(path: str, role_name: str, partition: str, caller: str) -> list[AccountTarget]:
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as error:
        reason = f"{path}: cannot read the accounts file ({error.strerror}); fix --aws-accounts-file"
        raise SourceError(reason) from None
    targets: list[AccountTarget] = []
    for number, raw in enumerate(lines, start=1):
        entry = raw.split("#", 1)[0].strip()
        if not entry:
            continue
        if _ACCOUNT_ID.fullmatch(entry):
            arn = None if entry == caller else role_arn(partition, entry, role_name)
            targets.append(AccountTarget(entry, arn))
        elif _ROLE_ARN.fullmatch(entry):
            targets.append(AccountTarget(account_of_role(entry), entry))
        else:
            raise SourceError(
                f"{path}:{number}: '{entry}' is neither a 12-digit account id nor an IAM role ARN; "
                "write one of them per line"
            )
    return _unique(targets)


def organization_accounts(organizations: Any) -> list[str]:
    """Active member accounts of the caller's Organization (ListAccounts, paginated by hand)."""
    accounts: list[str] = []
    params: dict[str, Any] = {}
    while True:
        page = organizations.list_accounts(**params)
        accounts += [str(a["Id"]) for a in page.get("Accounts", []) if a.get("Status", "ACTIVE") == "ACTIVE"]
        token = page.get("NextToken")
        if not token:
            return accounts
        params["NextToken"] = token


def organization_targets(accounts: list[str], role_name: str, partition: str, caller: str) -> list[AccountTarget]:
    return _unique(
        [AccountTarget(a, None if a == caller else role_arn(partition, a, role_name)) for a in accounts]
    )


def _unique(targets: list[AccountTarget]) -> list[AccountTarget]:
    seen: set[str] = set()
    unique = []
    for target in targets:
        if target.account not in seen:
            seen.add(target.account)
            unique.append(target)
    return unique
