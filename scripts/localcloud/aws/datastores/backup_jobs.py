"""AWS Backup jobs and what they leave: recovery points (in this or another region or account),
copy jobs, tags, and deletion refused by a vault lock's minimum retention."""

from __future__ import annotations

import datetime as dt
from typing import Any

from scripts.localcloud.aws.datastores import backup
from scripts.localcloud.aws.datastores.backup import RESOURCE_TYPES, Backup, Vault, backup_state, vault_of
from scripts.localcloud.aws.datastores.protocol import ApiError, Call
from scripts.localcloud.aws.datastores.state import Store, account_of_arn, new_uuid, now, page, region_of_arn


def resource_type(arn: str) -> str:
    parts = arn.split(":", 5)
    service, resource = (parts[2], parts[5]) if len(parts) == 6 else ("", "")
    for (prefix_service, prefix), kind in RESOURCE_TYPES.items():
        if service == prefix_service and resource.startswith(prefix):
            return kind
    raise ApiError("InvalidParameterValueException", f"Invalid ARN or resource type not supported: {arn}")


def _recovery_point(vault: Vault, account: str, resource_arn: str, lifecycle: dict[str, Any] | None,
                    source_vault: str | None = None) -> dict[str, Any]:
    region = vault.arn.split(":")[3]
    created = now()
    point: dict[str, Any] = {
        "RecoveryPointArn": f"arn:aws:backup:{region}:{account}:recovery-point:{new_uuid()}",
        "BackupVaultName": vault.name, "BackupVaultArn": vault.arn, "ResourceArn": resource_arn,
        "ResourceType": resource_type(resource_arn), "IamRoleArn": f"arn:aws:iam::{account}:role/backup",
        "Status": "COMPLETED", "CreationDate": created, "CompletionDate": created, "BackupSizeInBytes": 0,
        "IsEncrypted": False, "ResourceName": resource_arn.rsplit("/", 1)[-1].rsplit(":", 1)[-1],
        "VaultType": "BACKUP_VAULT",
    }
    if source_vault:
        point["SourceBackupVaultArn"] = source_vault
    if lifecycle:
        point["Lifecycle"] = lifecycle
        if lifecycle.get("DeleteAfterDays"):
            point["CalculatedLifecycle"] = {"DeleteAt": created + dt.timedelta(days=int(lifecycle["DeleteAfterDays"]))}
    return point


def start_backup_job(store: Store, call: Call) -> dict[str, Any]:
    state = backup_state(store, call.account)
    vault = vault_of(state, call.region, call.params["BackupVaultName"])
    resource = call.params["ResourceArn"]
    if region_of_arn(resource) not in (None, call.region) and resource_type(resource) != "S3":
        raise ApiError("InvalidParameterValueException", f"{resource} is not in {call.region}")
    point = _recovery_point(vault, call.account, resource, call.params.get("Lifecycle"))
    state.recovery_points[point["RecoveryPointArn"]] = point
    state.tags[point["RecoveryPointArn"]] = dict(call.params.get("RecoveryPointTags", {}))
    return {"BackupJobId": new_uuid(), "RecoveryPointArn": point["RecoveryPointArn"],
            "CreationDate": point["CreationDate"]}


def start_copy_job(store: Store, call: Call) -> dict[str, Any]:
    """The copy lands in the destination vault, in the region (and account) its ARN names."""
    state = backup_state(store, call.account)
    source_vault = vault_of(state, call.region, call.params["SourceBackupVaultName"])
    source = state.recovery_points.get(call.params["RecoveryPointArn"])
    if source is None or source["BackupVaultArn"] != source_vault.arn:
        raise ApiError("ResourceNotFoundException", f"Recovery point {call.params['RecoveryPointArn']} not found")
    destination_arn = call.params["DestinationBackupVaultArn"]
    destination_account = account_of_arn(destination_arn) or call.account
    destination = backup_state(store, destination_account)
    vault = vault_of(destination, region_of_arn(destination_arn) or call.region, destination_arn.rsplit(":", 1)[-1])
    copy = _recovery_point(vault, destination_account, source["ResourceArn"], call.params.get("Lifecycle"),
                           source_vault.arn)
    destination.recovery_points[copy["RecoveryPointArn"]] = copy
    destination.tags[copy["RecoveryPointArn"]] = dict(state.tags.get(source["RecoveryPointArn"], {}))
    job_id = new_uuid()
    state.copy_jobs[job_id] = (call.region, {
        "AccountId": call.account, "CopyJobId": job_id, "SourceBackupVaultArn": source_vault.arn,
        "SourceRecoveryPointArn": source["RecoveryPointArn"], "DestinationBackupVaultArn": destination_arn,
        "DestinationRecoveryPointArn": copy["RecoveryPointArn"], "ResourceArn": source["ResourceArn"],
        "CreationDate": copy["CreationDate"], "CompletionDate": copy["CreationDate"], "State": "COMPLETED",
        "BackupSizeInBytes": 0, "IamRoleArn": call.params["IamRoleArn"], "ResourceType": source["ResourceType"],
    })
    return {"CopyJobId": job_id, "CreationDate": copy["CreationDate"]}


