"""Placements of the Azure data stores from their REST shapes (SDK models built from JSON), and
how copies are tied to their sources. Missing or unknown redundancy is never read as local."""

from __future__ import annotations

from typing import Any

import pytest
from azure.mgmt.cosmosdb.models import DatabaseAccountGetResults
from azure.mgmt.postgresqlflexibleservers.models import Server as PostgresServer

from residency.catalog import load_catalog
from residency.inventory.model import Facet, Lineage, Placement, PlacementKind, Provider, ResourceKey, StorageResource
from residency.sources.azure import stores
from residency.sources.azure.backup import vault_redundancy
from residency.sources.azure.cosmosdb import account_resource
from residency.sources.azure.flexible_servers import geo_backup
from residency.sources.azure.services import link_copies
from residency.sources.azure.sql import backup_placements

CATALOG = load_catalog()
P = PlacementKind
DISK_ID = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/disks/data"


def _regions(placements: list[Placement]) -> list[tuple[PlacementKind, str | None]]:
    return [(p.kind, p.region) for p in placements]


@pytest.mark.parametrize(("values", "expected"), [
    (["Geo", "Geo"], [(P.DERIVED, "westus")]),
    (["GeoZone", None], [(P.DERIVED, "westus")]),
    (["Local", "Geo"], [(P.DERIVED, "westus")]),  # backups already taken stay geo-redundant
    (["Local", "Zone"], []),
    ([None, None], [(P.DERIVED, None)]),  # not reported: not assumed local
    (["Local", "Archive"], [(P.DERIVED, None)]),  # a value residency does not know
])
def test_sql_backup_redundancy(values: list[object], expected: list[tuple[PlacementKind, str | None]]) -> None:
    assert _regions(backup_placements(values, "eastus", CATALOG, "backups")) == expected


def test_geo_backups_follow_one_way_and_missing_pairs() -> None:
    one_way = backup_placements(["Geo"], "brazilsouth", CATALOG, "backups")
    assert _regions(one_way) == [(P.DERIVED, "southcentralus")]  # crosses a border, one way
    unpaired = backup_placements(["Geo"], "austriaeast", CATALOG, "backups")
    assert _regions(unpaired) == [(P.DERIVED, None)] and "no paired region" in unpaired[0].reason


def _cosmos(**properties: Any) -> StorageResource:
    account = DatabaseAccountGetResults({"id": "/subscriptions/s1/x/databaseAccounts/c", "name": "c",
                                         "location": "East US", "tags": {"a": "b"}, "properties": properties})
    return account_resource("s1", account, CATALOG)


def _loc(name: str, priority: int) -> dict[str, Any]:
    return {"locationName": name, "failoverPriority": priority}


def test_cosmos_write_region_is_primary_and_the_others_replicas() -> None:
    found = _cosmos(locations=[_loc("East US", 0), _loc("Japan East", 1)], writeLocations=[_loc("East US", 0)],
                    readLocations=[_loc("East US", 0), _loc("Japan East", 1)],
                    backupPolicy={"type": "Periodic", "periodicModeProperties": {"backupStorageRedundancy": "Local"}})
    assert _regions(list(found.placements)) == [(P.PRIMARY, "eastus"), (P.REPLICA, "japaneast")]
    assert {Facet.REPLICAS, Facet.COPIES} <= found.collected


@pytest.mark.parametrize(("policy", "expected"), [
    (None, [(P.DERIVED, "westus")]),  # no policy reported: periodic, geo-redundant by default
    ({"type": "Periodic"}, [(P.DERIVED, "westus")]),
    ({"type": "Periodic", "periodicModeProperties": {"backupStorageRedundancy": "Zone"}}, []),
    ({"type": "Continuous"}, []),  # kept in the account's own regions
    ({"type": "Hourly"}, [(P.DERIVED, None)]),
])
def test_cosmos_backups(policy: dict[str, Any] | None, expected: list[tuple[PlacementKind, str | None]]) -> None:
    found = _cosmos(locations=[_loc("eastus", 0)], **({"backupPolicy": policy} if policy else {}))
    assert _regions([p for p in found.placements if p.kind is P.DERIVED]) == expected


