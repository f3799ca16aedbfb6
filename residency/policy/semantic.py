"""Second pass: what the schema cannot know. Codes and groups exist in the catalog, dates are
real, aliases are not given twice, nothing is both allowed and denied.

Runs on one policy's data after the schema accepted it, so shapes and types are known.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from fnmatch import fnmatchcase
from typing import Any

from residency.catalog.types import Catalog, normalise_code
from residency.errors import PolicyError
from residency.inventory.kinds import KINDS
from residency.inventory.model import Provider
from residency.policy.positions import JsonPath, PolicyLines
from residency.policy.suggest import country_hint, did_you_mean, listing, suggest_country

# name -> aliases, per object; an alias and its name (or two aliases) may not both appear.
POLICY_ALIASES = {"counts": ("location_kinds",)}
SCOPE_ALIASES = {"tags": ("labels",), "accounts": ("projects", "subscriptions")}
LOCATION_FIELDS = ("countries", "regions", "groups")


def check_policy(raw: dict[str, Any], path: JsonPath, where: PolicyLines, catalog: Catalog) -> None:
    _check_aliases(raw, path, POLICY_ALIASES, where)
    _check_aliases(raw["scope"], (*path, "scope"), SCOPE_ALIASES, where)
    _check_account_patterns(raw["scope"], (*path, "scope"), where)
    providers = [Provider(p) for p in raw["scope"]["providers"]]
    _check_kinds(raw["scope"].get("kinds", []), (*path, "scope", "kinds"), providers, where)
    for side in ("allowed", "denied"):
        if side in raw:
            _check_locations(raw[side], (*path, side), providers, where, catalog)
    if "allowed" in raw and "denied" in raw:
        _check_overlap(raw["allowed"], raw["denied"], path, where)
    for index, exemption in enumerate(raw.get("exemptions", [])):
        expires_path = (*path, "exemptions", index, "expires")
        parse_date(exemption["expires"], expires_path, where)
    for index, transfer in enumerate(raw.get("transfers", [])):
        _check_transfer(transfer, (*path, "transfers", index), where)


_LOCATION_SCHEMES = ("s3://", "gs://", "azure://", "https://")


def inventory_location_problem(value: str) -> str | None:
    """Why a transfer's from/to is not an inventory location, or None (nothing is fetched here)."""
    text = value.strip()
    if "://" not in text:
        return None  # a path to a manifest; read when the transfer runs
    if not text.startswith(_LOCATION_SCHEMES):
        return (f"'{value}' is not an inventory location; use s3://BUCKET, gs://BUCKET, azure://ACCOUNT/CONTAINER, "
                "a manifest URL or a path to a manifest")
    rest = text.split("://", 1)[1]
    if text.startswith("azure://") and len([p for p in rest.split("/") if p]) != 2:
        return f"'{value}' names no container; write azure://ACCOUNT/CONTAINER"
    if not rest.split("/", 1)[0]:
        return f"'{value}' names no bucket or host; write e.g. s3://BUCKET"
    return None


def _check_transfer(raw: dict[str, Any], path: JsonPath, where: PolicyLines) -> None:
    sources = raw["from"] if isinstance(raw["from"], list) else [raw["from"]]
    places = [((*path, "from", i) if isinstance(raw["from"], list) else (*path, "from"), s)
              for i, s in enumerate(sources)]
    for place, value in [*places, ((*path, "to"), raw["to"])]:
        problem = inventory_location_problem(value)
        if problem:
            raise _fail(where, place, problem)


def _check_kinds(patterns: list[str], path: JsonPath, providers: list[Provider], where: PolicyLines) -> None:
    """Each `kinds:` entry must name (or match, as a glob) a kind of one of the scope's providers."""
    known = [kind.id for kind in KINDS.values() if kind.provider in providers]
    for index, pattern in enumerate(patterns):
        if any(fnmatchcase(kind, pattern) for kind in known):
            continue
        elsewhere = [k.provider.value for k in KINDS.values() if fnmatchcase(k.id, pattern)]
        if elsewhere:
            message = (f"'{pattern}' is a kind of {elsewhere[0]}, but scope.providers does not include it; "
                       f"add {elsewhere[0]} to the providers or remove the kind")
        else:
            hint = did_you_mean(pattern, known, cutoff=0.6) or f"; use one of {listing(known, limit=12)}"
            message = f"'{pattern}' is not a resource kind{hint} (run 'residency kinds' to list them)"
        raise _fail(where, (*path, index), message)


def _fail(where: PolicyLines, path: JsonPath, message: str) -> PolicyError:
    return PolicyError(where.error_text(path, message))


