"""Every fixture plan, evaluated with hand-built policies: the exact findings it must produce.

Each row names the Terraform and provider releases whose `terraform show -json` output the
fixture follows (see tests/data/plans/README.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from residency.inventory.model import Provider, StorageResource
from residency.policy.model import Policy
from residency.sources.terraform import load_plan
from tests.unit.sources.terraform.helpers import PLANS, US_USER_DATA, Digest, evaluate_plan, small_catalog, us_only

ACCOUNT_A1 = "00000000-0000-0000-0000-0000000000a1"
AFTER_APPLY = "region is known only after apply"
UNDETERMINED = "the plan does not determine the region"


@dataclass(frozen=True)
class Case:
    fixture: str
    terraform: str
    provider: str
    policy: Policy
    expected: list[Digest]


LEGACY = Case(
    "aws-legacy-modules.json", "0.12.31", "hashicorp/aws 2.70.0", us_only(),
    [
        ("violation", "primary-outside", "module.eu.aws_s3_bucket.this", "acme-eu", "plan",
         (("primary", "eu-central-1", "region of provider configuration eu:aws (var.region)"),)),
        ("unverifiable", "location-unverifiable", "module.archive.aws_s3_bucket.this", "acme-archive", "plan",
         (("primary", None, f"{UNDETERMINED}: module.archive may receive any of aws, aws.west from its caller "
                            "(plans before Terraform 1.2 do not record which)"),)),
        ("compliant", "locations-allowed", "aws_s3_bucket.dr", "acme-dr", "plan",
         (("primary", "us-west-2", "region of provider configuration aws.west (var.west_region)"),)),
        ("compliant", "locations-allowed", "aws_s3_bucket.primary", "acme-primary", "plan",
         (("primary", "us-east-1", "region of provider configuration aws"),
          ("replica", "us-west-2", "replication destination bucket acme-dr (aws_s3_bucket.dr)"))),
    ],
)

COUNT_AND_ENV = Case(
    "aws-v3-count-and-env.json", "1.0.11", "hashicorp/aws 3.75.0", us_only(Provider.AWS),
    [
        ("unverifiable", "location-unverifiable", "aws_s3_bucket.envregion", "acme-env", "plan",
         (("primary", None, f"{UNDETERMINED}: provider configuration aws.envonly sets no region, so it comes "
                            "from the environment at apply time"),)),
        ("compliant", "locations-allowed", "aws_s3_bucket.existing", "acme-existing", "plan",
         (("primary", "us-east-1", "region of the existing bucket"),)),
        ("compliant", "locations-allowed", "aws_s3_bucket.logs[0]", "acme-logs-0", "plan",
         (("primary", "us-west-2", "region of provider configuration aws (var.settings.region)"),)),
        ("compliant", "locations-allowed", "aws_s3_bucket.logs[1]", "acme-logs-1", "plan",
         (("primary", "us-west-2", "region of provider configuration aws (var.settings.region)"),)),
        ("compliant", "locations-allowed", "aws_s3_bucket.renamed", "acme-renamed", "plan",
         (("primary", "us-west-2", "region of the existing bucket"),)),
    ],
)

AZURE = Case(
    "azure-redundancy.json", "1.1.9", "hashicorp/azurerm 3.0.2", us_only(Provider.AZURE),
    [
        ("violation", "primary-outside", "azurerm_storage_account.brazil", "acmebrazil", ACCOUNT_A1,
         (("primary", "brazilsouth", "storage account location"),)),
        ("violation", "primary-outside", "azurerm_storage_account.europe", "acmeeurope", ACCOUNT_A1,
         (("primary", "westeurope", "storage account location"),)),
        ("violation", "primary-outside", "azurerm_storage_account.italy", "acmeitaly", ACCOUNT_A1,
         (("primary", "italynorth", "storage account location"),)),
        ("violation", "replica-outside", "azurerm_storage_account.main", "acmemain", ACCOUNT_A1,
         (("replica", "westeurope",
           "object replication destination account acmeeurope (azurerm_storage_account.europe)"),)),
        ("unverifiable", "location-unverifiable", "azurerm_storage_account.italy", "acmeitaly", ACCOUNT_A1,
         (("secondary", None, "GZRS: the region pair table has no secondary for italynorth"),)),
        ("unverifiable", "location-unverifiable", "azurerm_storage_account.pending", "acmepending", ACCOUNT_A1,
         (("primary", None, f"{AFTER_APPLY} (the account location)"),
          ("secondary", None, f"{AFTER_APPLY} (GRS secondary)"))),
        ("compliant", "locations-allowed", "module.dr.azurerm_storage_account.this", "acmedr", ACCOUNT_A1,
         (("primary", "westus", "storage account location"),)),
    ],
)

GCP = Case(
    "gcp-locations.json", "1.4.6", "hashicorp/google 5.25.0", us_only(tags=US_USER_DATA),
    [
        ("violation", "member-outside", "google_storage_bucket.eu", "acme-eu", "acme-prod",
         (("member", "eu", "multi-region EU"),)),
        ("violation", "primary-outside", "google_storage_bucket.tokyo", "acme-tokyo", "acme-prod",
         (("primary", "asia-northeast1", "bucket location ASIA-NORTHEAST1; location changes from us-central1 "
                                         "to asia-northeast1: forces replacement"),)),
        ("violation", "member-outside", 'module.team["ml"].google_storage_bucket.this', "acme-ml", "acme-prod",
         (("member", "europe-north1", "member of dual-region EUR4"),
          ("member", "europe-west4", "member of dual-region EUR4"))),
        ("unverifiable", "location-unverifiable", "google_storage_bucket.computed", "acme-computed", "acme-prod",
         (("primary", None, f"{AFTER_APPLY} (the bucket location)"),)),
        ("compliant", "locations-allowed", "google_storage_bucket.dual", "acme-dual", "acme-prod",
         (("member", "us-east1", "data location of configurable dual-region US"),
          ("member", "us-west1", "data location of configurable dual-region US"))),
        ("compliant", "locations-allowed", "google_storage_bucket.nam4", "acme-nam4", "acme-prod",
         (("member", "us-central1", "member of dual-region NAM4"),
          ("member", "us-east1", "member of dual-region NAM4"))),
        ("compliant", "locations-allowed", 'module.team["web"].google_storage_bucket.this', "acme-web",
         "acme-prod", (("member", "us", "multi-region US"),)),
    ],
)

DEFAULT_TAGS = Case(
    "aws-v5-default-tags.json", "1.9.8", "hashicorp/aws 5.82.2", us_only(tags=US_USER_DATA),
    [
        ("violation", "replica-outside", 'aws_s3_bucket.regional["alpha"]', "acme-alpha", "plan",
         (("replica", "eu-west-1",
           "replication destination bucket acme-replica (module.replica.aws_s3_bucket.this)"),)),
        ("violation", "primary-outside", "module.replica.aws_s3_bucket.this", "acme-replica", "plan",
         (("primary", "eu-west-1", "region of provider configuration aws.eu"),)),
        ("unverifiable", "location-unverifiable", 'aws_s3_bucket.regional["alpha"]', "acme-alpha", "plan",
         (("replica", None, "destination outside the plan (replication destination bucket partner-intake)"),)),
        ("unverifiable", "location-unverifiable", "aws_s3_bucket.scratch", "acme-scratch", "plan",
         (("primary", None, f"{UNDETERMINED}: the region of provider configuration aws.dynamic is computed "
                            "from data.aws_ssm_parameter.region.value, data.aws_ssm_parameter.region, which "
                            "the plan does not record"),)),
        ("compliant", "locations-allowed", 'aws_s3_bucket.regional["beta"]', "acme-beta", "plan",
         (("primary", "us-east-1", "region of provider configuration aws (var.home_region)"),)),
    ],
)

REGION_ARGUMENT = Case(
    "aws-v6-region-argument.json", "1.12.2", "hashicorp/aws 6.14.1", us_only(Provider.AWS),
    [
        ("violation", "primary-outside", "aws_s3_bucket.eu_copy", "acme-eu-copy", "111122223333",
         (("primary", "eu-central-1", "region argument"),)),
        ("violation", "replica-outside", "aws_s3control_multi_region_access_point.global", "acme-global",
         "111122223333",
         (("replica", "eu-central-1", "access point member bucket acme-eu-copy (aws_s3_bucket.eu_copy)"),)),
        ("unverifiable", "location-unverifiable", "aws_s3_bucket.pending", "acme-pending", "111122223333",
         (("primary", None, f"{AFTER_APPLY}: the region argument is computed from module.geo.region, "
                            "module.geo, which the plan does not record"),)),
        ("unverifiable", "location-unverifiable", "aws_s3control_multi_region_access_point.global",
         "acme-global", "111122223333",
         (("replica", None, "destination outside the plan (access point member bucket partner-archive)"),)),
        ("compliant", "locations-allowed", "aws_s3_bucket.moved", "acme-moved", "111122223333",
         (("primary", "us-east-1", "region argument; location changes from eu-west-1 to us-east-1: "
                                   "forces replacement"),)),
        ("compliant", "locations-allowed", "aws_s3_bucket.us", "acme-us", "111122223333",
         (("primary", "us-east-1", "planned region (provider configuration aws)"),)),
        ("compliant", "locations-allowed", "aws_s3_directory_bucket.fast", "acme-fast--usw2-az1--x-s3",
         "111122223333", (("primary", "usw2-az1", "directory bucket in AvailabilityZone usw2-az1"),)),
    ],
)

ACCOUNT_B2 = "00000000-0000-0000-0000-0000000000b2"
# Copies inherit their source's data class: the untagged snapshots, image version and geo-secondary
# are in scope through the tagged disk and database they copy.
SQL_WE = "location of server azurerm_mssql_server.secondary"
GEO_EAST = "geo-redundant backup storage (paired region of eastus)"
AZURE_DATA_STORES = Case(
    "azure-data-stores.json", "1.9.8", "hashicorp/azurerm 4.14.0", us_only(Provider.AZURE, tags=US_USER_DATA),
    [
        ("violation", "primary-outside", "azurerm_cosmosdb_account.brazil", "acme-catalog-br", ACCOUNT_B2,
         (("primary", "brazilsouth", "write region"),)),
        ("violation", "replica-outside", "azurerm_cosmosdb_account.catalog", "acme-catalog", ACCOUNT_B2,
         (("replica", "westeurope", "read region (failover priority 1)"),)),
        ("violation", "replica-outside", "azurerm_mssql_database.orders", "orders", ACCOUNT_B2,
         (("replica", "westeurope", f"geo-secondary azurerm_mssql_database.replica: {SQL_WE}"),
          ("replica", "westeurope", "failover group azurerm_mssql_failover_group.orders: partner server "
                                    "azurerm_mssql_server.secondary"))),
        ("violation", "copy-outside", "azurerm_mssql_database.replica", "orders", ACCOUNT_B2,
         (("derived", "northeurope", "automated backups: Geo storage (paired region of westeurope)"),)),
        ("violation", "primary-outside", "azurerm_mssql_database.replica", "orders", ACCOUNT_B2,
         (("primary", "westeurope", SQL_WE),)),
        ("violation", "primary-outside", "azurerm_recovery_services_vault.eu", "acme-rsv-eu", ACCOUNT_B2,
         (("primary", "northeurope", "vault location"),)),
        ("violation", "secondary-outside", "azurerm_recovery_services_vault.eu", "acme-rsv-eu", ACCOUNT_B2,
         (("secondary", "westeurope", "geo-redundant backup storage (paired region of northeurope)"),)),
        ("violation", "replica-outside", "azurerm_shared_image_version.base", "1.0.0", ACCOUNT_B2,
         (("replica", "westeurope", "gallery image version target region"),)),
        ("violation", "primary-outside", "azurerm_snapshot.data_eu", "acme-data-snap-eu", ACCOUNT_B2,
         (("primary", "westeurope", "snapshot location"),)),
        ("unverifiable", "location-unverifiable", "azurerm_data_protection_backup_vault.pending", "acme-bv-pending",
         ACCOUNT_B2, (("secondary", None, f"{AFTER_APPLY} (the vault's storage redundancy)"),)),
        ("compliant", "locations-allowed", "azurerm_data_protection_backup_vault.main", "acme-bv", ACCOUNT_B2,
         (("primary", "eastus", "vault location"), ("secondary", "westus", GEO_EAST))),
        ("compliant", "locations-allowed", "azurerm_mssql_database.audit", "audit", ACCOUNT_B2,
         (("primary", "eastus", "location of server azurerm_mssql_server.primary"),)),
        ("compliant", "locations-allowed", "azurerm_recovery_services_vault.main", "acme-rsv", ACCOUNT_B2,
         (("primary", "eastus", "vault location"), ("secondary", "westus", GEO_EAST))),
        ("compliant", "locations-allowed", "azurerm_snapshot.data", "acme-data-snap", ACCOUNT_B2,
         (("primary", "eastus", "snapshot location"),)),
    ],
)


CASES = [LEGACY, COUNT_AND_ENV, AZURE, GCP, DEFAULT_TAGS, REGION_ARGUMENT, AZURE_DATA_STORES]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.fixture)
def test_fixture_findings_are_exactly_the_expected_ones(case: Case) -> None:
    catalog = small_catalog()
    inventory = load_plan(PLANS / case.fixture, catalog)
    assert evaluate_plan(inventory, catalog, case.policy) == case.expected
    assert inventory.source == f"terraform-plan:{PLANS / case.fixture}"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.fixture)
def test_fixture_names_the_terraform_version_it_follows(case: Case) -> None:
    document = json.loads((PLANS / case.fixture).read_text())
    assert document["terraform_version"] == case.terraform
    readme = (PLANS / "README.md").read_text()
    assert f"`{case.fixture}` | {document['format_version']} | {case.terraform} | {case.provider} |" in readme


def _resources(fixture: str) -> dict[str, StorageResource]:
    return {r.id: r for r in load_plan(PLANS / fixture, small_catalog()).resources}


def test_deleted_resources_are_not_evaluated() -> None:
    assert "aws_s3_bucket.old" not in _resources(DEFAULT_TAGS.fixture)
    assert "aws_s3_bucket.deleted" not in _resources(REGION_ARGUMENT.fixture)


def test_provider_default_tags_fill_in_when_the_resource_tags_are_unknown() -> None:
    resources = _resources(DEFAULT_TAGS.fixture)
    assert resources["aws_s3_bucket.scratch"].tags == (("data-class", "us-user-data"),)
    assert resources['aws_s3_bucket.regional["beta"]'].tags == (("data-class", "us-user-data"), ("owner", "platform"))
    # The eu provider has no default_tags: only the module's own tags.
    assert resources["module.replica.aws_s3_bucket.this"].tags == (("data-class", "us-user-data"),)


def test_replication_configuration_whose_source_is_outside_the_plan_is_not_invented() -> None:
    resources = _resources(DEFAULT_TAGS.fixture)
    assert "aws_s3_bucket_replication_configuration.alpha" not in resources
    assert ("replication", "aws_s3_bucket_replication_configuration.alpha") in \
        resources['aws_s3_bucket.regional["alpha"]'].attributes


def test_google_labels_and_protection_settings_are_recorded() -> None:
    resources = _resources(GCP.fixture)
    eu = resources["google_storage_bucket.eu"]
    assert eu.tags == (("data-class", "us-user-data"), ("team", "analytics"))
    assert ("retention-policy", "86400s, locked") in eu.attributes
    nam4 = dict(resources["google_storage_bucket.nam4"].attributes)
    assert (nam4["versioning"], nam4["soft-delete-retention"]) == ("enabled", "604800s")
    assert resources["google_storage_bucket.computed"].tags == (("data-class", "us-user-data"),)
    assert all(r.deletion_evidence is None for r in resources.values())


def test_azure_containers_and_object_replication_attach_to_their_accounts() -> None:
    resources = _resources(AZURE.fixture)
    main = dict(resources["azurerm_storage_account.main"].attributes)
    assert main["containers"] == "data"
    assert main["object-replication"] == "azurerm_storage_object_replication.to_dr"
    assert dict(resources["azurerm_storage_account.europe"].attributes)["containers"] == "data-copy"
    secondary = resources["azurerm_storage_account.main"].placements[1]
    assert (secondary.region, secondary.reason) == (
        "westus", "RAGRS secondary from the region pair table (pair of eastus)")
    assert not any(r.kind == "azure-storage-container" for r in resources.values())


def test_every_resource_records_its_terraform_action() -> None:
    resources = _resources(REGION_ARGUMENT.fixture)
    assert dict(resources["aws_s3_bucket.moved"].attributes)["terraform-action"] == "replace"
    assert dict(resources["aws_s3_bucket.us"].attributes)["terraform-action"] == "create"
    assert dict(_resources(COUNT_AND_ENV.fixture)["aws_s3_bucket.existing"].attributes)["terraform-action"] == "no-op"


def test_azure_copies_in_a_plan_inherit_their_sources_class() -> None:
    resources = _resources("azure-data-stores.json")
    copy = resources["azurerm_snapshot.data_eu"].lineage
    assert copy is not None and copy.source is not None
    assert (copy.source.id, copy.source.tags) == ("azurerm_managed_disk.data", (("data-class", "us-user-data"),))
    assert copy.how == "snapshot of azurerm_snapshot.data, a snapshot of azurerm_managed_disk.data"
    backups = [p for p in resources["azurerm_cosmosdb_account.catalog"].placements if p.kind.value == "derived"]
    assert [(p.region, p.reason) for p in backups] == [
        ("westus", "periodic backups in geo-redundant storage (no backup block: the default) (paired region of "
                   "eastus)")]
