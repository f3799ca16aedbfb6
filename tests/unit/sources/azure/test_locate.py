"""Primary and geo-redundant secondary placements from an account's REST properties."""

from __future__ import annotations

from typing import Any

import pytest

from residency.catalog import load_catalog
from residency.inventory.model import Facet, Placement, PlacementKind
from residency.sources.azure.account_placements import account_attributes, primary_placement, secondary_placement
from residency.sources.azure.records import AccountRecord, MalformedRecord

ACCOUNT_ID = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acct"


def _record(**item: Any) -> AccountRecord:
    return AccountRecord.parse({"id": ACCOUNT_ID, "name": "acct", "kind": "StorageV2", **item})


def _account(sku: str | None, location: str, **properties: Any) -> AccountRecord:
    return _record(location=location, properties=properties, **({"sku": {"name": sku}} if sku else {}))


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


@pytest.mark.parametrize("sku", [None, "Standard_XYZ", "Unknown"])
def test_an_unknown_sku_never_reads_as_not_geo_redundant(sku: str | None) -> None:
    reported = _account(sku, "northeurope", primaryLocation="northeurope", secondaryLocation="westeurope")
    placement = secondary_placement(reported, "northeurope", load_catalog())
    assert placement is not None and (placement.kind, placement.region) == (PlacementKind.SECONDARY, "westeurope")
    unreported = secondary_placement(_account(sku, "northeurope"), "northeurope", load_catalog())
    assert unreported is not None and unreported.region is None
    assert "whether the account keeps a geo-redundant secondary is unknown" in unreported.reason


def test_a_secondary_location_the_sku_contradicts_still_counts() -> None:
    placement = secondary_placement(_account("Standard_LRS", "eastus", secondaryLocation="westus"), "eastus",
                                    load_catalog())
    assert placement is not None and placement.region == "westus" and "not geo-redundant" in placement.reason


@pytest.mark.parametrize(("item", "tags_known", "primary", "secondary_known"), [
    ({"tags": ["data-class"], "location": "eastus", "sku": {"name": "Standard_LRS"}}, False, "eastus", True),
    ({"tags": {"a": 1}, "location": "eastus", "sku": {"name": "Standard_LRS"}}, False, "eastus", True),
    ({"location": 7, "tags": {"a": "b"}, "sku": {"name": "Standard_LRS"}}, True, None, True),
    ({"location": "eastus", "sku": "GRS"}, True, "eastus", False),
    ({"location": "eastus", "sku": {"name": "Standard_GRS"}, "properties": {"secondaryLocation": 3}},
     True, "eastus", False),
    ({"location": "eastus", "sku": {"name": "Standard_GRS"}, "properties": []}, True, "eastus", False),
])
def test_each_part_of_an_account_record_is_read_on_its_own(
    item: dict[str, Any], tags_known: bool, primary: str | None, secondary_known: bool,
) -> None:
    record = _record(**item)
    assert (record.tags is not None) is tags_known
    assert [g.facet for g in record.gaps] == ([] if tags_known else [Facet.TAGS])
    placement = primary_placement(record)
    assert placement.region == primary and (primary or "malformed" in placement.reason)
    secondary = secondary_placement(record, primary, load_catalog())
    assert secondary is None if secondary_known else (secondary is not None and secondary.region is None)


@pytest.mark.parametrize("item", [["x"], {"name": "acct"}, {"id": 7}, {"id": ""}])
def test_only_an_item_that_names_no_account_cannot_be_recorded(item: Any) -> None:
    with pytest.raises(MalformedRecord):
        AccountRecord.parse(item)