def _check_aliases(raw: dict[str, Any], path: JsonPath, aliases: Mapping[str, tuple[str, ...]],
                   where: PolicyLines) -> None:
    for name, others in aliases.items():
        given = [key for key in (name, *others) if key in raw]
        if len(given) > 1:
            raise _fail(where, (*path, given[1]),
                        f"'{given[1]}' and '{given[0]}' are the same setting; use only '{name}'")


def _check_account_patterns(scope: dict[str, Any], path: JsonPath, where: PolicyLines) -> None:
    """Account ids, project ids and subscription ids are ASCII: a pattern with any other character
    (such as Arabic-Indic digits) would match no account, so the policy would silently cover nothing."""
    for key in SCOPE_ALIASES["accounts"] + ("accounts",):
        for index, pattern in enumerate(scope.get(key, [])):
            odd = next((char for char in pattern if not char.isascii()), None)
            if odd is not None:
                raise _fail(where, (*path, key, index),
                            f"'{pattern}' holds '{odd}' (U+{ord(odd):04X}); account, project and subscription "
                            "ids are ASCII, so it would match nothing: write digits as 0-9")


def parse_date(value: str, path: JsonPath, where: PolicyLines) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _fail(where, path, f"'{value}' is not a real date; write YYYY-MM-DD, e.g. 2026-12-31") from None


def _check_locations(raw: dict[str, list[str]], path: JsonPath, providers: list[Provider],
                     where: PolicyLines, catalog: Catalog) -> None:
    for index, code in enumerate(raw.get("countries", [])):
        if not catalog.is_country(code):
            hint = country_hint(code, catalog.iso_countries) or "; use a two-letter code such as US, DE or BR"
            raise _fail(where, (*path, "countries", index), f"'{code}' is not an ISO 3166-1 alpha-2 code{hint}")
    for index, region in enumerate(raw.get("regions", [])):
        problem = region_problem(region, providers, catalog)
        if problem:
            raise _fail(where, (*path, "regions", index), problem)
    for index, name in enumerate(raw.get("groups", [])):
        if catalog.group(name) is None:
            raise _fail(where, (*path, "groups", index), _group_problem(name, catalog))


def region_problem(region: str, providers: list[Provider], catalog: Catalog) -> str | None:
    """Why a `regions:` entry is not usable, or None when it is."""
    prefix, sep, code = region.partition(":")
    if sep:
        provider = prefix.strip().lower()
        if provider not in {p.value for p in Provider}:
            return (f"'{region}' names an unknown provider '{prefix}'; write the region alone or as "
                    "aws:CODE, gcp:CODE or azure:CODE")
        if catalog.lookup(provider, code) is not None:
            return None
        codes = [f"{provider}:{c}" for c in _codes(catalog, [Provider(provider)])]
        hint = did_you_mean(f"{provider}:{normalise_code(code)}", codes, cutoff=0.75)
        return f"'{region}' is not a known {provider} location{hint}; run 'residency regions --provider {provider}'"
    if any(catalog.lookup(p, region) is not None for p in providers):
        return None
    elsewhere = [p.value for p in Provider if catalog.lookup(p, region) is not None]
    if elsewhere:
        return (f"'{region}' is a region of {elsewhere[0]}, but scope.providers does not include it; "
                f"add {elsewhere[0]} to the providers or remove the region")
    hint = did_you_mean(normalise_code(region), _codes(catalog, providers), cutoff=0.75)
    scoped = ", ".join(p.value for p in providers)
    return f"'{region}' is not a region of {scoped}{hint}; run 'residency regions' to list them"


def _codes(catalog: Catalog, providers: list[Provider]) -> list[str]:
    return [loc.code for loc in catalog.locations if loc.provider in providers]


def _group_problem(name: str, catalog: Catalog) -> str:
    prefix, sep, code = name.partition(":")
    if sep and prefix.lower() == "country":
        country = suggest_country(code, catalog.iso_countries)
        group = f"country:{country}"
        hint = f" (did you mean '{group}'?)" if country and catalog.group(group) else ""
    else:
        hint = did_you_mean(name, catalog.groups)
    return (f"'{name}' is not a known location group{hint}; use eu, eea, country:XX, geo:NAME "
            "or a provider partition such as aws:aws-us-gov")


def _check_overlap(allowed: dict[str, list[str]], denied: dict[str, list[str]], path: JsonPath,
                   where: PolicyLines) -> None:
    for field in LOCATION_FIELDS:
        fold = normalise_code if field == "regions" else str
        permitted = {fold(v) for v in allowed.get(field, [])}
        for index, value in enumerate(denied.get(field, [])):
            if fold(value) in permitted:
                raise _fail(where, (*path, "denied", field, index),
                            f"'{value}' is both allowed and denied; remove it from one of them")
