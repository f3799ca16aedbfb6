"""One storage account (live or deleted-but-recoverable) -> one `StorageResource`."""

from __future__ import annotations

from dataclasses import dataclass

from azure.mgmt.storage.models import DeletedAccount, StorageAccount

from residency.catalog import Catalog, normalise_code
from residency.engine.needs import ScanNeeds
from residency.inventory.model import (
    UNKNOWN_TAGS,
    DeletionEvidence,
    Gap,
    Placement,
    PlacementKind,
    Provider,
    ResourceState,
    StorageResource,
    sorted_tags,
)
from residency.sources.azure import account_placements as locate
from residency.sources.azure.clients import AzureClients
from residency.sources.azure.container_scan import ContainerScanner
from residency.sources.azure.containers import AccountPlacements, ScopeKey, tag_scoped_policy_may_cover
from residency.sources.azure.deletion_evidence import collect_residue
from residency.sources.azure.errors import describe_error, is_geo_redundant, parse_account_id
from residency.sources.azure.replication import DestinationResolver, replica_placements

AZURE = Provider.AZURE
KIND = "azure-storage-account"


@dataclass
class AccountScanner:
    clients: AzureClients
    needs: ScanNeeds
    catalog: Catalog
    resolver: DestinationResolver
    deep: bool

    def scan_safely(self, subscription: str, account: StorageAccount) -> list[StorageResource]:
        """An unexpected SDK error on one account is a Gap on that account, never the end of the scan."""
        try:
            return self.scan(subscription, account)
        except Exception as error:  # SDK errors and unexpected shapes alike: this account only
            return [StorageResource(
                provider=AZURE, account=subscription, id=str(account.id), name=str(account.name), kind=KIND,
                placements=(locate.primary_placement(account),), tags=sorted_tags(account.tags),
                gaps=(Gap("storage account details", describe_error(error)),),
            )]

    def scan(self, subscription: str, account: StorageAccount) -> list[StorageResource]:
        """The account if its tags bring it into scope, else the containers whose metadata does."""
        key: ScopeKey = (AZURE, subscription, str(account.name), str(account.id), sorted_tags(account.tags))
        if self.needs.covers(*key):
            located = self.locate(subscription, account, [key])
            return [self.resource(account, key, KIND, located, self.deletion_evidence(account, key, located))]
        if not tag_scoped_policy_may_cover(self.needs, AZURE, subscription):
            return []
        return ContainerScanner(self).scan(subscription, account)

    def locate(self, subscription: str, account: StorageAccount, keys: list[ScopeKey]) -> AccountPlacements:
        """Where the account's data lives, as far as the policies covering any of `keys` need."""
        name = str(account.name)
        ref = parse_account_id(str(account.id))
        resource_group = ref.resource_group if ref else ""
        client = self.clients.storage(subscription)
        primary = locate.primary_placement(account)
        located = AccountPlacements(resource_group, [primary], locate.account_attributes(account), [])
        secondary = locate.secondary_placement(account, primary.region, self.catalog)
        if secondary is not None:
            located.placements.append(secondary)
            if self._wanted(PlacementKind.SECONDARY, keys) and is_geo_redundant(
                    account.sku.name if account.sku else None):
                located.attributes += locate.geo_replication_attributes(client, resource_group, name)
        if self._wanted(PlacementKind.REPLICA, keys):
            replicas, replica_gaps = replica_placements(client, resource_group, account, self.resolver)
            located.placements += replicas
            located.gaps += replica_gaps
        return located

    def _wanted(self, kind: PlacementKind, keys: list[ScopeKey]) -> bool:
        return any(self.needs.wants_kind(kind, *key) for key in keys)

    def deletion_evidence(
        self, account: StorageAccount, key: ScopeKey, located: AccountPlacements, container: str | None = None,
    ) -> tuple[DeletionEvidence | None, list[Gap]]:
        """Deletion evidence (of one container, or the whole account) when a covering policy needs it."""
        primary = located.placements[0].region
        if not self.needs.wants_deletion_evidence(*key, [primary] if primary else []):
            return None, []
        endpoint = account.primary_endpoints.blob if account.primary_endpoints else None
        if not endpoint:
            return None, [Gap("blobs, versions and soft-deleted data", "the account reports no blob endpoint")]
        name, subscription = str(account.name), key[1]
        with self.clients.blob_service(endpoint, name) as service:
            return collect_residue(service, self.clients.storage(subscription), located.resource_group, name,
                                   self.deep, container)

    @staticmethod
    def resource(
        account: StorageAccount, key: ScopeKey, kind: str, located: AccountPlacements,
        residue: tuple[DeletionEvidence | None, list[Gap]], extra_gaps: tuple[Gap, ...] = (),
    ) -> StorageResource:
        _, subscription, name, resource_id, tags = key
        return StorageResource(
            provider=AZURE, account=subscription, id=resource_id, name=name, kind=kind,
            placements=tuple(located.placements), tags=tags, deletion_evidence=residue[0],
            gaps=tuple(located.gaps) + tuple(residue[1]) + extra_gaps,
            attributes=tuple(sorted(located.attributes)),
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
