"""Generic Azure Resource Manager behaviour of the local server, shared by every resource type
beyond storage accounts (SQL, Cosmos DB, Compute, Recovery Services, Data Protection).

- Resource groups (`resources/resource-groups/create-or-update`, api-version 2025-04-01) must exist
  before anything is created in them, as on Azure (404 `ResourceGroupNotFound`).
- A location must be an Azure region (the project's catalog), else 400
  `LocationNotAvailableForResourceType`, as ARM answers.
- Creates are long-running operations the way Azure runs them: the first PUT answers with the
  status the service uses (and its SDK accepts), an `Azure-AsyncOperation` status URL and
  `x-ms-retry-after-ms: 10` (azure-core reads a zero Retry-After as "use the 30 s default");
  the status answers `InProgress` once, then `Succeeded`, and the resource's
  `provisioningState` turns `Succeeded`; the SDK's poller then reads the resource (final state via
  the original URI).
- Lists are paged with `nextLink` every `SETTINGS.page_size` items, like the storage account list.
"""

from __future__ import annotations

import copy
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from residency.catalog import load_catalog
from residency.inventory.model import Provider
from scripts.localcloud.azure.arm_containers import denied_read
from scripts.localcloud.azure.request import Handler, Reply, Request
from scripts.localcloud.azure.store import Store, StoreError, now

SUB = r"/subscriptions/(?P<sub>[^/]+)"
GROUP = SUB + r"/resourceGroups/(?P<rg>[^/]+)"
_CATALOG = load_catalog()
REGIONS = {loc.code: loc.name for loc in _CATALOG.select(Provider.AZURE)}
_BY_NAME = {name.lower().replace(" ", ""): code for code, name in REGIONS.items()}

Build = Callable[[Store, Request, dict[str, str], str], dict[str, Any]]


@dataclass(frozen=True)
class Paging:
    own_url: str = "http://127.0.0.1:0"
    page_size: int = 1000


PAGING = [Paging()]  # set by the server at start


def stamp() -> str:
    return now().strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def location_code(value: object, resource_type: str, field: str = "location") -> str:
    """An Azure region code from a code or display name ("East US"); 400 for anything else."""
    if not isinstance(value, str) or not value.strip():
        raise StoreError(400, "LocationRequired", f"The '{field}' property is required for '{resource_type}'.")
    code = value.strip().lower().replace(" ", "")
    code = code if code in REGIONS else _BY_NAME.get(code, "")
    if not code:
        raise StoreError(
            400, "LocationNotAvailableForResourceType",
            f"The provided location '{value}' is not available for resource type '{resource_type}'. "
            f"List of available regions for the resource type is '{','.join(sorted(REGIONS))}'.")
    return code


def one_of(value: object, allowed: Iterable[str], field: str, default: str | None = None) -> str:
    """A value from a fixed set (SKU names, redundancy settings), 400 otherwise."""
    if value is None and default is not None:
        return default
    choices = list(allowed)
    if not isinstance(value, str) or value.lower() not in {c.lower() for c in choices}:
        raise StoreError(400, "InvalidValuesForRequestParameters",
                         f"Values for request parameters are invalid: {field}. '{value}' is not one of "
                         f"{', '.join(choices)}.")
    return next(c for c in choices if c.lower() == value.lower())


def require(condition: bool, code: str, message: str) -> None:
    if not condition:
        raise StoreError(400, code, message)


def find(store: Store, resource_id: str) -> dict[str, Any] | None:
    return store.resources.get(resource_id.strip().rstrip("/").lower())


def must_find(store: Store, resource_id: str, what: str) -> dict[str, Any]:
    found = find(store, resource_id) if isinstance(resource_id, str) else None
    if found is None:
        raise StoreError(404, "ResourceNotFound", f"The {what} '{resource_id}' was not found.")
    return found


def path_id(request: Request) -> str:
    """The resource id a request addresses, as written (ARM keeps the caller's casing of names)."""
    return request.path.rstrip("/")


def resource_type(resource_id: str) -> str:
    _, _, tail = resource_id.partition("/providers/")
    parts = [p for p in tail.split("/") if p]
    return "/".join([parts[0], *parts[1::2]])


def envelope(resource_id: str, body: dict[str, Any], location: str | None, **extra: Any) -> dict[str, Any]:
    """id, name, type, location and tags as ARM returns them, with the service's own fields."""
    found: dict[str, Any] = {"id": resource_id, "name": resource_id.rsplit("/", 1)[-1],
                             "type": resource_type(resource_id)}
    if location is not None:
        found["location"] = location
    found["tags"] = dict(body.get("tags") or {})
    found.update(extra)
    return found


