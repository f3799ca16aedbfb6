"""Deletion evidence for one storage account: what is left and what keeps it there.

Only collected when a covering policy requires deletion and the account's location is not
plainly allowed. By default a bounded probe: one page of containers (deleted included),
then one page of blobs (versions and soft-deleted included) in the first few containers;
counts are then "at least" (`exact=False`), and a zero from an incomplete probe is
reported as unknown. `--deep` walks every page of every container.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from azure.core.exceptions import AzureError
from azure.mgmt.storage import StorageManagementClient
from azure.storage.blob import BlobProperties, BlobServiceClient, ContainerProperties

from residency.inventory.model import DeletionEvidence, Facet, Gap, RetentionLock
from residency.inventory.tally import ObjectTally
from residency.sources.azure.containers import MAX_BLOB_PAGES
from residency.sources.azure.errors import describe_error, text
from residency.sources.paging import PageGuard
from residency.untrusted.redact import clip

EVIDENCE = Facet.DELETION_EVIDENCE

PROBE_CONTAINERS = 10  # containers whose blobs a probe lists
PROBE_PAGE = 100  # entries per page in a probe
BLOB_INCLUDE = ["versions", "deleted", "immutabilitypolicy", "legalhold"]


@dataclass
class BlobTally:
    """The shared object tally, plus what blob listings add: holds, immutability, deleted containers."""

    counts: ObjectTally = field(default_factory=ObjectTally)
    deleted_containers: int = 0
    legal_holds: int = 0
    immutable: dict[str, list[dt.datetime | None]] = field(default_factory=dict)  # mode -> until (None: unknown)
    cut_short: list[str] = field(default_factory=list)  # listings a --deep scan could not finish

    @property
    def truncated(self) -> bool:
        return not self.counts.complete

    def add(self, blob: BlobProperties, moment: dt.datetime) -> None:
        counts = self.counts
        counts.bytes += int(blob.size or 0)
        if blob.deleted:
            counts.soft_deleted += 1
        elif blob.version_id and not blob.is_current_version:
            counts.noncurrent += 1
        else:
            counts.live += 1
        if blob.has_legal_hold:
            self.legal_holds += 1
        policy = blob.immutability_policy
        if policy is None or (policy.expiry_time is None and policy.policy_mode is None):
            return  # no immutability policy on this version
        if policy.expiry_time is None or policy.expiry_time > moment:  # an unreported end may be in the future
            mode = text(policy.policy_mode).lower() if policy.policy_mode else "unreported-mode"
            self.immutable.setdefault(mode, []).append(policy.expiry_time)


def _first_or_all(pages: Iterator[Iterable[Any]], deep: bool, tally: BlobTally, what: str) -> list[Any]:
    """The first page (a probe) or every page (--deep, boundedly: a listing cut short leaves the counts
    lower bounds and says why)."""
    items: list[Any] = []
    guard = PageGuard(what, MAX_BLOB_PAGES)
    for page in pages:
        items.extend(page)
        token = getattr(pages, "continuation_token", None)
        if not deep:
            if token:
                tally.counts.complete = False
            break
        if not guard.follow(token):
            if guard.cut_short:
                tally.counts.complete = False
                tally.cut_short.append(guard.cut_short)
            break
    return items


def service_notes(client: StorageManagementClient, resource_group: str, name: str) -> list[str]:
    """Versioning and soft-delete settings, which decide what a delete leaves behind."""
    try:
        props = client.blob_services.get_service_properties(resource_group, name)
        return [
            f"blob versioning: {_switch(props.is_versioning_enabled)}",
            f"blob soft delete: {_retention(props.delete_retention_policy)}",
            f"container soft delete: {_retention(props.container_delete_retention_policy)}",
            f"change feed: {_switch(props.change_feed.enabled if props.change_feed is not None else None)}",
        ]
    except AzureError as error:
        return [f"blob service properties unreadable: {describe_error(error)}"]
    except (ValueError, TypeError, AttributeError) as error:  # the SDK's lazy models fail when first read
        return [f"blob service properties unreadable: unexpected answer ({type(error).__name__})"]


def _switch(value: object) -> str:
    """A setting the service did not report is "not reported", never "disabled"."""
    if isinstance(value, bool):
        return "enabled" if value else "disabled"
    return "not reported"


def _retention(policy: Any) -> str:
    if policy is None or not isinstance(policy.enabled, bool):
        return "not reported"
    if not policy.enabled:
        return "disabled"
    return f"{policy.days} days" if policy.days is not None else "enabled, retention days not reported"


def _container_locks(
    container: ContainerProperties, client: StorageManagementClient, resource_group: str, account: str
) -> list[RetentionLock]:
    locks = []
    if container.has_legal_hold:
        locks.append(RetentionLock("legal-hold", f"container '{container.name}' is under a legal hold"))
    if container.has_immutability_policy:
        try:
            policy = client.blob_containers.get_immutability_policy(resource_group, account, container.name)
        except AzureError as error:
            locks.append(RetentionLock(
                "immutability-policy",
                f"container '{container.name}' has an immutability policy whose state could not be read "
                f"({describe_error(error)})"))
            return locks
        state = text(policy.state or "").lower()
        days = policy.immutability_period_since_creation_in_days
        period = f"{days} days" if days is not None else "a period not reported"
        if state in ("locked", "unlocked"):
            described = f"{'a locked' if state == 'locked' else 'an unlocked'} time-based retention policy"
        else:  # a state the service did not report may be locked: it blocks until shown otherwise
            described = "a time-based retention policy whose state was not reported (counted as locked)"
        locks.append(RetentionLock("immutability-policy", f"container '{container.name}' has {described} "
                                   f"({period} from each blob's creation)", blocks_deletion=state != "unlocked"))
    return locks


def _blob_locks(tally: BlobTally, exact: bool) -> list[RetentionLock]:
    at_least = "" if exact else "at least "
    locks = []
    if tally.legal_holds:
        locks.append(RetentionLock("legal-hold", f"{at_least}{tally.legal_holds} blob version(s) under a legal hold"))
    for mode, dates in sorted(tally.immutable.items()):
        known = [date for date in dates if date is not None]
        until = max(known) if known and len(known) == len(dates) else None
        ends = f"until {until:%Y-%m-%d}" if until else "until a date not reported"
        locks.append(RetentionLock(
            "immutability-policy", f"{at_least}{len(dates)} blob version(s) under a {mode} immutability policy {ends}",
            until=until.isoformat() if until else None, blocks_deletion=mode != "unlocked"))
    return locks


def collect_residue(
    service: BlobServiceClient,
    client: StorageManagementClient,
    resource_group: str,
    account: str,
    deep: bool,
    container: str | None = None,
) -> tuple[DeletionEvidence | None, list[Gap]]:
    """The whole account's residue, or only `container`'s (its live and soft-deleted instances)."""
    notes = service_notes(client, resource_group, account)
    tally = BlobTally()
    locks: list[RetentionLock] = []
    moment = dt.datetime.now(dt.UTC)
    per_page = None if deep else PROBE_PAGE
    try:
        containers = _first_or_all(service.list_containers(
            name_starts_with=container, include_deleted=True, results_per_page=per_page).by_page(), deep, tally,
            f"List Containers of {account}")
        if container is not None:
            containers = [c for c in containers if c.name == container]
        live = [c for c in containers if not c.deleted]
        tally.deleted_containers = len(containers) - len(live)
        if not deep and len(live) > PROBE_CONTAINERS:
            tally.counts.complete, live = False, live[:PROBE_CONTAINERS]
        for item in live:
            locks.extend(_container_locks(item, client, resource_group, account))
            blobs = service.get_container_client(item.name).list_blobs(
                include=BLOB_INCLUDE, results_per_page=per_page).by_page()
            for blob in _first_or_all(blobs, deep, tally, f"List Blobs of {account}/{item.name}"):
                tally.add(blob, moment)
    except AzureError as error:
        return None, [Gap("blobs, versions and soft-deleted data", describe_error(error), EVIDENCE)]
    except (ValueError, TypeError, AttributeError) as error:  # an answer the SDK could not read
        reason = clip(f"unexpected answer ({type(error).__name__}: {error})", 300)
        return None, [Gap("blobs, versions and soft-deleted data", reason, EVIDENCE)]
    return _residue(tally, locks, notes), []


def _residue(tally: BlobTally, locks: list[RetentionLock], notes: list[str]) -> DeletionEvidence:
    exact = not tally.truncated
    if tally.deleted_containers:
        notes.append(f"{tally.deleted_containers} soft-deleted container(s) counted as soft-deleted objects "
                     "(a deleted container's blobs cannot be listed until it is restored)")
    if not exact and not tally.cut_short:
        notes.append(f"probe: first page of up to {PROBE_PAGE} entries in up to {PROBE_CONTAINERS} containers; "
                     "counts are lower bounds (--deep counts everything)")
    notes += [f"{why}: counts are lower bounds" for why in tally.cut_short]
    counts = tally.counts
    counts.soft_deleted += tally.deleted_containers
    evidence = counts.evidence([*locks, *_blob_locks(tally, exact)], notes)
    return evidence._replace(delete_markers=None)  # Azure keeps no delete markers
