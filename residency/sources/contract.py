"""The provider adapter contract: discover storage, read-only, failures as data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from residency.engine.needs import ScanNeeds
from residency.inventory.model import Inventory, Provider


class ProviderError(Exception):
    """A provider could not be set up at all (bad option, unreadable accounts file).

    Only configuration errors raise; cloud errors on an account or resource are recorded
    in the inventory (`AccountGap`, `Gap`) so the rest of the scan goes on.
    """


@dataclass(frozen=True, slots=True)
class ScanOptions:
    deep: bool = False  # count objects/versions/bytes fully instead of an O(1) probe
    max_workers: int = 16
    aws_profile: str | None = None
    aws_region: str | None = None
    aws_assume_role: str | None = None
    aws_accounts_file: str | None = None
    aws_organization: bool = False
    aws_org_role: str = "OrganizationAccountAccessRole"
    gcp_projects: tuple[str, ...] = ()
    azure_subscriptions: tuple[str, ...] = ()


class Progress(Protocol):
    """Where adapters report progress; the CLI shows a bar only on a terminal."""

    def begin(self, label: str, total: int | None) -> None: ...

    def advance(self, label: str, amount: int = 1) -> None: ...


class NullProgress:
    def begin(self, label: str, total: int | None) -> None:
        return None

    def advance(self, label: str, amount: int = 1) -> None:
        return None

    def __enter__(self) -> NullProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


class ProviderAdapter(Protocol):
    provider: Provider

    def scan(self, needs: ScanNeeds, progress: Progress) -> Inventory:
        """Discover every storage container the credentials can see that `needs` covers."""
        ...


class PermissionsDoc(Protocol):
    def __call__(self) -> str:
        """The least-privilege permission document for exactly the calls the adapter makes."""
        ...
