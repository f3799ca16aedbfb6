"""Where Azure data lives: primary, GRS secondary, object replication, paging, denied subscriptions."""

from __future__ import annotations

import pytest

from residency.inventory.model import Facet, Placement, PlacementKind, Provider
from scripts.localcloud.azure.azurite import LocalAzure
from scripts.localcloud.azure.seed import AzureSeeder
from tests.integration.azure.conftest import DENIED_SUBSCRIPTION
from tests.integration.azure.helpers import findings, policy, scan

pytestmark = pytest.mark.integration

US = policy("us-user-data", countries=["US"], tag="us-user-data")
BR = policy("br-user-data", countries=["BR"], tag="br-user-data")
EEA = policy("eu-personal-data", groups=["eea"], tag="eu-personal")
IE = policy("ie-only", countries=["IE"], tag="eu-personal")


def test_lrs_in_allowed_region_is_compliant(local_azure: LocalAzure, seeder: AzureSeeder, subscription: str) -> None:
    seeder.account(subscription, "uslrswest2", "westus2", "Standard_LRS", {"data-class": "us-user-data"})
    seeder.upload("uslrswest2", "videos", {"clip.mp4": b"frames"})  # Azurite-hosted
    inventory = scan(local_azure, [subscription], [US])
    (resource,) = inventory.resources
    assert resource.placements == (Placement(PlacementKind.PRIMARY, "westus2", "storage account primary location"),)
    assert resource.id == f"/subscriptions/{subscription}/resourceGroups/rg-residency/providers/Microsoft.Storage/" \
                          "storageAccounts/uslrswest2"
    assert (resource.provider, resource.account, resource.kind) == (Provider.AZURE, subscription,
                                                                    "azure-storage-account")
    assert resource.tag_map == {"data-class": "us-user-data"}
    assert findings(inventory, [US]) == [("us-user-data", "locations-allowed", "compliant", "uslrswest2")]


def test_grs_east_us_secondary_west_us_is_compliant(
    local_azure: LocalAzure, seeder: AzureSeeder, subscription: str,
) -> None:
    seeder.account(subscription, "usgrseast", "eastus", "Standard_GRS", {"data-class": "us-user-data"})
    inventory = scan(local_azure, [subscription], [US])
    (resource,) = inventory.resources
    assert [(p.kind, p.region) for p in resource.placements] == [
        (PlacementKind.PRIMARY, "eastus"), (PlacementKind.SECONDARY, "westus")]
    attributes = dict(resource.attributes)
    assert attributes["sku"] == "Standard_GRS"
    assert attributes["geo_replication_status"] == "Live"  # read with $expand=geoReplicationStats
    assert findings(inventory, [US]) == [("us-user-data", "locations-allowed", "compliant", "usgrseast")]


def test_grs_in_brazil_south_violates_a_brazil_only_policy(
    local_azure: LocalAzure, seeder: AzureSeeder, subscription: str,
) -> None:
    seeder.account(subscription, "brgrssouth", "brazilsouth", "Standard_GRS", {"data-class": "br-user-data"})
    inventory = scan(local_azure, [subscription], [BR])
    assert [(p.kind, p.region) for p in inventory.resources[0].placements] == [
        (PlacementKind.PRIMARY, "brazilsouth"), (PlacementKind.SECONDARY, "southcentralus")]
    assert findings(inventory, [BR]) == [("br-user-data", "secondary-outside", "violation", "brgrssouth")]


def test_ragzrs_north_europe_leaves_ireland_but_stays_in_the_eea(
    local_azure: LocalAzure, seeder: AzureSeeder, subscription: str,
) -> None:
    seeder.account(subscription, "ieragzrs", "northeurope", "Standard_RAGZRS", {"data-class": "eu-personal"})
    inventory = scan(local_azure, [subscription], [IE, EEA])
    assert findings(inventory, [IE, EEA]) == [
        ("eu-personal-data", "locations-allowed", "compliant", "ieragzrs"),
        ("ie-only", "secondary-outside", "violation", "ieragzrs"),
    ]


def test_catalog_pair_is_used_only_when_the_account_reports_no_secondary(
    local_azure: LocalAzure, seeder: AzureSeeder, subscription: str,
) -> None:
    # The local server reports no secondaryLocation for regions outside its pair table.
    seeder.account(subscription, "segrsnopair", "swedencentral", "Standard_GRS", {"data-class": "eu-personal"})
    (resource,) = scan(local_azure, [subscription], [EEA]).resources
    secondary = resource.placements[1]
    assert (secondary.kind, secondary.region) == (PlacementKind.SECONDARY, "swedensouth")
    assert "catalog's region pair of swedencentral is assumed" in secondary.reason


