"""The Azure part of `make demo`: a short-video company moving its US users' data into the US.

`start(group, log_dir)` starts Azurite and the local Azure server and returns the env vars
`residency scan --provider azure` needs; `seed(env, small)` builds the estate through the
real SDKs; `DEMO_EXPECTATIONS[size]` lists the Azure findings the example policies in
`policies/` yield for it, as (policy id, rule id, status, account name) sorted tuples.

Tag key `data-class`. Two readable subscriptions (prod, legacy-eu) and a partner
subscription the scanner is denied (reads answer 403).

Beyond storage accounts (`DATA_STORES`): a SQL database in East US geo-replicated to UK South
with Geo backup redundancy, a Cosmos DB account with a read region in Japan East, a disk
snapshot copied to West Europe, and a geo-redundant Recovery Services vault in Brazil South.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scripts.localcloud.azure.azurite import start_local_azure
from scripts.localcloud.azure.seed import AzureSeeder
from scripts.localcloud.azure.seed_stores import StoreSeeder
from scripts.localcloud.services import ServiceGroup

PROD = "5f1c0de0-0000-4000-8000-000000000001"
LEGACY_EU = "5f1c0de0-0000-4000-8000-000000000002"
PARTNER_DENIED = "5f1c0de0-0000-4000-8000-00000000dead"
NO_SANCTIONS = "no-sanctioned-jurisdictions"
CLASS_POLICY = {"us-user-data": "us-user-data", "br-user-data": "br-user-data", "eu-personal": "eu-personal-data"}

OK = ("locations-allowed", "compliant")


@dataclass(frozen=True)
class DemoAccount:
    name: str
    subscription: str
    location: str
    sku: str
    data_class: str | None  # the `data-class` tag, None = untagged
    expected: tuple[tuple[str, str], ...]  # (rule id, status) under the data class's policy
    in_small: bool = False
    on_azurite: bool = True  # live blobs only; the rest need the local server's data plane


ESTATE: tuple[DemoAccount, ...] = (
    DemoAccount("usvideoseast", PROD, "eastus", "Standard_GRS", "us-user-data", (OK,), in_small=True),
    DemoAccount("usprofileswest2", PROD, "westus2", "Standard_LRS", "us-user-data", (OK,)),
    DemoAccount("usthumbscentral", PROD, "centralus", "Standard_RAGRS", "us-user-data", (OK,)),
    DemoAccount("usanalyticseast2", PROD, "eastus2", "Standard_ZRS", "us-user-data", (OK,)),
    DemoAccount("usbackupwest3", PROD, "westus3", "Standard_GRS", "us-user-data", (OK,)),  # one-way pair to eastus
    DemoAccount("usuploadseast", PROD, "eastus", "Standard_LRS", "us-user-data",
                (("replica-outside", "violation"),), in_small=True),
    DemoAccount("eureplicawe", LEGACY_EU, "westeurope", "Standard_LRS", None, (), in_small=True),
    DemoAccount("usmigratedwe", LEGACY_EU, "westeurope", "Standard_LRS", "us-user-data",
                (("primary-outside", "violation"), ("residual-outside", "violation")), in_small=True,
                on_azurite=False),
    DemoAccount("usarchiveuks", LEGACY_EU, "uksouth", "Standard_LRS", "us-user-data",
                (("primary-outside", "violation"), ("retention-blocks-deletion", "violation")), on_azurite=False),
    DemoAccount("usoldeastasia", PROD, "eastasia", "Standard_GRS", "us-user-data", ()),  # deleted below
    DemoAccount("brvideossouth", PROD, "brazilsouth", "Standard_GRS", "br-user-data",
                (("secondary-outside", "violation"),), in_small=True),
    DemoAccount("brbackupsouth", PROD, "brazilsouth", "Standard_LRS", "br-user-data", (OK,)),
    DemoAccount("eupersonalne", LEGACY_EU, "northeurope", "Standard_RAGZRS", "eu-personal", (OK,), in_small=True),
    DemoAccount("eupersonalwe", LEGACY_EU, "westeurope", "Standard_LRS", "eu-personal", (OK,)),
    DemoAccount("eupersonaljpe", LEGACY_EU, "japaneast", "Standard_LRS", "eu-personal",
                (("primary-outside", "violation"),)),
    DemoAccount("publiccdnwe", PROD, "westeurope", "Standard_GRS", "public", ()),
    DemoAccount("publicassetsea", PROD, "southeastasia", "Standard_LRS", "public", ()),
    DemoAccount("partnerdata", PARTNER_DENIED, "eastus", "Standard_LRS", "us-user-data", (), in_small=True),
)
DELETED = "usoldeastasia"  # deleted but recoverable: its tags are gone with it

# The data stores beyond storage accounts (all in PROD) and their findings under the class policies;
# every one is also compliant with the deny-list.
DATA_STORES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "usvideo-sql-east/subscribers": (("us-user-data", "replica-outside", "violation"),),  # geo-replica in the UK
    # The geo-secondary holds US data (its primary is its lineage), and keeps Geo backups in UK West.
    "usvideo-sql-uk/subscribers": (("us-user-data", "copy-outside", "violation"),
                                   ("us-user-data", "primary-outside", "violation")),
    "usvideo-cosmos": (("us-user-data", "replica-outside", "violation"),),  # read region in Japan East
    "usvideo-disk": (("us-user-data", "copy-outside", "violation"),),  # its snapshot copied to Europe
    "usvideo-disk-snap": (("us-user-data", "locations-allowed", "compliant"),),
    "usvideo-disk-snap-we": (("us-user-data", "primary-outside", "violation"),),
    "brvideo-rsv": (("br-user-data", "secondary-outside", "violation"),),  # GRS: paired with South Central US
}


def _estate(small: bool) -> list[DemoAccount]:
    return [a for a in ESTATE if a.in_small or not small]


def _expectations(small: bool) -> tuple[tuple[str, str, str, str], ...]:
    found: list[tuple[str, str, str, str]] = []
    accounts = _estate(small)
    for account in accounts:
        if account.subscription == PARTNER_DENIED:
            continue
        found.append((NO_SANCTIONS, *OK, account.name))
        if account.data_class in CLASS_POLICY and account.name != DELETED:
            found += [(CLASS_POLICY[account.data_class], rule, status, account.name)
                      for rule, status in account.expected]
        if account.name == DELETED:  # tags unknown: every tag-scoped policy may cover it
            found += [(policy, "scope-unverifiable", "unverifiable", account.name)
                      for policy in CLASS_POLICY.values()]
    for name, expected in DATA_STORES.items():
        found.append((NO_SANCTIONS, *OK, name))
        found += [(policy, rule, status, name) for policy, rule, status in expected]
    if any(a.subscription == PARTNER_DENIED for a in accounts):
        found += [(policy, "location-unverifiable", "unverifiable", PARTNER_DENIED)
                  for policy in (NO_SANCTIONS, *CLASS_POLICY.values())]
    return tuple(sorted(found))


# Keyed by `small`, like the AWS and GCP demo modules.
DEMO_EXPECTATIONS: dict[bool, tuple[tuple[str, str, str, str], ...]] = {
    False: _expectations(small=False),
    True: _expectations(small=True),
}


def start(group: ServiceGroup, log_dir: Path | None = None) -> dict[str, str]:
    """Start Azurite and the local Azure server; logs go to `group.log_dir` (`log_dir` is accepted
    for symmetry with the other clouds' demo modules)."""
    azurite = [a.name for a in ESTATE if a.on_azurite]
    local = start_local_azure(group, azurite, denied=[PARTNER_DENIED], name="azure-demo")
    return local.scanner_env()


def seed(env: dict[str, str], small: bool = False) -> None:
    seeder = AzureSeeder(env["RESIDENCY_AZURE_MANAGEMENT_ENDPOINT"])
    try:
        for account in _estate(small):
            tags = {"data-class": account.data_class} if account.data_class else {}
            seeder.account(account.subscription, account.name, account.location, account.sku, tags)
            if account.on_azurite:
                seeder.upload(account.name, "media", {"intro.mp4": b"\x00" * 64, "poster.jpg": b"\xff" * 32})
        _tell_stories(seeder, {a.name for a in _estate(small)})
        _seed_data_stores(StoreSeeder(seeder))
    finally:
        seeder.close()


def _tell_stories(seeder: AzureSeeder, names: set[str]) -> None:
    if {"usuploadseast", "eureplicawe"} <= names:  # uploads replicated to Europe
        seeder.replicate(seeder.accounts["usuploadseast"], seeder.accounts["eureplicawe"])
    if "usmigratedwe" in names:  # copied to the US, then "deleted": versions and soft delete keep it
        seeder.blob_service_settings(LEGACY_EU, "usmigratedwe", versioning=True, delete_days=30,
                                     container_delete_days=14, change_feed=True)
        seeder.upload("usmigratedwe", "profiles", {f"user{i}.json": b'{"country": "US"}' for i in range(4)})
        seeder.upload("usmigratedwe", "watch-history", {"2025.parquet": b"\x01" * 128})
        service = seeder.blobs("usmigratedwe")
        for i in range(4):
            service.get_blob_client("profiles", f"user{i}.json").delete_blob()
        service.delete_container("watch-history")
    if "usarchiveuks" in names:  # a compliance archive locked for years
        seeder.upload("usarchiveuks", "archive", {"2023-q4.tar": b"\x02" * 256})
        seeder.lock_container(LEGACY_EU, "usarchiveuks", "archive", days=2555)
    if "eupersonaljpe" in names:
        seeder.upload("eupersonaljpe", "exports", {"eu-users.csv": b"id,email\n"}, create=True)
    if DELETED in names:
        seeder.delete_account(PROD, DELETED)


def _seed_data_stores(stores: StoreSeeder) -> None:
    us, br = {"data-class": "us-user-data"}, {"data-class": "br-user-data"}
    stores.sql_server(PROD, "usvideo-sql-east", "eastus")
    stores.sql_server(PROD, "usvideo-sql-uk", "uksouth")
    subscribers = stores.sql_database(PROD, "usvideo-sql-east", "subscribers", "eastus", "Geo", us)
    stores.geo_replica(PROD, "usvideo-sql-uk", "subscribers", "uksouth", subscribers)  # disaster recovery
    stores.cosmos_account(PROD, "usvideo-cosmos", ["eastus", "japaneast"], us)  # a read region for Japan
    disk = stores.disk(PROD, "usvideo-disk", "eastus", us)
    snapshot = stores.snapshot(PROD, "usvideo-disk-snap", "eastus", disk)
    stores.snapshot(PROD, "usvideo-disk-snap-we", "westeurope", snapshot, copy_start=True)  # for the EU team
    stores.recovery_vault(PROD, "brvideo-rsv", "brazilsouth", tags=br)  # geo-redundant: Azure's default