def list_recovery_points(store: Store, call: Call) -> dict[str, Any]:
    state = backup_state(store, call.account)
    vault = vault_of(state, call.region, call.params["BackupVaultName"])
    points = [p for _, p in sorted(state.recovery_points.items()) if p["BackupVaultArn"] == vault.arn]
    if call.params.get("ByResourceArn"):
        points = [p for p in points if p["ResourceArn"] == call.params["ByResourceArn"]]
    chosen, token = page(points, call.params.get("NextToken"), call.params.get("MaxResults"))
    return {"RecoveryPoints": chosen, **({"NextToken": token} if token else {})}


def list_copy_jobs(store: Store, call: Call) -> dict[str, Any]:
    jobs = [job for region, job in backup_state(store, call.account).copy_jobs.values() if region == call.region]
    chosen, token = page(jobs, call.params.get("NextToken"), call.params.get("MaxResults"))
    return {"CopyJobs": chosen, **({"NextToken": token} if token else {})}


def delete_recovery_point(store: Store, call: Call) -> dict[str, Any]:
    """Refused while a vault lock's minimum retention holds the recovery point."""
    state = backup_state(store, call.account)
    vault = vault_of(state, call.region, call.params["BackupVaultName"])
    point = state.recovery_points.get(call.params["RecoveryPointArn"])
    if point is None or point["BackupVaultArn"] != vault.arn:
        raise ApiError("ResourceNotFoundException", f"Recovery point {call.params['RecoveryPointArn']} not found")
    if vault.locked and vault.min_days and point["CreationDate"] + dt.timedelta(days=vault.min_days) > now():
        raise ApiError("InvalidRequestException",
                       f"the vault lock of {vault.name} retains recovery points for {vault.min_days} days")
    del state.recovery_points[point["RecoveryPointArn"]]
    return {}


def _tagged(state: Backup, arn: str) -> dict[str, str]:
    if arn not in state.tags:
        raise ApiError("ResourceNotFoundException", f"{arn} not found")
    return state.tags[arn]


def list_tags(store: Store, call: Call) -> dict[str, Any]:
    return {"Tags": dict(_tagged(backup_state(store, call.account), call.params["ResourceArn"]))}


def tag_resource(store: Store, call: Call) -> dict[str, Any]:
    _tagged(backup_state(store, call.account), call.params["ResourceArn"]).update(call.params["Tags"])
    return {}


OWNED = {
    "CreateBackupVault": backup.create_vault, "PutBackupVaultLockConfiguration": backup.lock_vault,
    "ListBackupVaults": backup.list_vaults, "CreateBackupPlan": backup.create_plan,
    "ListBackupPlans": backup.list_plans,
    "GetBackupPlan": backup.get_plan, "CreateBackupSelection": backup.create_selection,
    "ListBackupSelections": backup.list_selections, "GetBackupSelection": backup.get_selection,
    "UpdateRegionSettings": backup.update_region_settings, "DescribeRegionSettings": backup.describe_region_settings,
    "StartBackupJob": start_backup_job, "StartCopyJob": start_copy_job,
    "ListRecoveryPointsByBackupVault": list_recovery_points, "ListCopyJobs": list_copy_jobs,
    "DeleteRecoveryPoint": delete_recovery_point, "ListTags": list_tags, "TagResource": tag_resource,
}
