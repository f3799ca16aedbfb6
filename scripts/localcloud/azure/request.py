"""The request a local Azure server handler sees, and what ARM handlers answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from scripts.localcloud.azure.store import Store


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: dict[str, str]
    body: dict[str, Any]
    base_url: str  # scheme://host:port of this server, for nextLink
    headers: dict[str, str]  # lower-case names
    raw: bytes = b""  # the body as sent (blob uploads)


Reply = tuple[int, dict[str, Any], dict[str, str]]  # status, JSON body, extra headers
Handler = Callable[[Store, Request, dict[str, str]], Reply]
