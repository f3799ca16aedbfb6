"""Container metadata as data classification, for accounts no policy covers by their own tags.

A storage account holds many containers; some teams classify data per container with
metadata rather than tagging the account. Container metadata is read only when the account's
tags leave it out of scope and some policy scopes by tags in its subscription: otherwise no
policy needs it. One List Containers call (`include=metadata`) per such account; by default
one page (`PROBE_PAGE`), `--deep` reads every page.

Azure metadata names must be C# identifiers (no hyphens: `x-ms-meta-data-class` is
rejected with 400), so a name's underscores also count as hyphens: metadata `data_class`
matches a policy scoping by tag `data-class`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from azure.storage.blob import BlobServiceClient

from residency.inventory.kinds.azure import BLOB_CONTAINER
from residency.inventory.model import Facet, Gap, Placement, sorted_tags
from residency.sources.paging import PageGuard

CONTAINER_KIND = BLOB_CONTAINER.id
PROBE_PAGE = 5000  # the service's largest page: one request reads most accounts completely
MAX_BLOB_PAGES = 100_000  # --deep listings of containers or blobs, then counts are lower bounds


@dataclass
class AccountPlacements:
    """Where an account's data lives (shared by the account or by its covered containers)."""

    resource_group: str
    placements: list[Placement]
    attributes: list[tuple[str, str]]
    gaps: list[Gap]
    collected: set[Facet] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class ContainerListing:
    containers: tuple[tuple[str, dict[str, str]], ...]  # (name, metadata)
    complete: bool  # False: a probe left pages unread
    cut_short: str | None = None  # why a --deep listing stopped before its last page


def container_id(account_id: str, container: str) -> str:
    return f"{account_id.rstrip('/')}/blobServices/default/containers/{container}"


def merged_tags(account_tags: Iterable[tuple[str, str]], metadata: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """Account tags overridden by container metadata (`a_b` also as `a-b`, see the module doc)."""
    merged = dict(account_tags)
    for name, value in metadata.items():
        merged[name] = value
        if "_" in name:
            merged[name.replace("_", "-")] = value
    return sorted_tags(merged)


def list_container_metadata(service: BlobServiceClient, deep: bool) -> ContainerListing:
    """Live containers and their metadata; raises the SDK's AzureError for the caller's Gap."""
    pages = service.list_containers(include_metadata=True, results_per_page=None if deep else PROBE_PAGE).by_page()
    found: list[tuple[str, dict[str, str]]] = []
    guard = PageGuard("List Containers", MAX_BLOB_PAGES)
    for page in pages:
        found.extend((str(c.name), dict(c.metadata or {})) for c in page)
        token = getattr(pages, "continuation_token", None)
        if not deep:
            return ContainerListing(tuple(found), complete=not token)
        if not guard.follow(token):
            break
    return ContainerListing(tuple(found), complete=guard.cut_short is None, cut_short=guard.cut_short)
