"""What every service scan shares: the plan, the catalog, credentials, endpoints, keys and errors.

Endpoints: `RESIDENCY_GCP_<SERVICE>_URL` (SERVICE one of SQLADMIN, SPANNER, BIGQUERY, DATATRANSFER,
FIRESTORE, BIGTABLE, COMPUTE) replaces that API's endpoint; a plain-http endpoint is a local server
and gets anonymous credentials (a token never travels over plain http).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from google.auth import credentials as auth_credentials

from residency.catalog import Catalog
from residency.inventory.model import (
    AccountGap,
    Facet,
    Gap,
    Lineage,
    Placement,
    PlacementKind,
    Provider,
    ResourceKey,
    StorageResource,
    Tags,
    sorted_tags,
)
from residency.sources.contract import CollectionPlan
from residency.sources.gcp.errors import describe_error
from residency.sources.gcp.services.locations import as_derived
from residency.sources.paging import guarded

URL_ENV = "RESIDENCY_GCP_{}_URL"
SERVICES = ("sqladmin", "spanner", "bigquery", "datatransfer", "firestore", "bigtable", "compute")
GCP = Provider.GCP
T = TypeVar("T")


def endpoint(service: str) -> str | None:
    return os.environ.get(URL_ENV.format(service.upper())) or None


@dataclass
class Found:
    """What one service scan of one project found."""

    resources: list[StorageResource] = field(default_factory=list)
    gaps: list[AccountGap] = field(default_factory=list)


@dataclass(frozen=True)
class ServiceContext:
    plan: CollectionPlan
    catalog: Catalog
    credentials: auth_credentials.Credentials

    def credentials_for(self, service: str) -> auth_credentials.Credentials:
        url = endpoint(service)
        if url is not None and url.startswith("http://"):
            return auth_credentials.AnonymousCredentials()  # type: ignore[no-untyped-call]
        return self.credentials

    def client_options(self, service: str) -> Any:
        from google.api_core.client_options import ClientOptions

        url = endpoint(service)
        return ClientOptions(api_endpoint=url) if url else None

    def wants_kind(self, project: str, kind: str) -> bool:
        """Could a resource of this kind in this project be needed? A plan that can answer per kind
        (`wants_kind`) is asked; otherwise every kind of a wanted project is listed (fail closed)."""
        if not self.plan.wants_account(GCP, project):
            return False
        ask: Callable[[Provider, str, str], bool] | None = getattr(self.plan, "wants_kind", None)
        return True if ask is None else ask(GCP, project, kind)

    def wants_copies(self, source: ResourceKey, copy_kind: str) -> bool:
        """Copies inherit their source's data class: needed when the source is, or the copies may be."""
        probe = source._replace(kind=copy_kind, tags=None)
        return (self.plan.covers(source) and self.plan.wants_placements(PlacementKind.DERIVED, source)) \
            or self.plan.covers(probe)


def key(project: str, kind: str, resource_id: str, name: str, tags: Tags | None) -> ResourceKey:
    return ResourceKey(GCP, project, kind, resource_id, name, tags)


def labels_of(value: Any) -> Tags:
    """Labels from an API mapping; anything that is not text is dropped (hostile data stays data)."""
    if not isinstance(value, dict):
        return ()
    return sorted_tags({str(k): str(v) for k, v in value.items() if isinstance(k, str) and isinstance(v, str)})


def resource(k: ResourceKey, placements: Iterable[Placement], collected: Iterable[Facet], *,
             gaps: Iterable[Gap] = (), attributes: dict[str, str] | None = None,
             lineage: Lineage | None = None) -> StorageResource:
    return StorageResource(
        provider=GCP, account=k.account, id=k.id, name=k.name, kind=k.kind, placements=tuple(placements),
        collected=frozenset(collected), tags=k.tags or (), gaps=tuple(gaps),
        attributes=tuple(sorted((attributes or {}).items())), lineage=lineage,
    )


def describe(error: BaseException) -> str:
    """googleapiclient's HttpError carries its status and the service's message; others as usual."""
    status = getattr(getattr(error, "resp", None), "status", None)
    reason = getattr(error, "reason", None)
    if status is not None and isinstance(reason, str):
        return " ".join(f"HTTP {status}: {reason}".split())[:300]
    return describe_error(error)


def list_gap(project: str, service: str, what: str, error: BaseException) -> AccountGap:
    return AccountGap(GCP, project, f"{service}: {what} could not be listed ({describe(error)})")


def pager_items(pager: Any, what: str, items: Callable[[Any], Iterable[T]]) -> Iterator[T]:
    """Every item of a generated client's pager, its page tokens guarded (`sources/paging.py`)."""
    for page in guarded(pager.pages, lambda: getattr(pager, "next_page_token", None) or None, what):
        yield from items(page)


def as_dict(message: Any) -> dict[str, Any]:
    """A proto-plus message as plain JSON-like data (snake_case keys, enum names)."""
    value = type(message).to_dict(message, use_integers_for_enums=False)
    return value if isinstance(value, dict) else {}


def text(record: dict[str, Any], name: str) -> str | None:
    value = record.get(name)
    return value if isinstance(value, str) and value else None


def link_copies(resources: list[StorageResource], copy_kinds: frozenset[str], what: str) -> list[StorageResource]:
    """Each copy of these kinds becomes DERIVED placements on its source, where the source is in the
    list and its copies were collected (a source outside the list keeps the copy's lineage only)."""
    by_id = {r.id: r for r in resources}
    extra: dict[str, list[Placement]] = {}
    for copy in resources:
        if copy.kind in copy_kinds and copy.lineage is not None and copy.lineage.source is not None:
            extra.setdefault(copy.lineage.source.id, []).extend(as_derived(copy.placements, what, copy.id))
    for source_id, derived in extra.items():
        source = by_id.get(source_id)
        if source is not None and Facet.COPIES in source.collected:
            by_id[source_id] = replace(source, placements=source.placements + tuple(derived))
    return list(by_id.values())


def obj(record: dict[str, Any], name: str) -> dict[str, Any]:
    """A nested object of an API record; anything else (absent, malformed) is empty."""
    value = record.get(name)
    return value if isinstance(value, dict) else {}


def closing(stack: contextlib.ExitStack, client: T) -> T:
    """Close the client (its HTTP session) when the stack unwinds: every scan closes what it opens."""
    closer = getattr(client, "close", None) or getattr(getattr(client, "transport", None), "close", None)
    if closer is not None:
        stack.callback(closer)
    return client
