"""One storage account (live or deleted-but-recoverable) -> one `StorageResource`."""

from __future__ import annotations

from dataclasses import dataclass

from azure.mgmt.storage.models import DeletedAccount, StorageAccount

from residency.catalog import Catalog, normalise_code
from residency.model import (
    UNKNOWN_TAGS,
    Gap,
    Placement,
    PlacementKind,
    Provider,
    ResourceState,
    StorageResource,
    sorted_tags,
)
from residency.needs import ScanNeeds
from residency.providers.azure import locate
from residency.providers.azure.clients import AzureClients
from residency.providers.azure.replication import DestinationResolver, replica_placements
from residency.providers.azure.residue import collect_residue
from residency.providers.azure.util import describe, is_geo_redundant, parse_account_id

AZURE = Provider.AZURE
KIND = "azure-storage-account"


@dataclass
class AccountScanner:
    clients: AzureClients
    needs: ScanNeeds
    catalog: Catalog
    resolver: DestinationResolver
    deep: bool

    def scan_safely(self, subscription: str, account: StorageAccount) -> StorageResource | None:
        """An unexpected SDK error on one account is a Gap on that account, never the end of the scan."""
        try:
            return self.scan(subscription, account)
        except Exception as error:  # SDK errors and unexpected shapes alike: this account only
            return StorageResource(
                provider=AZURE, account=subscription, id=str(account.id), name=str(account.name), kind=KIND,
                placements=(locate.primary_placement(account),), tags=sorted_tags(account.tags),
                gaps=(Gap("storage account details", describe(error)),),
            )

    def scan(self, subscription: str, account: StorageAccount) -> StorageResource | None:
        name, resource_id = str(account.name), str(account.id)
        tags = sorted_tags(account.tags)
        key = (AZURE, subscription, name, resource_id, tags)
        if not self.needs.covers(*key):
            return None
        ref = parse_account_id(resource_id)
        resource_group = ref.resource_group if ref else ""
        client = self.clients.storage(subscription)
        primary = locate.primary_placement(account)
        placements = [primary]
        attributes = locate.account_attributes(account)
        gaps: list[Gap] = []
        secondary = locate.secondary_placement(account, primary.region, self.catalog)
        if secondary is not None:
            placements.append(secondary)
            if self.needs.wants_kind(PlacementKind.SECONDARY, *key) and is_geo_redundant(
                    account.sku.name if account.sku else None):
                attributes += locate.geo_replication_attributes(client, resource_group, name)
        if self.needs.wants_kind(PlacementKind.REPLICA, *key):
            replicas, replica_gaps = replica_placements(client, resource_group, account, self.resolver)
            placements += replicas
            gaps += replica_gaps
        residue = None
        regions = [primary.region] if primary.region else []
        if self.needs.wants_deletion_evidence(*key, regions):
            endpoint = account.primary_endpoints.blob if account.primary_endpoints else None
            if endpoint:
                with self.clients.blob_service(endpoint, name) as service:
                    residue, residue_gaps = collect_residue(service, client, resource_group, name, self.deep)
                gaps += residue_gaps
            else:
                gaps.append(Gap("blobs, versions and soft-deleted data", "the account reports no blob endpoint"))
        return StorageResource(
            provider=AZURE, account=subscription, id=resource_id, name=name, kind=KIND,
            placements=tuple(placements), tags=tags, residue=residue, gaps=tuple(gaps),
            attributes=tuple(sorted(attributes)),
        )


def deleted_resource(subscription: str, deleted: DeletedAccount, needs: ScanNeeds) -> StorageResource | None:
    """A deleted account is recoverable (with its data) until purged: residual data at its location.

    The Deleted Accounts API returns no tags, so the account carries the `tags` gap: a tag-scoped
    policy may cover it, and the engine reports it as scope-unverifiable rather than the scan
    dropping it (its data is recoverable). Listing it costs no call.
    """
    name, resource_id = str(deleted.name), str(deleted.id)
    key = (AZURE, subscription, name, resource_id, ())
    if needs.covers(*key) and not needs.wants_kind(PlacementKind.RESIDUAL, *key):
        return None  # known to be covered only by policies that do not count residual data
    if not needs.wants_account(AZURE, subscription):
        return None
    deleted_at = str(deleted.deletion_time) if deleted.deletion_time else "unknown time"
    reason = f"deleted storage account, recoverable (deleted {deleted_at})"
    location = normalise_code(deleted.location) if deleted.location else None
    placement = Placement(PlacementKind.RESIDUAL, location,
                          reason if location else f"{reason}; its location was not reported")
    attributes = {"original_id": deleted.storage_account_resource_id, "deletion_time": deleted.deletion_time,
                  "creation_time": deleted.creation_time}
    return StorageResource(
        provider=AZURE, account=subscription, id=resource_id, name=name, kind=KIND,
        placements=(placement,), state=ResourceState.SOFT_DELETED,
        gaps=(Gap(UNKNOWN_TAGS, "the Deleted Accounts API returns no tags"),),
        attributes=tuple(sorted((k, str(v)) for k, v in attributes.items() if v is not None)),
    )
