"""Shared pieces of the Azure data-store modules (SQL, Cosmos DB, disks, backup vaults).

ARM resource ids, guarded paged listings, and the placements every module needs: a resource's
own location, and the geo-redundant copy Azure keeps in the paired region (from the catalog's
pair table, one-way and cross-border pairs included). A redundancy setting that is missing or
not recognised is never read as "local": it becomes a placement with no region and the reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from azure.core.exceptions import AzureError

from residency.catalog import Catalog, normalise_code
from residency.inventory.kinds import azure as kinds
from residency.inventory.model import (
    AccountGap,
    Facet,
    Gap,
    Lineage,
    Placement,
    PlacementKind,
    Provider,
    ResourceKey,
    StorageResource,
    sorted_tags,
)
from residency.sources.azure.errors import describe_error, text
from residency.sources.contract import CollectionPlan
from residency.sources.paging import PagingCut, guarded

AZURE = Provider.AZURE
T = TypeVar("T")
LISTED = frozenset({Facet.LOCATION, Facet.TAGS})

_SUBSCRIPTION = re.compile(r"/subscriptions/([^/]+)", re.IGNORECASE)
_GROUP = re.compile(r"/resourceGroups/([^/]+)", re.IGNORECASE)

# ARM resource type (lower case) -> the kind that inventories it, for lineage to a backed-up resource.
KIND_OF_TYPE = {
    "microsoft.storage/storageaccounts": kinds.STORAGE_ACCOUNT.id,
    "microsoft.sql/servers/databases": kinds.SQL_DATABASE.id,
    "microsoft.sql/managedinstances": kinds.SQL_MANAGED_INSTANCE.id,
    "microsoft.documentdb/databaseaccounts": kinds.COSMOSDB_ACCOUNT.id,
    "microsoft.compute/disks": kinds.MANAGED_DISK.id,
    "microsoft.compute/snapshots": kinds.DISK_SNAPSHOT.id,
    "microsoft.dbforpostgresql/flexibleservers": kinds.POSTGRESQL_FLEXIBLE_SERVER.id,
    "microsoft.dbformysql/flexibleservers": kinds.MYSQL_FLEXIBLE_SERVER.id,
}


def subscription_of(resource_id: str) -> str | None:
    match = _SUBSCRIPTION.match(resource_id.strip())
    return match[1] if match else None


def group_of(resource_id: str) -> str:
    match = _GROUP.search(resource_id)
    return match[1] if match else ""


def type_of(resource_id: str) -> str:
    """`/subscriptions/s/resourceGroups/g/providers/Microsoft.Sql/servers/a/databases/b` ->
    `microsoft.sql/servers/databases` (lower case); "" for something that is not an ARM id."""
    _, _, tail = resource_id.partition("/providers/")
    parts = [p for p in tail.split("/") if p]
    if len(parts) < 3:
        return ""
    return "/".join([parts[0], *parts[1::2]]).lower()


def name_of(resource_id: str) -> str:
    return resource_id.rstrip("/").rsplit("/", 1)[-1]


def region(value: object) -> str | None:
    raw = text(value) if value is not None else ""
    return normalise_code(raw) if raw.strip() else None


@dataclass
class Listing:
    """What a subscription's listings found and what they could not list."""

    subscription: str
    resources: list[StorageResource] = field(default_factory=list)
    gaps: list[AccountGap] = field(default_factory=list)

    def missing(self, what: str, reason: str) -> None:
        self.gaps.append(AccountGap(AZURE, self.subscription, f"{what} could not be listed: {reason}"))


def listed(listing: Listing, what: str, call: Callable[[], Iterable[T]]) -> list[T]:
    """Every item of a paged listing; a failure or a cut listing is an account gap naming `what`."""
    try:
        pager: Any = call()
        pages = pager.by_page()
        return [item for page in guarded(pages, lambda: pages.continuation_token, what) for item in page]
    except PagingCut as cut:
        listing.missing(what, cut.reason)
    except AzureError as error:
        listing.missing(what, describe_error(error))
    return []


def read_list(what: str, facet: Facet, call: Callable[[], Iterable[T]]) -> tuple[list[T], Gap | None]:
    """A paged listing below one resource (its links, its items): a failure is that resource's gap."""
    try:
        pager: Any = call()
        pages = pager.by_page()
        return [item for page in guarded(pages, lambda: pages.continuation_token, what) for item in page], None
    except PagingCut as cut:
        return [], Gap(what, cut.reason, facet)
    except AzureError as error:
        return [], Gap(what, describe_error(error), facet)


def key_of(subscription: str, kind: str, item: Any, name: str | None = None) -> ResourceKey:
    tags = getattr(item, "tags", None)
    return ResourceKey(AZURE, subscription, kind, str(item.id), name or str(item.name), sorted_tags(tags))


def own_location(item: Any, what: str) -> Placement:
    code = region(getattr(item, "location", None))
    if code is None:
        return Placement(PlacementKind.PRIMARY, None, f"the {what} reported no location")
    return Placement(PlacementKind.PRIMARY, code, f"{what} location")


def paired(catalog: Catalog, home: str | None, kind: PlacementKind, why: str, target: str | None = None) -> Placement:
    """The paired region of `home`, where Azure keeps a geo-redundant copy; unknown when there is none."""
    if home is None:
        return Placement(kind, None, f"{why}: the primary region is unknown, so its pair is too", target=target)
    pair = catalog.azure_pair(home)
    if pair is None:
        return Placement(kind, None, f"{why}: the catalog knows no paired region for {home}", target=target)
    return Placement(kind, normalise_code(pair), f"{why} (paired region of {home})", target=target)


def lineage_to(source_id: str | None, index: dict[str, ResourceKey], how: str) -> Lineage:
    """The copy's source: its scanned key when it was scanned, else a key with unknown tags; a
    source residency does not inventory (a VM, an imported VHD) cannot be established."""
    if not source_id:
        return Lineage(None, f"{how}: no source resource was reported")
    known = index.get(source_id.strip().lower())
    if known is not None:
        return Lineage(known, how)
    kind = KIND_OF_TYPE.get(type_of(source_id))
    subscription = subscription_of(source_id)
    if kind is None or subscription is None:
        return Lineage(None, f"{how}: {source_id} is not a resource residency inventories")
    return Lineage(ResourceKey(AZURE, subscription, kind, source_id, name_of(source_id), None),
                   f"{how} (not listed with it: its tags come from the inventory when it is scanned)")


def wanted(plan: CollectionPlan, kind: PlacementKind, key: ResourceKey) -> bool:
    return plan.covers(key) and plan.wants_placements(kind, key)


def attributes(values: dict[str, object]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, text(v)) for k, v in values.items() if v is not None and text(v) != ""))
