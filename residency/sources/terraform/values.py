"""Reading planned attribute values that may be unknown until apply.

A plan's `after` object holds every value Terraform knows; `after_unknown` mirrors it with
`true` wherever a value is only known after apply (a whole block can be `true`). Planned
values from `planned_values` simply omit unknown attributes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class Unknown:
    """The single marker for "known only after apply"."""

    _instance: Unknown | None = None

    def __new__(cls) -> Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = Unknown()

Step = str | int


class Values:
    """One object's planned values with their unknown-ness, walked by path."""

    def __init__(self, data: Any, unknown: Any = None) -> None:
        self.data = data
        self.unknown = unknown

    def has(self, name: str) -> bool:
        """The attribute exists in the schema (it is in the values, known or not)."""
        return any(isinstance(node, dict) and name in node for node in (self.data, self.unknown))

    def get(self, *path: Step) -> Any:
        """The value at `path`: UNKNOWN when unknown until apply, None when absent or null."""
        data, unknown = self.data, self.unknown
        for step in path:
            if unknown is True:
                return UNKNOWN
            data = _child(data, step)
            unknown = _child(unknown, step)
        if unknown is True:
            return UNKNOWN
        return data

    def text(self, *path: Step) -> str | Unknown | None:
        """A non-empty string value, UNKNOWN, or None (absent, null, empty or not a string)."""
        value = self.get(*path)
        if isinstance(value, Unknown):
            return value
        return value if isinstance(value, str) and value else None

    def blocks(self, *path: Step) -> list[Values] | Unknown:
        """The elements of a nested block list (or set), each as Values; [] when absent."""
        value = self.get(*path)
        if isinstance(value, Unknown):
            return value
        if not isinstance(value, list):
            return []
        unknown = self.unknown
        for step in path:
            unknown = _child(unknown, step)
        return [Values(item, _child(unknown, index)) for index, item in enumerate(value)]

    def string_map(self, *path: Step) -> dict[str, str] | Unknown:
        value = self.get(*path)
        if isinstance(value, Unknown):
            return value
        if not isinstance(value, dict):
            return {}
        return {str(k): str(v) for k, v in value.items() if v is not None and not isinstance(v, (dict, list))}


def _child(node: Any, step: Step) -> Any:
    if isinstance(step, int):
        return node[step] if isinstance(node, list) and -len(node) <= step < len(node) else None
    return node.get(step) if isinstance(node, dict) else None


@dataclass(frozen=True, slots=True)
class Resolved:
    """A configuration value as far as the plan lets us know it.

    `known` False means it cannot be known from the plan; `why` says why. `source` says
    where a known value came from (e.g. "var.region"), for finding reasons.
    """

    value: Any
    known: bool
    source: str = ""
    why: str = ""

    @classmethod
    def of(cls, value: Any, source: str = "") -> Resolved:
        return cls(value, True, source)

    @classmethod
    def unknown(cls, why: str) -> Resolved:
        return cls(None, False, why=why)

    @property
    def text(self) -> str | None:
        return self.value if self.known and isinstance(self.value, str) and self.value else None