def save(store: Store, resource: dict[str, Any]) -> dict[str, Any]:
    store.resources[str(resource["id"]).lower()] = resource
    return resource


# --- long-running creates ------------------------------------------------------------------------

def _operation_url(request: Request, resource_id: str, location: str | None) -> tuple[str, str]:
    operation = str(uuid.uuid4())
    namespace = resource_type(resource_id).split("/", 1)[0]
    sub = resource_id.split("/")[2]
    version = request.query.get("api-version", "")
    url = (f"{PAGING[0].own_url}/subscriptions/{sub}/providers/{namespace}/locations/{location or 'global'}"
           f"/operationStatuses/{operation}?api-version={version}")
    return operation, url


def accepted(store: Store, request: Request, resource: dict[str, Any], status: int, creating: bool = True) -> Reply:
    """The first answer to a create or update: `status`, the operation to poll, the resource so far."""
    operation, url = _operation_url(request, str(resource["id"]), resource.get("location"))
    store.operations[operation] = [str(resource["id"]).lower(), 0]
    resource.setdefault("properties", {})["provisioningState"] = "Creating" if creating else "Updating"
    headers = {"Azure-AsyncOperation": url, "x-ms-retry-after-ms": "10"}
    if status == 202:  # Location: the operation's result, the resource once done (final-state-via location)
        headers["Location"] = url.replace("/operationStatuses/", "/operationResults/")
        return 202, {}, headers
    return status, copy.deepcopy(resource), headers


def operation_status(store: Store, request: Request, match: dict[str, str]) -> Reply:
    """Azure-AsyncOperation status: InProgress on the first poll, then Succeeded."""
    entry = store.operations.get(match["operation"])
    if entry is None:
        raise StoreError(404, "OperationNotFound", f"The operation '{match['operation']}' was not found.")
    entry[1] += 1
    if entry[1] == 1:
        progress = {"id": match["operation"], "name": match["operation"], "status": "InProgress"}
        return 200, progress, {"x-ms-retry-after-ms": "10"}
    resource = store.resources.get(str(entry[0]))
    if resource is not None:
        resource.setdefault("properties", {})["provisioningState"] = "Succeeded"
    return 200, {"id": match["operation"], "name": match["operation"], "status": "Succeeded",
                 "startTime": stamp(), "endTime": stamp()}, {}


def operation_result(store: Store, request: Request, match: dict[str, str]) -> Reply:
    """A 202's Location: 202 while the operation runs, then the resource it made."""
    entry = store.operations.get(match["operation"])
    if entry is None:
        raise StoreError(404, "OperationNotFound", f"The operation '{match['operation']}' was not found.")
    resource = store.resources.get(str(entry[0]))
    if entry[1] < 2 or resource is None:
        return 202, {}, {"Location": request.base_url + request.path + "?" + "&".join(
            f"{k}={v}" for k, v in request.query.items()), "x-ms-retry-after-ms": "10"}
    return 200, copy.deepcopy(resource), {}


# --- generic handlers ----------------------------------------------------------------------------

def put_handler(build: Build, first_status: int) -> Handler:
    def handle(store: Store, request: Request, match: dict[str, str]) -> Reply:
        store.require_group(match["sub"], match["rg"])
        resource_id = path_id(request)
        existing = find(store, resource_id)
        resource = save(store, build(store, request, match, resource_id))
        updated = existing is not None
        return accepted(store, request, resource, 200 if updated and first_status != 202 else first_status,
                        creating=not updated)
    return handle


def plain_put(build: Build) -> Handler:
    """A create or update that is not long-running (backup policies): 200 with the resource."""
    def handle(store: Store, request: Request, match: dict[str, str]) -> Reply:
        store.require_group(match["sub"], match["rg"])
        return 200, copy.deepcopy(save(store, build(store, request, match, path_id(request)))), {}
    return handle


def get_item(store: Store, request: Request, match: dict[str, str]) -> Reply:
    denied_read(store, request, match["sub"])
    resource = find(store, path_id(request))
    if resource is None:
        raise StoreError(404, "ResourceNotFound",
                         f"The Resource '{resource_type(path_id(request))}/{path_id(request).rsplit('/', 1)[-1]}' "
                         f"under resource group '{match.get('rg', '')}' was not found.")
    return 200, copy.deepcopy(resource), {}


def delete_item(store: Store, request: Request, match: dict[str, str]) -> Reply:
    if store.resources.pop(path_id(request).lower(), None) is None:
        raise StoreError(404, "ResourceNotFound", f"The Resource '{path_id(request)}' was not found.")
    return 200, {}, {}


