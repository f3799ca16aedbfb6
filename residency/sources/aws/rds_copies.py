"""RDS copies: automated backups replicated to another region (or retained after the instance was
deleted), manual, automated and copied snapshots of instances and clusters, snapshot exports.

Per region, one paginated Describe each. A copy's source comes from the listing's own fields:
`DBInstanceArn` of a replicated automated backup, `SourceDBSnapshotIdentifier` / `SourceRegion`
of a copied snapshot (else its `DBInstanceIdentifier`, in its region), `SourceDBClusterSnapshotArn`
of a copied cluster snapshot (else its `DBClusterIdentifier`), an export's `SourceArn`.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from residency.inventory.kinds.aws_datastores import (
    RDS_AUTOMATED_BACKUP,
    RDS_CLUSTER,
    RDS_CLUSTER_SNAPSHOT,
    RDS_INSTANCE,
    RDS_SNAPSHOT,
    RDS_SNAPSHOT_EXPORT,
)
from residency.sources.aws.copies import needed
from residency.sources.aws.estate import Estate
from residency.sources.aws.regional import Arn, Draft, Origin, list_all, region_of_arn

FAMILY = "rds-copies"
KINDS = (RDS_AUTOMATED_BACKUP.id, RDS_SNAPSHOT.id, RDS_CLUSTER_SNAPSHOT.id, RDS_SNAPSHOT_EXPORT.id)


def list_region(estate: Estate, region: str) -> None:
    rds = estate.client("rds", region)
    guard = estate.failures.guard
    guard("RDS automated backups (DescribeDBInstanceAutomatedBackups)", region,
          lambda: _automated(estate, rds, region))
    guard("RDS DB snapshots (DescribeDBSnapshots)", region, lambda: _snapshots(estate, rds, region))
    guard("DB cluster snapshots (DescribeDBClusterSnapshots)", region, lambda: _cluster_snapshots(estate, rds, region))
    guard("RDS snapshot exports (DescribeExportTasks)", region, lambda: _exports(estate, rds, region))


def _automated(estate: Estate, rds: Any, region: str) -> None:
    """Only what outlives or leaves the instance: replicated to this region, or retained."""
    for item in list_all(rds.describe_db_instance_automated_backups, "DBInstanceAutomatedBackups",
                         "RDS automated backups", "Marker", "Marker"):
        with estate.reading(RDS_AUTOMATED_BACKUP.id, region, item, "DBInstanceAutomatedBackupsArn"):
            source_region = item.get("Region") or region
            retained = item.get("Status") == "retained"
            if source_region == region and not retained:
                continue  # the instance's own backups, in its region: part of the instance
            arn = item["DBInstanceAutomatedBackupsArn"]
            identifier = str(item.get("DBInstanceIdentifier", "?"))
            instance = str(item.get("DBInstanceArn") or estate.arn("rds", source_region, f"db:{identifier}"))
            draft = Draft(RDS_AUTOMATED_BACKUP.id, str(arn), f"{identifier} automated backups ({region})",
                          estate.account, region, "automated backups' region")
            draft.set_tags(item.get("TagList"))
            how = ("retained after the instance was deleted (DBInstanceArn)" if retained else
                   f"replicated from {source_region} (DBInstanceArn)")
            draft.origin = Origin(instance, how, RDS_INSTANCE.id, identifier)
            draft.attributes.append(("status", str(item.get("Status", "?"))))
            estate.found(draft)


def _snapshots(estate: Estate, rds: Any, region: str) -> None:
    for item in list_all(rds.describe_db_snapshots, "DBSnapshots", "RDS DB snapshots", "Marker", "Marker"):
        with estate.reading(RDS_SNAPSHOT.id, region, item, "DBSnapshotArn"):
            identifier = str(item.get("DBSnapshotIdentifier", "?"))
            arn = str(item.get("DBSnapshotArn") or estate.arn("rds", region, f"snapshot:{identifier}"))
            draft = Draft(RDS_SNAPSHOT.id, arn, identifier, estate.account, region, "snapshot region")
            draft.set_tags(item.get("TagList"))
            draft.attributes.append(("snapshot-type", str(item.get("SnapshotType", "?"))))
            draft.origin = _snapshot_origin(estate, item, region)
            estate.found(draft)


def _snapshot_origin(estate: Estate, item: dict[str, Any], region: str) -> Origin:
    source, source_region = item.get("SourceDBSnapshotIdentifier"), item.get("SourceRegion")
    instance = item.get("DBInstanceIdentifier")
    if source and str(source).startswith("arn:"):
        where = source_region or region_of_arn(str(source)) or "another account"
        return Origin(str(source), f"copied from {where} (SourceDBSnapshotIdentifier)", RDS_SNAPSHOT.id)
    if instance:
        where = str(source_region or region)
        how = (f"copied from {where}, of instance {instance} (SourceRegion, DBInstanceIdentifier)" if source_region
               else f"snapshot of instance {instance} (DBInstanceIdentifier)")
        return Origin(estate.arn("rds", where, f"db:{instance}"), how, RDS_INSTANCE.id, str(instance))
    return Origin(None, "the snapshot names neither its source snapshot nor its instance")


def _cluster_snapshots(estate: Estate, rds: Any, region: str) -> None:
    for item in list_all(rds.describe_db_cluster_snapshots, "DBClusterSnapshots", "DB cluster snapshots",
                         "Marker", "Marker"):
        with estate.reading(RDS_CLUSTER_SNAPSHOT.id, region, item, "DBClusterSnapshotArn"):
            identifier = str(item.get("DBClusterSnapshotIdentifier", "?"))
            arn = str(item.get("DBClusterSnapshotArn") or estate.arn("rds", region, f"cluster-snapshot:{identifier}"))
            draft = Draft(RDS_CLUSTER_SNAPSHOT.id, arn, identifier, estate.account, region, "snapshot region")
            draft.set_tags(item.get("TagList"))
            source, cluster = item.get("SourceDBClusterSnapshotArn"), item.get("DBClusterIdentifier")
            if source:
                draft.origin = Origin(str(source), "copied (SourceDBClusterSnapshotArn)", RDS_CLUSTER_SNAPSHOT.id)
            elif cluster:
                draft.origin = Origin(estate.arn("rds", region, f"cluster:{cluster}"),
                                      f"snapshot of cluster {cluster} (DBClusterIdentifier)", RDS_CLUSTER.id,
                                      str(cluster))
            else:
                draft.origin = Origin(None, "the cluster snapshot names neither its source nor its cluster")
            estate.found(draft)


def _exports(estate: Estate, rds: Any, region: str) -> None:
    for item in list_all(rds.describe_export_tasks, "ExportTasks", "RDS snapshot exports", "Marker", "Marker"):
        with estate.reading(RDS_SNAPSHOT_EXPORT.id, region, item, "ExportTaskIdentifier"):
            bucket, identifier = str(item.get("S3Bucket", "")), str(item.get("ExportTaskIdentifier", "?"))
            path = "/".join(p for p in (str(item.get("S3Prefix") or "").strip("/"), identifier) if p)
            draft = Draft(RDS_SNAPSHOT_EXPORT.id, f"s3://{bucket}/{path}", identifier, estate.account,
                          region_reason="the export's bucket region was not read (nothing needed it)", located=False)
            draft.set_tags({})  # export tasks take no tags
            source = str(item.get("SourceArn") or "")
            parsed = Arn.parse(source)
            resource = parsed.resource if parsed is not None else ""
            kind = RDS_CLUSTER_SNAPSHOT.id if resource.startswith("cluster-snapshot:") else (
                RDS_CLUSTER.id if resource.startswith("cluster:") else RDS_SNAPSHOT.id)
            how = "export of SourceArn" if source else "the export names no source"
            draft.origin = Origin(source or None, how, kind)
            draft.attributes += [("export-status", str(item.get("Status", "?"))), ("export-region", region)]
            estate.keep(FAMILY, (draft.id, bucket))
            estate.found(draft)


def complete(estate: Estate, pool: ThreadPoolExecutor) -> None:
    """Locate the bucket of every export someone needs."""
    buckets = dict(estate.kept(FAMILY))
    exports = [d for d in estate.of_kind(RDS_SNAPSHOT_EXPORT.id) if needed(estate, d)]
    list(pool.map(lambda export: _locate(estate, export, buckets.get(export.id, "")), exports))


def _locate(estate: Estate, export: Draft, bucket: str) -> None:
    located = estate.locate_bucket(bucket)
    export.located, export.region = True, located.region
    export.region_reason = (f"bucket {bucket} ({located.source})" if located.region
                            else f"bucket {bucket}: {located.reason}")
