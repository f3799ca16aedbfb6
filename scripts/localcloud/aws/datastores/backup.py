"""AWS Backup as the real service answers it: vaults and their locks, plans, selections, region
settings, backup and copy jobs, recovery points and their tags.

moto 5.2.5 has vaults and plans but no selections, region settings, jobs or recovery points
(404 "Not yet implemented"), so this server keeps all of AWS Backup. Jobs complete at once (there
is no scheduler: a plan's rules never run here, which is exactly the state "a plan that will copy
abroad, before the first copy exists"). A copy job lands in the destination vault, in another
region or account, as a recovery point whose `SourceBackupVaultArn` names the source vault.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from scripts.localcloud.aws.datastores.protocol import ApiError, Call
from scripts.localcloud.aws.datastores.state import Store, new_uuid, now, page

# ResourceType of a recovery point, from the protected resource's ARN (service, resource prefix).
RESOURCE_TYPES = {("dynamodb", "table/"): "DynamoDB", ("rds", "db:"): "RDS", ("rds", "cluster:"): "Aurora",
                  ("ec2", "volume/"): "EBS", ("ec2", "instance/"): "EC2", ("s3", ""): "S3",
                  ("elasticfilesystem", "file-system/"): "EFS", ("redshift", "cluster:"): "Redshift"}
DEFAULT_OPT_IN = {kind: True for kind in sorted(set(RESOURCE_TYPES.values()))}


@dataclass
class Vault:
    name: str
    arn: str
    created: dt.datetime
    min_days: int | None = None
    max_days: int | None = None
    lock_date: dt.datetime | None = None
    locked: bool = False


@dataclass
class Backup:
    vaults: dict[tuple[str, str], Vault] = field(default_factory=dict)  # (region, name)
    plans: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> plan record
    selections: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> selection record
    recovery_points: dict[str, dict[str, Any]] = field(default_factory=dict)  # arn -> RecoveryPointByBackupVault
    copy_jobs: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)  # id -> (region, CopyJob)
    opt_in: dict[str, dict[str, bool]] = field(default_factory=dict)  # region -> resource type -> opted in
    tags: dict[str, dict[str, str]] = field(default_factory=dict)  # arn -> tags


def age(store: Store, days: int) -> None:
    """Time passes: every date AWS Backup keeps moves `days` into the past (a vault lock's cooling-off
    period ends, recovery points grow older), as after that many days on AWS."""
    delta = dt.timedelta(days=days)
    for state in store.accounts(Backup).values():
        for vault in state.vaults.values():
            vault.created -= delta
            vault.lock_date = vault.lock_date - delta if vault.lock_date else None
        records = [*state.recovery_points.values(), *(job for _, job in state.copy_jobs.values()),
                   *state.plans.values(), *state.selections.values()]
        for record in records:
            _shift(record, delta)


def _shift(record: dict[str, Any], delta: dt.timedelta) -> None:
    for key, value in record.items():
        if isinstance(value, dt.datetime):
            record[key] = value - delta
        elif isinstance(value, dict):
            _shift(value, delta)


def backup_state(store: Store, account: str) -> Backup:
    return store.of(account, Backup)


def vault_of(state: Backup, region: str, name: str) -> Vault:
    vault = state.vaults.get((region, name))
    if vault is None:
        raise ApiError("ResourceNotFoundException", f"Backup vault {name} not found in {region}")
    return vault


def create_vault(store: Store, call: Call) -> dict[str, Any]:
    state, name = backup_state(store, call.account), call.params["BackupVaultName"]
    if (call.region, name) in state.vaults:
        raise ApiError("AlreadyExistsException", f"Backup vault {name} already exists")
    vault = Vault(name, f"arn:aws:backup:{call.region}:{call.account}:backup-vault:{name}", now())
    state.vaults[(call.region, name)] = vault
    state.tags[vault.arn] = dict(call.params.get("BackupVaultTags", {}))
    return {"BackupVaultName": name, "BackupVaultArn": vault.arn, "CreationDate": vault.created}


def lock_vault(store: Store, call: Call) -> dict[str, Any]:
    """PutBackupVaultLockConfiguration: governance mode, or compliance mode once ChangeableForDays pass."""
    vault = vault_of(backup_state(store, call.account), call.region, call.params["BackupVaultName"])
    vault.locked = True
    vault.min_days = call.params.get("MinRetentionDays")
    vault.max_days = call.params.get("MaxRetentionDays")
    changeable = call.params.get("ChangeableForDays")
    if changeable is not None and not 3 <= int(changeable) <= 36500:
        raise ApiError("InvalidParameterValueException", "ChangeableForDays must be between 3 and 36500")
    vault.lock_date = now() + dt.timedelta(days=int(changeable)) if changeable is not None else None
    return {}


def list_vaults(store: Store, call: Call) -> dict[str, Any]:
    state = backup_state(store, call.account)
    vaults = [v for (region, _), v in sorted(state.vaults.items()) if region == call.region]
    chosen, token = page(vaults, call.params.get("NextToken"), call.params.get("MaxResults"))
    listed = []
    for vault in chosen:
        count = sum(1 for rp in state.recovery_points.values() if rp["BackupVaultArn"] == vault.arn)
        item: dict[str, Any] = {"BackupVaultName": vault.name, "BackupVaultArn": vault.arn, "VaultType": "BACKUP_VAULT",
                                "CreationDate": vault.created, "NumberOfRecoveryPoints": count, "Locked": vault.locked}
        for key, value in (("MinRetentionDays", vault.min_days), ("MaxRetentionDays", vault.max_days),
                           ("LockDate", vault.lock_date)):
            if value is not None:
                item[key] = value
        listed.append(item)
    return {"BackupVaultList": listed, **({"NextToken": token} if token else {})}


# --- plans and selections ----------------------------------------------------------------------

def create_plan(store: Store, call: Call) -> dict[str, Any]:
    state, plan_id = backup_state(store, call.account), new_uuid()
    body = call.params["BackupPlan"]
    rules = [{**rule, "RuleId": new_uuid()} for rule in body.get("Rules", [])]
    for rule in rules:
        vault_of(state, call.region, rule["TargetBackupVaultName"])
    record = {"BackupPlanName": body["BackupPlanName"], "Rules": rules, "BackupPlanId": plan_id, "region": call.region,
              "BackupPlanArn": f"arn:aws:backup:{call.region}:{call.account}:backup-plan:{plan_id}",
              "VersionId": new_uuid().replace("-", ""), "CreationDate": now()}
    state.plans[plan_id] = record
    state.tags[record["BackupPlanArn"]] = dict(call.params.get("BackupPlanTags", {}))
    return {key: record[key] for key in ("BackupPlanId", "BackupPlanArn", "CreationDate", "VersionId")}


def _plan(state: Backup, region: str, plan_id: str) -> dict[str, Any]:
    plan = state.plans.get(plan_id)
    if plan is None or plan["region"] != region:
        raise ApiError("ResourceNotFoundException", f"Backup plan {plan_id} not found")
    return plan


def list_plans(store: Store, call: Call) -> dict[str, Any]:
    plans = [p for p in backup_state(store, call.account).plans.values() if p["region"] == call.region]
    chosen, token = page(plans, call.params.get("NextToken"), call.params.get("MaxResults"))
    keys = ("BackupPlanArn", "BackupPlanId", "CreationDate", "VersionId", "BackupPlanName")
    return {"BackupPlansList": [{k: p[k] for k in keys} for p in chosen], **({"NextToken": token} if token else {})}


def get_plan(store: Store, call: Call) -> dict[str, Any]:
    plan = _plan(backup_state(store, call.account), call.region, call.params["BackupPlanId"])
    return {"BackupPlan": {"BackupPlanName": plan["BackupPlanName"], "Rules": plan["Rules"]},
            **{k: plan[k] for k in ("BackupPlanId", "BackupPlanArn", "VersionId", "CreationDate")}}


def create_selection(store: Store, call: Call) -> dict[str, Any]:
    state = backup_state(store, call.account)
    plan = _plan(state, call.region, call.params["BackupPlanId"])
    selection_id = new_uuid()
    state.selections[selection_id] = {"BackupSelection": call.params["BackupSelection"], "SelectionId": selection_id,
                                      "BackupPlanId": plan["BackupPlanId"], "CreationDate": now()}
    return {"SelectionId": selection_id, "BackupPlanId": plan["BackupPlanId"], "CreationDate": now()}


def list_selections(store: Store, call: Call) -> dict[str, Any]:
    state = backup_state(store, call.account)
    plan = _plan(state, call.region, call.params["BackupPlanId"])
    chosen = [s for s in state.selections.values() if s["BackupPlanId"] == plan["BackupPlanId"]]
    listed, token = page(chosen, call.params.get("NextToken"), call.params.get("MaxResults"))
    return {"BackupSelectionsList": [
        {"SelectionId": s["SelectionId"], "SelectionName": s["BackupSelection"]["SelectionName"],
         "BackupPlanId": s["BackupPlanId"], "CreationDate": s["CreationDate"],
         "IamRoleArn": s["BackupSelection"]["IamRoleArn"]} for s in listed], **({"NextToken": token} if token else {})}


def get_selection(store: Store, call: Call) -> dict[str, Any]:
    state = backup_state(store, call.account)
    _plan(state, call.region, call.params["BackupPlanId"])
    selection = state.selections.get(call.params["SelectionId"])
    if selection is None or selection["BackupPlanId"] != call.params["BackupPlanId"]:
        raise ApiError("ResourceNotFoundException", f"Selection {call.params['SelectionId']} not found")
    return dict(selection)


def update_region_settings(store: Store, call: Call) -> dict[str, Any]:
    settings = backup_state(store, call.account).opt_in.setdefault(call.region, dict(DEFAULT_OPT_IN))
    settings.update(call.params.get("ResourceTypeOptInPreference", {}))
    return {}


def describe_region_settings(store: Store, call: Call) -> dict[str, Any]:
    settings = backup_state(store, call.account).opt_in.get(call.region, DEFAULT_OPT_IN)
    return {"ResourceTypeOptInPreference": dict(settings)}
