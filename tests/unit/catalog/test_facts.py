"""The specific facts the issue names: pairs, dual-region members, unknown multi-regions, zones."""

from __future__ import annotations

import pytest

from residency.catalog import CatalogLocation, LocationType, load_catalog
from residency.engine.locations import LocationJudge, Verdict
from residency.inventory.model import Provider
from residency.policy.model import LocationSet, Policy, Scope, Severity

CATALOG = load_catalog()


def _location(provider: Provider, code: str) -> CatalogLocation:
    location = CATALOG.lookup(provider, code)
    assert location is not None, f"{provider.value} {code} missing"
    return location


@pytest.mark.parametrize(
    ("region", "pair"),
    [
        ("brazilsouth", "southcentralus"),  # one-way and across a border
        ("southcentralus", "northcentralus"),
        ("westus3", "eastus"),  # one-way
        ("eastus", "westus"),
        ("westus", "eastus"),
        ("westindia", "southindia"),  # one-way
        ("southindia", "centralindia"),
        ("centralindia", "southindia"),
        ("eastasia", "southeastasia"),  # Hong Kong <-> Singapore
        ("southeastasia", "eastasia"),
        ("northeurope", "westeurope"),  # Ireland <-> Netherlands
        ("westeurope", "northeurope"),
        ("germanynorth", "germanywestcentral"),  # restricted pair region
        ("chinaeast", "chinanorth"),
        ("chinanorth", "chinaeast"),
        ("usgovvirginia", "usgovtexas"),
        ("usgovarizona", "usgovtexas"),
        ("usgovtexas", "usgovarizona"),
        ("usdodeast", "usdodcentral"),
        ("usdodcentral", "usdodeast"),
    ],
)
def test_azure_pairs_including_one_way_and_cross_border(region: str, pair: str) -> None:
    assert CATALOG.azure_pair(region) == pair


@pytest.mark.parametrize(
    "region",
    [
        "austriaeast",
        "belgiumcentral",
        "chilecentral",
        "denmarkeast",
        "indonesiacentral",
        "israelcentral",
        "italynorth",
        "malaysiawest",
        "mexicocentral",
        "newzealandnorth",
        "polandcentral",
        "qatarcentral",
        "spaincentral",
    ],
)
def test_azure_regions_without_a_pair(region: str) -> None:
    assert _location(Provider.AZURE, region).pair is None


def test_cross_border_pairs_cross_borders() -> None:
    assert _location(Provider.AZURE, "brazilsouth").countries == frozenset({"BR"})
    assert _location(Provider.AZURE, "southcentralus").countries == frozenset({"US"})
    assert _location(Provider.AZURE, "eastasia").countries == frozenset({"HK"})
    assert _location(Provider.AZURE, "southeastasia").countries == frozenset({"SG"})


def test_azure_sovereign_clouds_are_their_own_partitions() -> None:
    assert _location(Provider.AZURE, "chinanorth3").partition == "china"
    assert _location(Provider.AZURE, "usdodeast").partition == "usgov"
    assert _location(Provider.AZURE, "eastus").partition == "public"
    assert _location(Provider.AZURE, "East US").code == "eastus"  # display names normalise to codes


@pytest.mark.parametrize(
    ("code", "members", "countries"),
    [
        ("NAM4", ("us-central1", "us-east1"), {"US"}),
        ("EUR4", ("europe-north1", "europe-west4"), {"FI", "NL"}),
        ("ASIA1", ("asia-northeast1", "asia-northeast2"), {"JP"}),
        ("EUR5", ("europe-west1", "europe-west2"), {"BE", "GB"}),
        ("EUR7", ("europe-west2", "europe-west3"), {"GB", "DE"}),
        ("EUR8", ("europe-west3", "europe-west6"), {"DE", "CH"}),
    ],
)
def test_gcs_predefined_dual_regions(code: str, members: tuple[str, str], countries: set[str]) -> None:
    location = _location(Provider.GCP, code)
    assert location.type is LocationType.DUAL_REGION
    assert location.members == members and location.countries == frozenset(countries)


