"""Where a storage account's data lives: its primary location and geo-redundant secondary.

Only a SKU known not to be geo-redundant (LRS, ZRS) means "no secondary". A SKU that is missing,
unreadable or unknown keeps a SECONDARY placement: at the secondaryLocation the account reports,
else with no region and the reason, so the engine reports it as unverifiable, never as absent.
"""

from __future__ import annotations

from typing import Any

from azure.core.exceptions import AzureError
from azure.mgmt.storage import StorageManagementClient

from residency.catalog import Catalog, normalise_code
from residency.inventory.model import Placement, PlacementKind
from residency.sources.azure.errors import describe_error, redundancy, text
from residency.sources.azure.records import AccountRecord

GEO_REDUNDANT = frozenset({"GRS", "RAGRS", "GZRS", "RAGZRS"})
NOT_GEO_REDUNDANT = frozenset({"LRS", "ZRS"})


def _code(value: str | None) -> str | None:
    return normalise_code(value) if value else None


def primary_placement(account: AccountRecord) -> Placement:
    if "location" in account.problems:
        return Placement(PlacementKind.PRIMARY, None, account.problems["location"])
    primary = _code(account.primary_location)
    if primary:
        return Placement(PlacementKind.PRIMARY, primary, "storage account primary location")
    location = _code(account.location)
    if location:
        return Placement(PlacementKind.PRIMARY, location,
                         "storage account location (the account reported no primaryLocation)")
    return Placement(PlacementKind.PRIMARY, None, "the account reported neither primaryLocation nor location")


def secondary_placement(account: AccountRecord, primary: str | None, catalog: Catalog) -> Placement | None:
    """GRS/RA-GRS/GZRS/RA-GZRS keep a copy in the paired region; prefer the account's own value."""
    if "secondary" in account.problems:
        return Placement(PlacementKind.SECONDARY, None, f"geo-redundancy unknown: {account.problems['secondary']}")
    label = redundancy(account.sku) if account.sku else ""
    secondary = _code(account.secondary_location)
    if label in NOT_GEO_REDUNDANT:
        if secondary:  # contradicts the SKU: the copy the account reports counts until it is gone
            return Placement(PlacementKind.SECONDARY, secondary,
                             f"the account reports secondaryLocation {secondary} although its SKU "
                             f"{account.sku} is not geo-redundant")
        return None
    if label not in GEO_REDUNDANT:
        sku = f"SKU {account.sku!r} is not a known redundancy" if account.sku else "no SKU reported"
        if secondary:
            return Placement(PlacementKind.SECONDARY, secondary, f"{sku}; the account reports a secondary location")
        return Placement(PlacementKind.SECONDARY, None,
                         f"{sku}, so whether the account keeps a geo-redundant secondary is unknown")
    if secondary:
        return Placement(PlacementKind.SECONDARY, secondary, f"{label} geo-redundant secondary location")
    pair = catalog.azure_pair(primary) if primary else None
    if pair:
        return Placement(
            PlacementKind.SECONDARY, normalise_code(pair),
            f"{label} geo-redundant secondary: the account reported no secondaryLocation, "
            f"so the catalog's region pair of {primary} is assumed",
        )
    return Placement(
        PlacementKind.SECONDARY, None,
        f"{label} account reported no secondaryLocation and the catalog knows no pair for {primary}",
    )


def account_attributes(account: AccountRecord) -> list[tuple[str, str]]:
    values: dict[str, str | None] = {
        "sku": account.sku,
        "redundancy": redundancy(account.sku) if account.sku else None,
        "kind": account.kind,
        **dict(account.status),
    }
    return [(key, value) for key, value in values.items() if value is not None]


def geo_replication_attributes(
    client: StorageManagementClient, resource_group: str, name: str
) -> list[tuple[str, str]]:
    """Replication lag of the secondary (informative: the locations come from the account list)."""
    try:
        fresh = client.storage_accounts.get_properties(resource_group, name, expand="geoReplicationStats")
        stats = fresh.geo_replication_stats
        found: dict[str, Any] = {} if stats is None else {
            "geo_replication_status": stats.status, "geo_last_sync_time": stats.last_sync_time}
    except AzureError as error:
        return [("geo_replication_stats", f"unavailable: {describe_error(error)}")]
    except (ValueError, TypeError, AttributeError) as error:  # the SDK's lazy models fail when first read
        return [("geo_replication_stats", f"unavailable: unexpected answer ({type(error).__name__})")]
    return [(key, text(value)) for key, value in found.items() if value is not None]
