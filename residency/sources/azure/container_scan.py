"""Containers whose metadata brings them into scope, in an account whose tags do not.

Each covered container becomes its own `StorageResource` (kind `azure-blob-container`)
with the account's placements (its data lives where the account's does) and, when a
covering policy needs it, the container's own deletion evidence.

When the metadata cannot be read (or a probe left containers unread), the account itself
is reported with unknown tags: a tag-scoped policy then says its scope is unverifiable
where the account's data lies outside it, instead of the scan silently dropping it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from azure.core.exceptions import AzureError
from azure.mgmt.storage.models import StorageAccount

from residency.inventory.model import UNKNOWN_TAGS, Gap, Provider, StorageResource, sorted_tags
from residency.sources.azure import account_placements as locate
from residency.sources.azure.containers import (
    CONTAINER_KIND,
    PROBE_PAGE,
    AccountPlacements,
    ContainerListing,
    ScopeKey,
    container_id,
    list_container_metadata,
    merged_tags,
)
from residency.sources.azure.errors import describe_error, parse_account_id

if TYPE_CHECKING:
    from residency.sources.azure.account import AccountScanner

AZURE = Provider.AZURE
ACCOUNT_KIND = "azure-storage-account"


class ContainerScanner:
    def __init__(self, scanner: AccountScanner) -> None:
        self.scanner = scanner

    def scan(self, subscription: str, account: StorageAccount) -> list[StorageResource]:
        name = str(account.name)
        endpoint = account.primary_endpoints.blob if account.primary_endpoints else None
        if not endpoint:
            return [self._tags_unknown(subscription, account, "the account reports no blob endpoint")]
        try:
            with self.scanner.clients.blob_service(endpoint, name) as service:
                listing = list_container_metadata(service, self.scanner.deep)
        except AzureError as error:
            return [self._tags_unknown(subscription, account, f"could not be listed: {describe_error(error)}")]
        resources = self._covered(subscription, account, listing)
        if not listing.complete:
            resources.append(self._tags_unknown(
                subscription, account, f"only the first {PROBE_PAGE} containers were read (--deep reads all)"))
        return resources

    def _covered(self, subscription: str, account: StorageAccount, listing: ContainerListing) -> list[StorageResource]:
        name, resource_id = str(account.name), str(account.id)
        keys: list[ScopeKey] = [
            (AZURE, subscription, f"{name}/{container}", container_id(resource_id, container),
             merged_tags(account.tags, metadata))
            for container, metadata in listing.containers
        ]
        covered = [key for key in keys if self.scanner.needs.covers(*key)]
        if not covered:
            return []
        located = self.scanner.locate(subscription, account, covered)  # once: the containers share it
        return [
            self.scanner.resource(account, key, CONTAINER_KIND, located,
                                  self.scanner.deletion_evidence(account, key, located, key[2].split("/", 1)[1]))
            for key in covered
        ]

    def _tags_unknown(self, subscription: str, account: StorageAccount, reason: str) -> StorageResource:
        """The account with the placements its listing already gave (no further calls)."""
        primary = locate.primary_placement(account)
        secondary = locate.secondary_placement(account, primary.region, self.scanner.catalog)
        ref = parse_account_id(str(account.id))
        located = AccountPlacements(ref.resource_group if ref else "", [primary] + ([secondary] if secondary else []),
                          locate.account_attributes(account), [])
        key: ScopeKey = (AZURE, subscription, str(account.name), str(account.id), sorted_tags(account.tags))
        gap = Gap(UNKNOWN_TAGS, f"container metadata {reason}")
        return self.scanner.resource(account, key, ACCOUNT_KIND, located, (None, []), (gap,))
