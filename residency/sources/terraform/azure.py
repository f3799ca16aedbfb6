"""azurerm storage accounts, their geo-redundant secondaries, object replication and containers.

GRS/RA-GRS/GZRS/RA-GZRS keep an asynchronous copy in the primary region's pair, which
Azure fixes; the catalog's pair table says which region that is.
"""

from __future__ import annotations

from residency.catalog import normalise_code
from residency.inventory.kinds.azure import OBJECT_REPLICATION, STORAGE_ACCOUNT
from residency.inventory.model import Placement, PlacementKind, Provider, StorageResource
from residency.sources.terraform.links import (
    Contribution,
    TargetIndex,
    azure_account_name,
    known_names,
    resolve_targets,
    target_placement,
)
from residency.sources.terraform.values import Unknown
from residency.sources.terraform.view import KNOWN_AFTER_APPLY, PLAN_ACCOUNT, PLANNED, ResourceView, merged_tags

ACCOUNT_TYPES = frozenset({"azurerm_storage_account"})
GEO_REDUNDANT = frozenset({"GRS", "RAGRS", "GZRS", "RAGZRS"})


def storage_account(view: ResourceView) -> StorageResource:
    name = view.after.text("name")
    location = view.after.text("location")
    region = normalise_code(location) if isinstance(location, str) else None
    if region is not None:
        primary = Placement(PlacementKind.PRIMARY, region, "storage account location"
                            + view.location_change(("location",), region))
    else:
        primary = Placement(PlacementKind.PRIMARY, None, f"{KNOWN_AFTER_APPLY} (the account location)")
    replication = view.after.text("account_replication_type")
    attributes = [*view.base_attributes()]
    if isinstance(replication, str):
        attributes.append(("replication", replication))
    return StorageResource(
        provider=Provider.AZURE,
        account=view.provider_value("subscription_id").text or PLAN_ACCOUNT,
        id=view.address,
        name=name if isinstance(name, str) else view.address,
        kind=STORAGE_ACCOUNT.id,
        placements=(primary, *_secondary(view, region, replication)),
        tags=merged_tags(view, {}, "tags"),
        attributes=tuple(attributes), collected=PLANNED,
    )


def _secondary(view: ResourceView, region: str | None, replication: str | Unknown | None) -> list[Placement]:
    if isinstance(replication, Unknown):
        return [Placement(PlacementKind.SECONDARY, None, f"{KNOWN_AFTER_APPLY} (the replication type)")]
    if replication is None or replication.upper() not in GEO_REDUNDANT:
        return []
    if region is None:
        return [Placement(PlacementKind.SECONDARY, None, f"{KNOWN_AFTER_APPLY} ({replication} secondary)")]
    pair = view.context.catalog.azure_pair(region)
    if pair is None:
        return [Placement(PlacementKind.SECONDARY, None,
                          f"{replication}: the region pair table has no secondary for {region}")]
    return [Placement(PlacementKind.SECONDARY, pair,
                      f"{replication} secondary from the region pair table (pair of {region})")]


def object_replication(view: ResourceView, index: TargetIndex) -> Contribution:
    """azurerm_storage_object_replication: the destination account holds REPLICA copies."""
    source_id = azure_account_name(view.after.text("source_storage_account_id"))
    destination_id = azure_account_name(view.after.text("destination_storage_account_id"))
    sources = resolve_targets(view, index, ACCOUNT_TYPES, known_names([source_id]),
                              view.reference_groups("source_storage_account_id")[:1])
    destinations = resolve_targets(view, index, ACCOUNT_TYPES, known_names([destination_id]),
                                   view.reference_groups("destination_storage_account_id")[:1])
    placements = tuple(target_placement(t, PlacementKind.REPLICA, "object replication destination account")
                       for t in destinations)
    owner = sources[0].hits[0] if sources and len(sources[0].hits) == 1 else None
    if owner is not None:
        return Contribution(owner.resource.id, placements, (("object-replication", view.address),))
    shown = source_id if isinstance(source_id, str) else view.address
    standalone = StorageResource(
        provider=Provider.AZURE, account=view.provider_value("subscription_id").text or PLAN_ACCOUNT,
        id=view.address, name=shown, kind=OBJECT_REPLICATION.id, placements=placements,
        attributes=(*view.base_attributes(), ("source-account", f"{shown} (not in the plan)")), collected=PLANNED,
    )
    return Contribution(standalone=standalone)


def container(view: ResourceView, index: TargetIndex) -> Contribution:
    """A container's data lives in its account's locations; it is noted on the account when the
    account is in the plan (an existing account is the scan's to check)."""
    account_name = view.after.text("storage_account_name")
    if account_name is None:
        account_name = azure_account_name(view.after.text("storage_account_id"))
    groups = view.reference_groups("storage_account_name") + view.reference_groups("storage_account_id")
    accounts = resolve_targets(view, index, ACCOUNT_TYPES, known_names([account_name]), groups[:1])
    owner = accounts[0].hits[0] if accounts and len(accounts[0].hits) == 1 else None
    if owner is None:
        return Contribution()
    name = view.after.text("name")
    return Contribution(owner.resource.id, (), (("containers", name if isinstance(name, str) else view.address),))
