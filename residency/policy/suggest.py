"""'Did you mean' hints for misspelt keys, codes and groups."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

from residency.policy.iso_alpha3 import ALPHA3_TO_ALPHA2, COMMON_MISTAKES


def closest(word: str, choices: Iterable[str], cutoff: float = 0.6) -> list[str]:
    """The nearest choices (several only when equally near), preferring a case-insensitive match."""
    options = sorted(set(choices))
    folded = {c.casefold(): c for c in options}
    if word.casefold() in folded:
        return [folded[word.casefold()]]
    scored = []
    for option in options:
        matcher = difflib.SequenceMatcher(None, word, option)
        if matcher.real_quick_ratio() >= cutoff and matcher.quick_ratio() >= cutoff:
            scored.append((matcher.ratio(), option))
    best = max((score for score, _ in scored), default=0.0)
    return [option for score, option in scored if score == best and score >= cutoff][:3]


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str:
    """' (did you mean 'x'?)', ' (did you mean 'x' or 'y'?)' or ''."""
    matches = [m for m in closest(word, choices, cutoff) if m != word]
    if not matches:
        return ""
    return f" (did you mean {' or '.join(repr(m) for m in matches)}?)"


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
        names = closest(code, by_name, cutoff=0.8)
        candidate = by_name[names[0].casefold()] if len(names) == 1 else None
    return candidate if candidate in iso_countries else None


def listing(choices: Iterable[str], limit: int = 8) -> str:
    """'a, b, c' or 'a, b, ... (N more)' for messages that list the valid choices."""
    items = sorted(choices)
    if len(items) <= limit:
        return ", ".join(items)
    return f"{', '.join(items[:limit])}, ... ({len(items) - limit} more)"
