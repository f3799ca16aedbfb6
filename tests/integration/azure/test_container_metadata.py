"""Container metadata as data classification, for accounts whose tags no policy covers.

Seeded through azure-storage-blob on the project's local server (which records every request,
so calls can be counted). Metadata names follow Azure's C# identifier rule: `data_class`,
since Azure (and Azurite) reject `x-ms-meta-data-class` with 400.
"""

from __future__ import annotations

import dataclasses

import pytest

from residency.inventory.model import Facet, Placement, PlacementKind
from scripts.localcloud.azure.azurite import LocalAzure
from scripts.localcloud.azure.seed import AzureSeeder
from tests.integration.azure.helpers import findings, policy, scan

pytestmark = pytest.mark.integration

US = policy("us-user-data", countries=["US"], tag="us-user-data")
CONTAINER_LISTING = "include=metadata"  # the one List Containers call this feature adds


def _metadata_listings(local: LocalAzure, account: str, before: int) -> list[str]:
    lines = local.server_log.read_text().splitlines()[before:]
    return [line for line in lines if f"/{account}" in line and "comp=list" in line and CONTAINER_LISTING in line]


def _log_length(local: LocalAzure) -> int:
    return len(local.server_log.read_text().splitlines())


def test_container_metadata_brings_one_container_of_an_untagged_account_into_scope(
    local_azure: LocalAzure, seeder: AzureSeeder, subscription: str,
) -> None:
    account = seeder.account(subscription, "eumixedclass", "westeurope", "Standard_LRS")
    service = seeder.blobs("eumixedclass")
    service.create_container("profiles", metadata={"data_class": "us-user-data", "owner": "crm"})
    service.create_container("assets", metadata={"data_class": "public"})
    seeder.upload("eumixedclass", "profiles", {"alice.json": b"{}"}, create=False)
    seeder.upload("eumixedclass", "assets", {"logo.png": b"png", "hero.png": b"png"}, create=False)
    before = _log_length(local_azure)
    inventory = scan(local_azure, [subscription], [US])
    account_record, resource = inventory.resources  # the account is recorded too, as listed
    assert (account_record.kind, account_record.name) == ("azure-storage-account", "eumixedclass")
    assert Facet.REPLICAS not in account_record.collected and account_record.deletion_evidence is None
    assert (resource.kind, resource.name) == ("azure-blob-container", "eumixedclass/profiles")
    assert resource.id == f"{account.id}/blobServices/default/containers/profiles"
    assert resource.tag_map == {"data_class": "us-user-data", "data-class": "us-user-data", "owner": "crm"}
    assert resource.placements == (Placement(PlacementKind.PRIMARY, "westeurope", "storage account primary location"),)
    evidence = resource.deletion_evidence
    assert evidence is not None and evidence.live_objects == 1  # this container's blob only
    assert findings(inventory, [US]) == [("us-user-data", "primary-outside", "violation", "eumixedclass/profiles")]
    assert len(_metadata_listings(local_azure, "eumixedclass", before)) == 1


def test_container_metadata_overrides_the_account_tags_and_keeps_its_secondary(
    local_azure: LocalAzure, seeder: AzureSeeder, subscription: str,
) -> None:
    seeder.account(subscription, "usgrsmixed", "eastus", "Standard_GRS", {"data-class": "public", "team": "web"})
    seeder.blobs("usgrsmixed").create_container("exports", metadata={"data_class": "us-user-data"})
    inventory = scan(local_azure, [subscription], [US])
    resource = next(r for r in inventory.resources if r.kind == "azure-blob-container")
    assert resource.tag_map == {"data-class": "us-user-data", "data_class": "us-user-data", "team": "web"}
    assert [(p.kind, p.region) for p in resource.placements] == [
        (PlacementKind.PRIMARY, "eastus"), (PlacementKind.SECONDARY, "westus")]
    assert findings(inventory, [US]) == [("us-user-data", "locations-allowed", "compliant", "usgrsmixed/exports")]


def test_an_account_covered_by_its_tags_lists_no_container_metadata(
    local_azure: LocalAzure, seeder: AzureSeeder, subscription: str,
) -> None:
    seeder.account(subscription, "eutaggedacct", "westeurope", "Standard_LRS", {"data-class": "us-user-data"})
    seeder.blobs("eutaggedacct").create_container("profiles", metadata={"data_class": "public"})
    seeder.upload("eutaggedacct", "profiles", {"alice.json": b"{}"}, create=False)
    before = _log_length(local_azure)
    inventory = scan(local_azure, [subscription], [US])
    assert [(r.kind, r.name) for r in inventory.resources] == [("azure-storage-account", "eutaggedacct")]
    assert _metadata_listings(local_azure, "eutaggedacct", before) == []
    assert findings(inventory, [US]) == [("us-user-data", "primary-outside", "violation", "eutaggedacct")]


def test_no_container_listing_without_a_tag_scoped_policy(
    local_azure: LocalAzure, seeder: AzureSeeder, subscription: str,
) -> None:
    seeder.account(subscription, "eunotagpolicy", "westeurope", "Standard_LRS")
    seeder.blobs("eunotagpolicy").create_container("profiles", metadata={"data_class": "us-user-data"})
    # Covers this subscription, but by account name: container metadata cannot bring anything into scope.
    by_name = dataclasses.replace(US, id="by-name", scope=dataclasses.replace(US.scope, tags=(), names=("us*",)))
    before = _log_length(local_azure)
    (listed,) = scan(local_azure, [subscription], [by_name]).resources
    assert (listed.kind, listed.name, listed.collected) == ("azure-storage-account", "eunotagpolicy",
                                                             frozenset({Facet.LOCATION, Facet.TAGS}))
    assert _metadata_listings(local_azure, "eunotagpolicy", before) == []


def test_unreadable_container_metadata_leaves_the_account_scope_unverifiable(
    local_azure: LocalAzure, seeder: AzureSeeder, subscription: str,
) -> None:
    seeder.account(subscription, "eumetadenied", "westeurope", "Standard_LRS")
    seeder.blobs("eumetadenied").create_container("profiles", metadata={"data_class": "us-user-data"})
    # A key that is not base64 fails request signing in the SDK: a real client-side auth error.
    inventory = scan(local_azure, [subscription], [US], env={"RESIDENCY_AZURE_STORAGE_KEY": "not base64!"})
    (resource,) = inventory.resources
    assert (resource.kind, resource.name) == ("azure-storage-account", "eumetadenied")
    (gap,) = resource.gaps
    assert gap.facet is Facet.TAGS and gap.reason.startswith("container metadata could not be listed: ")
    assert findings(inventory, [US]) == [("us-user-data", "scope-unverifiable", "unverifiable", "eumetadenied")]
