"""Containers whose metadata brings them into scope, in an account whose tags do not.

Each covered container becomes its own `StorageResource` (kind `azure-blob-container`)
with the account's placements (its data lives where the account's does) and, when the
collection plan needs it, the container's own deletion evidence.

When the metadata cannot be read (or a probe left containers unread), the account's record
gets a gap on its tags facet: a tag-scoped policy then says its scope is unverifiable where
the account's data lies outside it, instead of the scan silently dropping it.
"""

from __future__ import annotations

from typing import Protocol

from azure.core.exceptions import AzureError

from residency.inventory.model import DeletionEvidence, Facet, Gap, Provider, ResourceKey, StorageResource
from residency.sources.azure.clients import AzureClients
from residency.sources.azure.containers import (
    CONTAINER_KIND,
    PROBE_PAGE,
    AccountPlacements,
    ContainerListing,
    container_id,
    list_container_metadata,
    merged_tags,
)
from residency.sources.azure.errors import describe_error
from residency.sources.azure.records import AccountRecord
from residency.sources.contract import CollectionPlan

AZURE = Provider.AZURE


class AccountInspector(Protocol):
    """What the container scan needs of the account scanner (which implements it): locating an
    account and reading a container's deletion evidence, once, for every covered container."""

    clients: AzureClients
    plan: CollectionPlan
    deep: bool

    def locate(self, subscription: str, account: AccountRecord, keys: list[ResourceKey]) -> AccountPlacements: ...

    def deletion_evidence(
        self, account: AccountRecord, key: ResourceKey, located: AccountPlacements, container: str | None = None,
    ) -> tuple[DeletionEvidence | None, list[Gap]]: ...

    def resource(
        self, account: AccountRecord, key: ResourceKey, located: AccountPlacements,
        evidence: tuple[DeletionEvidence | None, list[Gap]], extra_gaps: tuple[Gap, ...] = (),
        attributes: tuple[tuple[str, str], ...] = (),
    ) -> StorageResource: ...


class ContainerScanner:
    def __init__(self, scanner: AccountInspector) -> None:
        self.scanner = scanner

    def scan(self, subscription: str, account: AccountRecord) -> tuple[list[StorageResource], Gap | None]:
        """(covered containers, a tags gap for the account when not every container's metadata was read)."""
        name = account.name
        endpoint = account.blob_endpoint
        if not endpoint:
            return [], _metadata_gap(account.problems.get("endpoints", "the account reports no blob endpoint"))
        try:
            with self.scanner.clients.blob_service(endpoint, name) as service:
                listing = list_container_metadata(service, self.scanner.deep)
        except AzureError as error:
            return [], _metadata_gap(f"could not be listed: {describe_error(error)}")
        resources = self._covered(subscription, account, listing)
        if listing.cut_short:
            return resources, _metadata_gap(f"not all read: {listing.cut_short}")
        if not listing.complete:
            return resources, _metadata_gap(f"only the first {PROBE_PAGE} containers were read (--deep reads all)")
        return resources, None

    def _covered(self, subscription: str, account: AccountRecord, listing: ContainerListing) -> list[StorageResource]:
        name, resource_id = account.name, account.id
        keys = [
            ResourceKey(AZURE, subscription, CONTAINER_KIND, container_id(resource_id, container),
                        f"{name}/{container}", merged_tags(account.tags or (), metadata))
            for container, metadata in listing.containers
        ]
        covered = [key for key in keys if self.scanner.plan.covers(key)]
        if not covered:
            return []
        located = self.scanner.locate(subscription, account, covered)  # once: the containers share it
        resources = []
        for key in covered:
            container = key.name.split("/", 1)[1]
            evidence = self.scanner.deletion_evidence(account, key, located, container)
            resources.append(self.scanner.resource(account, key, located, evidence))
        return resources


def _metadata_gap(reason: str) -> Gap:
    return Gap("container metadata", f"container metadata {reason}", Facet.TAGS)
