"""One storage account (live or deleted-but-recoverable) -> its `StorageResource`s.

Every listed account is recorded with what its listing already says (location, SKU and so the
geo-redundant secondary, tags). Only accounts (or containers) the collection plan covers are
located further (object replication) and, where needed, their deletion evidence collected.
"""

from __future__ import annotations

from dataclasses import dataclass

from residency.catalog import Catalog, normalise_code
from residency.inventory.kinds.azure import STORAGE_ACCOUNT
from residency.inventory.model import (
    DeletionEvidence,
    Facet,
    Gap,
    Placement,
    PlacementKind,
    Provider,
    ResourceKey,
    ResourceState,
    StorageResource,
)
from residency.sources.azure import account_placements as locate
from residency.sources.azure.clients import AzureClients
from residency.sources.azure.container_scan import ContainerScanner
from residency.sources.azure.containers import AccountPlacements
from residency.sources.azure.deletion_evidence import collect_residue
from residency.sources.azure.errors import describe_error, parse_account_id
from residency.sources.azure.records import AccountRecord, DeletedRecord
from residency.sources.azure.replication import DestinationResolver, replica_placements
from residency.sources.contract import CollectionPlan

AZURE = Provider.AZURE
KIND = STORAGE_ACCOUNT.id
OUT_OF_SCOPE = ("scope", "not covered by any loaded policy: only what the listing gave was recorded")


def account_key(subscription: str, account: AccountRecord) -> ResourceKey:
    return ResourceKey(AZURE, subscription, KIND, account.id, account.name, account.tags)


