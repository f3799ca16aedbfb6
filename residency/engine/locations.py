"""Judging one location against a policy's allowed/denied sets, via the catalog.

Three answers: allowed, outside, unknown. Unknown is never rounded to allowed: a location
whose countries are not published only passes when the provider's promise (e.g. "EU member
states") is itself what the policy allows.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from residency.catalog import Catalog, CatalogLocation, normalise_code
from residency.inventory.model import Provider
from residency.policy.model import LocationSet, Policy


class Verdict(Enum):
    ALLOWED = "allowed"
    OUTSIDE = "outside"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Judgement:
    verdict: Verdict
    countries: tuple[str, ...] | None
    why: str  # for OUTSIDE/UNKNOWN: a short clause for the finding message


@dataclass(frozen=True, slots=True)
class _Resolved:
    """A LocationSet with its groups expanded through the catalog."""

    countries: frozenset[str]
    regions: frozenset[str]  # "code" or "provider:code", normalised
    groups: frozenset[str]

    def names(self, provider: Provider, code: str) -> bool:
        return code in self.regions or f"{provider.value}:{code}" in self.regions


def _resolve(locations: LocationSet, catalog: Catalog) -> _Resolved:
    countries = set(locations.countries)
    regions = {normalise_code(r) for r in locations.regions}
    for name in locations.groups:
        group = catalog.group(name)
        if group is None:  # the policy loader rejects unknown groups; stay safe anyway
            continue
        countries |= group.countries
        regions |= {f"{prov.value}:{code}" for prov, code in group.locations}
    return _Resolved(frozenset(countries), frozenset(regions), frozenset(locations.groups))


class LocationJudge:
    """Caches verdicts per (policy, provider, code): estates repeat a few dozen regions."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        # Keyed by id() for speed; the policy is kept in the value (see _sets_for).
        self._sets: dict[int, tuple[Policy, _Resolved | None, _Resolved | None]] = {}
        self._cache: dict[tuple[int, Provider, str], Judgement] = {}

    def judge(self, policy: Policy, provider: Provider, code: str) -> Judgement:
        key = (id(policy), provider, code)
        cached = self._cache.get(key)
        if cached is None:
            self._sets_for(policy)  # pins the policy before its id becomes a cache key
            cached = self._judge(policy, provider, code)
            self._cache[key] = cached
        return cached

    def _sets_for(self, policy: Policy) -> tuple[_Resolved | None, _Resolved | None]:
        # Every policy keyed here stays referenced by `_sets`, so its id is never reused while
        # this judge lives: an id found in either cache always means the same policy.
        entry = self._sets.get(id(policy))
        if entry is None:
            allowed = _resolve(policy.allowed, self.catalog) if policy.allowed else None
            denied = _resolve(policy.denied, self.catalog) if policy.denied else None
            entry = (policy, allowed, denied)
            self._sets[id(policy)] = entry
        return entry[1], entry[2]

    def _judge(self, policy: Policy, provider: Provider, raw_code: str) -> Judgement:
        code = normalise_code(raw_code)
        loc = self.catalog.lookup(provider, code)
        if loc is None:
            return Judgement(Verdict.UNKNOWN, None, f"region code '{raw_code}' is not in the catalog")
        countries = tuple(sorted(loc.countries)) if loc.countries is not None else None
        allowed, denied = self._sets_for(policy)
        verdicts = []
        if denied is not None:
            verdicts.append(_against_denied(loc, denied))
        if allowed is not None:
            verdicts.append(_against_allowed(loc, allowed))
        for verdict, why in verdicts:
            if verdict is Verdict.OUTSIDE:
                return Judgement(verdict, countries, why)
        for verdict, why in verdicts:
            if verdict is Verdict.UNKNOWN:
                return Judgement(verdict, countries, why)
        return Judgement(Verdict.ALLOWED, countries, "")


def _describe(loc: CatalogLocation) -> str:
    if loc.countries:
        return f"{loc.name} ({', '.join(sorted(loc.countries))})"
    return loc.name


def _against_allowed(loc: CatalogLocation, allowed: _Resolved) -> tuple[Verdict, str]:
    if allowed.names(loc.provider, loc.code):
        return Verdict.ALLOWED, ""
    if loc.countries is not None:
        if loc.countries and loc.countries <= allowed.countries:
            return Verdict.ALLOWED, ""
        return Verdict.OUTSIDE, f"{_describe(loc)} is not an allowed location"
    if loc.promises & allowed.groups:
        return Verdict.ALLOWED, ""
    if loc.bound is not None and loc.bound <= allowed.countries:
        return Verdict.ALLOWED, ""
    if loc.bound is not None and not (loc.bound & allowed.countries):
        return Verdict.OUTSIDE, f"{loc.name} can only be in countries the policy does not allow"
    return (
        Verdict.UNKNOWN,
        f"{loc.name} does not publish its countries, so the allowed countries cannot be proven",
    )


def _against_denied(loc: CatalogLocation, denied: _Resolved) -> tuple[Verdict, str]:
    if denied.names(loc.provider, loc.code):
        return Verdict.OUTSIDE, f"{_describe(loc)} is a denied location"
    if loc.countries is not None:
        hit = loc.countries & denied.countries
        if hit:
            return Verdict.OUTSIDE, f"{_describe(loc)} is in denied {', '.join(sorted(hit))}"
        return Verdict.ALLOWED, ""
    if loc.promises & denied.groups:
        return Verdict.OUTSIDE, f"{loc.name} is within a denied group"
    if loc.bound is not None and loc.bound <= denied.countries:
        return Verdict.OUTSIDE, f"{loc.name} can only be in denied countries"
    if loc.bound is not None and not (loc.bound & denied.countries):
        return Verdict.ALLOWED, ""
    return Verdict.UNKNOWN, f"{loc.name} does not publish its countries, so a denied one cannot be ruled out"
