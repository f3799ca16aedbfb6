"""Cloud-supplied text (names, tags, ids, error messages) is data: make it inert for each output.

A bucket name or an API error is written by whoever controls the cloud account or the
Terraform code. Printed raw, a newline followed by `::error::` or `::add-mask::` is a GitHub
Actions workflow command in the job log, ESC starts a terminal escape sequence, and U+202E
reverses the text a reviewer reads. `inert` escapes every such character visibly, so the text
stays readable, stays on one line and cannot act: what is printed is what was there.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Categories that never belong in a report line: controls (C0, DEL, C1: ESC, NUL, CR, LF, NEL),
# format characters (bidi embeddings, overrides and isolates, zero-width characters, BOM),
# surrogates (a lone one cannot be encoded), line and paragraph separators, unassigned/private.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_FAST_SAFE = re.compile(r"[\x20-\x7e]*\Z")  # plain printable ASCII: the common case, no work


def _escape(char: str) -> str:
    code = ord(char)
    if char == "\n":
        return "\\n"
    if char == "\r":
        return "\\r"
    if char == "\t":
        return "\\t"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


@lru_cache(maxsize=4096)
def _unsafe(char: str) -> bool:
    return unicodedata.category(char) in _UNSAFE_CATEGORIES


def inert(text: str) -> str:
    """`text` on one line with every control, format, bidi and separator character escaped."""
    if _FAST_SAFE.match(text):
        return text
    return "".join(_escape(char) if _unsafe(char) else char for char in text)


def truncate(text: str, limit: int) -> str:
    """At most `limit` characters, with an ellipsis when cut (report sizes stay bounded)."""
    return text if len(text) <= limit else text[: max(0, limit - 1)] + "…"