def test_cosmos_single_write_account_without_write_locations_uses_priority_zero() -> None:
    found = _cosmos(failoverPolicies=[_loc("westeurope", 1), _loc("northeurope", 0)],
                    backupPolicy={"type": "Continuous"})
    assert _regions(list(found.placements)) == [(P.PRIMARY, "northeurope"), (P.REPLICA, "westeurope")]


@pytest.mark.parametrize(("reported", "expected"), [
    ([("redundancySettings", "GeoRedundant")], [(P.SECONDARY, "southcentralus")]),
    ([("redundancySettings", "LocallyRedundant"), ("backup storage config", "LocallyRedundant")], []),
    ([("redundancySettings", "ZoneRedundant"), ("backup storage config", "GeoRedundant")],
     [(P.SECONDARY, "southcentralus")]),
    ([("redundancySettings", None)], [(P.SECONDARY, "southcentralus")]),  # vaults default to geo-redundant
    ([("redundancySettings", "Invalid")], [(P.SECONDARY, None)]),
])
def test_vault_redundancy(reported: list[tuple[str, object]], expected: list[tuple[PlacementKind, str | None]]) -> None:
    assert _regions(vault_redundancy(reported, "brazilsouth", CATALOG)) == expected


def test_arm_ids_and_lineage_to_unscanned_sources() -> None:
    assert stores.type_of(DISK_ID) == "microsoft.compute/disks"
    assert stores.type_of("/subscriptions/s/resourceGroups/g/providers/Microsoft.Sql/servers/a/databases/b") == \
        "microsoft.sql/servers/databases"
    unscanned = stores.lineage_to(DISK_ID, {}, "snapshot of data")
    assert unscanned.source is not None and unscanned.source.tags is None  # tags unknown: possibly in scope
    vm = stores.lineage_to("/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/v", {}, "b")
    assert vm.source is None and "not a resource residency inventories" in vm.how
    assert stores.lineage_to(None, {}, "import").source is None


def _resource(kind: str, rid: str, placements: tuple[Placement, ...], lineage: Lineage | None = None,
              ) -> StorageResource:
    return StorageResource(Provider.AZURE, "s1", rid, rid.rsplit("/", 1)[-1], kind, placements,
                           frozenset({Facet.LOCATION, Facet.TAGS, Facet.COPIES}), lineage=lineage)


def test_copies_become_derived_placements_of_their_source_only() -> None:
    disk = _resource("azure-managed-disk", DISK_ID, (Placement(P.PRIMARY, "eastus", "disk location"),))
    key = disk.key
    copy = _resource("azure-disk-snapshot", DISK_ID + "-copy",
                     (Placement(P.PRIMARY, "westeurope", "snapshot location"),), Lineage(key, "copy"))
    replica = _resource("azure-managed-disk", DISK_ID + "-mirror",  # not a copy kind: no DERIVED on the source
                        (Placement(P.PRIMARY, "uksouth", "disk location"),), Lineage(key, "mirror"))
    linked = {r.id: r for r in link_copies([disk, copy, replica])}
    derived = [p for p in linked[DISK_ID].placements if p.kind is P.DERIVED]
    assert [(p.region, p.target) for p in derived] == [("westeurope", copy.id)]
    assert linked[copy.id] == copy


def test_a_key_with_unknown_tags_is_what_lineage_keeps_for_an_unlisted_database() -> None:
    key = ResourceKey(Provider.AZURE, "s1", "azure-sql-database", "/x/databases/d", "srv/d", None)
    assert stores.lineage_to("/X/databases/D", {"/x/databases/d": key}, "ltr").source == key  # ids compare case-blind


@pytest.mark.parametrize(("backup", "expected"), [
    ({"geoRedundantBackup": "Enabled"}, [(P.DERIVED, "southcentralus")]),  # one-way, cross-border pair
    ({"geoRedundantBackup": "Disabled"}, []),
    ({}, [(P.DERIVED, None)]),  # not reported: not assumed local
    ({"geoRedundantBackup": "Maybe"}, [(P.DERIVED, None)]),
])
def test_flexible_server_geo_backups(backup: dict[str, str], expected: list[tuple[PlacementKind, str | None]]) -> None:
    server = PostgresServer({"location": "brazilsouth", "properties": {"backup": backup}})
    assert _regions(geo_backup(server, "brazilsouth", CATALOG)) == expected
