"""Azure Cosmos DB accounts: every region the account keeps data in, and its backups.

The listing (`databaseAccounts` of the subscription) says it all, so no other call is made:
write regions are PRIMARY, every other region of `locations`, `readLocations` and
`failoverPolicies` is a REPLICA. Backups: continuous mode keeps them in the account's regions;
periodic mode (the default when no backup policy is reported) keeps them in geo-redundant storage
unless `backupStorageRedundancy` says Local or Zone, so the paired region of each write region
holds a DERIVED copy. An unknown mode or redundancy is a DERIVED placement with no region.
"""

from __future__ import annotations

from typing import Any

from azure.core.exceptions import AzureError
from azure.mgmt.cosmosdb import CosmosDBManagementClient

from residency.catalog import Catalog
from residency.inventory.kinds.azure import COSMOSDB_ACCOUNT
from residency.inventory.model import Facet, Placement, PlacementKind, StorageResource
from residency.sources.azure import stores
from residency.sources.azure.errors import describe_error, text

COLLECTED = stores.LISTED | {Facet.REPLICAS, Facet.COPIES}


def _regions(entries: Any) -> list[tuple[str, int | None]]:
    found = []
    for entry in entries or []:
        code = stores.region(entry.location_name)
        if code is not None:
            found.append((code, entry.failover_priority))
    return found


def region_placements(account: Any) -> list[Placement]:
    writes = [code for code, _ in _regions(account.write_locations)]
    everywhere = _regions(account.locations) + _regions(account.read_locations) + _regions(account.failover_policies)
    if not writes:  # single-write accounts: the region of failover priority 0 takes the writes
        writes = [code for code, priority in everywhere if priority == 0][:1]
    placements = [Placement(PlacementKind.PRIMARY, code, "write region") for code in dict.fromkeys(writes)]
    for code, priority in everywhere:
        if code not in writes and all(p.region != code for p in placements):
            shown = f" (failover priority {priority})" if priority is not None else ""
            placements.append(Placement(PlacementKind.REPLICA, code, f"read region{shown}"))
    if not placements:
        placements.append(stores.own_location(account, "account (it reported no regions)"))
    return placements


def backup_placements(account: Any, writes: list[str | None], catalog: Catalog) -> list[Placement]:
    policy = account.backup_policy
    mode = text(policy.type) if policy is not None and policy.type else None
    if mode is not None and mode.lower() == "continuous":
        return []  # continuous backups stay in the regions the account is in
    if mode is not None and mode.lower() != "periodic":
        return [Placement(PlacementKind.DERIVED, None, f"backups: unknown backup policy type {mode!r}")]
    properties = getattr(policy, "periodic_mode_properties", None) if policy is not None else None
    redundancy = text(properties.backup_storage_redundancy) if properties and properties.backup_storage_redundancy \
        else None
    if redundancy is not None and redundancy.lower() in {"local", "zone"}:
        return []
    if redundancy is not None and redundancy.lower() != "geo":
        return [Placement(PlacementKind.DERIVED, None, f"backups: unknown backup storage redundancy {redundancy!r}")]
    why = ("periodic backups in geo-redundant storage" if redundancy else
           "periodic backups, geo-redundant by default (no backup storage redundancy reported)"
           if mode else "no backup policy reported: periodic mode, geo-redundant by default")
    return [stores.paired(catalog, home, PlacementKind.DERIVED, why) for home in writes]


def account_resource(subscription: str, account: Any, catalog: Catalog) -> StorageResource:
    key = stores.key_of(subscription, COSMOSDB_ACCOUNT.id, account)
    regions = region_placements(account)
    writes = [p.region for p in regions if p.kind is PlacementKind.PRIMARY]
    policy = account.backup_policy
    return StorageResource(
        provider=stores.AZURE, account=subscription, id=key.id, name=key.name, kind=key.kind,
        placements=tuple(regions + backup_placements(account, writes, catalog)), collected=COLLECTED,
        tags=key.tags or (),
        attributes=stores.attributes({
            "multiple_write_locations": account.enable_multiple_write_locations,
            "automatic_failover": account.enable_automatic_failover,
            "backup_policy": policy.type if policy is not None else None,
        }),
    )


def scan_cosmosdb(client: CosmosDBManagementClient, catalog: Catalog, listing: stores.Listing) -> None:
    accounts = stores.listed(listing, "Cosmos DB accounts", client.database_accounts.list)
    for account in accounts:
        try:
            listing.resources.append(account_resource(listing.subscription, account, catalog))
        except (AttributeError, TypeError, ValueError, AzureError) as error:  # one malformed record
            listing.missing(f"Cosmos DB account {account.get('name', '?')}", describe_error(error))
