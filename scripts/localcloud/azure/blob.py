"""Blob data-plane handlers of the local Azure server: what Azurite 3.37.0 does not keep.

Versions, soft-deleted blobs and containers, legal holds and immutability policies, in the
XML shapes of the Blob service REST reference (`storageservices/list-blobs`,
`storageservices/list-containers2`, `storageservices/set-blob-legal-hold`,
`storageservices/set-blob-immutability-policy`; x-ms-version 2026-02-06, the version
azure-storage-blob 12.31.1 sends). Soft delete, versioning and container soft delete
follow the account's blob service properties set through the ARM handlers. Requests are
not authenticated: the server is for local tests only.
"""

from __future__ import annotations

import datetime as dt
import re
from email.utils import format_datetime, parsedate_to_datetime
from xml.sax.saxutils import escape

from scripts.localcloud.azure.request import Request
from scripts.localcloud.azure.store import Account, BlobEntry, Container, Store, StoreError, now, unique_stamp

Reply = tuple[int, bytes, dict[str, str]]


def _http_date(moment: dt.datetime) -> str:
    return format_datetime(moment, usegmt=True)


def _el(tag: str, value: object) -> str:
    if value is None:
        return ""
    text = str(value).lower() if isinstance(value, bool) else str(value)
    return f"<{tag}>{escape(text)}</{tag}>"


def _metadata_headers(request: Request) -> dict[str, str]:
    return {k[len("x-ms-meta-"):]: v for k, v in request.headers.items() if k.startswith("x-ms-meta-")}


def _retention_left(deleted_time: dt.datetime | None, days: int | None) -> int | None:
    if deleted_time is None or days is None:
        return None
    return max(days - (now() - deleted_time).days, 1)


def _container_xml(account: Account, container: Container, include: set[str]) -> str:
    days = account.retention_days("containerDeleteRetentionPolicy")
    props = "".join([
        _el("Last-Modified", _http_date(container.created)), _el("Etag", container.etag),
        _el("LeaseStatus", "unlocked"), _el("LeaseState", "available"),
        _el("HasImmutabilityPolicy", container.immutability is not None),
        _el("HasLegalHold", bool(container.legal_hold_tags)),
        _el("DeletedTime", container.deleted_time and _http_date(container.deleted_time)),
        _el("RemainingRetentionDays", _retention_left(container.deleted_time, days)),
    ])
    metadata = ""
    if "metadata" in include:
        metadata = "<Metadata>" + "".join(_el(k, v) for k, v in container.metadata.items()) + "</Metadata>"
    deleted = _el("Deleted", True) + _el("Version", container.version) if container.deleted else ""
    return f"<Container>{_el('Name', container.name)}{deleted}<Properties>{props}</Properties>{metadata}</Container>"


def _page(items: list[str], request: Request) -> tuple[list[str], str | None, int]:
    """Marker paging: the marker is the index of the next item (opaque to clients)."""
    size = min(int(request.query.get("maxresults", "5000")), 5000)
    start = int(request.query.get("marker") or 0)
    nxt = str(start + size) if start + size < len(items) else None
    return items[start:start + size], nxt, size


def list_containers(store: Store, request: Request, account: Account) -> Reply:
    """List Containers: `include=deleted` adds soft-deleted containers with Deleted/Version."""
    include = set(filter(None, request.query.get("include", "").split(",")))
    containers = [c for c in store.containers.get(account.name, []) if "deleted" in include or not c.deleted]
    items = [_container_xml(account, c, include) for c in sorted(containers, key=lambda c: (c.name, c.deleted))]
    page, nxt, size = _page(items, request)
    body = (
        f'<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="{account.blob_endpoint}">'
        f"{_el('MaxResults', size)}<Containers>{''.join(page)}</Containers>"
        f"{_el('NextMarker', nxt) if nxt else '<NextMarker />'}</EnumerationResults>"
    )
    return 200, body.encode(), {"Content-Type": "application/xml"}


