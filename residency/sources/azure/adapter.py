"""The Azure adapter: subscriptions -> storage accounts (and deleted ones) -> `Inventory`.

Subscriptions come from `--azure-subscription` or from every subscription the credential
can list. A subscription whose calls fail becomes an `AccountGap` and the others are still
scanned; a failure on one account becomes a `Gap` on that account. Lists are read page by
page by the adapter itself (`arm`) and each item parsed on its own (`records`): a malformed
account is that account's gap, an item naming no account and a listing cut short are the
subscription's. Accounts are scanned on a bounded thread pool.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from azure.core.exceptions import AzureError, ClientAuthenticationError

from residency.catalog import load_catalog
from residency.inventory.model import AccountGap, Inventory, Provider, StorageResource
from residency.sources.azure.account import AccountScanner, deleted_resource
from residency.sources.azure.arm import STORAGE_API_VERSION, SUBSCRIPTIONS_API_VERSION, ArmClient, list_all
from residency.sources.azure.clients import AzureClients
from residency.sources.azure.errors import describe_error
from residency.sources.azure.options import AzureOptions
from residency.sources.azure.records import AccountRecord, DeletedRecord, MalformedRecord, text
from residency.sources.azure.replication import DestinationResolver
from residency.sources.azure.services import link_copies, scan_services
from residency.sources.contract import (
    CollectionPlan,
    CommonOptions,
    InventorySource,
    Progress,
    ProviderOptions,
    SourceError,
)
from residency.sources.workers import worker_pool

AZURE = Provider.AZURE
R = TypeVar("R")


@dataclass
class _Listing:
    subscription: str
    accounts: list[AccountRecord] = field(default_factory=list)
    deleted: list[DeletedRecord] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    failed: bool = False  # a whole listing failed: the subscription is not counted as scanned


def _credential_error(error: ClientAuthenticationError) -> SourceError:
    return SourceError(
        "no usable credentials (DefaultAzureCredential): sign in with `az login` or set "
        f"AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET ({describe_error(error)})"
    )


class AzureAdapter:
    provider = AZURE

    def __init__(self, common: CommonOptions, options: AzureOptions, clients: AzureClients | None = None) -> None:
        self.common = common
        self.options = options
        self.clients = clients or AzureClients.from_env()

    def collect(self, plan: CollectionPlan, progress: Progress) -> Inventory:
        if not plan.wants_provider(AZURE):
            return Inventory(resources=())
        try:
            return self._scan(plan, progress)
        finally:
            self.clients.close()

    def _scan(self, plan: CollectionPlan, progress: Progress) -> Inventory:
        subscriptions, gaps = self._subscriptions()
        wanted = [sub for sub in subscriptions if plan.wants_account(AZURE, sub)]
        with worker_pool(self.common.max_workers, "azure") as pool:
            listings = list(pool.map(self._list, wanted))
            gaps += [AccountGap(AZURE, item.subscription, gap) for item in listings for gap in item.gaps]
            known: dict[str, AccountRecord] = {}
            for item in listings:
                for account in item.accounts:
                    known[account.id.lower()] = known[account.name.lower()] = account
            catalog = load_catalog()
            resolver = DestinationResolver(known, self.clients.storage, catalog)
            scanner = AccountScanner(self.clients, plan, catalog, resolver, self.common.deep)
            work = [(item.subscription, account) for item in listings for account in item.accounts]
            progress.begin("azure storage accounts", len(work))

            def scan_one(job: tuple[str, AccountRecord]) -> list[StorageResource]:
                try:
                    return scanner.scan_safely(*job)
                finally:
                    progress.advance("azure storage accounts")

            found = [r for batch in pool.map(scan_one, work) for r in batch]

            def services_of(subscription: str) -> tuple[list[StorageResource], list[AccountGap]]:
                mine = [r for r in found if r.account == subscription]
                listing = scan_services(self.clients, plan, scanner.catalog, subscription, mine)
                progress.advance("azure data stores")
                return listing.resources, listing.gaps

            progress.begin("azure data stores", len(wanted))
            more_found: list[StorageResource] = []
            for more, more_gaps in pool.map(services_of, wanted):
                more_found += more
                gaps += more_gaps
        found += more_found
        found += [deleted_resource(item.subscription, d) for item in listings for d in item.deleted]
        resources = sorted(link_copies(found), key=lambda r: (r.account, r.id))
        gaps = _one_gap_per_subscription(gaps)
        scanned = tuple((AZURE.value, item.subscription) for item in listings if not item.failed)
        return Inventory(resources=tuple(resources), account_gaps=tuple(gaps), scanned=scanned)

    def _subscriptions(self) -> tuple[list[str], list[AccountGap]]:
        if self.options.subscriptions:
            return list(self.options.subscriptions), []
        try:
            listed = list_all(self.clients.subscriptions(), "/subscriptions", SUBSCRIPTIONS_API_VERSION,
                              "Subscriptions - List")
        except ClientAuthenticationError as error:
            if error.response is None:
                raise _credential_error(error) from error
            return [], [AccountGap(AZURE, "*", f"subscriptions could not be listed: {describe_error(error)}")]
        except AzureError as error:
            return [], [AccountGap(AZURE, "*", f"subscriptions could not be listed: {describe_error(error)}")]
        found: list[str] = []
        gaps = [AccountGap(AZURE, "*", f"{listed.cut_short}: subscriptions after it were not scanned")
                ] if listed.cut_short else []
        for item in listed.items:
            try:
                found.append(text(item, "subscriptionId") or "")
            except MalformedRecord:
                found.append("")
            if not found[-1]:
                found.pop()
                gaps.append(AccountGap(AZURE, "*", "Subscriptions - List answered an entry without a "
                                                   "subscriptionId: that subscription could not be scanned"))
        return sorted(set(found)), gaps

    def _list(self, subscription: str) -> _Listing:
        listing = _Listing(subscription)
        client = self.clients.storage(subscription)
        base = f"/subscriptions/{subscription}/providers/Microsoft.Storage"
        try:
            listing.accounts = self._records(client, f"{base}/storageAccounts", "storage accounts", listing,
                                             AccountRecord.parse)
        except ClientAuthenticationError as error:
            if error.response is None:
                raise _credential_error(error) from error
            listing.gaps.append(f"storage accounts could not be listed: {describe_error(error)}")
            listing.failed = True
            return listing
        except AzureError as error:
            listing.gaps.append(f"storage accounts could not be listed: {describe_error(error)}")
            listing.failed = True
            return listing
        try:
            listing.deleted = self._records(client, f"{base}/deletedAccounts", "deleted (recoverable) storage "
                                            "accounts", listing, DeletedRecord.parse)
        except AzureError as error:
            listing.gaps.append(f"deleted (recoverable) storage accounts could not be listed: {describe_error(error)}")
            listing.failed = True
        return listing

    @staticmethod
    def _records(client: ArmClient, path: str, what: str, listing: _Listing, parse: Callable[[object], R]) -> list[R]:
        """Each item parsed on its own: one that names no resource is the subscription's gap, not its end."""
        listed = list_all(client, path, STORAGE_API_VERSION, f"{what} of subscription {listing.subscription}")
        if listed.cut_short:
            listing.gaps.append(f"{listed.cut_short}: {what} after it were not listed")
        records: list[R] = []
        for item in listed.items:
            try:
                records.append(parse(item))
            except MalformedRecord as error:
                listing.gaps.append(f"the list of {what} held an entry that could not be recorded ({error})")
        return records


def _one_gap_per_subscription(gaps: list[AccountGap]) -> list[AccountGap]:
    """Everything a subscription could not list, in one gap (one unverifiable finding per policy)."""
    reasons: dict[str, list[str]] = {}
    for gap in gaps:
        reasons.setdefault(gap.account, [])
        if gap.reason not in reasons[gap.account]:
            reasons[gap.account].append(gap.reason)
    return [AccountGap(AZURE, account, "; ".join(found)) for account, found in reasons.items()]


def create(common: CommonOptions, options: ProviderOptions) -> InventorySource:
    if not isinstance(options, AzureOptions):
        raise SourceError(f"Azure options expected, got {type(options).__name__}")
    return AzureAdapter(common, options)
