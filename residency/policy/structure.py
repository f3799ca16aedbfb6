"""First pass: the JSON Schema (package data), its errors turned into one actionable line."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from residency.errors import PolicyError
from residency.policy.positions import JsonPath, PolicyLines
from residency.policy.suggest import did_you_mean, listing

_KIND_NAMES = {"severity": "severity", "providers": "provider", "counts": "location kind",
               "location_kinds": "location kind"}
# Within one object, a misspelt key explains a "missing" one better than the reverse.
_RANK = {"additionalProperties": 0, "required": 2, "anyOf": 3}


def schema_text() -> str:
    return resources.files("residency.policy").joinpath("schema.json").read_text(encoding="utf-8")


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(schema_text()))


def check_structure(data: Any, where: PolicyLines) -> None:
    """Raise PolicyError for the first (by line) structural problem of one file's data."""
    errors = list(_validator().iter_errors(data))
    if not errors:
        return
    first = min(errors, key=lambda e: (where.lines.line(_path(e)), _RANK.get(str(e.validator), 1),
                                        where.lines.line(_focus(e))))
    error = best_match([first]) or first
    raise PolicyError(where.error_text(_focus(error), _message(error)))


def _path(error: ValidationError) -> JsonPath:
    return tuple(error.absolute_path)


def _focus(error: ValidationError) -> JsonPath:
    """The path to point at: the offending key or list item rather than its container."""
    path = _path(error)
    instance = error.instance
    if error.validator == "additionalProperties" and isinstance(instance, dict):
        return (*path, _extra_keys(error)[0])
    if error.validator == "uniqueItems" and isinstance(instance, list):
        return (*path, _first_repeat(instance))
    return path


def _known_keys(error: ValidationError) -> dict[str, Any]:
    schema: Any = error.schema
    return dict(schema.get("properties", {})) if isinstance(schema, dict) else {}


def _extra_keys(error: ValidationError) -> list[str]:
    instance: Any = error.instance
    known = _known_keys(error)
    return [key for key in instance if key not in known]


def _first_repeat(items: list[Any]) -> int:
    for index, item in enumerate(items):
        if item in items[:index]:
            return index
    return 0


def _field(error: ValidationError) -> str:
    names = [part for part in error.absolute_path if isinstance(part, str)]
    return names[-1] if names else ""


def _message(error: ValidationError) -> str:
    handler = _HANDLERS.get(str(error.validator))
    if handler is not None:
        return handler(error)
    return " ".join(error.message.split())


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, int | float):
        return f"{value} (a number)"
    if isinstance(value, str):
        return repr(value)
    return "a list" if isinstance(value, list) else "a mapping"


def _type(error: ValidationError) -> str:
    expected = error.validator_value
    value = error.instance
    if not error.absolute_path:
        if isinstance(value, list):
            return "the file is a list; put the policies under a top-level 'policies:' key"
        return f"holds no policy: expected a mapping with a 'policies:' list, got {_describe(value)}"
    if _field(error) == "expires":
        return f"expected a date written YYYY-MM-DD, got {_describe(value)}"
    names = {"string": "a string", "array": "a list", "object": "a mapping"}
    message = f"expected {names.get(str(expected), str(expected))}, got {_describe(value)}"
    if expected == "string" and value is None:
        return message + "; fill in a value"
    if expected == "string" and not isinstance(value, list | dict):
        return message + "; put the value in quotes"
    if expected == "array" and isinstance(value, str | int | float):
        return message + f"; write a list, e.g. [{value}]"
    if expected == "array" and isinstance(value, dict):
        return message + "; start each entry with '- '"
    return message


def _required(error: ValidationError) -> str:
    present: Any = error.instance if isinstance(error.instance, dict) else {}
    required: Any = error.validator_value
    missing = next((k for k in required if k not in present), "?")
    if missing == "policies":
        return "holds no 'policies:' list; start the file with 'policies:'"
    return f"missing required key '{missing}'"


def _additional(error: ValidationError) -> str:
    key = _extra_keys(error)[0]
    known = _known_keys(error)
    hint = did_you_mean(key, known) or f"; expected one of {listing(known, limit=20)}"
    return f"unknown key '{key}'{hint}"


def _enum(error: ValidationError) -> str:
    allowed: Any = error.validator_value
    choices = [str(c) for c in allowed]
    kind = _KIND_NAMES.get(_field(error), "value")
    value = error.instance
    hint = did_you_mean(value, choices) if isinstance(value, str) else ""
    return f"{_describe(value)} is not a {kind}{hint}; use one of {', '.join(choices)}"


def _slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")[:64] or "my-policy"


def _pattern(error: ValidationError) -> str:
    value = str(error.instance)
    field = _field(error)
    if field == "id":
        return (f"{value!r} is not a valid id: use lower-case letters, digits and single hyphens, "
                f"e.g. '{_slug(value)}'")
    if field == "expires":
        return f"{value!r} is not a date; write YYYY-MM-DD, e.g. 2026-12-31"
    return f"'{field}' is blank; write some text"


def _min_length(error: ValidationError) -> str:
    if "propertyNames" in error.schema_path:
        return f"a key of '{_field(error)}' is empty; write the key"
    return f"'{_field(error)}' is empty; write some text"


def _min_items(error: ValidationError) -> str:
    if _path(error) == ("policies",):
        return "holds no policy; add at least one under 'policies:'"
    return f"'{_field(error)}' is an empty list; list at least one value or remove the key"


def _min_properties(error: ValidationError) -> str:
    field = _field(error)
    if field in ("allowed", "denied"):
        return f"'{field}' names no location; list countries, regions or groups"
    return f"'{field}' is empty; add at least one entry or remove the key"


def _unique(error: ValidationError) -> str:
    items: Any = error.instance
    return f"{_describe(items[_first_repeat(items)])} is listed twice; remove the repeat"


def _any_of(error: ValidationError) -> str:
    if len(_path(error)) == 2:  # policies[N]
        return "a policy needs 'allowed' or 'denied' locations (or both); add 'allowed:' with the places data may live"
    return f"expected a string or a list of strings, got {_describe(error.instance)}; put the value in quotes"


_HANDLERS = {
    "type": _type,
    "required": _required,
    "additionalProperties": _additional,
    "enum": _enum,
    "pattern": _pattern,
    "minLength": _min_length,
    "maxLength": lambda e: f"is longer than {e.validator_value} characters; shorten it",
    "minItems": _min_items,
    "minProperties": _min_properties,
    "uniqueItems": _unique,
    "anyOf": _any_of,
}
