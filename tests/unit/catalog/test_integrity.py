"""Integrity of the packaged catalog: every reference resolves, every code is unique and valid."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from residency.catalog import CatalogLocation, LocationType, load_catalog, normalise_code
from residency.catalog.loader import DATA_DIR, GEOGRAPHIES, PROVIDER_FILES
from residency.inventory.model import Provider

CATALOG = load_catalog()


class _DuplicateKeyLoader(yaml.SafeLoader):
    """PyYAML keeps the last of two equal keys silently; this loader refuses them."""


def _construct_unique_mapping(loader: _DuplicateKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    keys = [loader.construct_object(key_node) for key_node, _ in node.value]
    duplicates = {key for key in keys if keys.count(key) > 1}
    assert not duplicates, f"duplicate keys {duplicates} at line {node.start_mark.line + 1}"
    return loader.construct_mapping(node)


_DuplicateKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique_mapping)


@pytest.mark.parametrize("file_name", sorted(p.name for p in DATA_DIR.glob("*.yaml")))
def test_no_data_file_repeats_a_key(file_name: str) -> None:
    yaml.load((DATA_DIR / file_name).read_text(encoding="utf-8"), Loader=_DuplicateKeyLoader)


def test_every_provider_has_locations_and_codes_are_normalised() -> None:
    for provider in PROVIDER_FILES:
        codes = [loc.code for loc in CATALOG.select(provider)]
        assert codes, provider
        assert all(code == normalise_code(code) for code in codes)
        assert len(codes) == len(set(codes))


def test_every_country_code_is_iso_3166_alpha_2() -> None:
    assert len(CATALOG.iso_countries) == 249
    for loc in CATALOG.locations:
        for code in (loc.countries or frozenset()) | (loc.bound or frozenset()):
            assert CATALOG.is_country(code), (loc.provider, loc.code, code)


def test_every_group_names_valid_countries_and_existing_locations() -> None:
    for group in CATALOG.groups.values():
        assert group.description
        assert group.countries or group.locations, group.name
        assert all(CATALOG.is_country(code) for code in group.countries), group.name
        assert all(CATALOG.lookup(provider, code) for provider, code in group.locations), group.name


def test_there_is_a_country_group_for_every_iso_code() -> None:
    for code in CATALOG.iso_countries:
        group = CATALOG.group(f"country:{code}")
        assert group is not None and group.countries == {code}


def test_eu_and_eea_have_their_member_states() -> None:
    eu, eea = CATALOG.group("eu"), CATALOG.group("eea")
    assert eu is not None and eea is not None
    assert len(eu.countries) == 27 and {"DE", "FR", "IE", "HR"} <= eu.countries
    assert not {"GB", "CH", "NO"} & eu.countries
    assert eea.countries == eu.countries | {"IS", "LI", "NO"}


def test_partition_groups_cover_every_location_once() -> None:
    partition_groups = [CATALOG.group(name) for name in _partition_group_names()]
    covered = [key for group in partition_groups if group for key in group.locations]
    assert sorted(covered) == sorted(loc.key for loc in CATALOG.locations)


def _partition_group_names() -> list[str]:
    names = ["gcp:all", "azure:public", "azure:china", "azure:usgov"]
    aws = {loc.partition for loc in CATALOG.select(Provider.AWS)}
    return names + [f"aws:{partition}" for partition in sorted(aws)]


def test_every_location_has_a_known_geography_and_a_geo_group() -> None:
    for loc in CATALOG.locations:
        assert loc.geography in GEOGRAPHIES, loc.code
        group = CATALOG.group(f"geo:{loc.geography}")
        assert group is not None and loc.key in group.locations


@pytest.mark.parametrize("loc", [loc for loc in CATALOG.locations if loc.pair], ids=lambda loc: loc.code)
def test_every_pair_target_exists_in_the_same_cloud(loc: CatalogLocation) -> None:
    assert loc.pair is not None
    target = CATALOG.lookup(loc.provider, loc.pair)
    assert target is not None and target.code != loc.code
    assert target.partition == loc.partition
    assert target.type is LocationType.REGION


def test_only_azure_regions_have_pairs() -> None:
    assert all(loc.provider is Provider.AZURE for loc in CATALOG.locations if loc.pair)


def test_every_member_exists_and_locations_with_members_hold_their_members_countries() -> None:
    for loc in CATALOG.locations:
        if loc.type is LocationType.DUAL_REGION or loc.members:
            members = [CATALOG.lookup(loc.provider, code) for code in loc.members]
            expected = 2 if loc.type is LocationType.DUAL_REGION else len(members)
            assert len(members) == expected >= 2 and all(m and m.type is LocationType.REGION for m in members)
            assert loc.countries == frozenset().union(*(m.countries or () for m in members if m))
            assert loc.type in (LocationType.DUAL_REGION, LocationType.MULTI_REGION), loc.code


def test_service_specific_locations_name_their_service() -> None:
    """Spanner's asia1 is not Cloud Storage's ASIA1: a service's own location codes carry its name."""
    service_codes = [loc.code for loc in CATALOG.select(Provider.GCP) if "/" in loc.code]
    assert {code.split("/")[0] for code in service_codes} == {"spanner", "firestore"}
    gcs_asia1, spanner_asia1 = CATALOG.lookup(Provider.GCP, "asia1"), CATALOG.lookup(Provider.GCP, "spanner/asia1")
    assert gcs_asia1 is not None and spanner_asia1 is not None and gcs_asia1.members != spanner_asia1.members
    countries = {code: loc.countries for code in ("spanner/nam-eur-asia1", "firestore/nam5", "firestore/eur3")
                 if (loc := CATALOG.lookup(Provider.GCP, code)) is not None}
    assert countries == {"spanner/nam-eur-asia1": frozenset({"US", "BE", "TW"}), "firestore/nam5": frozenset({"US"}),
                         "firestore/eur3": frozenset({"BE", "NL", "FI"})}


def test_every_zone_has_an_existing_parent_region_and_its_own_country() -> None:
    zones = [loc for loc in CATALOG.locations if loc.type is LocationType.ZONE]
    assert zones
    for zone in zones:
        parent = CATALOG.lookup(zone.provider, zone.parent or "")
        assert parent is not None and parent.type is LocationType.REGION, zone.code
        assert zone.partition == parent.partition
        assert zone.countries, zone.code  # written out per zone, never inherited
    assert all(loc.parent is None for loc in CATALOG.locations if loc.type is not LocationType.ZONE)


def test_unknown_countries_are_only_where_the_provider_publishes_none() -> None:
    unknown = {(loc.provider.value, loc.code) for loc in CATALOG.locations if loc.countries is None}
    assert unknown == {("gcp", "eu"), ("gcp", "asia"), ("aws", "eu-isoe-west-1")}


def test_every_promise_names_a_group_the_location_stays_within() -> None:
    for loc in CATALOG.locations:
        for name in loc.promises:
            group = CATALOG.group(name)
            assert group is not None, name
            assert (loc.countries or loc.bound or frozenset()) <= group.countries, (loc.code, name)


def test_the_catalog_is_parsed_once_per_process() -> None:
    assert load_catalog() is CATALOG