@dataclass
class AccountScanner:
    clients: AzureClients
    plan: CollectionPlan
    catalog: Catalog
    resolver: DestinationResolver
    deep: bool

    def scan_safely(self, subscription: str, account: AccountRecord) -> list[StorageResource]:
        """An unexpected SDK error on one account is a Gap on that account, never the end of the scan:
        what the listing said is kept, and everything the account's own reads would have said is a gap."""
        try:
            return self.scan(subscription, account)
        except Exception as error:  # SDK errors and unexpected shapes alike: this account only
            reason = describe_error(error)
            listed = self.listed_only(subscription, account)
            facets = (Facet.REPLICAS, Facet.DELETION_EVIDENCE)
            return [StorageResource(
                provider=AZURE, account=subscription, id=account.id, name=account.name, kind=KIND,
                placements=tuple(listed.placements), collected=frozenset({*listed.collected, *facets}),
                tags=account.tags or (), gaps=(*listed.gaps, *(Gap("storage account details", reason, f)
                                                               for f in facets)),
                attributes=tuple(sorted(listed.attributes)),
            )]

    def scan(self, subscription: str, account: AccountRecord) -> list[StorageResource]:
        """The account; and when its tags leave it out of scope, the containers whose metadata brings
        them in."""
        key = account_key(subscription, account)
        if self.plan.covers(key):
            located = self.locate(subscription, account, [key])
            return [self.resource(account, key, located, self.deletion_evidence(account, key, located))]
        listed = self.listed_only(subscription, account)
        if not self.plan.scopes_by_tags(AZURE, subscription):
            return [self.resource(account, key, listed, (None, []), attributes=(OUT_OF_SCOPE,))]
        containers, unreadable = ContainerScanner(self).scan(subscription, account)
        extra = (unreadable,) if unreadable is not None else ()
        return [self.resource(account, key, listed, (None, []), extra, (OUT_OF_SCOPE,)), *containers]

    def listed_only(self, subscription: str, account: AccountRecord) -> AccountPlacements:
        """What the listing says without another call: primary and geo-redundant secondary."""
        primary = locate.primary_placement(account)
        secondary = locate.secondary_placement(account, primary.region, self.catalog)
        ref = parse_account_id(account.id)
        return AccountPlacements(ref.resource_group if ref else "", [primary] + ([secondary] if secondary else []),
                                 locate.account_attributes(account), list(account.gaps), {Facet.LOCATION, Facet.TAGS})

    def locate(self, subscription: str, account: AccountRecord, keys: list[ResourceKey]) -> AccountPlacements:
        """Where the account's data lives, as far as the plan needs for any of `keys`."""
        located = self.listed_only(subscription, account)
        client = self.clients.storage(subscription)
        secondary = located.placements[-1]
        if secondary.kind is PlacementKind.SECONDARY and secondary.region and self._wanted(
                PlacementKind.SECONDARY, keys):
            located.attributes += locate.geo_replication_attributes(client, located.resource_group, account.name)
        if self._wanted(PlacementKind.REPLICA, keys):
            located.collected.add(Facet.REPLICAS)
            if not located.resource_group:
                located.gaps.append(Gap("object replication policies", f"the account id {account.id!r} names no "
                                        "resource group, so its policies could not be listed", Facet.REPLICAS))
                return located
            replicas, replica_gaps = replica_placements(client, subscription, located.resource_group, account,
                                                        self.resolver)
            located.placements += replicas
            located.gaps += replica_gaps
        return located

    def _wanted(self, kind: PlacementKind, keys: list[ResourceKey]) -> bool:
        return any(self.plan.wants_placements(kind, key) for key in keys)

    def deletion_evidence(
        self, account: AccountRecord, key: ResourceKey, located: AccountPlacements, container: str | None = None,
    ) -> tuple[DeletionEvidence | None, list[Gap]]:
        """Deletion evidence (of one container, or the whole account) when the plan needs it."""
        primary = located.placements[0].region
        if not self.plan.wants_deletion_evidence(key, [primary] if primary else []):
            return None, []
        located.collected.add(Facet.DELETION_EVIDENCE)
        endpoint = account.blob_endpoint
        if not endpoint:
            why = account.problems.get("endpoints", "the account reports no blob endpoint")
            return None, [Gap("blobs, versions and soft-deleted data", why, Facet.DELETION_EVIDENCE)]
        with self.clients.blob_service(endpoint, account.name) as service:
            return collect_residue(service, self.clients.storage(key.account), located.resource_group,
                                   account.name, self.deep, container)

    def resource(
        self, account: AccountRecord, key: ResourceKey, located: AccountPlacements,
        evidence: tuple[DeletionEvidence | None, list[Gap]], extra_gaps: tuple[Gap, ...] = (),
        attributes: tuple[tuple[str, str], ...] = (),
    ) -> StorageResource:
        return StorageResource(
            provider=AZURE, account=key.account, id=key.id, name=key.name, kind=key.kind,
            placements=tuple(located.placements), collected=frozenset(located.collected),
            tags=key.tags or (), deletion_evidence=evidence[0],
            gaps=tuple(dict.fromkeys((*located.gaps, *evidence[1], *extra_gaps))),
            attributes=tuple(sorted([*located.attributes, *attributes])),
        )


def deleted_resource(subscription: str, deleted: DeletedRecord) -> StorageResource:
    """A deleted account is recoverable (with its data) until purged: residual data at its location.

    The Deleted Accounts API returns no tags, so the tags facet carries a gap: a tag-scoped policy
    may cover it, and the engine reports it as scope-unverifiable rather than the scan dropping it
    (its data is recoverable). Listing it costs no call.
    """
    reason = f"deleted storage account, recoverable (deleted {deleted.deletion_time or 'at an unknown time'})"
    location = normalise_code(deleted.location) if deleted.location else None
    if location is None:
        reason += f"; {deleted.location_problem or 'its location was not reported'}"
    return StorageResource(
        provider=AZURE, account=subscription, id=deleted.id, name=deleted.name, kind=KIND,
        placements=(Placement(PlacementKind.RESIDUAL, location, reason),),
        collected=frozenset({Facet.LOCATION, Facet.TAGS}), state=ResourceState.SOFT_DELETED,
        gaps=(Gap("tags", "the Deleted Accounts API returns no tags", Facet.TAGS),),
        attributes=deleted.attributes,
    )
