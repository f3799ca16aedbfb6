"""Object replication: every destination account of an outgoing policy becomes a REPLICA placement.

A policy is listed on both its source and its destination account; only policies whose
`sourceAccount` is this account are outgoing. The destination is given as a full resource
id (possibly another subscription or tenant) or, with cross-tenant replication allowed, a
bare account name; its location is read with Get Properties, and what cannot be read becomes
a placement with no region and the reason. A policy that names no source (so it may be
outgoing) or no destination, or that cannot be read at all, is a replica of unknown location:
never skipped.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from azure.core.exceptions import AzureError
from azure.mgmt.storage import StorageManagementClient

from residency.catalog import Catalog, normalise_code
from residency.inventory.model import Facet, Gap, Placement, PlacementKind
from residency.sources.azure.account_placements import secondary_placement
from residency.sources.azure.arm import STORAGE_API_VERSION, get_json, list_all
from residency.sources.azure.errors import describe_error, parse_account_id
from residency.sources.azure.records import AccountRecord, MalformedRecord, PolicyRecord


@dataclass(frozen=True, slots=True)
class Destination:
    resource_id: str
    name: str
    primary: str | None
    secondary: Placement | None  # the destination's own geo-redundant copy (or why it may have one)
    reason: str  # why the location is unknown (when primary is None)


@dataclass
class DestinationResolver:
    """Resolves destination accounts once each; accounts already listed need no call."""

    known: dict[str, AccountRecord]  # lower-case resource id and lower-case name -> listed account
    storage_client: Callable[[str], StorageManagementClient]
    catalog: Catalog
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
            return self._from_account(listed)
        ref = parse_account_id(destination)
        if ref is None:
            return Destination(destination, destination, None, None,
                               f"destination '{destination}' is not a resource id and is not among the "
                               "scanned accounts")
        path = (f"/subscriptions/{ref.subscription}/resourceGroups/{ref.resource_group}/providers/"
                f"Microsoft.Storage/storageAccounts/{ref.name}")
        try:
            account = AccountRecord.parse(get_json(self.storage_client(ref.subscription), path, STORAGE_API_VERSION))
        except (AzureError, MalformedRecord) as error:
            return Destination(destination, ref.name, None, None,
                               f"destination account {ref.name} could not be read: {describe_error(error)}")
        return self._from_account(account)

    def _from_account(self, account: AccountRecord) -> Destination:
        primary = None if "location" in account.problems else (account.primary_location or account.location)
        code = normalise_code(primary) if primary else None
        return Destination(account.id, account.name, code, secondary_placement(account, code, self.catalog),
                           account.problems.get("location", "destination account reported no location"))


def _is_outgoing(policy: PolicyRecord, account: AccountRecord) -> bool:
    source = (policy.source or "").strip().lower()
    return source in {account.id.lower(), account.name.lower()}


def replica_placements(
    client: StorageManagementClient, subscription: str, resource_group: str, account: AccountRecord,
    resolver: DestinationResolver,
) -> tuple[list[Placement], list[Gap]]:
    path = (f"/subscriptions/{subscription}/resourceGroups/{resource_group}/providers/"
            f"Microsoft.Storage/storageAccounts/{account.name}/objectReplicationPolicies")
    try:
        listed = list_all(client, path, STORAGE_API_VERSION, f"object replication policies of {account.name}")
    except AzureError as error:
        return [], [Gap("object replication policies", describe_error(error), Facet.REPLICAS)]
    gaps = [Gap("object replication policies", listed.cut_short, Facet.REPLICAS)] if listed.cut_short else []
    policies = [PolicyRecord.parse(item, index) for index, item in enumerate(listed.items, start=1)]
    placements: list[Placement] = []
    for policy in sorted(policies, key=lambda p: p.policy_id):
        placements += _policy_placements(policy, account, resolver)
    return placements, gaps


def _policy_placements(policy: PolicyRecord, account: AccountRecord, resolver: DestinationResolver) -> list[Placement]:
    why = f"object replication policy {policy.policy_id}"
    if policy.problem or policy.source is None:
        problem = policy.problem or "it names no source account"
        return [Placement(PlacementKind.REPLICA, None, f"{why}: {problem}, so whether it copies this account's "
                                                        "data elsewhere, and where, is unknown")]
    if not _is_outgoing(policy, account):
        return []
    if policy.destination is None:
        return [Placement(PlacementKind.REPLICA, None, f"{why}: it names no destination account")]
    target = resolver.resolve(policy.destination)
    why += f" to account {target.name}"
    if target.primary is None:
        return [Placement(PlacementKind.REPLICA, None, f"{why}: {target.reason}", target=target.resource_id)]
    placements = [Placement(PlacementKind.REPLICA, target.primary, why, target=target.resource_id)]
    if target.secondary is not None:
        secondary = target.secondary
        placements.append(Placement(PlacementKind.REPLICA, secondary.region,
                                    f"{why} (its geo-redundant secondary: {secondary.reason})",
                                    target=target.resource_id))
    return placements

