"""Fault injection for the local Azure server, set per test through `POST /_residency/fault`.

Nothing is faulty by default. The JSON body names one fault; listings are named
`subscriptions`, `accounts:SUB`, `deleted:SUB` and `policies:ACCOUNT`:

- `{"kind": "loop", "listing": L}`: every page of L names the same `nextLink`; following it serves
  the first page again. `{"kind": "foreign-link", "listing": L}`: L's nextLink points at another host.
- `{"kind": "unavailable", "subscription": S, "status": 429, "retry_after": N}`: every ARM call on S
  answers that status with `Retry-After: N`.
- `{"kind": "override", "account": A, "fields": {"tags": ["x"], "sku": null, "properties.secondaryLocation":
  "westeurope"}}`: A's JSON in every ARM answer carries these values (null removes the field).
- `{"kind": "extra", "listing": L, "item": ...}`: L also answers this raw item.
- `{"kind": "echo", "subscription": S | "account": A, "text": T}`: ARM calls on S (or blob calls on A)
  answer 403 with a message repeating the request's Authorization header, its URL and T.
- `{"kind": "clear"}`.
"""

from __future__ import annotations

import copy
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any
from xml.sax.saxutils import escape

from scripts.localcloud.azure.request import Request

LOOP_TOKEN = "residency-fault-loop-token"
_LISTINGS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"/subscriptions/?", re.I), lambda m: "subscriptions"),
    (re.compile(r"/subscriptions/([^/]+)/providers/Microsoft\.Storage/storageAccounts/?", re.I),
     lambda m: f"accounts:{m.group(1)}"),
    (re.compile(r"/subscriptions/([^/]+)/providers/Microsoft\.Storage/deletedAccounts/?", re.I),
     lambda m: f"deleted:{m.group(1)}"),
    (re.compile(r"/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\.Storage/storageAccounts/([^/]+)/"
                r"objectReplicationPolicies/?", re.I), lambda m: f"policies:{m.group(1)}"),
)
_SUBSCRIPTION = re.compile(r"/subscriptions/([^/]+)", re.I)


@dataclass
class Faults:
    loops: set[str] = field(default_factory=set)
    foreign: set[str] = field(default_factory=set)
    unavailable: dict[str, tuple[int, int]] = field(default_factory=dict)  # subscription -> (status, retry after)
    overrides: dict[str, dict[str, Any]] = field(default_factory=dict)  # account -> dotted field -> value
    extra: dict[str, list[Any]] = field(default_factory=dict)  # listing -> raw items
    echo: dict[str, str] = field(default_factory=dict)  # subscription or account -> text
    requests: dict[str, int] = field(default_factory=dict)  # listing, or unavailable subscription -> requests
    lock: threading.Lock = field(default_factory=threading.Lock)

    def set(self, body: dict[str, Any]) -> dict[str, Any]:
        kind = body.get("kind")
        with self.lock:
            if kind == "loop":
                self.loops.add(str(body["listing"]))
            elif kind == "foreign-link":
                self.foreign.add(str(body["listing"]))
            elif kind == "unavailable":
                self.unavailable[str(body["subscription"]).lower()] = (int(body.get("status", 429)),
                                                                      int(body.get("retry_after", 0)))
            elif kind == "override":
                self.overrides.setdefault(str(body["account"]), {}).update(body["fields"])
            elif kind == "extra":
                self.extra.setdefault(str(body["listing"]), []).append(body["item"])
            elif kind == "echo":
                self.echo[str(body.get("subscription") or body.get("account")).lower()] = str(body.get("text", ""))
            elif kind == "clear":
                for collection in (self.loops, self.foreign, self.unavailable, self.overrides, self.extra, self.echo):
                    collection.clear()
            else:
                return {"error": {"code": "InvalidFault", "message": f"unknown fault kind {kind!r}"}}
            return {"ok": True, "requests": dict(self.requests)}


def listing_of(request: Request) -> str | None:
    if request.method != "GET":
        return None
    for pattern, name in _LISTINGS:
        match = pattern.fullmatch(request.path)
        if match:
            return name(match)
    return None


