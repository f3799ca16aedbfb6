"""AWS Backup recovery points, the vaults that hold them (and their locks), and copy jobs.

Per region: ListBackupVaults (with each vault's lock), ListRecoveryPointsByBackupVault per vault
(there is no account-wide listing), ListCopyJobs. A recovery point is a copy of `ResourceArn`;
a copy made by a copy job names its source vault (`SourceBackupVaultArn`). A recovery point
that is also a native snapshot or backup the scan listed (same ARN) stays one resource. A copy
job to a vault the scan cannot list (another account) still places the data where that vault is.

A vault lock in compliance mode (its `LockDate` passed) keeps every recovery point until
`MinRetentionDays` after its creation: deleting it is impossible until then, so it is a retention
lock that blocks deletion; in governance mode, or before the lock date, privileged users can
still remove the lock.
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

from residency.inventory.kinds.aws import S3_BUCKET
from residency.inventory.kinds.aws_datastores import (
    BACKUP_RECOVERY_POINT,
    DYNAMODB_TABLE,
    EBS_VOLUME,
    RDS_CLUSTER,
    RDS_INSTANCE,
    REDSHIFT_CLUSTER,
)
from residency.inventory.model import DeletionEvidence, Facet, Gap, PlacementKind, RetentionLock
from residency.sources.aws.errors import AWS_ERRORS, describe_error
from residency.sources.aws.estate import Estate
from residency.sources.aws.regional import Arn, Draft, Origin, list_all, region_of_arn

FAMILY = "backup-points"
_VAULTS, _POINTS, _JOBS = "backup-vaults", "backup-recovery-points", "backup-copy-jobs"
SOURCE_KINDS = {("dynamodb", "table/"): DYNAMODB_TABLE.id, ("rds", "db:"): RDS_INSTANCE.id,
                ("rds", "cluster:"): RDS_CLUSTER.id, ("ec2", "volume/"): EBS_VOLUME.id, ("s3", ""): S3_BUCKET.id,
                ("redshift", "cluster:"): REDSHIFT_CLUSTER.id}
_ENDED = frozenset({"FAILED", "ABORTED"})


def kind_of_arn(arn: str) -> str:
    parsed = Arn.parse(arn)
    if parsed is None:
        return ""
    return next((kind for (service, prefix), kind in SOURCE_KINDS.items()
                 if parsed.service == service and parsed.resource.startswith(prefix)), "")


def list_region(estate: Estate, region: str) -> None:
    client = estate.client("backup", region)

    def vaults() -> None:
        for vault in list_all(client.list_backup_vaults, "BackupVaultList", "backup vaults"):
            estate.keep(_VAULTS, vault)
            name = str(vault.get("BackupVaultName", ""))
            estate.failures.guard("recovery points (ListRecoveryPointsByBackupVault)", f"{region} vault {name}",
                                  partial(_points, estate, client, name))

    estate.failures.guard("backup vaults (ListBackupVaults)", region, vaults)
    estate.failures.guard("backup copy jobs (ListCopyJobs)", region, lambda: _copy_jobs(estate, client))


def _points(estate: Estate, client: Any, vault: str) -> None:
    for point in list_all(client.list_recovery_points_by_backup_vault, "RecoveryPoints", "recovery points",
                          BackupVaultName=vault):
        estate.keep(_POINTS, point)


def _copy_jobs(estate: Estate, client: Any) -> None:
    for job in list_all(client.list_copy_jobs, "CopyJobs", "copy jobs"):
        estate.keep(_JOBS, job)


def complete(estate: Estate, pool: ThreadPoolExecutor) -> None:
    """Recovery points become resources (or enrich the snapshot they are); copy jobs to vaults the
    scan could not list become derived placements; tags are read when tags decide scope."""
    vaults = {str(v.get("BackupVaultArn")): v for v in estate.kept(_VAULTS)}
    created = []
    for point in estate.kept(_POINTS):
        draft = _recovery_point(estate, point, vaults.get(str(point.get("BackupVaultArn"))))
        if draft is not None:
            created.append(draft)
    if estate.scopes_by_tags:
        list(pool.map(lambda draft: _tags(estate, draft), created))
    listed = {p.get("RecoveryPointArn") for p in estate.kept(_POINTS)}
    for job in estate.kept(_JOBS):
        if job.get("DestinationRecoveryPointArn") not in listed and job.get("State") not in _ENDED:
            _unlisted_copy(estate, job)


def _recovery_point(estate: Estate, point: dict[str, Any], vault: dict[str, Any] | None) -> Draft | None:
    arn = str(point.get("RecoveryPointArn", ""))
    region = region_of_arn(str(point.get("BackupVaultArn", ""))) or region_of_arn(arn)
    if not arn:
        return None
    existing = estate.drafts.get(arn)
    resource = str(point.get("ResourceArn") or "")
    of = point.get("ResourceName") or resource.rsplit("/", 1)[-1].rsplit(":", 1)[-1] or "?"
    draft = existing or Draft(BACKUP_RECOVERY_POINT.id, arn, f"{point.get('BackupVaultName', '?')}/{of}",
                              estate.account, region, "backup vault region")
    how = f"recovery point of {point.get('ResourceType', 'a resource')} {resource or '?'} (ResourceArn)"
    if point.get("SourceBackupVaultArn"):
        how += f", copied from vault {point['SourceBackupVaultArn']} (SourceBackupVaultArn)"
    if existing is None:
        draft.origin = Origin(resource or None, how if resource else "the recovery point names no resource",
                              kind_of_arn(resource), resource.rpartition("/")[2] or resource)
    draft.attributes += [("backup-vault", str(point.get("BackupVaultArn", "?"))),
                         ("created", str(point.get("CreationDate", "?")))]
    draft.evidence = vault_lock(vault, point.get("CreationDate"), estate.now)
    draft.collected.add(Facet.DELETION_EVIDENCE)
    return estate.found(draft) if existing is None else None


def vault_lock(vault: dict[str, Any] | None, created: Any, now: dt.datetime) -> DeletionEvidence:
    if vault is None:
        return DeletionEvidence(notes=("its vault was not in the listing: any vault lock is unknown",))
    if not vault.get("Locked"):
        return DeletionEvidence(notes=(f"vault {vault.get('BackupVaultName')} is not locked",))
    minimum, lock_date = vault.get("MinRetentionDays"), vault.get("LockDate")
    until = created + dt.timedelta(days=int(minimum)) if minimum and isinstance(created, dt.datetime) else None
    compliance = isinstance(lock_date, dt.datetime) and lock_date <= now
    holds = until is None or until > now
    mode = "compliance mode" if compliance else (
        f"governance mode until it becomes immutable on {lock_date:%Y-%m-%d}" if isinstance(lock_date, dt.datetime)
        else "governance mode")
    detail = (f"vault lock on {vault.get('BackupVaultName')} ({mode}): recovery points are kept at least "
              f"{minimum or '?'} days" + (f", this one until {until:%Y-%m-%d}" if until else ""))
    lock = RetentionLock("backup-vault-lock", detail, until.isoformat() if until else None,
                         blocks_deletion=compliance and holds)
    return DeletionEvidence(locks=(lock,))


def _tags(estate: Estate, draft: Draft) -> None:
    region = draft.region or ""
    try:
        answer = estate.client("backup", region).list_tags(ResourceArn=draft.id)
    except AWS_ERRORS as error:
        draft.tags_unreadable("tags", f"backup:ListTags: {describe_error(error)}")
        return
    draft.set_tags(dict(answer.get("Tags") or {}))


def _unlisted_copy(estate: Estate, job: dict[str, Any]) -> None:
    """A copy in a vault the scan does not list (another account): the source resource's placement."""
    owner = estate.drafts.get(str(job.get("ResourceArn", "")))
    if owner is None or not estate.wants(PlacementKind.DERIVED, owner):
        return
    vault = str(job.get("DestinationBackupVaultArn", ""))
    region = region_of_arn(vault)
    owner.add(PlacementKind.DERIVED, region, f"copy job {job.get('CopyJobId', '?')} ({job.get('State', '?')}) "
              f"copies its recovery point to vault {vault}", str(job.get("DestinationRecoveryPointArn") or vault))
    owner.collected.add(Facet.COPIES)


def listing_gaps(estate: Estate) -> list[Gap]:
    """What failed in AWS Backup's listings: every resource's copies may be incomplete."""
    gaps = []
    for what in ("backup vaults (ListBackupVaults)", "recovery points (ListRecoveryPointsByBackupVault)",
                 "backup copy jobs (ListCopyJobs)"):
        summary = estate.failures.summary(what)
        if summary:
            gaps.append(Gap(f"AWS Backup {what}", summary, Facet.COPIES))
    return gaps
