"""SQL, Cosmos DB, disks, snapshots, gallery images and backup vaults, seeded through the real
azure-mgmt clients against the local ARM server, scanned once, every finding asserted.

The estate (one subscription, session-scoped; tag key `data-class`):
- SQL: `orders` (US data, East US, Geo backups) geo-replicated to UK South, with a long-term
  retention backup; its UK geo-secondary has no tags and inherits the US class; `ledger` keeps
  Local backups. A managed instance in East US fails over to UK South.
- Cosmos DB: a US account with a read region in Japan East; a Brazilian account in Brazil South
  whose default periodic geo-redundant backups go to the one-way, cross-border pair South Central US.
- A US disk in East US, its snapshot, the snapshot copied to West Europe (CopyStart), and a gallery
  image version of the snapshot replicated to Japan East.
- A Recovery Services vault in Brazil South (geo-redundant by default) protecting a Brazilian file
  share; a locally redundant US vault; a geo-redundant backup vault in East US replicated to West
  Europe, backing up the disk.
- A US PostgreSQL flexible server in East US with geo-redundant backups and a read replica in West
  Europe; a US MySQL flexible server with local backups and a replica in its own region.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace

import pytest

from residency.inventory.model import Facet, Inventory, PlacementKind, StorageResource
from scripts.localcloud.azure.azurite import LocalAzure
from scripts.localcloud.azure.seed import AzureSeeder
from scripts.localcloud.azure.seed_stores import StoreSeeder
from tests.integration.azure.helpers import findings, policy, scan

pytestmark = pytest.mark.integration

US = {"data-class": "us-user-data"}
BR = {"data-class": "br-user-data"}
POLICIES = (policy("us-only", countries=["US"], tag="us-user-data"),
            policy("br-only", countries=["BR"], tag="br-user-data"))


def _seed(stores: StoreSeeder, sub: str) -> None:
    stores.sql_server(sub, "ds-sql-east", "eastus")
    stores.sql_server(sub, "ds-sql-uk", "uksouth")
    orders = stores.sql_database(sub, "ds-sql-east", "orders", "eastus", "Geo", US)
    stores.geo_replica(sub, "ds-sql-uk", "orders", "uksouth", orders)
    stores.long_term_retention(sub, "ds-sql-east", "orders")
    stores.sql_database(sub, "ds-sql-east", "ledger", "eastus", "Local", US)
    east = stores.managed_instance(sub, "ds-mi-east", "eastus", tags=US)
    uk = stores.managed_instance(sub, "ds-mi-uk", "uksouth", "Local")
    stores.instance_failover_group(sub, "eastus", "ds-ifg", east, uk, "uksouth")
    stores.cosmos_account(sub, "ds-cosmos-us", ["eastus", "japaneast"], US)
    stores.cosmos_account(sub, "ds-cosmos-br", ["brazilsouth"], BR)
    disk = stores.disk(sub, "ds-disk", "eastus", US)
    snapshot = stores.snapshot(sub, "ds-disk-snap", "eastus", disk)
    stores.snapshot(sub, "ds-disk-snap-we", "westeurope", snapshot, copy_start=True)
    stores.image_version(sub, "dsgallery", "eastus", snapshot, ["japaneast"])
    stores.base.account(sub, "dsfilesbr", "brazilsouth", "Standard_LRS", BR)
    stores.recovery_vault(sub, "ds-rsv-br", "brazilsouth", tags=BR)
    stores.protect_file_share(sub, "ds-rsv-br", "dsfilesbr", "invoices")
    stores.recovery_vault(sub, "ds-rsv-us", "eastus", "LocallyRedundant", US)
    stores.backup_vault(sub, "ds-bv-us", "eastus", replicated=["westeurope"], tags=US)
    stores.back_up_disk(sub, "ds-bv-us", disk)
    postgres = stores.postgres_server(sub, "ds-pg-east", "eastus", geo_backup=True, tags=US)
    stores.postgres_server(sub, "ds-pg-we", "westeurope", source_id=postgres)
    mysql = stores.mysql_server(sub, "ds-mysql-east", "eastus", tags=US)
    stores.mysql_server(sub, "ds-mysql-east-r", "eastus", source_id=mysql)


@pytest.fixture(scope="module")
def estate(local_azure: LocalAzure, seeder: AzureSeeder) -> Iterator[tuple[str, Inventory]]:
    sub = str(uuid.uuid4())
    _seed(StoreSeeder(seeder), sub)
    yield sub, scan(local_azure, [sub], POLICIES)


def _by_name(inventory: Inventory) -> dict[str, StorageResource]:
    return {r.name: r for r in inventory.resources}


def _places(resource: StorageResource, kind: PlacementKind) -> set[str | None]:
    return {p.region for p in resource.placements if p.kind is kind}


def test_every_finding_of_the_estate(estate: tuple[str, Inventory]) -> None:
    _, inventory = estate
    ltr = next(r.name for r in inventory.resources if r.kind == "azure-sql-ltr-backup")
    assert findings(inventory, POLICIES) == sorted([
        ("br-only", "copy-outside", "violation", "ds-cosmos-br"),  # periodic geo backups: brazilsouth -> US
        ("br-only", "locations-allowed", "compliant", "dsfilesbr"),
        ("br-only", "secondary-outside", "violation", "ds-rsv-br"),  # geo-redundant by default
        ("br-only", "secondary-outside", "violation", "ds-rsv-br/invoices"),  # the share's backups inherit BR
        ("us-only", "copy-outside", "violation", "ds-disk"),  # its snapshot copy and image replica abroad
        ("us-only", "copy-outside", "violation", "ds-sql-uk/orders"),  # the UK secondary's geo backups
        ("us-only", "locations-allowed", "compliant", "ds-disk-snap"),
        ("us-only", "locations-allowed", "compliant", "ds-mysql-east"),
        ("us-only", "locations-allowed", "compliant", "ds-mysql-east-r"),  # an untagged replica inherits US
        ("us-only", "primary-outside", "violation", "ds-pg-we"),  # a read replica of US data in Europe
        ("us-only", "replica-outside", "violation", "ds-pg-east"),
        ("us-only", "locations-allowed", "compliant", "ds-rsv-us"),
        ("us-only", "locations-allowed", "compliant", "ds-sql-east/ledger"),
        ("us-only", "locations-allowed", "compliant", ltr),
        ("us-only", "primary-outside", "violation", "ds-disk-snap-we"),  # a copy of US data in Europe
        ("us-only", "primary-outside", "violation", "ds-sql-uk/orders"),  # the geo-secondary holds US data
        ("us-only", "replica-outside", "violation", "ds-bv-us"),
        ("us-only", "replica-outside", "violation", "ds-bv-us/ds-disk"),
        ("us-only", "replica-outside", "violation", "ds-cosmos-us"),
        ("us-only", "replica-outside", "violation", "ds-mi-east"),
        ("us-only", "replica-outside", "violation", "ds-sql-east/orders"),
        ("us-only", "replica-outside", "violation", "dsgallery/base/1.0.0"),
    ])


def test_placements_say_where_and_why(estate: tuple[str, Inventory]) -> None:
    _, inventory = estate
    found = _by_name(inventory)
    orders = found["ds-sql-east/orders"]
    assert _places(orders, PlacementKind.REPLICA) == {"uksouth"}
    assert _places(orders, PlacementKind.DERIVED) == {"westus", "eastus"}  # geo backups; the LTR backup and its pair
    assert _places(found["ds-sql-east/ledger"], PlacementKind.DERIVED) == set()  # Local backups stay
    assert _places(found["ds-cosmos-br"], PlacementKind.DERIVED) == {"southcentralus"}
    assert _places(found["ds-cosmos-us"], PlacementKind.PRIMARY) == {"eastus"}
    disk = found["ds-disk"]
    assert _places(disk, PlacementKind.DERIVED) == {"eastus", "westus", "westeurope", "japaneast"}
    assert {p.target for p in disk.placements if p.region == "westeurope"} == {
        found["ds-disk-snap-we"].id, found["ds-bv-us/ds-disk"].id}
    assert Facet.COPIES in disk.collected
    assert _places(found["ds-rsv-us"], PlacementKind.SECONDARY) == set()
    assert _places(found["ds-rsv-br"], PlacementKind.SECONDARY) == {"southcentralus"}
    assert _places(found["ds-pg-east"], PlacementKind.DERIVED) == {"westus"}  # geo-redundant backups
    assert _places(found["ds-mysql-east"], PlacementKind.DERIVED) == set()


def test_copies_carry_their_lineage(estate: tuple[str, Inventory]) -> None:
    _, inventory = estate
    found = _by_name(inventory)
    lineage = {name: r.lineage for name, r in found.items() if r.lineage is not None}
    assert lineage["ds-disk-snap-we"].source is not None
    assert lineage["ds-disk-snap-we"].source.id == found["ds-disk"].id  # the copy of a copy: back to the disk
    assert "copied from ds-disk-snap" in lineage["ds-disk-snap-we"].how
    assert lineage["ds-rsv-br/invoices"].source == found["dsfilesbr"].key
    assert lineage["ds-sql-uk/orders"].source == found["ds-sql-east/orders"].key
    assert lineage["ds-pg-we"].source == found["ds-pg-east"].key
    ltr = next(r for r in inventory.resources if r.kind == "azure-sql-ltr-backup")
    assert ltr.lineage is not None and ltr.lineage.source == found["ds-sql-east/orders"].key


def test_nothing_in_scope_still_records_every_listed_store(local_azure: LocalAzure,
                                                          estate: tuple[str, Inventory]) -> None:
    sub, everything = estate
    nobody = (policy("nobody", countries=["US"], tag="nobody"),)
    listed = scan(local_azure, [sub], nobody)
    assert {r.id for r in listed.resources} == {r.id for r in everything.resources}
    orders = _by_name(listed)["ds-sql-east/orders"]
    assert Facet.REPLICAS not in orders.collected  # not covered: its replication links were not read


def test_services_no_policy_kind_needs_are_not_called(local_azure: LocalAzure, estate: tuple[str, Inventory]) -> None:
    sub, _ = estate
    only_cosmos = policy("cosmos-only", countries=["US"])
    only_cosmos = replace(only_cosmos, scope=replace(only_cosmos.scope, kinds=("azure-cosmosdb-account",)))
    kinds = {r.kind for r in scan(local_azure, [sub], [only_cosmos]).resources}
    assert "azure-cosmosdb-account" in kinds
    assert not kinds & {"azure-sql-database", "azure-sql-managed-instance", "azure-managed-disk"}
    assert "azure-backup-vault" in kinds  # a vault may hold backups of a Cosmos DB account: listed
