"""The GCP adapter: Cloud Storage buckets of every project, where they live, what is left.

Per project one paginated buckets.list (it returns location, labels, versioning, soft
delete and retention settings) and one for soft-deleted buckets. Every listed bucket is
recorded with its location and labels (they come free with the listing); deletion evidence
(three object listings) is fetched only where the collection plan asks, on a bounded thread
pool. A malformed bucket record is that bucket's gap, never the project's. Read-only.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from google.cloud import storage

from residency.catalog import Catalog, load_catalog
from residency.inventory.model import (
    AccountGap,
    DeletionEvidence,
    Facet,
    Gap,
    Inventory,
    Placement,
    Provider,
    ResourceKey,
    ResourceState,
    StorageResource,
)
from residency.sources.contract import (
    CollectionPlan,
    CommonOptions,
    InventorySource,
    Progress,
    ProviderOptions,
    SourceError,
)
from residency.sources.gcp.calls import MAX_BUCKET_PAGES, CallLimits, call_limits, raw_pages
from residency.sources.gcp.deletion_evidence import collect
from residency.sources.gcp.errors import describe_error
from residency.sources.gcp.facts import KIND, BucketFacts, MalformedRecord
from residency.sources.gcp.options import GcpOptions
from residency.sources.gcp.placements import bucket_placements
from residency.sources.gcp.projects import GcpCredentials, load_credentials, register_credentials, resolve_projects
from residency.sources.gcp.services import scan as services
from residency.sources.paging import PageGuard
from residency.sources.workers import worker_pool

PROJECTS_LABEL = "gcp: projects"
BUCKETS_LABEL = "gcp: bucket contents"


@dataclass
class ProjectListing:
    project: str
    live: list[Any] = field(default_factory=list)  # raw JSON resources, parsed one by one
    soft_deleted: list[Any] = field(default_factory=list)
    gaps: list[AccountGap] = field(default_factory=list)
    listed: bool = False


@dataclass(frozen=True)
class BucketPlan:
    facts: BucketFacts
    placements: tuple[Placement, ...]
    state: ResourceState
    wants_evidence: bool


class ClientPool:
    """One storage client per worker thread: the SDK does not promise thread safety."""

    def __init__(self, creds: GcpCredentials, project: str | None) -> None:
        self._creds, self._project = creds, project
        self._local = threading.local()
        self._all: list[storage.Client] = []
        self._lock = threading.Lock()

    def get(self) -> storage.Client:
        client: storage.Client | None = getattr(self._local, "client", None)
        if client is None:
            client = storage.Client(project=self._project, credentials=self._creds.credentials)
            # google-cloud-storage 3.17 fetches bucket metadata for telemetry in a background
            # thread on every bucket-scoped call (an extra buckets.get per bucket, needing
            # storage.buckets.get). The scan already has that metadata: switch it off.
            client._bucket_metadata_cache = None
            self._local.client = client
            with self._lock:
                self._all.append(client)
        return client

    def close(self) -> None:
        for client in self._all:
            client.close()


class GcpAdapter:
    provider = Provider.GCP

    def __init__(
        self, common: CommonOptions, options: GcpOptions, catalog: Catalog | None = None, bucket_page_size: int = 1000,
        limits: CallLimits | None = None,
    ) -> None:
        self.common = common
        self.options = options
        self.catalog = catalog or load_catalog()
        self.bucket_page_size = bucket_page_size
        self.limits = limits or call_limits()

    def collect(self, plan: CollectionPlan, progress: Progress) -> Inventory:
        if not plan.wants_provider(Provider.GCP):
            return Inventory((), (), (), "scan")
        creds = load_credentials()
        try:
            return self._collect(creds, plan, progress)
        finally:
            register_credentials(creds.credentials)  # whatever the calls refreshed: masked in every output

    def _collect(self, creds: GcpCredentials, plan: CollectionPlan, progress: Progress) -> Inventory:
        projects, gaps = resolve_projects(self.options, creds)
        projects = [p for p in projects if plan.wants_account(Provider.GCP, p)]
        clients = ClientPool(creds, projects[0] if projects else creds.project)
        try:
            with worker_pool(self.common.max_workers, "gcp") as pool:
                progress.begin(PROJECTS_LABEL, len(projects))
                listings = list(pool.map(lambda p: self._list_project(clients.get(), p, progress), projects))
                register_credentials(creds.credentials)  # refreshed by the listings: masked from now on
                plans = [found for listing in listings for found in self._plan(listing, plan)]
                progress.begin(BUCKETS_LABEL, sum(p.wants_evidence for p in plans))
                resources = list(pool.map(lambda p: self._resource(clients.get(), p, progress), plans))
                others, other_gaps = services.collect(projects, plan, creds.credentials, self.catalog, pool, progress,
                                                     creds.emulator)
        finally:
            clients.close()
        return Inventory(
            resources=tuple(sorted(resources + others, key=lambda r: r.id)),
            account_gaps=tuple(gaps) + tuple(g for listing in listings for g in listing.gaps) + tuple(other_gaps),
            scanned=tuple((Provider.GCP.value, listing.project) for listing in listings if listing.listed),
            source="scan",
        )

    def _list_project(self, client: storage.Client, project: str, progress: Progress) -> ProjectListing:
        listing = self._list_buckets(client, project)
        progress.advance(PROJECTS_LABEL)
        return listing

    def _list_buckets(self, client: storage.Client, project: str) -> ProjectListing:
        listing = ProjectListing(project)
        try:
            listing.live = self._records(client, project, listing, soft_deleted=False)
            listing.listed = True
        except Exception as error:  # cloud errors and anything unexpected: this project only
            reason = f"buckets could not be listed ({describe_error(error)})"
            listing.gaps.append(AccountGap(Provider.GCP, project, reason))
            return listing
        try:
            found = self._records(client, project, listing, soft_deleted=True)
        except Exception as error:  # cloud errors and anything unexpected: this project only
            listing.gaps.append(AccountGap(
                Provider.GCP, project, f"soft-deleted buckets could not be listed ({describe_error(error)})"))
            return listing
        # Some emulators ignore softDeleted=true and answer the live buckets again: an entry that is
        # a live bucket (same name and generation) is not soft-deleted; any other entry is.
        live = {(r.get("name"), r.get("generation")) for r in listing.live if isinstance(r, dict)}
        listing.soft_deleted = [r for r in found if not isinstance(r, dict) or r.get("softDeleteTime")
                                or (r.get("name"), r.get("generation")) not in live]
        return listing

    def _records(self, client: storage.Client, project: str, listing: ProjectListing, soft_deleted: bool) -> list[Any]:
        what = f"buckets.list{' of soft-deleted buckets' if soft_deleted else ''} of project {project}"
        guard = PageGuard(what, MAX_BUCKET_PAGES)
        iterator = client.list_buckets(project=project, page_size=self.bucket_page_size,
                                       soft_deleted=soft_deleted or None, retry=self.limits.retry,
                                       timeout=self.limits.timeout)
        records = [record for page in raw_pages(iterator, guard) for record in page]
        if guard.cut_short:
            reason = f"{guard.cut_short}: buckets after it were not listed"
            listing.gaps.append(AccountGap(Provider.GCP, project, reason))
        return records

    def _plan(self, listing: ProjectListing, plan: CollectionPlan) -> list[BucketPlan]:
        plans: list[BucketPlan] = []
        records = [(r, ResourceState.ACTIVE) for r in listing.live]
        records += [(r, ResourceState.SOFT_DELETED) for r in listing.soft_deleted]
        for record, state in records:
            try:
                facts = BucketFacts.from_api(record, listing.project)
            except MalformedRecord as error:  # no name: no bucket to record it on, so the project's gap
                listing.gaps.append(AccountGap(Provider.GCP, listing.project,
                                               f"buckets.list answered an entry that names no bucket ({error})"))
                continue
            rid = facts.resource_id if state is ResourceState.ACTIVE else facts.soft_deleted_id
            key = ResourceKey(Provider.GCP, facts.project, KIND, rid, facts.name, facts.labels)
            placements = bucket_placements(facts, self.catalog)
            regions = [p.region for p in placements if p.region]
            wants = (state is ResourceState.ACTIVE and plan.covers(key)
                     and plan.wants_deletion_evidence(key, regions))
            plans.append(BucketPlan(facts, placements, state, wants))
        return plans

    def _resource(self, client: storage.Client, plan: BucketPlan, progress: Progress) -> StorageResource:
        facts = plan.facts
        evidence: DeletionEvidence | None = None
        gaps: tuple[Gap, ...] = ()
        collected = {Facet.LOCATION, Facet.TAGS}
        if plan.wants_evidence:
            collected.add(Facet.DELETION_EVIDENCE)
            try:
                evidence, gaps = collect(client.list_blobs, facts, self.common.deep, self.limits)
            except Exception as error:  # an unexpected failure on one bucket: that bucket is unverifiable
                what = "objects, generations and soft-deleted objects"
                evidence, gaps = None, (Gap(what, describe_error(error), Facet.DELETION_EVIDENCE),)
            progress.advance(BUCKETS_LABEL)
        elif plan.state is ResourceState.SOFT_DELETED:
            settings = facts.settings
            evidence = DeletionEvidence(notes=(
                f"bucket soft-deleted at {settings.soft_delete_time or 'a time not reported'}; Cloud Storage keeps "
                f"it, with the objects it held, until {settings.hard_delete_time or 'a time not reported'}; it must "
                "be restored before its objects can be listed",
            ))
        soft = plan.state is ResourceState.SOFT_DELETED
        return StorageResource(
            provider=Provider.GCP, account=facts.project, id=facts.soft_deleted_id if soft else facts.resource_id,
            name=facts.name, kind=KIND, placements=plan.placements, collected=frozenset(collected),
            tags=facts.labels or (), state=plan.state, deletion_evidence=evidence, gaps=facts.problems + gaps,
            attributes=facts.attributes(),
        )


def create(common: CommonOptions, options: ProviderOptions) -> InventorySource:
    if not isinstance(options, GcpOptions):
        raise SourceError(f"Google Cloud options expected, got {type(options).__name__}")
    return GcpAdapter(common, options)
