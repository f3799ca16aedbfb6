"""The loader: fast, cached, and strict about the data it accepts (each flaw names file and code)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml

from residency.catalog import LocationType, load_catalog
from residency.catalog import loader as catalog_loader
from residency.catalog.loader import CatalogError
from residency.inventory.model import Provider

ISO = 'countries: {"US": United States, "MX": Mexico, "NO": Norway, "DE": Germany, "FR": France}\n'
GROUPS = "groups:\n  eu: {description: EU, countries: [DE, FR]}\n"
GCP = """\
provider: gcp
partitions:
  gcp:
    group: gcp:all
    locations:
      us-central1: {name: Iowa, country: US, geo: north-america}
      us-east1: {name: South Carolina, country: US, geo: north-america}
      nam4: {type: dual-region, name: NAM4, members: [us-central1, us-east1], geo: north-america}
      eu: {type: multi-region, name: EU, countries: null, bound: eu, promises: [eu], geo: europe}
      spanner/nam3: {type: multi-region, name: nam3, members: [us-east1, us-central1], geo: north-america}
"""
AZURE = """\
provider: azure
partitions:
  public:
    group: azure:public
    locations:
      norwayeast: {name: Norway East, country: "NO", geo: europe, pair: null}
"""
AWS = """\
provider: aws
partitions:
  aws:
    group: aws:aws
    locations:
      us-east-1: {name: US East, country: US, geo: north-america}
zones:
  use1-qro1-az1: {parent: us-east-1, country: MX}
"""


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, text in {"iso3166": ISO, "groups": GROUPS, "gcp": GCP, "azure": AZURE, "aws": AWS}.items():
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setattr(catalog_loader, "DATA_DIR", tmp_path)
    return tmp_path


def _load_uncached() -> None:
    load_catalog.__wrapped__()


def _replace(data_dir: Path, name: str, old: str, new: str) -> None:
    path = data_dir / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_packaged_catalog_loads_uncached() -> None:
    # Load time (about 20 ms) is a benchmark figure, not a test: timed tests flake on busy CI.
    catalog = load_catalog.__wrapped__()
    assert len(catalog.locations) > 150


def test_the_c_yaml_loader_is_used_when_pyyaml_has_it() -> None:
    assert catalog_loader._YAML_LOADER is getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def test_a_minimal_data_set_derives_groups_dual_region_countries_and_zones(data_dir: Path) -> None:
    catalog = load_catalog.__wrapped__()
    nam4 = catalog.lookup(Provider.GCP, "NAM4")
    assert nam4 is not None and nam4.type is LocationType.DUAL_REGION and nam4.countries == frozenset({"US"})
    nam3 = catalog.lookup("gcp", "spanner/nam3")
    assert nam3 is not None and nam3.type is LocationType.MULTI_REGION and nam3.countries == frozenset({"US"})
    assert nam3.members == ("us-east1", "us-central1")
    zone = catalog.lookup(Provider.AWS, "use1-qro1-az1")
    assert zone is not None and zone.countries == frozenset({"MX"}) and zone.partition == "aws"
    assert zone.geography == "north-america" and zone.name == "US East zone use1-qro1-az1"
    aws = catalog.group("aws:aws")
    assert aws is not None and aws.locations == {(Provider.AWS, "us-east-1"), (Provider.AWS, "use1-qro1-az1")}
    assert sorted(name for name in catalog.groups if name.startswith("country:")) == [
        "country:DE",
        "country:FR",
        "country:MX",
        "country:NO",
        "country:US",
    ]
    geo = catalog.group("geo:europe")
    assert geo is not None and geo.locations == {(Provider.GCP, "eu"), (Provider.AZURE, "norwayeast")}


@pytest.mark.parametrize(
    ("file_name", "old", "new", "message"),
    [
        ("azure.yaml", 'country: "NO"', "country: NO", 'quote "NO" for Norway'),
        ("azure.yaml", 'country: "NO"', "country: XX", "'XX' is not an ISO 3166-1 alpha-2 code"),
        ("azure.yaml", 'country: "NO", ', "", "azure.yaml: norwayeast: give `country`, or `countries`"),
        ("azure.yaml", "norwayeast:", "NorwayEast:", "codes are lower case without spaces"),
        ("azure.yaml", "pair: null", "paired: null", "unknown field(s) paired"),
        ("azure.yaml", "geo: europe", "geo: mars", "geo must be one of"),
        ("gcp.yaml", "[us-central1, us-east1]", "[us-central1, us-east9]", "nam4: a dual-region needs two"),
        ("gcp.yaml", "bound: eu", "bound: eea", "bound 'eea' is not a group"),
        ("gcp.yaml", "countries: null, bound: eu", "members: [us-central1], bound: eu",
         "eu: a dual-region needs two members, a multi-region with members at least two"),
        ("gcp.yaml", "countries: null, bound: eu", "members: [us-central1, us-east1], countries: [US]",
         "eu: give members or countries, not both"),
        ("gcp.yaml", "countries: null, bound: eu", "members: [us-central1, nam4]", "eu: members must be regions"),
        ("gcp.yaml", "promises: [eu]", "promises: [emea]", "promises unknown group 'emea'"),
        ("gcp.yaml", "type: multi-region", "type: tri-region", "unknown type 'tri-region'"),
        ("aws.yaml", "parent: us-east-1", "parent: us-east-9", "parent 'us-east-9' is not a region here"),
        ("aws.yaml", "{parent: us-east-1, country: MX}", "{parent: us-east-1}", "use1-qro1-az1: give `country`"),
        ("aws.yaml", "use1-qro1-az1:", "us-east-1:", "aws.yaml: us-east-1: listed twice"),
        ("aws.yaml", "provider: aws", "provider: gcp", "expected `provider: aws`"),
        ("groups.yaml", "countries: [DE, FR]", "countries: [DE, FRA]", "'FRA' is not an ISO 3166-1"),
    ],
)
def test_malformed_data_is_refused_with_the_file_and_place(
    data_dir: Path, file_name: str, old: str, new: str, message: str
) -> None:
    _replace(data_dir, file_name, old, new)
    with pytest.raises(CatalogError) as error:
        _load_uncached()
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_a_data_file_that_is_not_a_mapping_is_refused(data_dir: Path) -> None:
    (data_dir / "groups.yaml").write_text("- eu\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"groups\.yaml: expected a mapping"):
        _load_uncached()


def test_an_included_group_must_be_defined_first(data_dir: Path) -> None:
    (data_dir / "groups.yaml").write_text("groups:\n  eea: {description: x, include: [eu], countries: []}\n")
    with pytest.raises(CatalogError, match="includes 'eu', which is not defined above it"):
        _load_uncached()


def test_a_group_can_include_an_earlier_group(data_dir: Path) -> None:
    (data_dir / "groups.yaml").write_text(
        textwrap.dedent(
            """\
            groups:
              eu: {description: EU, countries: [DE, FR]}
              eea: {description: EEA, include: [eu], countries: ["NO"]}
            """
        )
    )
    group = load_catalog.__wrapped__().group("eea")
    assert group is not None and group.countries == {"DE", "FR", "NO"}
