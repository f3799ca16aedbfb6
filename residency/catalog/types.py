"""Catalog value types and the lookup API the engine and adapters use."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from residency.inventory.model import Provider


class LocationType(StrEnum):
    REGION = "region"
    DUAL_REGION = "dual-region"
    MULTI_REGION = "multi-region"
    ZONE = "zone"  # AWS Availability Zone / Local Zone id, for directory buckets


def normalise_code(code: str) -> str:
    """Provider codes compare case- and space-insensitively ("US-CENTRAL1", "East US")."""
    return code.strip().lower().replace(" ", "")


@dataclass(frozen=True, slots=True)
class CatalogLocation:
    provider: Provider
    code: str  # normalised (lower case, no spaces)
    type: LocationType
    name: str  # display name
    countries: frozenset[str] | None  # exact ISO 3166-1 alpha-2 set; None = not published
    geography: str  # broad geography, e.g. "north-america", "europe", "asia-pacific"
    partition: str  # AWS partition / Azure cloud / "gcp"
    members: tuple[str, ...] = ()  # member region codes of a dual- or multi-region
    pair: str | None = None  # Azure geo-redundant secondary region code
    parent: str | None = None  # zone -> parent region code
    bound: frozenset[str] | None = None  # countries it is promised to stay within, when exact unknown
    promises: frozenset[str] = frozenset()  # group names the provider promises it stays within

    @property
    def key(self) -> tuple[Provider, str]:
        return (self.provider, self.code)


@dataclass(frozen=True, slots=True)
class LocationGroup:
    """A named set of places usable in policies (`eu`, `eea`, `country:US`, `aws:aws-cn` ...)."""

    name: str
    description: str
    countries: frozenset[str] = frozenset()
    locations: frozenset[tuple[Provider, str]] = frozenset()


class Catalog:
    """Read-only lookups over the loaded catalog data."""

    def __init__(
        self,
        locations: list[CatalogLocation],
        groups: list[LocationGroup],
        iso_countries: dict[str, str],
    ) -> None:
        self._by_key = {loc.key: loc for loc in locations}
        self._locations = tuple(sorted(locations, key=lambda loc: (loc.provider, loc.code)))
        self._groups = {group.name: group for group in groups}
        self.iso_countries = iso_countries  # alpha-2 -> English short name

    @property
    def locations(self) -> tuple[CatalogLocation, ...]:
        return self._locations

    @property
    def groups(self) -> dict[str, LocationGroup]:
        return dict(self._groups)

    def lookup(self, provider: Provider | str, code: str) -> CatalogLocation | None:
        return self._by_key.get((Provider(provider), normalise_code(code)))

    def group(self, name: str) -> LocationGroup | None:
        return self._groups.get(name)

    def is_country(self, code: str) -> bool:
        return code in self.iso_countries

    def select(
        self, provider: Provider | str | None = None, country: str | None = None
    ) -> list[CatalogLocation]:
        wanted = Provider(provider) if provider else None
        result = []
        for loc in self._locations:
            if wanted and loc.provider != wanted:
                continue
            if country and country.upper() not in (loc.countries or frozenset()):
                continue
            result.append(loc)
        return result

    def azure_pair(self, code: str) -> str | None:
        loc = self.lookup(Provider.AZURE, code)
        return loc.pair if loc else None
