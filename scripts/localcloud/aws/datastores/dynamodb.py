"""DynamoDB's control plane as AWS runs it, where moto 5.2.5 falls short.

moto accepts `UpdateTable(ReplicaUpdates=...)` and ignores it (no `Replicas`, no replica table
in the other region), does not implement the 2017 global tables, and answers exports with a
malformed `ExportArn`. Here: table creation, tagging and deletion still go to moto first (so the
Tagging API and the data plane know the table), then this server keeps the table's control-plane
state and answers every read: replicas (2019.11.21), legacy global tables, on-demand backups,
point-in-time recovery and exports to S3.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from scripts.localcloud.aws.datastores.protocol import ApiError, Call
from scripts.localcloud.aws.datastores.state import Store, new_uuid, now, page

CURRENT_VERSION = "2019.11.21"
LEGACY_VERSION = "2017.11.29"


@dataclass
class Table:
    name: str
    region: str
    account: str
    schema: dict[str, Any]  # KeySchema, AttributeDefinitions
    billing: str
    created: dt.datetime
    table_id: str = field(default_factory=new_uuid)
    pitr: bool = False
    in_moto: bool = True  # False for a replica this server made: moto never saw it

    @property
    def arn(self) -> str:
        return f"arn:aws:dynamodb:{self.region}:{self.account}:table/{self.name}"


@dataclass
class Dynamo:
    tables: dict[tuple[str, str], Table] = field(default_factory=dict)  # (region, name)
    replica_groups: dict[str, set[str]] = field(default_factory=dict)  # table name -> regions (2019.11.21)
    legacy: dict[str, tuple[dt.datetime, list[str]]] = field(default_factory=dict)  # 2017 global tables
    backups: dict[str, dict[str, Any]] = field(default_factory=dict)  # arn -> BackupSummary
    exports: dict[str, dict[str, Any]] = field(default_factory=dict)  # arn -> ExportDescription


def _state(store: Store, call: Call) -> Dynamo:
    return store.of(call.account, Dynamo)


def _table(state: Dynamo, region: str, name: str) -> Table:
    table = state.tables.get((region, name.rsplit("/", 1)[-1]))
    if table is None:
        raise ApiError("ResourceNotFoundException", f"Requested resource not found: Table: {name} not found")
    return table


def _description(state: Dynamo, table: Table) -> dict[str, Any]:
    description: dict[str, Any] = {
        **table.schema, "TableName": table.name, "TableStatus": "ACTIVE", "CreationDateTime": table.created,
        "ProvisionedThroughput": {"NumberOfDecreasesToday": 0, "ReadCapacityUnits": 0, "WriteCapacityUnits": 0},
        "TableSizeBytes": 0, "ItemCount": 0, "TableArn": table.arn, "TableId": table.table_id,
        "BillingModeSummary": {"BillingMode": table.billing}, "DeletionProtectionEnabled": False,
    }
    group = state.replica_groups.get(table.name, set())
    if table.region in group:
        description["GlobalTableVersion"] = CURRENT_VERSION
        description["Replicas"] = [{"RegionName": region, "ReplicaStatus": "ACTIVE"}
                                   for region in sorted(group - {table.region})]
    elif table.name in state.legacy and table.region in state.legacy[table.name][1]:
        description["GlobalTableVersion"] = LEGACY_VERSION
    return description


def create_table(store: Store, call: Call, upstream: dict[str, Any]) -> dict[str, Any]:
    """After moto created it: keep its control-plane state."""
    state, params = _state(store, call), call.params
    schema = {"KeySchema": params["KeySchema"], "AttributeDefinitions": params["AttributeDefinitions"]}
    table = Table(params["TableName"], call.region, call.account, schema,
                  params.get("BillingMode", "PROVISIONED"), now())
    state.tables[(call.region, table.name)] = table
    return {"TableDescription": _description(state, table)}


def delete_table(store: Store, call: Call, upstream: dict[str, Any]) -> dict[str, Any]:
    state = _state(store, call)
    table = _table(state, call.region, call.params["TableName"])
    description = _description(state, table)
    del state.tables[(call.region, table.name)]
    state.replica_groups.get(table.name, set()).discard(call.region)
    return {"TableDescription": {**description, "TableStatus": "DELETING"}}


def update_table(store: Store, call: Call, upstream: dict[str, Any]) -> dict[str, Any]:
    """`ReplicaUpdates` Create/Delete make the table a 2019.11.21 global table (moto ignores them)."""
    state = _state(store, call)
    table = _table(state, call.region, call.params["TableName"])
    for update in call.params.get("ReplicaUpdates", []):
        if "Create" in update:
            _add_replica(state, table, update["Create"]["RegionName"])
        if "Delete" in update:
            region = update["Delete"]["RegionName"]
            state.tables.pop((region, table.name), None)
            state.replica_groups.get(table.name, set()).discard(region)
    return {"TableDescription": _description(state, table)}


def _add_replica(state: Dynamo, table: Table, region: str) -> None:
    if region == table.region:
        raise ApiError("ValidationException", f"the table is already in {region}")
    if table.name in state.legacy:
        raise ApiError("ValidationException", "a 2017.11.29 global table cannot take 2019.11.21 replicas")
    if (region, table.name) in state.tables and region not in state.replica_groups.get(table.name, set()):
        raise ApiError("ValidationException", f"a table named {table.name} already exists in {region}")
    group = state.replica_groups.setdefault(table.name, {table.region})
    group.add(region)
    state.tables[(region, table.name)] = Table(table.name, region, table.account, table.schema, table.billing, now(),
                                               in_moto=False)


def describe_table(store: Store, call: Call) -> dict[str, Any]:
    state = _state(store, call)
    return {"Table": _description(state, _table(state, call.region, call.params["TableName"]))}


def list_tables(store: Store, call: Call) -> dict[str, Any]:
    names = sorted(name for region, name in _state(store, call).tables if region == call.region)
    start = call.params.get("ExclusiveStartTableName")
    if start:
        names = [name for name in names if name > start]
    limit = min(int(call.params.get("Limit", 100)), 100)
    answer: dict[str, Any] = {"TableNames": names[:limit]}
    if len(names) > limit:
        answer["LastEvaluatedTableName"] = names[limit - 1]
    return answer


# --- legacy (2017.11.29) global tables ---------------------------------------------------------

def create_global_table(store: Store, call: Call) -> dict[str, Any]:
    state = _state(store, call)
    name, regions = call.params["GlobalTableName"], [r["RegionName"] for r in call.params["ReplicationGroup"]]
    if name in state.legacy:
        raise ApiError("GlobalTableAlreadyExistsException", f"Global table {name} already exists")
    for region in regions:
        if (region, name) not in state.tables:
            raise ApiError("TableNotFoundException", f"Table {name} not found in {region}")
    state.legacy[name] = (now(), regions)
    return {"GlobalTableDescription": _global_description(call, name, state.legacy[name])}


def _global_description(call: Call, name: str, legacy: tuple[dt.datetime, list[str]]) -> dict[str, Any]:
    created, regions = legacy
    return {
        "ReplicationGroup": [{"RegionName": region, "ReplicaStatus": "ACTIVE"} for region in regions],
        "GlobalTableArn": f"arn:aws:dynamodb::{call.account}:global-table/{name}",
        "CreationDateTime": created, "GlobalTableStatus": "ACTIVE", "GlobalTableName": name,
    }


def describe_global_table(store: Store, call: Call) -> dict[str, Any]:
    name = call.params["GlobalTableName"]
    legacy = _state(store, call).legacy.get(name)
    if legacy is None:
        raise ApiError("GlobalTableNotFoundException", f"Global table {name} not found")
    return {"GlobalTableDescription": _global_description(call, name, legacy)}


def list_global_tables(store: Store, call: Call) -> dict[str, Any]:
    region = call.params.get("RegionName") or call.region
    tables = [{"GlobalTableName": name, "ReplicationGroup": [{"RegionName": r} for r in regions]}
              for name, (_, regions) in sorted(_state(store, call).legacy.items()) if region in regions]
    return {"GlobalTables": tables}


# --- backups, point-in-time recovery, exports ---------------------------------------------------

def create_backup(store: Store, call: Call) -> dict[str, Any]:
    state = _state(store, call)
    table = _table(state, call.region, call.params["TableName"])
    created = now()
    arn = f"{table.arn}/backup/{int(created.timestamp() * 1000):014d}-{new_uuid()[:8]}"
    state.backups[arn] = {
        "TableName": table.name, "TableId": table.table_id, "TableArn": table.arn, "BackupArn": arn,
        "BackupName": call.params["BackupName"], "BackupCreationDateTime": created, "BackupStatus": "AVAILABLE",
        "BackupType": "USER", "BackupSizeBytes": 0,
    }
    details = {k: state.backups[arn][k] for k in ("BackupArn", "BackupName", "BackupSizeBytes", "BackupStatus",
                                                  "BackupType", "BackupCreationDateTime")}
    return {"BackupDetails": details}


def list_backups(store: Store, call: Call) -> dict[str, Any]:
    params = call.params
    summaries = [b for arn, b in sorted(_state(store, call).backups.items())
                 if arn.split(":")[3] == call.region and params.get("TableName") in (None, b["TableName"])]
    start = params.get("ExclusiveStartBackupArn")
    if start:
        summaries = [b for b in summaries if b["BackupArn"] > start]
    limit = int(params.get("Limit", 100))
    answer: dict[str, Any] = {"BackupSummaries": [dict(b) for b in summaries[:limit]]}
    if len(summaries) > limit:
        answer["LastEvaluatedBackupArn"] = summaries[limit - 1]["BackupArn"]
    return answer


def update_continuous_backups(store: Store, call: Call) -> dict[str, Any]:
    table = _table(_state(store, call), call.region, call.params["TableName"])
    table.pitr = bool(call.params["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"])
    return _continuous(table)


def describe_continuous_backups(store: Store, call: Call) -> dict[str, Any]:
    return _continuous(_table(_state(store, call), call.region, call.params["TableName"]))


def _continuous(table: Table) -> dict[str, Any]:
    status = "ENABLED" if table.pitr else "DISABLED"
    return {"ContinuousBackupsDescription": {"ContinuousBackupsStatus": "ENABLED",
                                             "PointInTimeRecoveryDescription": {"PointInTimeRecoveryStatus": status}}}


def export_table(store: Store, call: Call) -> dict[str, Any]:
    state, params = _state(store, call), call.params
    table = _table(state, call.region, params["TableArn"])
    if not table.pitr:
        raise ApiError("PointInTimeRecoveryUnavailableException",
                       f"Point in time recovery is not enabled for table '{table.name}'")
    started = now()
    arn = f"{table.arn}/export/{int(started.timestamp() * 1000):014d}-{new_uuid()[:8]}"
    description: dict[str, Any] = {
        "ExportArn": arn, "ExportStatus": "COMPLETED", "StartTime": started, "EndTime": started,
        "ExportManifest": f"{params.get('S3Prefix', '')}AWSDynamoDB/{arn.rsplit('/', 1)[-1]}/manifest-summary.json",
        "TableArn": table.arn, "TableId": table.table_id, "ExportTime": started, "S3Bucket": params["S3Bucket"],
        "ExportFormat": params.get("ExportFormat", "DYNAMODB_JSON"), "BilledSizeBytes": 0, "ItemCount": 0,
        "ExportType": params.get("ExportType", "FULL_EXPORT"),
    }
    for optional in ("S3BucketOwner", "S3Prefix", "S3SseAlgorithm", "ClientToken"):
        if params.get(optional):
            description[optional] = params[optional]
    state.exports[arn] = description
    return {"ExportDescription": description}


def list_exports(store: Store, call: Call) -> dict[str, Any]:
    exports = [e for arn, e in sorted(_state(store, call).exports.items())
               if arn.split(":")[3] == call.region and call.params.get("TableArn") in (None, e["TableArn"])]
    chosen, token = page(exports, call.params.get("NextToken"), call.params.get("MaxResults"), 25)
    answer: dict[str, Any] = {"ExportSummaries": [
        {"ExportArn": e["ExportArn"], "ExportStatus": e["ExportStatus"], "ExportType": e["ExportType"]}
        for e in chosen]}
    if token:
        answer["NextToken"] = token
    return answer


def describe_export(store: Store, call: Call) -> dict[str, Any]:
    export = _state(store, call).exports.get(call.params["ExportArn"])
    if export is None:
        raise ApiError("ExportNotFoundException", f"Export not found: {call.params['ExportArn']}")
    return {"ExportDescription": export}


def replica_tags(store: Store, call: Call) -> dict[str, Any] | None:
    """ListTagsOfResource of a replica table (moto never saw it: it has no tags); others are moto's."""
    arn = str(call.params.get("ResourceArn", ""))
    parts = arn.split(":", 5)
    table = _state(store, call).tables.get((parts[3], parts[5].partition("/")[2])) if len(parts) == 6 else None
    return {"Tags": []} if table is not None and not table.in_moto else None


BEFORE_UPSTREAM = {"ListTagsOfResource": replica_tags}
OWNED = {
    "DescribeTable": describe_table, "ListTables": list_tables, "CreateGlobalTable": create_global_table,
    "DescribeGlobalTable": describe_global_table, "ListGlobalTables": list_global_tables,
    "CreateBackup": create_backup, "ListBackups": list_backups, "UpdateContinuousBackups": update_continuous_backups,
    "DescribeContinuousBackups": describe_continuous_backups, "ExportTableToPointInTime": export_table,
    "ListExports": list_exports, "DescribeExport": describe_export,
}
AFTER_UPSTREAM = {"CreateTable": create_table, "DeleteTable": delete_table, "UpdateTable": update_table}
