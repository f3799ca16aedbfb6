"""Scanning one AWS account: list, tag in bulk, then inspect in-scope buckets concurrently.

Order of work, so nothing is fetched that no policy needs:
1. ListBuckets (regions come free where the endpoint returns `BucketRegion`), directory buckets.
2. Tags in bulk from the Tagging API, region by region.
3. Buckets whose tags are known: scope check; only covered buckets are located and inspected.
4. Buckets whose tags are still unknown (no `BucketRegion`, a regional Tagging API): what step 3
   located may prove the Tagging API answers globally; otherwise locate them, ask their regions,
   and fall back to GetBucketTagging where the Tagging API is denied.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed

from residency.catalog import Catalog
from residency.inventory.model import AccountGap, Provider, StorageResource
from residency.sources.aws.bucket import BucketContext, scan_bucket, scan_directory_bucket, unreadable_bucket
from residency.sources.aws.bucket_region import BucketRegion, locate_bucket
from residency.sources.aws.datastores import DatastoreScan
from residency.sources.aws.directory import ZoneResolver
from residency.sources.aws.errors import AWS_ERRORS, describe_error
from residency.sources.aws.estate import Estate
from residency.sources.aws.listing import (
    DIRECTORY_BUCKET_REGIONS,
    BucketListing,
    ListedBucket,
    list_buckets,
    list_directory_buckets,
)
from residency.sources.aws.mrap import MRAP_CONTROL_REGION, MrapIndex, list_mrap_members
from residency.sources.aws.session import Clients
from residency.sources.aws.tags import TagIndex
from residency.sources.contract import CollectionPlan, CommonOptions, Progress
from residency.sources.workers import worker_pool

AWS = Provider.AWS


class AccountScan:
    def __init__(
        self, clients: Clients, account: str, partition: str, plan: CollectionPlan,
        options: CommonOptions, catalog: Catalog, progress: Progress,
    ) -> None:
        self.clients = clients
        self.account = account
        self.partition = partition
        self.options = options
        self.progress = progress
        self.label = f"aws {account}"
        self.gaps: list[AccountGap] = []
        self._mrap: MrapIndex | None = None
        self._mrap_lock = threading.Lock()
        self.ctx = BucketContext(
            clients, account, partition, plan, options.deep, ZoneResolver(catalog, clients), self._mrap_members
        )

    def run(self) -> tuple[list[StorageResource], list[AccountGap]]:
        try:
            listing = list_buckets(self.clients.get("s3"))
        except AWS_ERRORS as error:
            self._gap(f"buckets could not be listed (ListBuckets: {describe_error(error)})")
            listing = BucketListing()
        for problem in listing.problems:
            self._gap(problem)
        listed = listing.buckets
        self.progress.begin(self.label, len(listed))
        with worker_pool(self.options.max_workers, f"aws-{self.account}") as pool:
            directory_listing = pool.submit(self._list_directory_buckets)  # in the background
            resources = self._general_buckets(listed, pool)
            directory = directory_listing.result()
            self.progress.begin(self.label, len(listed) + len(directory))
            resources += self._run(pool, lambda b: scan_directory_bucket(self.ctx, b), directory)
        resources.sort(key=lambda r: r.name)
        regional, regional_gaps = self._datastores(resources)
        return resources + regional, self.gaps + regional_gaps

    def _datastores(self, buckets: list[StorageResource]) -> tuple[list[StorageResource], list[AccountGap]]:
        """Databases, backups, snapshots and log copies of every enabled region (`datastores.py`)."""
        def locate(name: str) -> BucketRegion:
            return self.ctx.locate_once(name, lambda: locate_bucket(self.clients.get("s3"), name))

        estate = Estate(self.clients, self.account, self.partition, self.ctx.plan, locate,
                        known={bucket.id: bucket.key for bucket in buckets})
        return DatastoreScan(estate, self.options.max_workers, self.progress).run()

    def _gap(self, reason: str) -> None:
        self.gaps.append(AccountGap(AWS, self.account, reason))

    def _run(
        self, pool: ThreadPoolExecutor, task: Callable[[ListedBucket], StorageResource | None],
        buckets: Iterable[ListedBucket],
    ) -> list[StorageResource]:
        futures = {pool.submit(task, b): b for b in buckets}
        results = []
        for future in as_completed(futures):
            try:
                resource = future.result()
            except Exception as error:  # a bug or an answer of an unexpected shape: that bucket only
                resource = unreadable_bucket(self.ctx, futures[future], f"{type(error).__name__}: {error}")
            self.progress.advance(self.label)
            if resource is not None:
                results.append(resource)
        return results

    def _general_buckets(self, listed: list[ListedBucket], pool: ThreadPoolExecutor) -> list[StorageResource]:
        index = TagIndex(self.partition)
        for bucket in listed:
            if bucket.region:
                index.learn_region(bucket.name, bucket.region)
                self.ctx.remember(bucket.name, BucketRegion(bucket.region, "ListBuckets"))
        if listed:
            self._ask_tagging(index, self._tagging_regions(index))
        settled = [b for b in listed if index.tags_of(b.name) is not None]
        resources = self._run(pool, lambda b: scan_bucket(self.ctx, b, index.tags_of(b.name)), settled)
        pending = [b for b in listed if index.tags_of(b.name) is None]
        if pending:
            for resource in resources:  # what step 3 located may prove a global Tagging API
                located = self.ctx.where(resource.name)
                if located and located.region:
                    index.learn_region(resource.name, located.region)
            resources += self._pending_buckets(pending, index, pool)
        return resources

    def _tagging_regions(self, index: TagIndex) -> list[str]:
        home = self.clients.home_region
        regions = index.regions_to_ask()
        return sorted(regions or [home], key=lambda r: (r != home, r))

    def _ask_tagging(self, index: TagIndex, regions: list[str]) -> None:
        for region in regions:
            if index.answers_globally:
                return
            index.ask(self.clients.get("resourcegroupstaggingapi", region), region)

    def _pending_buckets(
        self, pending: list[ListedBucket], index: TagIndex, pool: ThreadPoolExecutor
    ) -> list[StorageResource]:
        unknown = [] if index.denied else [b for b in pending if index.tags_of(b.name) is None]
        for bucket, located in zip(unknown, pool.map(self._locate_for_tags, unknown), strict=True):
            if located.region:
                index.learn_region(bucket.name, located.region)
        self._ask_tagging(index, index.regions_to_ask())  # buckets still unknown fall back to GetBucketTagging
        return self._run(pool, lambda b: scan_bucket(self.ctx, b, index.tags_of(b.name)), pending)

    def _locate_for_tags(self, bucket: ListedBucket) -> BucketRegion:
        located = locate_bucket(self.clients.get("s3"), bucket.name)
        self.ctx.remember(bucket.name, located)
        return located

    def _list_directory_buckets(self) -> list[ListedBucket]:
        """Region by region, the home region first; one call per region, usually empty."""
        if self.partition != "aws":
            return []
        home = self.clients.home_region
        regions = sorted(DIRECTORY_BUCKET_REGIONS, key=lambda r: (r != home, DIRECTORY_BUCKET_REGIONS.index(r)))
        failures = []
        found: dict[str, ListedBucket] = {}
        for region in regions:
            try:
                listing = list_directory_buckets(self.clients.get("s3", region), region)
            except AWS_ERRORS as error:
                failures.append(f"{region} (ListDirectoryBuckets: {describe_error(error)})")
                continue
            for problem in listing.problems:
                self._gap(f"directory buckets: {problem}")
            for bucket in listing.buckets:
                found.setdefault(bucket.name, bucket)
            if listing.general:
                break  # the endpoint does not implement directory buckets
        if failures:
            self._gap(f"directory buckets could not be listed in {'; '.join(failures)}")
        return sorted(found.values(), key=lambda b: b.name)

    def _mrap_members(self) -> MrapIndex:
        with self._mrap_lock:
            if self._mrap is None:
                self._mrap = self._fetch_mrap()
            return self._mrap

    def _fetch_mrap(self) -> MrapIndex:
        if self.partition != "aws":
            return MrapIndex()  # Multi-Region Access Points exist only in the commercial partition
        try:
            index = list_mrap_members(self.clients.get("s3control", MRAP_CONTROL_REGION), self.account)
        except AWS_ERRORS as error:
            reason = ("Multi-Region Access Points could not be listed, so their member regions are unknown "
                      f"(ListMultiRegionAccessPoints: {describe_error(error)})")
            index = MrapIndex(unknown=[reason])
        for reason in index.unknown:
            self._gap(reason)
        return index
