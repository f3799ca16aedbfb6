"""The contract every inventory source keeps: discover where data lives, read-only, failures as data.

A source (a cloud adapter, a Terraform plan, a saved snapshot) turns something outside into an
`Inventory`. Cloud adapters would be slow and costly if they fetched every fact about every
resource, so they ask a `CollectionPlan` what to fetch for each resource key. The plan is
defined here, on the sources' side, as a narrow protocol: sources never import policies, scopes
or the engine, and what they record does not depend on which policies were loaded beyond what
they chose to fetch, which each resource's `collected` facets say.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from residency.errors import ResidencyError
from residency.inventory.model import Inventory, PlacementKind, Provider, ResourceKey


class SourceError(ResidencyError):
    """A source could not be set up at all: bad option, unreadable accounts file, no credentials.

    Only configuration errors raise; cloud errors on an account or resource are recorded in the
    inventory (`AccountGap`, `Gap`) so the rest of the scan goes on.
    """


class CollectionPlan(Protocol):
    """What to fetch. Adapters ask in the order they learn things about a resource."""

    def wants_provider(self, provider: Provider) -> bool:
        """Anything of this provider is needed at all."""
        ...

    def wants_account(self, provider: Provider, account: str) -> bool:
        """Something in this account/project/subscription may be needed."""
        ...

    def scopes_by_tags(self, provider: Provider, account: str) -> bool:
        """Tags found below a resource in this account (e.g. container metadata) could matter."""
        ...

    def wants_kind(self, provider: Provider, account: str, kind: str) -> bool:
        """Resources of this kind in this account may be needed (else its service need not be called)."""
        ...

    def covers(self, key: ResourceKey) -> bool:
        """This resource is needed: locate it. A key with unknown tags is needed when it might be."""
        ...

    def wants_placements(self, kind: PlacementKind, key: ResourceKey) -> bool:
        """Placements of this kind (replicas, derived copies, residual data ...) are needed."""
        ...

    def wants_deletion_evidence(self, key: ResourceKey, regions: Iterable[str]) -> bool:
        """What is left in it (versions, soft-deleted data, locks) is needed, given where it is."""
        ...


class CollectEverything:
    """The plan for a full inventory: every fact about every resource (`scan --collect-all`)."""

    def wants_provider(self, provider: Provider) -> bool:
        return True

    def wants_account(self, provider: Provider, account: str) -> bool:
        return True

    def scopes_by_tags(self, provider: Provider, account: str) -> bool:
        return True

    def wants_kind(self, provider: Provider, account: str, kind: str) -> bool:
        return True

    def covers(self, key: ResourceKey) -> bool:
        return True

    def wants_placements(self, kind: PlacementKind, key: ResourceKey) -> bool:
        return True

    def wants_deletion_evidence(self, key: ResourceKey, regions: Iterable[str]) -> bool:
        return True


class Progress(Protocol):
    """Where sources report progress; the CLI shows a bar only on a terminal."""

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


@runtime_checkable
class InventorySource(Protocol):
    """Anything that yields an inventory: a cloud adapter, a Terraform plan, a snapshot."""

    def collect(self, plan: CollectionPlan, progress: Progress) -> Inventory:
        """Every resource the plan needs (and what was collected about each). Never raises for a
        cloud error; raises SourceError only for configuration errors."""
        ...


@dataclass(frozen=True, slots=True)
class CommonOptions:
    """Options every cloud adapter takes."""

    deep: bool = False  # count objects/versions/bytes fully instead of an O(1) probe
    max_workers: int = 16


class ProviderOptions(Protocol):
    """A provider's own options, parsed from its CLI argument group."""

    def given_flags(self) -> tuple[str, ...]:
        """The provider-specific flags the user gave (an option for a provider not scanned is an error)."""
        ...


class OptionsModule(Protocol):
    """The light module each cloud adapter package has for its flags (`aws/options.py` ...): no SDK
    import, so the CLI builds its parser without importing boto3 or the Google and Azure libraries."""

    def add_arguments(self, group: Any) -> None:
        """Add the provider's flags to its argparse argument group."""
        ...

    def from_args(self, args: argparse.Namespace) -> ProviderOptions:
        """Parse the provider's flags; raise SourceError for a bad value."""
        ...


@dataclass(frozen=True, slots=True)
class Check:
    """One read-only probe `residency doctor` made: None = not checked (and why, in `detail`)."""

    what: str  # "list buckets (s3:ListBuckets)"
    ok: bool | None
    detail: str


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """What `residency doctor` found for one provider."""

    provider: Provider
    identity: str | None  # who the credentials are, or None when there are none
    endpoints: tuple[tuple[str, str], ...]  # environment variables that override where the SDK goes
    checks: tuple[Check, ...]
