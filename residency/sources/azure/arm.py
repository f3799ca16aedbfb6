"""Azure Resource Manager lists read page by page by the adapter itself, as raw JSON.

The management SDK deserialises whole pages and follows every `nextLink` it is given: one
malformed account would fail the subscription's listing, and a repeated or endless `nextLink`
would never end. Here each page goes through the SDK client's own pipeline (`send_request`:
authentication, bounded retries, the read-only guard), each item is returned raw for
`records` to parse on its own, and a `nextLink` is followed only when it is new, within the
page cap and on the endpoint's own host (a link elsewhere would carry the bearer token there).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

from azure.core.exceptions import (
    ClientAuthenticationError,
    DecodeError,
    HttpResponseError,
    ResourceNotFoundError,
    map_error,
)
from azure.core.rest import HttpRequest, HttpResponse
from azure.mgmt.core.exceptions import ARMErrorFormat

from residency.sources.paging import PageGuard

# The api-versions azure-mgmt-storage 25.3 and azure-mgmt-resource-subscriptions 1.0 send
# (tests/unit/sources/azure checks they still agree with the installed SDKs).
STORAGE_API_VERSION = "2026-09-01"
SUBSCRIPTIONS_API_VERSION = "2022-12-01"
MAX_ARM_PAGES = 1000  # storage accounts, deleted accounts, policies, subscriptions: far above any real list
_ERRORS = {401: ClientAuthenticationError, 404: ResourceNotFoundError}


class ArmClient(Protocol):
    """An azure-mgmt client: its `send_request` runs a request through the client's policies."""

    def send_request(self, request: HttpRequest, *, stream: bool = False, **kwargs: Any) -> HttpResponse: ...


@dataclass(frozen=True)
class ArmList:
    items: list[Any]  # raw JSON items, parsed one by one by the caller
    cut_short: str | None  # why the listing stopped before its last page


def get_json(client: ArmClient, path: str, api_version: str) -> Any:
    """One resource's raw JSON (GET); raises the SDK's errors as its generated operations do."""
    return _json(client.send_request(HttpRequest("GET", path, params={"api-version": api_version})))


def list_all(client: ArmClient, path: str, api_version: str, what: str) -> ArmList:
    """Every page of an ARM list (`value` + `nextLink`), boundedly."""
    guard = PageGuard(what, MAX_ARM_PAGES)
    request = HttpRequest("GET", path, params={"api-version": api_version})
    items: list[Any] = []
    while True:
        response = client.send_request(request)
        body = _json(response)
        value = body.get("value") if isinstance(body, dict) else None
        if not isinstance(value, list):
            raise DecodeError(f"{what} answered a page without a 'value' list", response=response)
        items += value
        next_link = body.get("nextLink")
        if not guard.follow(next_link):
            return ArmList(items, guard.cut_short)
        if not _same_origin(str(next_link), response.request.url):
            host = urlsplit(str(next_link)).netloc or "?"
            return ArmList(items, f"{what} answered a nextLink to another host ({host}), which was not "
                                  f"followed; cut short after {guard.pages} page(s)")
        request = HttpRequest("GET", str(next_link))


def _same_origin(link: str, url: str) -> bool:
    try:
        a, b = urlsplit(link), urlsplit(url)
        return (a.scheme, a.hostname, a.port) == (b.scheme, b.hostname, b.port)
    except ValueError:
        return False


def _json(response: HttpResponse) -> Any:
    if response.status_code != 200:
        map_error(status_code=response.status_code, response=response, error_map=_ERRORS)
        raise HttpResponseError(response=response, error_format=ARMErrorFormat)
    try:
        return response.json()
    except ValueError as error:
        raise DecodeError(f"the answer is not JSON ({error})", response=response) from None