def _blob_xml(account: Account, blob: BlobEntry, include: set[str]) -> str:
    days = account.retention_days("deleteRetentionPolicy")
    props = [
        _el("Creation-Time", _http_date(blob.created)), _el("Last-Modified", _http_date(blob.created)),
        _el("Etag", blob.etag), _el("Content-Length", blob.size), _el("Content-Type", blob.content_type),
        _el("BlobType", "BlockBlob"), _el("LeaseStatus", "unlocked"), _el("LeaseState", "available"),
        _el("ServerEncrypted", True), _el("AccessTier", "Hot"), _el("AccessTierInferred", True),
        _el("DeletedTime", blob.deleted_time and _http_date(blob.deleted_time)),
        _el("RemainingRetentionDays", _retention_left(blob.deleted_time, days)),
    ]
    if "immutabilitypolicy" in include and blob.immutable_until:
        props += [_el("ImmutabilityPolicyUntilDate", _http_date(blob.immutable_until)),
                  _el("ImmutabilityPolicyMode", blob.immutable_mode)]
    if "legalhold" in include:
        props.append(_el("LegalHold", blob.legal_hold))
    metadata = ""
    if "metadata" in include:
        metadata = "<Metadata>" + "".join(_el(k, v) for k, v in blob.metadata.items()) + "</Metadata>"
    head = _el("Name", blob.name) + (_el("Deleted", True) if blob.deleted else "") + _el("Snapshot", blob.snapshot)
    if blob.version_id:
        head += _el("VersionId", blob.version_id) + (_el("IsCurrentVersion", True) if blob.current else "")
    return f"<Blob>{head}<Properties>{''.join(props)}</Properties>{metadata}</Blob>"


def _listed(blob: BlobEntry, include: set[str]) -> bool:
    if blob.deleted:
        return "deleted" in include
    if not blob.current:
        return "versions" in include
    return True


def list_blobs(store: Store, request: Request, account: Account, container: Container) -> Reply:
    """List Blobs: `include=versions` adds previous versions, `include=deleted` soft-deleted blobs."""
    include = set(filter(None, request.query.get("include", "").lower().split(",")))
    prefix = request.query.get("prefix", "")
    blobs = [b for b in container.blobs if b.name.startswith(prefix) and _listed(b, include)]
    blobs.sort(key=lambda b: (b.name, b.version_id or "", b.snapshot or ""))
    page, nxt, size = _page([_blob_xml(account, b, include) for b in blobs], request)
    body = (
        f'<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="{account.blob_endpoint}" '
        f'ContainerName="{escape(container.name)}">{_el("MaxResults", size)}<Blobs>{"".join(page)}</Blobs>'
        f"{_el('NextMarker', nxt) if nxt else '<NextMarker />'}</EnumerationResults>"
    )
    return 200, body.encode(), {"Content-Type": "application/xml"}


def create_container(store: Store, request: Request, account: Account, name: str) -> Reply:
    if not re.fullmatch(r"[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9]", name):
        raise StoreError(400, "OutOfRangeInput", "The specified resource name is not a valid container name.")
    if any(c.name == name for c in store.live_containers(account.name)):
        raise StoreError(409, "ContainerAlreadyExists", "The specified container already exists.")
    container = Container(name, _metadata_headers(request))
    store.containers.setdefault(account.name, []).append(container)
    return 201, b"", {"ETag": container.etag, "Last-Modified": _http_date(container.created)}


def delete_container(store: Store, account: Account, container: Container) -> Reply:
    """Delete Container: kept as soft-deleted when container delete retention is on."""
    if container.legal_hold_tags or (container.immutability and container.blobs):
        raise StoreError(409, "ContainerProtectedFromDeletion", "The container is protected from deletion.")
    if account.retention_days("containerDeleteRetentionPolicy") is not None:
        container.deleted_time, container.version = now(), f"01{unique_stamp().replace(':', '')}"
    else:
        store.containers[account.name].remove(container)
    return 202, b"", {}


def _immutable() -> StoreError:
    return StoreError(409, "BlobImmutableDueToPolicy", "This operation is not permitted on an immutable blob.")


def put_blob(store: Store, request: Request, account: Account, container: Container, name: str) -> Reply:
    """Put Blob: with versioning the replaced version stays as a previous version."""
    versioning = account.service_flag("isVersioningEnabled")
    for old in list(container.blobs):
        if old.name == name and old.current and not old.deleted:
            if old.is_immutable():
                raise _immutable()
            old.current = False
            if not versioning:
                _discard(account, container, old, snapshot=True)
    blob = BlobEntry(name, len(request.raw), request.headers.get("x-ms-blob-content-type",
                     "application/octet-stream"), _metadata_headers(request))
    headers = {"ETag": blob.etag, "Last-Modified": _http_date(blob.created), "x-ms-request-server-encrypted": "true"}
    if versioning:
        blob.version_id = unique_stamp()
        headers["x-ms-version-id"] = blob.version_id
    container.blobs.append(blob)
    return 201, b"", headers


