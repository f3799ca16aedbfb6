"""Answers the scanner cannot trust, from our local Azure server's fault injection, over the real SDKs.

One malformed account record is that account's gap on the part it spoils; an account without a
SKU still has a secondary; a replication policy naming no source is an unknown replica; looping
or foreign nextLinks end every ARM listing with a gap; a 429 asking `Retry-After: 3600` is not
waited for.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from residency.inventory.model import Facet, Inventory, PlacementKind, StorageResource
from scripts.localcloud.azure.azurite import LocalAzure
from scripts.localcloud.azure.faults import inject
from scripts.localcloud.azure.seed import AzureSeeder
from tests.integration.azure.helpers import findings, policy, scan

pytestmark = pytest.mark.integration

US = {"data-class": "us-user-data"}
IE_ONLY = policy("ie-only", countries=["IE"], tag="eu-personal")


@pytest.fixture
def faulty(local_azure: LocalAzure) -> Iterator[LocalAzure]:
    yield local_azure
    inject(local_azure.management_url, kind="clear")


def by_name(inventory: Inventory) -> dict[str, StorageResource]:
    return {r.name: r for r in inventory.resources}


def test_one_malformed_account_record_spoils_only_its_own_part(
    faulty: LocalAzure, seeder: AzureSeeder, subscription: str,
) -> None:
    url = faulty.management_url
    seeder.account(subscription, "utgoodeast", "eastus", "Standard_LRS", US)
    seeder.account(subscription, "uttagslist", "westeurope", "Standard_LRS", US)
    seeder.account(subscription, "utnosku", "northeurope", "Standard_GRS", {"data-class": "eu-personal"})
    seeder.account(subscription, "utlocnumber", "eastus", "Standard_LRS", US)
    inject(url, kind="override", account="uttagslist", fields={"tags": ["data-class"]})
    inject(url, kind="override", account="utnosku", fields={"sku": None, "properties.secondaryLocation": "westeurope"})
    inject(url, kind="override", account="utlocnumber", fields={"location": 7, "properties.primaryLocation": None})
    inject(url, kind="extra", listing=f"accounts:{subscription}", item={"name": "no-id", "location": "eastus"})
    inject(url, kind="extra", listing="policies:utgoodeast",
           item={"name": "broken", "properties": {"destinationAccount": "elsewhere"}})

    inventory = scan(faulty, [subscription], storage_only=True)

    found = by_name(inventory)
    good = found["utgoodeast"]
    assert good.placements[0].region == "eastus" and good.tags == (("data-class", "us-user-data"),)
    (unknown_replica,) = [p for p in good.placements if p.kind is PlacementKind.REPLICA]
    assert unknown_replica.region is None and "names no source account" in unknown_replica.reason
    tags = found["uttagslist"]
    assert tags.placements[0].region == "westeurope" and tags.tags_unknown
    assert [g.facet for g in tags.gaps] == [Facet.TAGS]
    (primary, secondary) = found["utnosku"].placements
    assert (primary.region, secondary.kind, secondary.region) == ("northeurope", PlacementKind.SECONDARY, "westeurope")
    assert found["utlocnumber"].placements[0].region is None and "'location' is a number" in \
        found["utlocnumber"].placements[0].reason
    assert [g.reason for g in inventory.account_gaps] == [
        "the list of storage accounts held an entry that could not be recorded (the storage account entry has no id)"]
    # The example: no SKU, a secondary in the Netherlands, an Ireland-only policy.
    assert ("ie-only", "secondary-outside", "violation", "utnosku") in findings(inventory, [IE_ONLY])


def test_looping_or_foreign_next_links_end_every_listing_with_a_gap(
    faulty: LocalAzure, seeder: AzureSeeder, subscription: str,
) -> None:
    url = faulty.management_url
    seeder.account(subscription, "utloopone", "eastus", "Standard_LRS", US)
    seeder.account(subscription, "utlooptwo", "eastus", "Standard_LRS", US)
    inject(url, kind="loop", listing=f"accounts:{subscription}")
    inject(url, kind="foreign-link", listing=f"deleted:{subscription}")
    inject(url, kind="loop", listing="policies:utloopone")

    inventory = scan(faulty, [subscription], storage_only=True)

    # One gap per subscription, its reasons joined: each listing cut short is named in it.
    reasons = [part for g in inventory.account_gaps for part in g.reason.split("; ")]
    assert any(r.startswith(f"deleted (recoverable) storage accounts of subscription {subscription} answered a "
                            "nextLink to another host (attacker.invalid)") for r in reasons), reasons
    assert any(r.startswith(f"storage accounts of subscription {subscription} answered a page token it had already "
                            "given") for r in reasons), reasons
    found = by_name(inventory)
    assert set(found) == {"utloopone", "utlooptwo"}  # each once, though its page was served twice
    (gap,) = [g for g in found["utloopone"].gaps if g.facet is Facet.REPLICAS]
    assert "object replication policies of utloopone answered a page token" in gap.reason


@pytest.mark.parametrize(("retry_after", "requests"), [(3600, 1), (1, 4)])
def test_retry_after_is_honoured_only_up_to_the_cap(
    faulty: LocalAzure, seeder: AzureSeeder, subscription: str, retry_after: int, requests: int,
) -> None:
    seeder.account(subscription, f"utbusy{retry_after}", "eastus", "Standard_LRS", US)
    inject(faulty.management_url, kind="unavailable", subscription=subscription, status=429, retry_after=retry_after)

    inventory = scan(faulty, [subscription], storage_only=True)

    (gap,) = inventory.account_gaps
    assert gap.reason.startswith("storage accounts could not be listed: TooManyRequests") and "(HTTP 429)" in gap.reason
    seen = inject(faulty.management_url, kind="clear")["requests"]
    assert seen[subscription.lower()] == requests  # 3600 s: not retried at all; 1 s: three retries, then given up
