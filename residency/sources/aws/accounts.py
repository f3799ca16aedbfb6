"""Which accounts to scan: the caller's, an accounts file, or every account of the Organization.

An accounts file has one entry a line: a 12-digit account id (the `--aws-org-role` role is
assumed in it) or a full role ARN; `#` starts a comment.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from residency.sources.aws.answers import entries, text
from residency.sources.contract import SourceError
from residency.sources.paging import PageGuard

# ASCII only (re.ASCII): \d and \w would accept other scripts' digits and letters.
_ACCOUNT_ID = re.compile(r"\A\d{12}\Z", re.ASCII)
MAX_ACCOUNT_PAGES = 5000  # 100,000 accounts at the API's 20 per page
MAX_ACCOUNTS_FILE_BYTES = 2**20  # a million bytes: some 70,000 role ARNs
_ROLE_ARN = re.compile(r"^arn:(aws[\w-]*):iam::(\d{12}):role/[\w+=,.@/-]+\Z", re.ASCII)


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
    lines = _accounts_file_lines(path)
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


def _accounts_file_lines(path: str) -> list[str]:
    """A regular file of UTF-8 text within MAX_ACCOUNTS_FILE_BYTES (never a FIFO or a device that
    would block or never end)."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise SourceError(f"{path}: not a regular file; give --aws-accounts-file a text file of account ids")
        if info.st_size > MAX_ACCOUNTS_FILE_BYTES:
            raise SourceError(f"{path}: larger than {MAX_ACCOUNTS_FILE_BYTES // 2**20} MiB; "
                              "give --aws-accounts-file one account id or role ARN per line")
        return Path(path).read_bytes().decode("utf-8").splitlines()
    except OSError as error:
        reason = f"{path}: cannot read the accounts file ({error.strerror}); fix --aws-accounts-file"
        raise SourceError(reason) from None
    except UnicodeDecodeError:
        raise SourceError(f"{path}: not UTF-8 text; fix --aws-accounts-file") from None


def organization_accounts(organizations: Any) -> tuple[list[str], list[str]]:
    """(active member accounts, problems) of the caller's Organization (ListAccounts, paginated by
    hand). An entry without a 12-digit id is a problem (an account that could not be scanned);
    an account whose state is not reported is scanned."""
    accounts: list[str] = []
    problems: list[str] = []
    guard = PageGuard("Organizations ListAccounts", MAX_ACCOUNT_PAGES)
    params: dict[str, Any] = {}
    while True:
        page = organizations.list_accounts(**params)
        for entry in entries(page, "Accounts", "ListAccounts"):
            account = text(entry, "Id")
            if account is None or not _ACCOUNT_ID.match(account):
                problems.append(f"ListAccounts answered an account entry without a 12-digit Id ({account!r}): "
                                "that account could not be scanned")
            elif (text(entry, "State") or text(entry, "Status") or "ACTIVE") == "ACTIVE":
                accounts.append(account)
        token = page.get("NextToken")
        if not guard.follow(token):
            if guard.cut_short:
                problems.append(f"{guard.cut_short}: accounts after it were not scanned")
            return accounts, problems
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