def test_object_replication_to_west_europe_and_to_an_unreadable_account(
    local_azure: LocalAzure, seeder: AzureSeeder, subscription: str,
) -> None:
    source = seeder.account(subscription, "orsourceus", "eastus", "Standard_LRS", {"data-class": "us-user-data"})
    replica = seeder.account(subscription, "orreplicaeu", "westeurope", "Standard_LRS")
    seeder.upload("orreplicaeu", "media", {"copied.mp4": b"copy"})  # Azurite-hosted
    hidden_source = seeder.account(subscription, "orsourcehid", "eastus", "Standard_LRS",
                                   {"data-class": "us-user-data"})
    hidden = seeder.account(DENIED_SUBSCRIPTION, "orhiddendst", "westus", "Standard_LRS")
    seeder.replicate(source, replica)
    seeder.replicate(hidden_source, hidden)
    inventory = scan(local_azure, [subscription], [US])
    by_name = {r.name: r for r in inventory.resources}
    (to_eu,) = [p for p in by_name["orsourceus"].placements if p.kind is PlacementKind.REPLICA]
    assert (to_eu.region, to_eu.target) == ("westeurope", replica.id)
    (to_hidden,) = [p for p in by_name["orsourcehid"].placements if p.kind is PlacementKind.REPLICA]
    assert to_hidden.region is None and "AuthorizationFailed" in to_hidden.reason
    # The destination lists the same policy; it is incoming there, not a replica of its own.
    (destination,) = [r for r in scan(local_azure, [subscription]).resources if r.name == "orreplicaeu"]
    assert [p.kind for p in destination.placements] == [PlacementKind.PRIMARY]
    assert findings(inventory, [US]) == [
        ("us-user-data", "location-unverifiable", "unverifiable", "orsourcehid"),
        ("us-user-data", "replica-outside", "violation", "orsourceus"),
    ]


def test_denied_subscription_is_a_gap_and_the_others_are_still_scanned(
    local_azure: LocalAzure, seeder: AzureSeeder, subscription: str,
) -> None:
    seeder.account(subscription, "okaccount", "eastus", "Standard_LRS", {"data-class": "us-user-data"})
    seeder.account(DENIED_SUBSCRIPTION, "deniedacct", "eastus", "Standard_LRS", {"data-class": "us-user-data"})
    inventory = scan(local_azure, [subscription, DENIED_SUBSCRIPTION], [US])
    assert [r.name for r in inventory.resources] == ["okaccount"]
    (gap,) = inventory.account_gaps
    assert gap.account == DENIED_SUBSCRIPTION and "AuthorizationFailed" in gap.reason and "HTTP 403" in gap.reason
    assert inventory.scanned == (("azure", subscription),)
    assert findings(inventory, [US]) == [
        ("us-user-data", "location-unverifiable", "unverifiable", DENIED_SUBSCRIPTION),
        ("us-user-data", "locations-allowed", "compliant", "okaccount"),
    ]


def test_an_unknown_subscription_is_a_gap(local_azure: LocalAzure, subscription: str) -> None:
    inventory = scan(local_azure, [subscription], [US])
    (gap,) = inventory.account_gaps
    assert gap.account == subscription and "SubscriptionNotFound" in gap.reason and "HTTP 404" in gap.reason
    assert inventory.resources == () and inventory.scanned == ()


def test_more_accounts_than_one_page_are_all_found(
    local_azure: LocalAzure, seeder: AzureSeeder, subscription: str,
) -> None:
    names = [f"paged{subscription[:8]}{i}" for i in range(8)]  # 3 pages of 3
    for name in names:
        seeder.account(subscription, name, "centralus", "Standard_LRS", {"data-class": "us-user-data"})
    inventory = scan(local_azure, [subscription], [US])
    assert sorted(r.name for r in inventory.resources) == sorted(names)


def test_accounts_no_policy_covers_are_left_out(
    local_azure: LocalAzure, seeder: AzureSeeder, subscription: str,
) -> None:
    seeder.account(subscription, "publicmedia", "westeurope", "Standard_GRS", {"data-class": "public"})
    before = len(local_azure.server_log.read_text().splitlines())
    inventory = scan(local_azure, [subscription], [US])
    # Recorded as listed (location, secondary, tags), nothing more fetched, nothing judged.
    (listed,) = inventory.resources
    assert [(p.kind, p.region) for p in listed.placements] == [
        (PlacementKind.PRIMARY, "westeurope"), (PlacementKind.SECONDARY, "northeurope")]
    assert listed.collected == frozenset({Facet.LOCATION, Facet.TAGS})
    calls = local_azure.server_log.read_text().splitlines()[before:]
    # Only its containers' metadata is listed (metadata could bring a container into scope).
    assert [call.split("?")[0] for call in calls if "publicmedia" in call] == ["GET /publicmedia/"], calls
    assert findings(inventory, [US]) == []


def test_the_scan_sends_only_reads(local_azure: LocalAzure, seeder: AzureSeeder, subscription: str) -> None:
    source = seeder.account(subscription, "readonlysrc", "westeurope", "Standard_RAGRS", {"data-class": "x"})
    target = seeder.account(subscription, "readonlydst", "eastus", "Standard_LRS")
    seeder.replicate(source, target)
    seeder.blob_service_settings(subscription, "readonlysrc", versioning=True, delete_days=3)
    seeder.upload("readonlysrc", "media", {"a": b"1"})
    seeder.account(subscription, "readonlygone", "eastus")
    seeder.delete_account(subscription, "readonlygone")
    before = len(local_azure.server_log.read_text().splitlines())
    inventory = scan(local_azure, [subscription])  # everything: every call the adapter can make
    assert len(inventory.resources) == 3
    calls = local_azure.server_log.read_text().splitlines()[before:]
    assert calls and all(call.startswith("GET ") for call in calls), calls
