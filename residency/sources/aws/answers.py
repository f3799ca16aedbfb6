"""Reading parsed AWS answers entry by entry, so one malformed entry is that entry's problem.

botocore checks an answer's syntax (XML or JSON) but not that each entry has what the API
reference promises: a Tagging API mapping without `Tags`, a bucket entry without `Name`, an
account without `Id` reach the adapter as they are. These helpers give each entry's fields or
raise `MalformedAnswer`, which the callers record as a gap on what that entry was about.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from residency.sources.aws.errors import MalformedAnswer


def entries(page: Any, key: str, call: str) -> list[Any]:
    """The list under `key` of one page ([] when absent); the entries are checked one by one."""
    if not isinstance(page, Mapping):
        raise MalformedAnswer(f"{call} answered {type(page).__name__}, not an object")
    value = page.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise MalformedAnswer(f"{call} answered '{key}' as {type(value).__name__}, not a list")
    return value


def text(entry: Any, key: str) -> str | None:
    """A string field of one entry; None when absent, empty or not a string."""
    value = entry.get(key) if isinstance(entry, Mapping) else None
    return value if isinstance(value, str) and value else None


def tag_pairs(tags: Any, call: str) -> tuple[tuple[str, str], ...]:
    """`[{"Key": k, "Value": v}, ...]` as sorted pairs; raises MalformedAnswer for any other shape
    (a tag without a value could be the very tag a policy scopes by)."""
    if tags is None:
        return ()
    if not isinstance(tags, list):
        raise MalformedAnswer(f"{call} answered tags as {type(tags).__name__}, not a list")
    pairs: dict[str, str] = {}
    for tag in tags:
        key, value = (tag.get("Key"), tag.get("Value")) if isinstance(tag, Mapping) else (None, None)
        if not isinstance(key, str) or not isinstance(value, str):
            raise MalformedAnswer(f"{call} answered a tag that is not a Key/Value pair of strings")
        pairs[key] = value
    return tuple(sorted(pairs.items()))
