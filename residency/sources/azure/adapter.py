"""The Azure adapter: subscriptions -> storage accounts (and deleted ones) -> `Inventory`.

Subscriptions come from `--azure-subscription` or from every subscription the credential
can list. A subscription whose calls fail becomes an `AccountGap` and the others are still
scanned; a failure on one account becomes a `Gap` on that account. Accounts are scanned on
a bounded thread pool.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from azure.core.exceptions import AzureError, ClientAuthenticationError
from azure.mgmt.storage.models import DeletedAccount, StorageAccount

from residency.catalog import load_catalog
from residency.inventory.model import AccountGap, Inventory, Provider, StorageResource
from residency.sources.azure.account import AccountScanner, deleted_resource
from residency.sources.azure.clients import AzureClients
from residency.sources.azure.errors import describe_error
from residency.sources.azure.options import AzureOptions
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

AZURE = Provider.AZURE


@dataclass
class _Listing:
    subscription: str
    accounts: list[StorageAccount] = field(default_factory=list)
    deleted: list[DeletedAccount] = field(default_factory=list)
    gap: str | None = None


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
        workers = max(1, self.common.max_workers)
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="azure") as pool:
            listings = list(pool.map(self._list, wanted))
            gaps += [AccountGap(AZURE, item.subscription, item.gap) for item in listings if item.gap]
            known: dict[str, StorageAccount] = {}
            for item in listings:
                for account in item.accounts:
                    known[str(account.id).lower()] = known[str(account.name).lower()] = account
            resolver = DestinationResolver(known, self.clients.storage)
            scanner = AccountScanner(self.clients, plan, load_catalog(), resolver, self.common.deep)
            work = [(item.subscription, account) for item in listings for account in item.accounts]
            progress.begin("azure storage accounts", len(work))

            def scan_one(job: tuple[str, StorageAccount]) -> list[StorageResource]:
                try:
                    return scanner.scan_safely(*job)
                finally:
                    progress.advance("azure storage accounts")

            found: list[StorageResource | None] = [r for batch in pool.map(scan_one, work) for r in batch]
            accounts = [r for r in found if r is not None]

            def services_of(subscription: str) -> tuple[list[StorageResource], list[AccountGap]]:
                mine = [r for r in accounts if r.account == subscription]
                listing = scan_services(self.clients, plan, scanner.catalog, subscription, mine)
                progress.advance("azure data stores")
                return listing.resources, listing.gaps

            progress.begin("azure data stores", len(wanted))
            for more, more_gaps in pool.map(services_of, wanted):
                found += more
                gaps += more_gaps
        found += [deleted_resource(item.subscription, d) for item in listings for d in item.deleted]
        resources = sorted(link_copies([r for r in found if r is not None]), key=lambda r: (r.account, r.id))
        gaps = _one_gap_per_subscription(gaps)
        scanned = tuple((AZURE.value, item.subscription) for item in listings if not item.gap)
        return Inventory(resources=tuple(resources), account_gaps=tuple(gaps), scanned=scanned)

    def _subscriptions(self) -> tuple[list[str], list[AccountGap]]:
        if self.options.subscriptions:
            return list(self.options.subscriptions), []
        try:
            listed = [str(s.subscription_id) for s in self.clients.subscriptions().subscriptions.list()]
        except ClientAuthenticationError as error:
            if error.response is None:
                raise _credential_error(error) from error
            return [], [AccountGap(AZURE, "*", f"subscriptions could not be listed: {describe_error(error)}")]
        except AzureError as error:
            return [], [AccountGap(AZURE, "*", f"subscriptions could not be listed: {describe_error(error)}")]
        return sorted(set(listed)), []

    def _list(self, subscription: str) -> _Listing:
        listing = _Listing(subscription)
        client = self.clients.storage(subscription)
        try:
            listing.accounts = list(client.storage_accounts.list())
        except ClientAuthenticationError as error:
            if error.response is None:
                raise _credential_error(error) from error
            listing.gap = f"storage accounts could not be listed: {describe_error(error)}"
            return listing
        except AzureError as error:
            listing.gap = f"storage accounts could not be listed: {describe_error(error)}"
            return listing
        try:
            listing.deleted = list(client.deleted_accounts.list())
        except AzureError as error:
            listing.gap = f"deleted (recoverable) storage accounts could not be listed: {describe_error(error)}"
        return listing



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
