"""Fault injection for the local GCS server, set per test through `POST /_residency/fault`.

Nothing is faulty by default. The JSON body names one fault:

- `{"kind": "loop", "listing": "buckets:P" | "objects:B" | "projects"}`: every page of that
  listing names the same `nextPageToken`; asking for it serves the first page again.
- `{"kind": "unavailable", "project": P, "retry_after": N}`: every storage call on project P
  answers 503 with `Retry-After: N` (as an overloaded service would).
- `{"kind": "override", "bucket": B, "fields": {...}}`: B's resource in every answer carries these
  JSON values instead (`{"labels": ["a"]}`, `{"location": 7}` ...: malformed records).
- `{"kind": "extra", "project": P, "item": ...}`: buckets.list of P also answers this raw item.
- `{"kind": "echo", "bucket": B, "text": T}`: objects.list of B answers 403 whose message repeats the
  request's Authorization header, its URL and T, as a careless or hostile endpoint would.
- `{"kind": "clear"}`: no faults.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from scripts.localcloud.gcp.model import ApiError
from scripts.localcloud.gcp.resources import JsonDict

LOOP_TOKEN = "residency-fault-loop-token"


@dataclass
class Faults:
    loops: set[str] = field(default_factory=set)
    unavailable: dict[str, int] = field(default_factory=dict)  # project -> Retry-After seconds
    overrides: dict[str, dict[str, Any]] = field(default_factory=dict)  # bucket -> fields
    extra: dict[str, list[Any]] = field(default_factory=dict)  # project -> raw items
    echo: dict[str, str] = field(default_factory=dict)  # bucket -> text
    looped: int = 0  # requests that carried LOOP_TOKEN
    lock: threading.Lock = field(default_factory=threading.Lock)

    def set(self, body: JsonDict) -> JsonDict:
        kind = body.get("kind")
        with self.lock:
            if kind == "loop":
                self.loops.add(str(body["listing"]))
            elif kind == "unavailable":
                self.unavailable[str(body["project"])] = int(body.get("retry_after", 0))
            elif kind == "override":
                self.overrides.setdefault(str(body["bucket"]), {}).update(body["fields"])
            elif kind == "extra":
                self.extra.setdefault(str(body["project"]), []).append(body["item"])
            elif kind == "echo":
                self.echo[str(body["bucket"])] = str(body.get("text", ""))
            elif kind == "clear":
                for collection in (self.loops, self.unavailable, self.overrides, self.extra, self.echo):
                    collection.clear()
            else:
                raise ApiError(400, "invalid", f"unknown fault kind {kind!r}")
            return {"ok": True, "looped": self.looped}


def listing_of(method: str, path: str, params: dict[str, str]) -> str | None:
    """The name `loop` faults use for the listing a request reads."""
    if method != "GET":
        return None
    parts = path.strip("/").split("/")
    if parts == ["storage", "v1", "b"]:
        return f"buckets:{params.get('project', '')}"
    if len(parts) == 5 and parts[:3] == ["storage", "v1", "b"] and parts[4] == "o":
        return f"objects:{parts[3]}"
    return "projects" if parts == ["v1", "projects"] else None


def before(faults: Faults, listing: str | None, headers: dict[str, str], url: str) -> tuple[int, str, int] | None:
    """(status, message, retry-after) answered instead of the call, or None."""
    with faults.lock:
        project = listing.split(":", 1)[1] if listing and listing.startswith("buckets:") else None
        if project is not None and project in faults.unavailable:
            return 503, "We encountered an internal error. Please try again.", faults.unavailable[project]
        bucket = listing.split(":", 1)[1] if listing and listing.startswith("objects:") else None
        if bucket is not None and bucket in faults.echo:
            said = f"Authorization={headers.get('Authorization', '')} url={url}"
            return 403, f"Access denied {faults.echo[bucket]} for request {said}".replace("  ", " "), 0
    return None


def carries_loop(faults: Faults, listing: str | None, params: dict[str, str]) -> bool:
    with faults.lock:
        if listing in faults.loops and params.get("pageToken") == LOOP_TOKEN:
            faults.looped += 1
            return True
        return False


def after(faults: Faults, listing: str | None, reply: JsonDict) -> JsonDict:
    """A listing's answer with overridden fields, extra items and the looping token, as set."""
    with faults.lock:
        items = reply.get("items") or []
        for item in items:
            if isinstance(item, dict) and item.get("name") in faults.overrides:
                item.update(faults.overrides[item["name"]])
        if listing and listing.startswith("buckets:"):
            items += faults.extra.get(listing.split(":", 1)[1], [])
        if items:
            reply["items"] = items
        if listing in faults.loops:
            reply["nextPageToken"] = LOOP_TOKEN
    return reply
