"""'Did you mean' hints for misspelt keys, codes and groups."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

from residency.policy.iso_alpha3 import ALPHA3_TO_ALPHA2, COMMON_MISTAKES


def closest(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The nearest choice, preferring a case-insensitive exact match."""
    options = sorted(set(choices))
    folded = {c.casefold(): c for c in options}
    if word.casefold() in folded:
        return folded[word.casefold()]
    found = difflib.get_close_matches(word, options, n=1, cutoff=cutoff)
    return found[0] if found else None


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str:
    """' (did you mean 'x'?)' or ''."""
    match = closest(word, choices, cutoff)
    return f" (did you mean '{match}'?)" if match is not None and match != word else ""


def country_hint(code: str, iso_countries: Mapping[str, str]) -> str:
    """' (did you mean 'US'?)' or ''."""
    candidate = suggest_country(code, iso_countries)
    return f" (did you mean '{candidate}'?)" if candidate is not None else ""


def suggest_country(code: str, iso_countries: Mapping[str, str]) -> str | None:
    """The alpha-2 code meant by a lower-case code, an alpha-3 code, a common mistake or a name."""
    upper = code.strip().upper()
    candidate: str | None = None
    if upper in iso_countries:
        candidate = upper
    elif upper in COMMON_MISTAKES:
        candidate = COMMON_MISTAKES[upper]
    elif upper in ALPHA3_TO_ALPHA2:
        candidate = ALPHA3_TO_ALPHA2[upper]
    else:
        by_name = {name.casefold(): alpha2 for alpha2, name in iso_countries.items()}
        name = closest(code, by_name, cutoff=0.8)
        candidate = by_name[name.casefold()] if name is not None else None
    return candidate if candidate in iso_countries else None


def listing(choices: Iterable[str], limit: int = 8) -> str:
    """'a, b, c' or 'a, b, ... (N more)' for messages that list the valid choices."""
    items = sorted(choices)
    if len(items) <= limit:
        return ", ".join(items)
    return f"{', '.join(items[:limit])}, ... ({len(items) - limit} more)"
