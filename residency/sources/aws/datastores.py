"""Scanning one account's regional data stores: databases, their replicas, backups and copies.

1. Which service families any policy needs (`plan.wants_kind`): a family no policy's kinds need
   is not called at all. A copy's family brings its sources' (a recovery point needs its table's tags).
2. The regions enabled for the account (DescribeRegions, once).
3. Every (family, region) listing at once: one paginated call per region and kind, plus the
   Tagging API once per region for kinds whose listing has no tags (only when tags decide scope).
4. Then, with every region in: tags, lineage and replicas from the listings; the per-resource
   reads some resource needs (a table's replicas, an export's bucket, a log group's subscriptions);
   backup plans, lifecycle policies and snapshot copy rules as derived placements of what they
   cover; each copy's lineage to the resource whose data it is, and that resource's placement.
A listing that fails is an account gap naming what and where; the copies it could have shown
are a gap on every resource that could have had them.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from functools import partial

from residency.inventory.kinds import aws_datastores as k
from residency.inventory.kinds import kind_of
from residency.inventory.kinds.aws import S3_BUCKET
from residency.inventory.model import AccountGap, Facet, Gap, PlacementKind, Provider, StorageResource
from residency.sources.aws import (
    backup_plans,
    backup_points,
    caches,
    copies,
    dlm,
    dynamodb,
    ebs,
    rds,
    rds_copies,
    regional_tags,
    streams,
)
from residency.sources.aws.errors import AWS_ERRORS, describe_error
from residency.sources.aws.estate import Estate
from residency.sources.aws.regional import Draft, enabled_regions
from residency.sources.contract import Progress

AWS = Provider.AWS
RP = k.BACKUP_RECOVERY_POINT.id


@dataclass(frozen=True)
class Family:
    name: str
    wanted_by: tuple[str, ...]  # kinds whose resources need this family listed
    list_region: Callable[[Estate, str], None]
    tag_service: str | None = None  # Tagging API resource type filter, for kinds listed without tags
    tagged_kinds: tuple[str, ...] = ()


FAMILIES = (
    Family("dynamodb", (*dynamodb.KINDS, RP), dynamodb.list_region, "dynamodb", (k.DYNAMODB_TABLE.id,)),
    Family("rds", (k.RDS_INSTANCE.id, k.RDS_CLUSTER.id, *rds_copies.KINDS, RP), rds.list_region),
    Family("rds-copies", (k.RDS_INSTANCE.id, k.RDS_CLUSTER.id, *rds_copies.KINDS), rds_copies.list_region),
    Family("ec2", (*ebs.KINDS, RP), ebs.list_region),
    Family("dlm", (k.EBS_VOLUME.id,), dlm.list_region),
    Family("backup-points", (RP, S3_BUCKET.id, *backup_points.SOURCE_KINDS.values()), backup_points.list_region),
    Family("backup-plans", backup_plans.PLANNED_KINDS, backup_plans.list_region),
    Family("redshift", (k.REDSHIFT_CLUSTER.id, RP), caches.list_redshift),
    Family("elasticache", (k.ELASTICACHE_REPLICATION_GROUP.id,), caches.list_elasticache, "elasticache",
           (k.ELASTICACHE_REPLICATION_GROUP.id,)),
    Family("logs", (k.LOG_GROUP.id,), streams.list_log_groups, "logs", (k.LOG_GROUP.id,)),
    Family("firehose", (k.FIREHOSE_STREAM.id,), streams.list_delivery_streams, "firehose", (k.FIREHOSE_STREAM.id,)),
)
# Listings that show an owner's copies: when one fails, the owner's copies are incomplete.
COPY_LISTINGS = {
    k.DYNAMODB_TABLE.id: ("DynamoDB backups (ListBackups)", "DynamoDB exports (ListExports)"),
    k.RDS_INSTANCE.id: ("RDS automated backups (DescribeDBInstanceAutomatedBackups)",
                        "RDS DB snapshots (DescribeDBSnapshots)", "RDS snapshot exports (DescribeExportTasks)"),
    k.RDS_CLUSTER.id: ("DB cluster snapshots (DescribeDBClusterSnapshots)",
                       "RDS snapshot exports (DescribeExportTasks)"),
    k.EBS_VOLUME.id: ("EBS snapshots (DescribeSnapshots)", "machine images (DescribeImages)"),
}
# ... of which these list only copies in the owner's own region (DynamoDB keeps backups and exports there).
REGION_BOUND = frozenset({"DynamoDB backups (ListBackups)", "DynamoDB exports (ListExports)"})
NOT_ACCOUNT_GAPS = ("tags (Tagging API GetResources)", "AWS Backup region settings (DescribeRegionSettings)")


class DatastoreScan:
    def __init__(self, estate: Estate, max_workers: int, progress: Progress) -> None:
        self.estate = estate
        self.max_workers = max_workers
        self.progress = progress
        self.label = f"aws {estate.account} databases and copies"

    def run(self) -> tuple[list[StorageResource], list[AccountGap]]:
        estate = self.estate
        families = [f for f in FAMILIES if any(estate.wants_kind(kind) for kind in f.wanted_by)]
        if not families:
            return [], []
        try:
            estate.regions = enabled_regions(estate.client("ec2", estate.clients.home_region))
        except AWS_ERRORS as error:
            reason = (f"databases, backups and snapshots were not scanned: the enabled regions could not be listed "
                      f"(DescribeRegions: {describe_error(error)})")
            return [], [AccountGap(AWS, estate.account, reason)]
        with ThreadPoolExecutor(max_workers=self.max_workers) as pool:
            self._list(pool, families)
            self._complete(pool, families)
        resources = [draft.resource() for draft in estate.drafts.values()]
        return sorted(resources, key=lambda r: r.id), self._account_gaps()

    def _list(self, pool: ThreadPoolExecutor, families: list[Family]) -> None:
        estate = self.estate
        services = tuple(sorted({f.tag_service for f in families if f.tag_service})) if estate.scopes_by_tags else ()
        tasks: list[tuple[str, str, Callable[[], None]]] = [
            (f.name, region, partial(f.list_region, estate, region)) for f in families for region in estate.regions
        ]
        if services:
            tasks += [("tags", region, partial(regional_tags.list_region, estate, region, services))
                      for region in estate.regions]
        self.progress.begin(self.label, len(tasks))
        futures = {pool.submit(task): (name, region) for name, region, task in tasks}
        for future in as_completed(futures):
            try:
                future.result()
            except Exception as error:  # a bug or an answer of an unexpected shape: that listing only
                name, region = futures[future]
                estate.failures.add(f"{name} listing", region, f"{type(error).__name__}: {error}"[:300])
            self.progress.advance(self.label)
        if services:
            regional_tags.apply(estate, tuple(kind for f in families for kind in f.tagged_kinds))

    def _complete(self, pool: ThreadPoolExecutor, families: list[Family]) -> None:
        estate, names = self.estate, {f.name for f in families}
        # In order: what lineage needs (snapshot sources, replicas), then per-resource reads, then plans.
        steps: list[tuple[frozenset[str], Callable[[], None]]] = [
            (frozenset({"ec2"}), lambda: ebs.complete(estate)), (frozenset({"rds"}), lambda: rds.complete(estate)),
            (frozenset({"elasticache"}), lambda: caches.complete_elasticache(estate)),
            (frozenset({"dynamodb"}), lambda: dynamodb.complete(estate, pool)),
            (frozenset({"rds-copies"}), lambda: rds_copies.complete(estate, pool)),
            (frozenset({"backup-points"}), lambda: backup_points.complete(estate, pool)),
            (frozenset({"logs", "firehose"}), lambda: streams.complete(estate, pool)),
            (frozenset({"backup-plans"}), lambda: backup_plans.complete(estate)),
            (frozenset({"dlm"}), lambda: dlm.complete(estate)),
            (frozenset({"redshift"}), lambda: caches.complete_redshift(estate)),
        ]
        for needs, step in steps:
            if needs & names:
                step()
        wanted = {d.id: self._wants_copies(d) for d in estate.drafts.values()}
        copies.resolve(estate, wanted)
        self._copy_gaps(wanted, "backup-points" in names)

    def _wants_copies(self, draft: Draft) -> bool:
        spec = kind_of(draft.kind)
        return bool(spec and PlacementKind.DERIVED in spec.placements and self.estate.wants(PlacementKind.DERIVED,
                                                                                              draft))

    def _copy_gaps(self, wanted: dict[str, bool], backup_listed: bool) -> None:
        estate = self.estate
        backup_gaps = backup_points.listing_gaps(estate) if backup_listed else []
        for draft in estate.drafts.values():
            if not wanted.get(draft.id):
                continue
            draft.collected.add(Facet.COPIES)
            for what in COPY_LISTINGS.get(draft.kind, ()):
                failed = dict(estate.failures.by_what.get(what, []))
                if what in REGION_BOUND and (draft.region or "") in failed:
                    draft.gaps.append(Gap(what, f"in {draft.region} ({failed[draft.region or '']})", Facet.COPIES))
                elif what not in REGION_BOUND and failed:
                    draft.gaps.append(Gap(what, estate.failures.summary(what) or "", Facet.COPIES))
            if draft.kind in backup_points.SOURCE_KINDS.values():
                draft.gaps += backup_gaps

    def _account_gaps(self) -> list[AccountGap]:
        failures = self.estate.failures
        return [AccountGap(AWS, self.estate.account, f"{what} could not be listed {failures.summary(what)}")
                for what in sorted(failures.by_what) if what not in NOT_ACCOUNT_GAPS]