def page(request: Request, items: list[dict[str, Any]]) -> Reply:
    """One page of a list and its `nextLink`, with a skip token as Azure's lists do."""
    items = sorted(items, key=lambda r: str(r.get("id", "")).lower())
    start = int(request.query.get("$skipToken", "0") or 0)
    size = PAGING[0].page_size
    body: dict[str, Any] = {"value": [copy.deepcopy(r) for r in items[start:start + size]]}
    if start + size < len(items):
        version = request.query.get("api-version", "")
        body["nextLink"] = f"{PAGING[0].own_url}{request.path}?api-version={version}&$skipToken={start + size}"
    return 200, body, {}


def list_handler(type_name: str, scope: Callable[[dict[str, str]], str] | None = None) -> Handler:
    """Every resource of `type_name` under the request's scope: the subscription or resource group
    (`.../providers/NS/type`), a parent resource (`.../parent/type`, which must exist), or what
    `scope(match)` says for lists addressed some other way."""
    wanted = type_name.lower()

    def handle(store: Store, request: Request, match: dict[str, str]) -> Reply:
        denied_read(store, request, match["sub"])
        if scope is not None:
            prefix = scope(match).lower()
        else:
            parent = request.path.rstrip("/").rsplit("/", 1)[0]
            namespace = f"/providers/{wanted.split('/', 1)[0]}"
            if parent.lower().endswith(namespace):
                prefix = parent[: -len(namespace)].lower()
            else:
                must_find(store, parent, "parent resource")
                prefix = parent.lower()
        items = [r for key, r in store.resources.items()
                 if resource_type(key).lower() == wanted and key.startswith(prefix + "/")]
        return page(request, items)
    return handle


def item_routes(pattern: str, type_name: str, build: Build, first_status: int,
                subscription_list: bool = True) -> list[tuple[str, str, Handler]]:
    """PUT/GET/DELETE of one resource type, its collection below the parent, and (for a top-level
    type) the subscription-wide list."""
    collection = pattern[: pattern.rindex("/(?P<")]  # the pattern without its last named segment
    routes: list[tuple[str, str, Handler]] = [
        ("PUT", pattern, put_handler(build, first_status)),
        ("GET", pattern, get_item),
        ("DELETE", pattern, delete_item),
        ("GET", collection, list_handler(type_name)),
    ]
    if subscription_list and type_name.count("/") == 1:
        routes.append(("GET", SUB + f"/providers/{re.escape(type_name)}", list_handler(type_name)))
    return routes


# --- resource groups -----------------------------------------------------------------------------

def put_group(store: Store, request: Request, match: dict[str, str]) -> Reply:
    """Resource Groups - Create Or Update: 201 when created, 200 when updated (not long-running)."""
    key = f"{match['sub']}/{match['rg']}".lower()
    location = location_code(request.body.get("location"), "Microsoft.Resources/resourceGroups")
    created = key not in store.groups
    store.groups[key] = {
        "id": f"/subscriptions/{match['sub']}/resourceGroups/{match['rg']}", "name": match["rg"],
        "type": "Microsoft.Resources/resourceGroups", "location": location,
        "tags": dict(request.body.get("tags") or {}), "properties": {"provisioningState": "Succeeded"},
    }
    store.subscriptions.setdefault(match["sub"], match["sub"])
    return (201 if created else 200), copy.deepcopy(store.groups[key]), {}


def get_group(store: Store, request: Request, match: dict[str, str]) -> Reply:
    denied_read(store, request, match["sub"])
    found = store.groups.get(f"{match['sub']}/{match['rg']}".lower())
    if found is None:
        raise StoreError(404, "ResourceGroupNotFound", f"Resource group '{match['rg']}' could not be found.")
    return 200, copy.deepcopy(found), {}


ROUTES: list[tuple[str, str, Handler]] = [
    ("PUT", SUB + r"/resourcegroups/(?P<rg>[^/]+)", put_group),
    ("GET", SUB + r"/resourcegroups/(?P<rg>[^/]+)", get_group),
    ("GET", SUB + r"/providers/(?P<namespace>[^/]+)/locations/(?P<location>[^/]+)/operationStatuses/"
                  r"(?P<operation>[^/]+)", operation_status),
    ("GET", SUB + r"/providers/(?P<namespace>[^/]+)/locations/(?P<location>[^/]+)/operationResults/"
                  r"(?P<operation>[^/]+)", operation_result),
]
