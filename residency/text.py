"""Text from users and clouds: checks that hold for identifiers, escaping for one-line messages."""

from __future__ import annotations

import re

# `str.isdigit()`, `\d` and `int()` accept every script's digits ("١٢" is 12, "¹" is a digit);
# account ids, versions and instance keys are ASCII, so a look-alike is refused, never read as a number.
ASCII_DIGITS = re.compile(r"[0-9]+")


def is_ascii_digits(text: str) -> bool:
    """True for a non-empty run of 0-9 only."""
    return ASCII_DIGITS.fullmatch(text) is not None


def one_line(text: str) -> str:
    """Escape what would break a message over lines or hide its text (paths and keys come from users)."""
    return "".join(char if char.isprintable() else _escape(char) for char in text)


def _escape(char: str) -> str:
    return repr(char)[1:-1] if char in "\t\n\r" else f"\\u{ord(char):04x}"


def quoted(value: object, limit: int = 80) -> str:
    """`repr(value)` for a message, cut at `limit` characters: a value from a file may be megabytes."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text):,} characters)"