def test_gcs_multi_regions_publish_only_what_google_publishes() -> None:
    us, eu, asia = (_location(Provider.GCP, code) for code in ("US", "EU", "ASIA"))
    assert us.countries == frozenset({"US"}) and us.promises == frozenset({"country:US"})
    eu_group = CATALOG.group("eu")
    assert eu.countries is None and eu_group is not None and eu.bound == eu_group.countries
    assert eu.promises == frozenset({"eu"})
    assert asia.countries is None and asia.bound is None and asia.promises == frozenset()
    assert {loc.type for loc in (us, eu, asia)} == {LocationType.MULTI_REGION}


def test_gcs_regions_include_the_newest() -> None:
    assert _location(Provider.GCP, "NORTHAMERICA-SOUTH1").countries == frozenset({"MX"})
    assert _location(Provider.GCP, "europe-north2").countries == frozenset({"SE"})
    assert _location(Provider.GCP, "asia-southeast3").countries == frozenset({"TH"})
    # 43 public regions, plus us-central2 (Oklahoma), which hosts only Spanner and Firestore replicas
    assert len([loc for loc in CATALOG.select(Provider.GCP) if loc.type is LocationType.REGION]) == 44


def test_aws_special_partitions_and_unpublished_countries() -> None:
    eusc = _location(Provider.AWS, "eusc-de-east-1")
    assert eusc.countries == frozenset({"DE"}) and eusc.partition == "aws-eusc"
    assert _location(Provider.AWS, "us-gov-west-1").partition == "aws-us-gov"
    assert _location(Provider.AWS, "cn-northwest-1").countries == frozenset({"CN"})
    assert _location(Provider.AWS, "eu-isoe-west-1").countries is None


def test_local_zone_in_mexico_under_a_us_parent() -> None:
    zone = _location(Provider.AWS, "use1-qro1-az1")
    assert zone.type is LocationType.ZONE and zone.parent == "us-east-1" and zone.countries == frozenset({"MX"})
    assert _location(Provider.AWS, "use1-az4").countries == frozenset({"US"})
    assert _location(Provider.AWS, "usw2-az1").parent == "us-west-2"


def _allowing(locations: LocationSet) -> Policy:
    return Policy(
        id=repr(locations),  # the judge caches verdicts per policy id
        title="t",
        description="d",
        severity=Severity.HIGH,
        scope=Scope(providers=frozenset(Provider)),
        allowed=locations,
        denied=None,
    )


def test_eu_multi_region_satisfies_group_eu_but_not_a_single_country() -> None:
    judge = LocationJudge(CATALOG)
    # The policies stay referenced: the judge caches per policy object.
    eu, eea, de, us = (
        _allowing(LocationSet(groups=frozenset({"eu"}))),
        _allowing(LocationSet(groups=frozenset({"eea"}))),
        _allowing(LocationSet(countries=frozenset({"DE"}))),
        _allowing(LocationSet(groups=frozenset({"country:US"}))),
    )
    assert judge.judge(eu, Provider.GCP, "EU").verdict is Verdict.ALLOWED
    assert judge.judge(eea, Provider.GCP, "EU").verdict is Verdict.ALLOWED
    assert judge.judge(de, Provider.GCP, "EU").verdict is Verdict.UNKNOWN
    assert judge.judge(us, Provider.GCP, "EU").verdict is Verdict.OUTSIDE  # bound entirely outside


def test_us_multi_region_and_local_zone_against_a_us_only_policy() -> None:
    judge = LocationJudge(CATALOG)
    us_only = _allowing(LocationSet(countries=frozenset({"US"})))
    assert judge.judge(us_only, Provider.GCP, "US").verdict is Verdict.ALLOWED
    assert judge.judge(us_only, Provider.GCP, "ASIA").verdict is Verdict.UNKNOWN
    assert judge.judge(us_only, Provider.AWS, "use1-qro1-az1").verdict is Verdict.OUTSIDE
    assert judge.judge(us_only, Provider.GCP, "EUR4").verdict is Verdict.OUTSIDE