def arm_fault(faults: Faults, request: Request) -> tuple[int, dict[str, Any], dict[str, str]] | None:
    """An ARM answer a fault gives instead of the server's, or None."""
    match = _SUBSCRIPTION.match(request.path)
    subscription = match.group(1).lower() if match else None
    with faults.lock:
        if subscription is not None and subscription in faults.unavailable:
            faults.requests[subscription] = faults.requests.get(subscription, 0) + 1  # attempts it answered
            status, retry_after = faults.unavailable[subscription]
            error = {"code": "TooManyRequests" if status == 429 else "ServiceUnavailable",
                     "message": "The request is being throttled; retry later."}
            return status, {"error": error}, {"Retry-After": str(retry_after)} if retry_after else {}
        if subscription in faults.echo:
            message = _echo(request, faults.echo[subscription])
            return 403, {"error": {"code": "AuthorizationFailed", "message": message}}, {}
    return None


def blob_fault(faults: Faults, request: Request) -> tuple[int, bytes, dict[str, str]] | None:
    account = request.path.lstrip("/").split("/", 1)[0].lower()
    with faults.lock:
        if account not in faults.echo:
            return None
        message = _echo(request, faults.echo[account])
    xml = (f'<?xml version="1.0" encoding="utf-8"?><Error><Code>AuthorizationFailure</Code>'
           f"<Message>{escape(message)}</Message></Error>")
    return 403, xml.encode(), {"Content-Type": "application/xml", "x-ms-error-code": "AuthorizationFailure"}


def _echo(request: Request, text: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in request.query.items())
    said = f"Authorization={request.headers.get('authorization', '')} url={request.path}?{query}"
    return f"This request is not authorized {text}: {said}".replace(" :", ":")


def without_loop_token(faults: Faults, request: Request) -> Request:
    """The request for the first page again, when it follows a looping nextLink."""
    listing = listing_of(request)
    with faults.lock:
        if listing is not None:
            faults.requests[listing] = faults.requests.get(listing, 0) + 1
    if listing in faults.loops and request.query.get("$skipToken") == LOOP_TOKEN:
        return replace(request, query={k: v for k, v in request.query.items() if k != "$skipToken"})
    return request


def altered(faults: Faults, request: Request, status: int, payload: dict[str, Any]) -> dict[str, Any]:
    """The ARM answer with overridden fields, extra items and a looping or foreign nextLink, as set."""
    if status != 200:
        return payload
    listing = listing_of(request)
    with faults.lock:
        payload = copy.deepcopy(payload)
        value = payload.get("value")
        items: list[Any] = value if isinstance(value, list) else [payload]
        for item in items:
            if isinstance(item, dict) and item.get("name") in faults.overrides:
                _override(item, faults.overrides[item["name"]])
        if listing is None:
            return payload
        if "$skipToken" not in request.query:  # extra items once, on the first page
            payload["value"] = payload.get("value", []) + faults.extra.get(listing, [])
        version = request.query.get("api-version", "2025-06-01")
        if listing in faults.loops:
            payload["nextLink"] = f"{request.base_url}{request.path}?api-version={version}&$skipToken={LOOP_TOKEN}"
        elif listing in faults.foreign:
            payload["nextLink"] = f"http://attacker.invalid{request.path}?api-version={version}&$skipToken=1"
    return payload


def _override(item: dict[str, Any], fields: dict[str, Any]) -> None:
    for dotted, value in fields.items():
        target = item
        *parents, key = dotted.split(".")
        for parent in parents:
            target = target.setdefault(parent, {})
        if value is None:
            target.pop(key, None)
        else:
            target[key] = value


def inject(server_url: str, **body: Any) -> dict[str, Any]:
    """Client side, for tests: set one fault on a running local Azure server."""
    import json
    import urllib.request

    request = urllib.request.Request(f"{server_url}/_residency/fault", data=json.dumps(body).encode(),
                                     method="POST", headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        answer: dict[str, Any] = json.load(response)
        return answer
