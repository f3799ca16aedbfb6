"""DynamoDB: tables and their replicas, legacy global tables, on-demand backups, exports to S3.

Per region: ListTables, ListGlobalTables (2017.11.29 replication groups), ListBackups (every
type, so backups of deleted tables and AWS Backup's count too) and ListExports. A table's name
and region come with the listing; its tags from the Tagging API in bulk. DescribeTable (its
2019.11.21 `Replicas`) is asked only for a table whose replicas a policy counts, DescribeExport
(the bucket) only for an export someone needs; the bucket's region is resolved like any bucket's.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from residency.inventory.kinds.aws_datastores import DYNAMODB_BACKUP, DYNAMODB_EXPORT, DYNAMODB_TABLE
from residency.inventory.model import Facet, Gap, PlacementKind
from residency.sources.aws.copies import needed
from residency.sources.aws.errors import AWS_ERRORS, describe_error
from residency.sources.aws.estate import Estate
from residency.sources.aws.regional import Draft, Origin, list_all

FAMILY = "dynamodb"
KINDS = (DYNAMODB_TABLE.id, DYNAMODB_BACKUP.id, DYNAMODB_EXPORT.id)
TAG_SERVICE = "dynamodb"
_LEGACY = "dynamodb-legacy"


def list_region(estate: Estate, region: str) -> None:
    ddb = estate.client("dynamodb", region)
    guard = estate.failures.guard
    guard("DynamoDB tables (ListTables)", region, lambda: _tables(estate, ddb, region))
    guard("DynamoDB global tables 2017.11.29 (ListGlobalTables)", region, lambda: _legacy(estate, ddb, region))
    guard("DynamoDB backups (ListBackups)", region, lambda: _backups(estate, ddb, region))
    guard("DynamoDB exports (ListExports)", region, lambda: _exports(estate, ddb, region))


def _tables(estate: Estate, ddb: Any, region: str) -> None:
    for name in list_all(ddb.list_tables, "TableNames", "DynamoDB tables", "LastEvaluatedTableName",
                         "ExclusiveStartTableName"):
        arn = estate.arn("dynamodb", region, f"table/{name}")
        estate.found(Draft(DYNAMODB_TABLE.id, arn, str(name), estate.account, region, "table region"))


def _legacy(estate: Estate, ddb: Any, region: str) -> None:
    for table in list_all(ddb.list_global_tables, "GlobalTables", "DynamoDB global tables",
                          "LastEvaluatedGlobalTableName", "ExclusiveStartGlobalTableName"):
        regions = [r.get("RegionName") for r in table.get("ReplicationGroup", []) if r.get("RegionName")]
        estate.keep(_LEGACY, (str(table.get("GlobalTableName", "")), tuple(sorted(regions))))


def _backups(estate: Estate, ddb: Any, region: str) -> None:
    for backup in list_all(ddb.list_backups, "BackupSummaries", "DynamoDB backups", "LastEvaluatedBackupArn",
                           "ExclusiveStartBackupArn", BackupType="ALL"):
        with estate.reading(DYNAMODB_BACKUP.id, region, backup, "BackupArn"):
            arn, table_arn = backup["BackupArn"], backup.get("TableArn")
            draft = Draft(DYNAMODB_BACKUP.id, str(arn), str(backup.get("BackupName") or arn), estate.account, region,
                          "backup region (the table's)")
            draft.set_tags({})  # DynamoDB's own backups take no tags
            how = "ListBackups TableArn" if table_arn else "ListBackups gave no TableArn"
            draft.origin = Origin(str(table_arn) if table_arn else None, how, DYNAMODB_TABLE.id,
                                  str(backup.get("TableName", "")))
            draft.attributes += [("backup-type", str(backup.get("BackupType", "?"))),
                                 ("created", str(backup.get("BackupCreationDateTime", "?")))]
            estate.found(draft)


def _exports(estate: Estate, ddb: Any, region: str) -> None:
    for export in list_all(ddb.list_exports, "ExportSummaries", "DynamoDB exports"):
        with estate.reading(DYNAMODB_EXPORT.id, region, export, "ExportArn"):
            arn = str(export["ExportArn"])
            table_arn, marker, export_id = arn.partition("/export/")
            if not marker:
                raise ValueError(f"{arn} is not an export ARN")
            table_name = table_arn.rpartition("/")[2]
            draft = Draft(DYNAMODB_EXPORT.id, arn, f"{table_name}/export/{export_id}", estate.account,
                          region_reason="the export's bucket region was not read (nothing needed it)", located=False)
            draft.set_tags({})  # exports take no tags
            draft.origin = Origin(table_arn, "ExportArn names the table", DYNAMODB_TABLE.id, table_name)
            draft.attributes.append(("export-status", str(export.get("ExportStatus", "?"))))
            estate.found(draft)


def complete(estate: Estate, pool: ThreadPoolExecutor) -> None:
    """After every region is listed and tags are known: replicas and export buckets where needed."""
    legacy = {name: regions for name, regions in estate.kept(_LEGACY)}
    tables = [t for t in estate.of_kind(DYNAMODB_TABLE.id) if estate.wants(PlacementKind.REPLICA, t)]
    list(pool.map(lambda table: _replicas(estate, table, legacy.get(table.name, ())), tables))
    exports = [e for e in estate.of_kind(DYNAMODB_EXPORT.id) if needed(estate, e)]
    list(pool.map(lambda export: _export_bucket(estate, export), exports))


def _replicas(estate: Estate, table: Draft, legacy: tuple[str, ...]) -> None:
    table.collected.add(Facet.REPLICAS)
    if table.region in legacy:
        for region in legacy:
            if region != table.region:
                table.add(PlacementKind.REPLICA, region, f"replica of global table {table.name} (2017.11.29)",
                          estate.arn("dynamodb", region, f"table/{table.name}"))
    try:
        described = estate.client("dynamodb", table.region or "").describe_table(TableName=table.name)["Table"]
    except AWS_ERRORS as error:
        table.gaps.append(Gap("replicas (DescribeTable)", describe_error(error), Facet.REPLICAS))
        return
    version = described.get("GlobalTableVersion") or "2019.11.21"
    for replica in described.get("Replicas") or []:
        region = replica.get("RegionName")
        if region and region != table.region:
            status = replica.get("ReplicaStatus", "?")
            table.add(PlacementKind.REPLICA, str(region),
                      f"replica of global table {table.name} ({version}, {status})",
                      estate.arn("dynamodb", str(region), f"table/{table.name}"))


def _export_bucket(estate: Estate, export: Draft) -> None:
    export.located = True
    try:
        described = estate.client("dynamodb", export.id.split(":")[3]).describe_export(
            ExportArn=export.id)["ExportDescription"]
    except AWS_ERRORS as error:
        export.region, export.region_reason = None, f"DescribeExport: {describe_error(error)}"
        export.gaps.append(Gap("export bucket (DescribeExport)", describe_error(error), Facet.LOCATION))
        return
    bucket = str(described.get("S3Bucket", ""))
    prefix = str(described.get("S3Prefix") or "")
    located = estate.locate_bucket(bucket)
    export.attributes.append(("destination", f"s3://{bucket}/{prefix}"))
    if described.get("S3BucketOwner") and described["S3BucketOwner"] != estate.account:
        export.attributes.append(("bucket-owner", str(described["S3BucketOwner"])))
    export.region = located.region
    export.region_reason = (f"bucket {bucket} ({located.source})" if located.region
                            else f"bucket {bucket}: {located.reason}")