def _discard(account: Account, container: Container, blob: BlobEntry, snapshot: bool = False) -> None:
    """Soft-delete when blob soft delete is on, else remove."""
    if account.retention_days("deleteRetentionPolicy") is not None:
        blob.deleted, blob.deleted_time, blob.current = True, now(), False
        if snapshot:
            blob.snapshot = unique_stamp()
    else:
        container.blobs.remove(blob)


def delete_blob(store: Store, request: Request, account: Account, container: Container, name: str) -> Reply:
    """Delete Blob: versioning keeps the current version as a previous one; `versionid` deletes one version."""
    version = request.query.get("versionid")
    matches = [b for b in container.blobs if b.name == name and not b.deleted
               and (b.version_id == version if version else b.current)]
    if not matches:
        raise StoreError(404, "BlobNotFound", "The specified blob does not exist.")
    blob = matches[0]
    if blob.is_immutable():
        raise _immutable()
    if account.service_flag("isVersioningEnabled") and not version:
        blob.current = False
    else:
        _discard(account, container, blob)
    return 202, b"", {"x-ms-delete-type-permanent": "false"}


def _current(container: Container, name: str) -> BlobEntry:
    for blob in container.blobs:
        if blob.name == name and blob.current and not blob.deleted:
            return blob
    raise StoreError(404, "BlobNotFound", "The specified blob does not exist.")


def set_legal_hold(request: Request, container: Container, name: str) -> Reply:
    """Set Blob Legal Hold (`comp=legalhold`, header x-ms-legal-hold)."""
    blob = _current(container, name)
    blob.legal_hold = request.headers.get("x-ms-legal-hold", "").lower() == "true"
    return 200, b"", {"x-ms-legal-hold": str(blob.legal_hold).lower()}


def set_immutability(request: Request, container: Container, name: str) -> Reply:
    """Set Blob Immutability Policy (`comp=immutabilityPolicies`)."""
    blob = _current(container, name)
    until = request.headers.get("x-ms-immutability-policy-until-date", "")
    blob.immutable_until = parsedate_to_datetime(until)
    blob.immutable_mode = request.headers.get("x-ms-immutability-policy-mode", "Unlocked")
    return 200, b"", {"x-ms-immutability-policy-until-date": until,
                      "x-ms-immutability-policy-mode": blob.immutable_mode.lower()}


def handle(store: Store, request: Request) -> Reply:
    """Dispatch one data-plane request (path-style: /account[/container[/blob]])."""
    parts = request.path.lstrip("/").split("/", 2)
    query = request.query
    with store.lock:
        account = store.data_account(parts[0])
        if len(parts) == 1 or not parts[1]:
            if request.method == "GET" and query.get("comp") == "list":
                return list_containers(store, request, account)
            raise StoreError(400, "UnsupportedOperation", "Only List Containers is served at account level.")
        if len(parts) == 2 or not parts[2]:
            if request.method == "PUT" and query.get("restype") == "container":
                return create_container(store, request, account, parts[1])
            container = store.container(account.name, parts[1])
            if request.method == "GET" and query.get("comp") == "list":
                return list_blobs(store, request, account, container)
            if request.method == "DELETE":
                return delete_container(store, account, container)
            raise StoreError(400, "UnsupportedOperation", "Unsupported container operation.")
        container = store.container(account.name, parts[1])
        comp = query.get("comp")
        if request.method == "PUT" and comp == "legalhold":
            return set_legal_hold(request, container, parts[2])
        if request.method == "PUT" and comp == "immutabilityPolicies":
            return set_immutability(request, container, parts[2])
        if request.method == "PUT" and comp is None:
            return put_blob(store, request, account, container, parts[2])
        if request.method == "DELETE":
            return delete_blob(store, request, account, container, parts[2])
        raise StoreError(400, "UnsupportedOperation", "Unsupported blob operation.")
