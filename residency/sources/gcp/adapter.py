"""The GCP adapter: Cloud Storage buckets of every project, where they live, what is left.

Per project one paginated buckets.list (it returns location, labels, versioning, soft
delete and retention settings) and one for soft-deleted buckets. Every listed bucket is
recorded with its location and labels (they come free with the listing); deletion evidence
(three object listings) is fetched only where the collection plan asks, on a bounded thread
pool. A malformed bucket record is that bucket's gap, never the project's. Read-only.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
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
from residency.sources.gcp.deletion_evidence import collect
from residency.sources.gcp.errors import describe_error
from residency.sources.gcp.facts import KIND, BucketFacts, MalformedRecord, malformed_bucket
from residency.sources.gcp.options import GcpOptions
from residency.sources.gcp.placements import bucket_placements
from residency.sources.gcp.projects import GcpCredentials, load_credentials, resolve_projects
from residency.sources.gcp.services import scan as services

PROJECTS_LABEL = "gcp: projects"
BUCKETS_LABEL = "gcp: bucket contents"


@dataclass
class ProjectListing:
    project: str
    live: list[dict[str, Any]] = field(default_factory=list)
    soft_deleted: list[dict[str, Any]] = field(default_factory=list)
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
    ) -> None:
        self.common = common
        self.options = options
        self.catalog = catalog or load_catalog()
        self.bucket_page_size = bucket_page_size

    def collect(self, plan: CollectionPlan, progress: Progress) -> Inventory:
        if not plan.wants_provider(Provider.GCP):
            return Inventory((), (), (), "scan")
        creds = load_credentials()
        projects, gaps = resolve_projects(self.options, creds)
        projects = [p for p in projects if plan.wants_account(Provider.GCP, p)]
        clients = ClientPool(creds, projects[0] if projects else creds.project)
        try:
            with ThreadPoolExecutor(self.common.max_workers, thread_name_prefix="gcp") as pool:
                progress.begin(PROJECTS_LABEL, len(projects))
                listings = list(pool.map(lambda p: self._list_project(clients.get(), p, progress), projects))
                plans: list[BucketPlan] = []
                malformed: list[StorageResource] = []
                for listing in listings:
                    found, broken = self._plan(listing, plan)
                    plans += found
                    malformed += broken
                progress.begin(BUCKETS_LABEL, sum(p.wants_evidence for p in plans))
                resources = list(pool.map(lambda p: self._resource(clients.get(), p, progress), plans))
                others, other_gaps = services.collect(projects, plan, creds.credentials, self.catalog, pool, progress)
        finally:
            clients.close()
        return Inventory(
            resources=tuple(sorted(resources + malformed + others, key=lambda r: r.id)),
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
            listing.live = [b._properties for b in client.list_buckets(project=project,
                                                                        page_size=self.bucket_page_size)]
            listing.listed = True
        except Exception as error:  # cloud errors and anything unexpected: this project only
            reason = f"buckets could not be listed ({describe_error(error)})"
            listing.gaps.append(AccountGap(Provider.GCP, project, reason))
            return listing
        try:
            found = client.list_buckets(project=project, page_size=self.bucket_page_size, soft_deleted=True)
            # Only entries that carry softDeleteTime are soft-deleted (some emulators ignore the flag).
            listing.soft_deleted = [b._properties for b in found if b._properties.get("softDeleteTime")]
        except Exception as error:  # cloud errors and anything unexpected: this project only
            listing.gaps.append(AccountGap(
                Provider.GCP, project, f"soft-deleted buckets could not be listed ({describe_error(error)})"))
        return listing

    def _plan(self, listing: ProjectListing, plan: CollectionPlan) -> tuple[list[BucketPlan], list[StorageResource]]:
        plans: list[BucketPlan] = []
        malformed: list[StorageResource] = []
        records = [(r, ResourceState.ACTIVE) for r in listing.live]
        records += [(r, ResourceState.SOFT_DELETED) for r in listing.soft_deleted]
        for record, state in records:
            try:
                facts = BucketFacts.from_api(record, listing.project)
            except MalformedRecord as error:
                malformed.append(malformed_bucket(record, listing.project, state, str(error)))
                continue
            rid = facts.resource_id if state is ResourceState.ACTIVE else facts.soft_deleted_id
            key = ResourceKey(Provider.GCP, facts.project, KIND, rid, facts.name, facts.labels)
            placements = bucket_placements(facts, self.catalog)
            regions = [p.region for p in placements if p.region]
            wants = (state is ResourceState.ACTIVE and plan.covers(key)
                     and plan.wants_deletion_evidence(key, regions))
            plans.append(BucketPlan(facts, placements, state, wants))
        return plans, malformed

    def _resource(self, client: storage.Client, plan: BucketPlan, progress: Progress) -> StorageResource:
        facts = plan.facts
        evidence: DeletionEvidence | None = None
        gaps: tuple[Gap, ...] = ()
        collected = {Facet.LOCATION, Facet.TAGS}
        if plan.wants_evidence:
            collected.add(Facet.DELETION_EVIDENCE)
            try:
                evidence, gaps = collect(client.list_blobs, facts, self.common.deep)
            except Exception as error:  # an unexpected failure on one bucket: that bucket is unverifiable
                what = "objects, generations and soft-deleted objects"
                evidence, gaps = None, (Gap(what, describe_error(error), Facet.DELETION_EVIDENCE),)
            progress.advance(BUCKETS_LABEL)
        elif plan.state is ResourceState.SOFT_DELETED:
            evidence = DeletionEvidence(notes=(
                f"bucket soft-deleted at {facts.soft_delete_time}; Cloud Storage keeps it, with the objects "
                f"it held, until {facts.hard_delete_time}; it must be restored before its objects can be listed",
            ))
        soft = plan.state is ResourceState.SOFT_DELETED
        return StorageResource(
            provider=Provider.GCP, account=facts.project, id=facts.soft_deleted_id if soft else facts.resource_id,
            name=facts.name, kind=KIND, placements=plan.placements, collected=frozenset(collected),
            tags=facts.labels, state=plan.state, deletion_evidence=evidence, gaps=gaps,
            attributes=facts.attributes(),
        )


def create(common: CommonOptions, options: ProviderOptions) -> InventorySource:
    if not isinstance(options, GcpOptions):
        raise SourceError(f"Google Cloud options expected, got {type(options).__name__}")
    return GcpAdapter(common, options)
