"""Azure options and CLI flags (no SDK import: the CLI builds its parser from this)."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class AzureOptions:
    subscriptions: tuple[str, ...] = ()

    def given_flags(self) -> tuple[str, ...]:
        return ("--azure-subscription",) if self.subscriptions else ()


def add_arguments(group: Any) -> None:
    group.add_argument("--azure-subscription", action="append", dest="azure_subscriptions", metavar="ID",
                       help="subscription to scan, repeatable (default: every one the credential can list)")


def from_args(args: argparse.Namespace) -> AzureOptions:
    return AzureOptions(subscriptions=tuple(dict.fromkeys(args.azure_subscriptions or ())))
