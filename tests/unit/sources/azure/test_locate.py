"""Primary and geo-redundant secondary placements from an account's REST properties."""

from __future__ import annotations

from typing import Any

from azure.mgmt.storage.models import StorageAccount

from residency.catalog import load_catalog
from residency.inventory.model import Placement, PlacementKind
from residency.sources.azure.account_placements import account_attributes, primary_placement, secondary_placement


def _account(sku: str, location: str, **properties: Any) -> StorageAccount:
    return StorageAccount({"name": "acct", "location": location, "sku": {"name": sku}, "kind": "StorageV2",
                           "properties": properties})


def test_lrs_and_zrs_have_no_secondary() -> None:
    for sku in ("Standard_LRS", "Standard_ZRS", "Premium_LRS"):
        account = _account(sku, "eastus", primaryLocation="eastus")
        assert secondary_placement(account, "eastus", load_catalog()) is None


def test_the_accounts_own_secondary_location_wins_over_the_catalog() -> None:
    account = _account("Standard_RAGRS", "West US 3", primaryLocation="West US 3", secondaryLocation="eastus")
    primary = primary_placement(account)
    assert primary == Placement(PlacementKind.PRIMARY, "westus3", "storage account primary location")
    assert secondary_placement(account, primary.region, load_catalog()) == Placement(
        PlacementKind.SECONDARY, "eastus", "RAGRS geo-redundant secondary location")


def test_catalog_pair_fills_in_a_missing_secondary_and_says_so() -> None:
    account = _account("Standard_GZRS", "brazilsouth", primaryLocation="brazilsouth")
    placement = secondary_placement(account, "brazilsouth", load_catalog())
    assert placement is not None
    assert (placement.kind, placement.region) == (PlacementKind.SECONDARY, "southcentralus")
    assert "no secondaryLocation" in placement.reason and "region pair of brazilsouth" in placement.reason


def test_no_secondary_and_no_pair_is_unknown_not_guessed() -> None:
    account = _account("Standard_GRS", "austriaeast", primaryLocation="austriaeast")
    placement = secondary_placement(account, "austriaeast", load_catalog())
    assert placement is not None and placement.region is None
    assert "knows no pair for austriaeast" in placement.reason


def test_primary_falls_back_to_location_after_failover_metadata_is_missing() -> None:
    placement = primary_placement(_account("Standard_LRS", "North Europe"))
    assert (placement.region, placement.reason) == (
        "northeurope", "storage account location (the account reported no primaryLocation)")


def test_attributes_use_wire_values() -> None:
    account = _account("Standard_GRS", "eastus", primaryLocation="eastus", statusOfPrimary="available")
    assert dict(account_attributes(account)) == {
        "sku": "Standard_GRS", "redundancy": "GRS", "kind": "StorageV2", "status_of_primary": "available"}
