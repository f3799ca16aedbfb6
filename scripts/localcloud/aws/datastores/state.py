"""What the local datastore server remembers, per account, and the identifiers it makes up.

Handlers run under one lock (they are short; forwarding to moto happens outside it), so the
per-service state classes are plain data.
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

DEFAULT_ACCOUNT = "123456789012"
State = TypeVar("State")


class Store:
    def __init__(self, enabled_regions: frozenset[str] = frozenset()) -> None:
        self.enabled_regions = enabled_regions  # empty: the regions AWS enables without opt-in
        self.lock = threading.RLock()
        self._sections: dict[tuple[str, Any], Any] = {}
        self._serial = itertools.count(1)

    def of(self, account: str, kind: Callable[[], State]) -> State:
        """The account's state of one service (created empty on first use)."""
        key = (account, kind)
        section: State | None = self._sections.get(key)
        if section is None:
            section = self._sections[key] = kind()
        return section

    def accounts(self, kind: Callable[[], State]) -> dict[str, State]:
        """Every account's state of one service (cross-account copies land in another account)."""
        return {account: section for (account, k), section in self._sections.items() if k is kind}

    def serial(self) -> int:
        return next(self._serial)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def new_uuid() -> str:
    return str(uuid.uuid4())


def hex_id(prefix: str, length: int = 17) -> str:
    """EC2/DLM-style ids: `snap-0123456789abcdef0`, `policy-...`."""
    return f"{prefix}-{uuid.uuid4().hex[:length]}"


def region_of_arn(arn: str) -> str | None:
    parts = arn.split(":", 5)
    return parts[3] or None if len(parts) == 6 and parts[0] == "arn" else None


def account_of_arn(arn: str) -> str | None:
    parts = arn.split(":", 5)
    return parts[4] or None if len(parts) == 6 and parts[0] == "arn" else None


def page(
    items: list[State], token: str | None, limit: int | None, default: int = 100,
) -> tuple[list[State], str | None]:
    """One page of `items` from an opaque position token, and the next token (None at the end)."""
    start = int(token) if token and token.isdigit() else 0
    size = min(limit or default, default) if limit else default
    chosen = items[start:start + size]
    return chosen, (str(start + size) if start + size < len(items) else None)
