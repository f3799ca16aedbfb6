"""Where in a policy file something is: JSON paths, their lines, and the one-line error format.

Every policy error reads `FILE:LINE at JSON.PATH: what is wrong; what to do`, e.g.
`policies/us.yaml:14 at policies[0].allowed.countries[1]: 'USA' is not an ISO 3166-1 alpha-2 code
(did you mean 'US'?)`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from residency.text import one_line

JsonPath = tuple[str | int, ...]

_BARE_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def format_path(path: JsonPath) -> str:
    """('policies', 0, 'scope', 'tags', 'data class') -> policies[0].scope.tags["data class"]"""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _BARE_KEY.fullmatch(part):
            out += f".{part}" if out else part
        else:
            out += f"[{json.dumps(part)}]"
    return out


def at(source: str, line: int, path: JsonPath, message: str) -> str:
    """The one-line error text: file, line (when known), JSON path (when any), message."""
    where = f"{source}:{line}" if line > 0 else source
    if path:
        where += f" at {format_path(path)}"
    return one_line(f"{where}: {message}")


@dataclass
class LineMap:
    """1-based lines of values and of the keys that introduce them, by JSON path."""

    values: dict[JsonPath, int] = field(default_factory=dict)
    keys: dict[JsonPath, int] = field(default_factory=dict)

    def line(self, path: JsonPath) -> int:
        """The key's line when the value hangs off a key (a block value starts lines later)."""
        for end in range(len(path), -1, -1):
            prefix = path[:end]
            if prefix in self.keys:
                return self.keys[prefix]
            if prefix in self.values:
                return self.values[prefix]
        return 0


@dataclass(frozen=True)
class PolicyLines:
    """A place in one file, to build errors from."""

    source: str
    lines: LineMap

    def error_text(self, path: JsonPath, message: str) -> str:
        return at(self.source, self.lines.line(path), path, message)
