"""Where a storage account's data lives: its primary location and geo-redundant secondary."""

from __future__ import annotations

from typing import Any

from azure.core.exceptions import AzureError
from azure.mgmt.storage import StorageManagementClient
from azure.mgmt.storage.models import StorageAccount

from residency.catalog import Catalog, normalise_code
from residency.inventory.model import Placement, PlacementKind
from residency.sources.azure.errors import describe_error, is_geo_redundant, redundancy, text


def _code(value: str | None) -> str | None:
    return normalise_code(value) if value else None


def primary_placement(account: StorageAccount) -> Placement:
    primary = _code(account.primary_location)
    if primary:
        return Placement(PlacementKind.PRIMARY, primary, "storage account primary location")
    location = _code(account.location)
    if location:
        return Placement(PlacementKind.PRIMARY, location,
                         "storage account location (the account reported no primaryLocation)")
    return Placement(PlacementKind.PRIMARY, None, "the account reported neither primaryLocation nor location")


def secondary_placement(account: StorageAccount, primary: str | None, catalog: Catalog) -> Placement | None:
    """GRS/RA-GRS/GZRS/RA-GZRS keep a copy in the paired region; prefer the account's own value."""
    sku = account.sku.name if account.sku else None
    if not is_geo_redundant(sku):
        return None
    label = redundancy(sku)
    secondary = _code(account.secondary_location)
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


def account_attributes(account: StorageAccount) -> list[tuple[str, str]]:
    sku = text(account.sku.name) if account.sku else None
    values: dict[str, Any] = {
        "sku": sku,
        "redundancy": redundancy(sku) if sku else None,
        "kind": account.kind,
        "status_of_primary": account.status_of_primary,
        "status_of_secondary": account.status_of_secondary,
        "failover_in_progress": account.failover_in_progress,
    }
    return [(key, text(value)) for key, value in values.items() if value is not None]


def geo_replication_attributes(
    client: StorageManagementClient, resource_group: str, name: str
) -> list[tuple[str, str]]:
    """Replication lag of the secondary (informative: the locations come from the account list)."""
    try:
        fresh = client.storage_accounts.get_properties(resource_group, name, expand="geoReplicationStats")
    except AzureError as error:
        return [("geo_replication_stats", f"unavailable: {describe_error(error)}")]
    stats = fresh.geo_replication_stats
    if stats is None:
        return []
    found = {"geo_replication_status": stats.status, "geo_last_sync_time": stats.last_sync_time}
    return [(key, text(value)) for key, value in found.items() if value is not None]
