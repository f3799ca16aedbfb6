"""Every string of a policy file can be written by every report format, checked before any scan.

YAML escapes ("\\n", "\\x1b", "\\ud800") let a policy hold text no report can carry: a line break
in a title (OSCAL titles are one line; the text, CSV and JUnit reports would show it on two),
a control character, or an unpaired UTF-16 surrogate (not Unicode: no UTF-8 report can hold
it). Found after a scan, each crashed a writer or left a broken report; here each is one line
naming the file, line, JSON path and the fix. Only `description` and `remediation` may span
lines: the loader folds them onto one.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from residency.errors import PolicyError
from residency.policy.positions import JsonPath, PolicyLines

MULTILINE_FIELDS = frozenset({"description", "remediation"})  # policy fields folded onto one line
_LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")
_SURROGATE = re.compile("[\ud800-\udfff]")


def check_text(data: Any, where: PolicyLines) -> None:
    """Raise PolicyError for the first string (value or key) a report could not hold."""
    stack: list[tuple[Any, JsonPath]] = [(data, ())]
    while stack:
        value, path = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                _check_string(key, (*path, key), where, multiline=False)
                stack.append((item, (*path, key)))
        elif isinstance(value, list):
            stack.extend((item, (*path, index)) for index, item in enumerate(value))
        elif isinstance(value, str):
            _check_string(value, path, where, multiline=_is_multiline(path))


def _is_multiline(path: JsonPath) -> bool:
    return len(path) == 3 and path[0] == "policies" and path[2] in MULTILINE_FIELDS


def _check_string(text: str, path: JsonPath, where: PolicyLines, multiline: bool) -> None:
    if text.isprintable():
        return  # the common case: no control, format, separator or surrogate character at all
    surrogate = _SURROGATE.search(text)
    if surrogate is not None:
        raise PolicyError(where.error_text(path, f"holds the unpaired surrogate {_code(surrogate.group())}, "
                                                 "which is not Unicode text and no report can hold; remove it"))
    for char in text:
        if char in _LINE_BREAKS:
            if multiline and char == "\n":
                continue
            raise PolicyError(where.error_text(path, _line_break(char, multiline)))
        if unicodedata.category(char) == "Cc" and char != "\t":
            raise PolicyError(where.error_text(path, f"holds the control character {_code(char)}, which reports "
                                                     "cannot show; remove it"))


def _line_break(char: str, multiline: bool) -> str:
    if multiline:
        return (f"holds the line break {_code(char)}; separate lines with a plain newline "
                "(a YAML block scalar such as '>' or '|')")
    return (f"must be one line, but holds the line break {_code(char)} (an OSCAL title cannot hold one, and "
            "one-line report fields would be split); write it on one line, or put the details in 'description'")


def _code(char: str) -> str:
    return f"U+{ord(char):04X}"
