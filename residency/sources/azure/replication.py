"""Object replication: every destination account of an outgoing policy becomes a REPLICA placement.

A policy is listed on both its source and its destination account; only policies whose
`sourceAccount` is this account are outgoing. The destination is given as a full resource
id (possibly another subscription or tenant) or, with cross-tenant replication allowed, a
bare account name; its location is read with `storage_accounts.get_properties`, and what
cannot be read becomes a placement with no region and the reason.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from azure.core.exceptions import AzureError
from azure.mgmt.storage import StorageManagementClient
from azure.mgmt.storage.models import ObjectReplicationPolicy, StorageAccount

from residency.catalog import normalise_code
from residency.inventory.model import Facet, Gap, Placement, PlacementKind
from residency.sources.azure.errors import describe_error, is_geo_redundant, parse_account_id


@dataclass(frozen=True, slots=True)
class Destination:
    resource_id: str
    name: str
    primary: str | None
    secondary: str | None  # the destination's own geo-redundant copy
    reason: str  # why the location is unknown (when primary is None)


@dataclass
class DestinationResolver:
    """Resolves destination accounts once each; accounts already listed need no call."""

    known: dict[str, StorageAccount]  # lower-case resource id and lower-case name -> listed account
    storage_client: Callable[[str], StorageManagementClient]
    _cache: dict[str, Destination] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def resolve(self, destination: str) -> Destination:
        key = destination.strip().lower()
        with self._lock:
            cached = self._cache.get(key)
        if cached is None:
            cached = self._lookup(destination.strip())
            with self._lock:
                self._cache[key] = cached
        return cached

    def _lookup(self, destination: str) -> Destination:
        listed = self.known.get(destination.lower())
        if listed is not None:
            return _from_account(listed, str(listed.id or destination))
        ref = parse_account_id(destination)
        if ref is None:
            return Destination(destination, destination, None, None,
                               f"destination '{destination}' is not a resource id and is not among the "
                               "scanned accounts")
        try:
            account = self.storage_client(ref.subscription).storage_accounts.get_properties(
                ref.resource_group, ref.name)
        except AzureError as error:
            return Destination(destination, ref.name, None, None,
                               f"destination account {ref.name} could not be read: {describe_error(error)}")
        return _from_account(account, destination)


def _from_account(account: StorageAccount, resource_id: str) -> Destination:
    primary = account.primary_location or account.location
    secondary = account.secondary_location if is_geo_redundant(account.sku.name if account.sku else None) else None
    return Destination(
        resource_id, str(account.name or resource_id.rsplit("/", 1)[-1]),
        normalise_code(primary) if primary else None, normalise_code(secondary) if secondary else None,
        "destination account reported no location",
    )


def _is_outgoing(policy: ObjectReplicationPolicy, account: StorageAccount) -> bool:
    source = (policy.source_account or "").strip().lower()
    return source in {str(account.id).lower(), str(account.name).lower()}


def replica_placements(
    client: StorageManagementClient,
    resource_group: str,
    account: StorageAccount,
    resolver: DestinationResolver,
) -> tuple[list[Placement], list[Gap]]:
    try:
        policies = list(client.object_replication_policies.list(resource_group, str(account.name)))
    except AzureError as error:
        return [], [Gap("object replication policies", describe_error(error), Facet.REPLICAS)]
    placements: list[Placement] = []
    for policy in sorted(policies, key=lambda p: str(p.policy_id or p.name)):
        if not _is_outgoing(policy, account) or not policy.destination_account:
            continue
        target = resolver.resolve(policy.destination_account)
        why = f"object replication policy {policy.policy_id or policy.name} to account {target.name}"
        if target.primary is None:
            placements.append(Placement(PlacementKind.REPLICA, None, f"{why}: {target.reason}",
                                        target=target.resource_id))
            continue
        placements.append(Placement(PlacementKind.REPLICA, target.primary, why, target=target.resource_id))
        if target.secondary:
            placements.append(Placement(PlacementKind.REPLICA, target.secondary,
                                        f"{why} (its geo-redundant secondary)", target=target.resource_id))
    return placements, []
