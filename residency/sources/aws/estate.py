"""One account's regional estate while it is scanned: every resource found so far (by id), what
each service family keeps for later steps, the listings that failed, and the shared clients.

Listing tasks of many regions run at once and add to it under a lock; the steps after the
listings (tags, lineage, plans, per-resource reads) run once every region is in.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from residency.inventory.model import Facet, Gap, PlacementKind, Provider, ResourceKey
from residency.sources.aws import chains
from residency.sources.aws.bucket_region import BucketRegion
from residency.sources.aws.regional import Draft, Failures
from residency.sources.aws.session import Clients
from residency.sources.contract import CollectionPlan

AWS = Provider.AWS


@dataclass
class Estate:
    clients: Clients
    account: str
    partition: str
    plan: CollectionPlan
    locate_bucket: Callable[[str], BucketRegion]  # the bucket scan's cache: each bucket located once
    known: dict[str, ResourceKey] = field(default_factory=dict)  # resources found by other scans (buckets)
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    regions: list[str] = field(default_factory=list)
    drafts: dict[str, Draft] = field(default_factory=dict)
    extra: dict[str, list[Any]] = field(default_factory=dict)  # family -> records kept for later steps
    failures: Failures = field(default_factory=Failures)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _memo: dict[tuple[str, ...], Any] = field(default_factory=dict)
    _memo_lock: threading.Lock = field(default_factory=threading.Lock)

    def client(self, service: str, region: str) -> Any:
        return self.clients.get(service, region)

    def arn(self, service: str, region: str, resource: str, account: str | None = None) -> str:
        return f"arn:{self.partition}:{service}:{region}:{self.account if account is None else account}:{resource}"

    def found(self, draft: Draft) -> Draft:
        """Add a resource (the first listing of an id wins: the same backup may be listed twice)."""
        with self.lock:
            return self.drafts.setdefault(draft.id, draft)

    @contextlib.contextmanager
    def reading(self, kind: str, region: str, item: Any, id_key: str) -> Iterator[None]:
        """One record of a listing: if it is malformed, it becomes that resource's gap (located nowhere,
        its tags unknown), never the listing's or the account's."""
        try:
            yield  # a record that is not an object fails in the body as a malformed one does
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            ident = item.get(id_key) if isinstance(item, dict) else None
            with self.lock:
                unnamed = f"{kind}#{len(self.drafts)} in {region}"
                resource_id = str(ident) if isinstance(ident, str) and ident else unnamed
            draft = Draft(kind, resource_id, resource_id.rsplit("/", 1)[-1], self.account,
                          region_reason=f"the listing's record could not be read ({type(error).__name__}: {error})")
            draft.gaps.append(Gap("its listing record", f"{type(error).__name__}: {error}"[:300], Facet.LOCATION))
            with self.lock:
                self.drafts[draft.id] = draft  # replaces what a half-read record left

    def once(self, key: tuple[str, ...], read: Callable[[], Any]) -> Any:
        """A read shared by many resources (a delivery stream several log groups send to), made once."""
        with self._memo_lock:
            if key in self._memo:
                return self._memo[key]
        value = read()
        with self._memo_lock:
            return self._memo.setdefault(key, value)

    def keep(self, family: str, record: Any) -> None:
        with self.lock:
            self.extra.setdefault(family, []).append(record)

    def kept(self, family: str) -> list[Any]:
        return list(self.extra.get(family, []))

    def of_kind(self, *kinds: str) -> list[Draft]:
        return [d for d in self.drafts.values() if d.kind in kinds]

    def key_of(self, resource_id: str) -> ResourceKey | None:
        draft = self.drafts.get(resource_id)
        return draft.key if draft is not None else self.known.get(resource_id)

    def covers(self, draft: Draft) -> bool:
        return self.plan.covers(draft.key)

    def wants(self, kind: PlacementKind, draft: Draft) -> bool:
        """Placements of this kind are needed: for the resource itself, or for the resource whose data
        it holds (a replica or copy is judged under its source's data class too)."""
        keys = [draft.key]
        lineage = chains.lineage_of(self.drafts, self.known, self.account, draft)
        if lineage is not None:
            keys.append(lineage.source if lineage.source is not None else draft.key._replace(tags=None))
        return any(self.plan.covers(key) and self.plan.wants_placements(kind, key) for key in keys)

    def wants_kind(self, kind: str) -> bool:
        return self.plan.wants_kind(AWS, self.account, kind)

    @property
    def scopes_by_tags(self) -> bool:
        return self.plan.scopes_by_tags(AWS, self.account)
