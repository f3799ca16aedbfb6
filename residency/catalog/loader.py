"""Build the `Catalog` from the YAML package data in `data/` (sources are cited in each file).

Files: `iso3166.yaml` (country codes), `groups.yaml` (eu, eea), and one file per provider
(`aws.yaml`, `gcp.yaml`, `azure.yaml`) listing its locations by partition. The loader adds the
derived parts so the data never repeats itself: a `country:XX` group per ISO code, a group per
provider partition, `geo:<geography>` groups, dual-region countries (the union of the members'),
and each zone's partition and geography (from its parent region; never its country).

The CLI loads the catalog on every run, so it is parsed once per process (cached) with the
C YAML loader when PyYAML has it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from residency.catalog.types import Catalog, CatalogLocation, LocationGroup, LocationType, normalise_code
from residency.errors import ResidencyError
from residency.inventory.model import Provider

DATA_DIR = Path(__file__).with_name("data")
PROVIDER_FILES: dict[Provider, str] = {
    Provider.AWS: "aws.yaml",
    Provider.GCP: "gcp.yaml",
    Provider.AZURE: "azure.yaml",
}
# "global": a location whose members span continents (Spanner nam-eur-asia1); never a geography
# a policy would mean by "north-america" or "europe".
GEOGRAPHIES = ("africa", "asia-pacific", "europe", "middle-east", "north-america", "south-america", "global")
_ENTRY_KEYS = frozenset(
    {"name", "type", "country", "countries", "geo", "pair", "members", "parent", "bound", "promises"}
)
_YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Entry = Mapping[str, Any]


class CatalogError(ResidencyError):
    """The packaged catalog data is malformed: a packaging bug, which the catalog tests catch."""


def read_data_file(name: str) -> dict[str, Any]:
    """Parse one YAML file of `data/` into its top-level mapping."""
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=_YAML_LOADER)
    if not isinstance(data, dict):
        raise CatalogError(f"catalog data {name}: expected a mapping at the top level")
    return data


@functools.cache
def load_catalog() -> Catalog:
    """The region catalog, parsed once per process."""
    iso = _iso_countries(read_data_file("iso3166.yaml"))
    named = _named_groups(read_data_file("groups.yaml"), iso)
    locations: list[CatalogLocation] = []
    partition_groups: list[LocationGroup] = []
    for provider, file_name in PROVIDER_FILES.items():
        parser = _ProviderFile(provider, file_name, iso, named)
        locations.extend(parser.locations)
        partition_groups.extend(parser.groups)
    groups = [
        *(LocationGroup(name, description, countries) for name, (description, countries) in named.items()),
        *(LocationGroup(f"country:{code}", f"{name} ({code})", frozenset({code})) for code, name in iso.items()),
        *partition_groups,
        *_geography_groups(locations),
    ]
    _check_promises(locations, {group.name for group in groups})
    return Catalog(locations, groups, iso)


def _iso_countries(data: Mapping[str, Any]) -> dict[str, str]:
    countries = data.get("countries")
    if not isinstance(countries, dict):
        raise CatalogError("catalog data iso3166.yaml: expected a `countries` mapping")
    for code, name in countries.items():
        if not (isinstance(code, str) and len(code) == 2 and code.isupper() and isinstance(name, str)):
            raise CatalogError(f"catalog data iso3166.yaml: bad entry {code!r}: {name!r}")
    return dict(countries)


def _named_groups(data: Mapping[str, Any], iso: Mapping[str, str]) -> dict[str, tuple[str, frozenset[str]]]:
    """`eu`, `eea` ...: name -> (description, countries); `include` pulls in groups listed earlier."""
    named: dict[str, tuple[str, frozenset[str]]] = {}
    for name, spec in (data.get("groups") or {}).items():
        where = f"catalog data groups.yaml: group {name}"
        countries = set(_country_codes(where, spec.get("countries", []), iso))
        for included in spec.get("include", []):
            if included not in named:
                raise CatalogError(f"{where}: includes '{included}', which is not defined above it")
            countries |= named[included][1]
        named[name] = (str(spec.get("description", name)), frozenset(countries))
    return named


def _country_codes(where: str, codes: Any, iso: Mapping[str, str]) -> list[str]:
    if not isinstance(codes, list):
        raise CatalogError(f"{where}: expected a list of country codes, got {codes!r}")
    for code in codes:
        if not isinstance(code, str):
            raise CatalogError(f'{where}: {code!r} is not a country code (quote "NO" for Norway)')
        if code not in iso:
            raise CatalogError(f"{where}: '{code}' is not an ISO 3166-1 alpha-2 code")
    return codes


class _ProviderFile:
    """Turns one provider's YAML file into its locations and partition groups."""

    def __init__(
        self,
        provider: Provider,
        file_name: str,
        iso: Mapping[str, str],
        named: Mapping[str, tuple[str, frozenset[str]]],
    ) -> None:
        self.provider = provider
        self.file_name = file_name
        self.iso = iso
        self.named = named
        self.locations: list[CatalogLocation] = []
        self._by_code: dict[str, CatalogLocation] = {}
        data = read_data_file(file_name)
        if data.get("provider") != provider.value:
            raise CatalogError(f"catalog data {file_name}: expected `provider: {provider.value}`")
        partitions: dict[str, Entry] = data.get("partitions") or {}
        with_members: list[tuple[str, str, Entry]] = []
        for partition, spec in partitions.items():
            for code, entry in (spec.get("locations") or {}).items():
                self._check_entry(code, entry)
                if entry.get("members"):
                    with_members.append((partition, code, entry))  # after their members
                else:
                    self._add(self._location(partition, code, entry, self._countries(code, entry)))
        for partition, code, entry in with_members:
            self._add(self._location(partition, code, entry, self._member_countries(code, entry)))
        for code, entry in (data.get("zones") or {}).items():
            self._check_entry(code, entry)
            self._add(self._zone(code, entry))
        self.groups = [self._partition_group(partition, spec) for partition, spec in partitions.items()]

    def _where(self, code: str) -> str:
        return f"catalog data {self.file_name}: {code}"

    def _check_entry(self, code: Any, entry: Any) -> None:
        if not isinstance(code, str) or normalise_code(code) != code:
            raise CatalogError(f"{self._where(str(code))}: codes are lower case without spaces")
        if not isinstance(entry, dict):
            raise CatalogError(f"{self._where(code)}: expected a mapping of fields")
        unknown = set(entry) - _ENTRY_KEYS
        if unknown:
            raise CatalogError(f"{self._where(code)}: unknown field(s) {', '.join(sorted(unknown))}")

    def _add(self, location: CatalogLocation) -> None:
        if location.code in self._by_code:
            raise CatalogError(f"{self._where(location.code)}: listed twice")
        self._by_code[location.code] = location
        self.locations.append(location)

    def _partition_group(self, partition: str, spec: Entry) -> LocationGroup:
        name = str(spec.get("group") or f"{self.provider.value}:{partition}")
        keys = frozenset(loc.key for loc in self.locations if loc.partition == partition)
        return LocationGroup(name, str(spec.get("description") or name), locations=keys)

    def _countries(self, code: str, entry: Entry) -> frozenset[str] | None:
        """Exact country set; None = not published. Each entry says which: nothing is implied."""
        if "country" in entry:
            return frozenset(_country_codes(self._where(code), [entry["country"]], self.iso))
        if "countries" in entry:
            listed = entry["countries"]
            return None if listed is None else frozenset(_country_codes(self._where(code), listed, self.iso))
        raise CatalogError(f"{self._where(code)}: give `country`, or `countries` (null when not published)")

    def _member_countries(self, code: str, entry: Entry) -> frozenset[str] | None:
        """A location with members holds data in each: the union of their countries (unknown if any is)."""
        members = [self._by_code.get(member) for member in entry.get("members") or []]
        dual = entry.get("type") == LocationType.DUAL_REGION.value
        if (len(members) != 2 if dual else len(members) < 2) or None in members:
            raise CatalogError(f"{self._where(code)}: a dual-region needs two members, a multi-region with "
                               "members at least two, each listed in this file")
        if "country" in entry or "countries" in entry:
            raise CatalogError(f"{self._where(code)}: give members or countries, not both (members decide)")
        if any(member is not None and member.type is not LocationType.REGION for member in members):
            raise CatalogError(f"{self._where(code)}: members must be regions")
        union: set[str] = set()
        for member in members:
            if member is None or member.countries is None:
                return None
            union |= member.countries
        return frozenset(union)

    def _zone(self, code: str, entry: Entry) -> CatalogLocation:
        """A zone takes its parent's partition and geography, but states its own country."""
        parent = self._by_code.get(entry.get("parent") or "")
        if parent is None or parent.type is not LocationType.REGION:
            raise CatalogError(f"{self._where(code)}: parent '{entry.get('parent')}' is not a region here")
        return self._location(
            parent.partition,
            code,
            {"geo": parent.geography, "name": f"{parent.name} zone {code}", **entry},
            self._countries(code, entry),
            location_type=LocationType.ZONE,
        )

    def _location(
        self,
        partition: str,
        code: str,
        entry: Entry,
        countries: frozenset[str] | None,
        location_type: LocationType | None = None,
    ) -> CatalogLocation:
        geography = entry.get("geo")
        if geography not in GEOGRAPHIES:
            raise CatalogError(f"{self._where(code)}: geo must be one of {', '.join(GEOGRAPHIES)}")
        try:
            kind = location_type or LocationType(entry.get("type", LocationType.REGION.value))
        except ValueError:
            raise CatalogError(f"{self._where(code)}: unknown type '{entry.get('type')}'") from None
        return CatalogLocation(
            provider=self.provider,
            code=code,
            type=kind,
            name=str(entry.get("name") or code),
            countries=countries,
            geography=geography,
            partition=partition,
            members=tuple(entry.get("members") or ()),
            pair=entry.get("pair"),
            parent=entry.get("parent"),
            bound=self._bound(code, entry.get("bound")),
            promises=frozenset(entry.get("promises") or ()),
        )

    def _bound(self, code: str, group_name: Any) -> frozenset[str] | None:
        if group_name is None:
            return None
        if group_name not in self.named:
            raise CatalogError(f"{self._where(code)}: bound '{group_name}' is not a group of groups.yaml")
        return self.named[group_name][1]


def _geography_groups(locations: Iterable[CatalogLocation]) -> list[LocationGroup]:
    by_geography: dict[str, set[tuple[Provider, str]]] = {geography: set() for geography in GEOGRAPHIES}
    for location in locations:
        by_geography[location.geography].add(location.key)
    return [
        LocationGroup(f"geo:{geography}", f"Every catalog location in {geography}", locations=frozenset(keys))
        for geography, keys in by_geography.items()
    ]


def _check_promises(locations: Iterable[CatalogLocation], group_names: set[str]) -> None:
    for location in locations:
        for promise in location.promises - group_names:
            raise CatalogError(
                f"catalog data: {location.provider.value} {location.code} promises unknown group '{promise}'"
            )
