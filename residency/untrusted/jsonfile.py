"""Reading a JSON input (snapshot, baseline report, plan) with one-line errors, never a traceback.

Beyond what `json` checks, a JSON input is refused when it nests deeper than MAX_JSON_DEPTH
(the parser and every reader would otherwise recurse until the interpreter gives up), holds
a number of more than MAX_NUMBER_DIGITS digits (Python refuses to convert integers over 4,300,
and nothing this tool reads needs 20), a number that is not finite (NaN, Infinity, 1e999), a key
twice in one object (one of the two would be lost silently), or a string with an unpaired
UTF-16 surrogate escape such as "\\ud800" (not Unicode: no report could be written with it).
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any, NoReturn

from residency.errors import InputError
from residency.text import one_line
from residency.untrusted.files import FileRules, decode_utf8, read_regular_file

MAX_JSON_DEPTH = 512  # a 40-level module tree in a Terraform plan needs ~200
MAX_NUMBER_DIGITS = 100

# The parser turns a valid pair of escapes into one character, so a surrogate left in a parsed
# string was unpaired. Strings are searched only when the text holds such an escape at all.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")
_LONG_NUMBER = re.compile(f"[0-9]{{{MAX_NUMBER_DIGITS + 1}}}")
# Bytes as number shapes: digits and "." -> "0", "e"/"E" -> "e", "+"/"-" -> "+", anything else -> " ".
_NUMBER_SHAPES = bytes(
    ord("0") if chr(byte) in "0123456789." else ord("e") if chr(byte) in "eE" else ord("+") if chr(byte) in "+-"
    else ord(" ") for byte in range(256)
)


class _Refused(Exception):
    """Raised inside the parser's hooks; becomes an InputError naming the file (and the line of the
    first text `locate` finds: the hooks are not told where they are)."""

    def __init__(self, message: str, locate: re.Pattern[str] | None = None) -> None:
        super().__init__(message)
        self.locate = locate


def read_json(path: str | Path, what: str, fix: str, max_bytes: int) -> Any:
    """Parse the JSON file `path`; `what` names the expected file ("inventory snapshot"), `fix` says
    what to give instead. Raises InputError (one line) for anything but a plain, bounded JSON document."""
    rules = FileRules(what, fix, max_bytes)
    shown = one_line(str(path))
    return parse_json(read_regular_file(path, rules, shown), shown, fix)


def parse_json(data: bytes, shown: str, fix: str) -> Any:
    """Parse UTF-8 JSON bytes already read; `shown` names the file in errors."""
    text = decode_utf8(shown, data, FileRules("JSON", fix, len(data)))
    # Checking every number in Python would double the parse time; only a text holding a long digit
    # run or a 3-digit exponent can hold a number to refuse, so only then are numbers checked.
    numbers: dict[str, Any] = {"parse_int": _integer, "parse_float": _float} if _may_hold_big_numbers(data) else {}
    try:
        document = json.loads(text, parse_constant=_constant, object_pairs_hook=_object, **numbers)
    except json.JSONDecodeError as error:
        raise InputError(f"{shown}: invalid JSON at line {error.lineno} column {error.colno}: {error.msg}; "
                         f"{fix}") from None
    except RecursionError:
        _too_deep(shown, fix)
    except _Refused as refused:
        raise InputError(f"{shown}: {refused}{_line_of(text, refused.locate)}; {fix}") from None
    _check_tree(document, shown, fix, strings=_SURROGATE_ESCAPE.search(text) is not None, text=text)
    return document


def _may_hold_big_numbers(data: bytes) -> bool:
    """A long digit run or a 3-digit exponent anywhere (strings included): a cheap superset of the
    texts holding a number to refuse (bytes.translate and substring search run at memory speed)."""
    chunk, overlap = 16 * 1024 * 1024, MAX_NUMBER_DIGITS + 1  # in chunks: no second copy of a 2 GiB file
    for start in range(0, len(data), chunk):
        shapes = data[start:start + chunk + overlap].translate(_NUMBER_SHAPES)
        if b"0" * (MAX_NUMBER_DIGITS + 1) in shapes or b"0e000" in shapes or b"0e+000" in shapes:
            return True
    return False


def _integer(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise _Refused(f"a number has more than {MAX_NUMBER_DIGITS} digits", _LONG_NUMBER)
    return int(digits)


def _float(literal: str) -> float:
    if sum(char.isdigit() for char in literal) > MAX_NUMBER_DIGITS:  # the parser passes ASCII digits only
        raise _Refused(f"a number has more than {MAX_NUMBER_DIGITS} digits", _LONG_NUMBER)
    value = float(literal)
    if not math.isfinite(value):
        raise _Refused(f"the number {literal[:40]} is out of range")
    return value


def _constant(name: str) -> NoReturn:
    raise _Refused(f"{name} is not a JSON value")


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _Refused(f"the key {json.dumps(_first_duplicate(pairs))[:80]} appears twice in one object")
    return result


def _first_duplicate(pairs: list[tuple[str, Any]]) -> str:
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            return key
        seen.add(key)
    return ""


def _line_of(text: str, locate: re.Pattern[str] | None) -> str:
    match = locate.search(text) if locate is not None else None
    return f" (line {text.count(chr(10), 0, match.start()) + 1})" if match else ""


def _too_deep(shown: str, fix: str) -> NoReturn:
    raise InputError(f"{shown}: JSON nested deeper than {MAX_JSON_DEPTH} levels; {fix}") from None


def _check_tree(document: Any, shown: str, fix: str, strings: bool, text: str) -> None:
    """Depth of every container, level by level (no recursion; only containers are queued, which
    keeps this a fraction of the parse time); with `strings`, every key and string for surrogates."""
    level = [document] if isinstance(document, dict | list) else []
    texts: list[str] = [document] if isinstance(document, str) else []
    depth = 0
    while level:
        depth += 1
        if depth > MAX_JSON_DEPTH:
            _too_deep(shown, fix)
        deeper: list[Any] = []
        for container in level:
            items = container.values() if type(container) is dict else container
            deeper += [item for item in items if type(item) is dict or type(item) is list]
            if strings:
                texts += [item for item in items if type(item) is str]
                if type(container) is dict:
                    texts += container.keys()
        level = deeper
    # One search over all strings joined (joining never pairs two lone surrogates into a character).
    if strings and _SURROGATE.search("".join(texts)):
        for value in texts:
            _check_string(value, shown, fix, text)


def _check_string(value: str, shown: str, fix: str, text: str) -> None:
    match = _SURROGATE.search(value)
    if match is None:
        return
    escape = f"\\u{ord(match.group()):04x}"
    position = text.lower().find(escape)
    line = f" (line {text.count(chr(10), 0, position) + 1})" if position >= 0 else ""
    raise InputError(f"{shown}: a string holds the unpaired surrogate escape {escape}{line}, which is not "
                     f"Unicode text; {fix}")
