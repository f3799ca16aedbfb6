"""The databases and copies of the AWS demo: where the migration left US user data behind.

Clipwave moved its US users' data into the United States, but:
- the watch-history DynamoDB table still has a replica in Frankfurt (global table 2019.11.21);
- the accounts database (RDS) replicates its automated backups to Ireland;
- a snapshot of the transcoder cache volume was copied to Singapore, without the volume's tags;
- the daily backup plan copies every US resource to a vault in London, though nothing has been
  copied yet: the plan itself is the violation.
Everything is created with the real API calls through boto3 (the project's datastore server
answers what moto lacks). `EXPECTATIONS`: the findings on these resources, as
(policy, rule, status, name); `seed` adds the automated snapshot RDS names with its timestamp.
"""

from __future__ import annotations

from typing import Any

from scripts.localcloud.aws.seed import Seeder

US = "us-user-data"
DENY = "no-sanctioned-jurisdictions"
OK = ("locations-allowed", "compliant")
US_TAGS = [{"Key": "data-class", "Value": US}, {"Key": "team", "Value": "video"}]
TABLE, DATABASE = "clipwave-us-watch-history", "clipwave-us-accounts"
VOLUME = "clipwave-us-transcoder-cache"
SNAPSHOT, COPY = "clipwave-transcoder-cache-nightly", "clipwave-transcoder-cache-sg"
BACKUPS = f"{DATABASE} automated backups (eu-west-1)"
ROLE = "arn:aws:iam::123456789012:role/clipwave-backup"
LONDON_VAULT = "arn:aws:backup:eu-west-2:123456789012:backup-vault:clipwave-london"

EXPECTATIONS: frozenset[tuple[str, str, str, str]] = frozenset({
    (US, "replica-outside", "violation", TABLE),  # the Frankfurt replica
    (US, "copy-outside", "violation", TABLE),  # the backup plan copies it to London
    (US, "copy-outside", "violation", DATABASE),  # automated backups in Ireland; the plan's London copy
    (US, "primary-outside", "violation", BACKUPS),  # the replicated backups, judged as the database's data
    (US, "copy-outside", "violation", VOLUME),  # the Singapore copy; the plan's London copy
    (US, *OK, SNAPSHOT), (US, "primary-outside", "violation", COPY),  # the copy inherits the volume's class
    *((DENY, *OK, name) for name in (TABLE, DATABASE, BACKUPS, VOLUME, SNAPSHOT, COPY)),
    (DENY, *OK, TABLE),  # the Frankfurt replica table: Germany is allowed by the deny-list
})


def seed(seeder: Seeder) -> set[tuple[str, str, str, str]]:
    """Create the estate; returns the findings of the resources whose names AWS generates."""
    _table(seeder)
    snapshot_name = _database(seeder)
    _volume(seeder)
    _backup_plan(seeder)
    return {(US, *OK, snapshot_name), (DENY, *OK, snapshot_name)}


def _table(seeder: Seeder) -> None:
    ddb = seeder.client("dynamodb")
    ddb.create_table(TableName=TABLE, KeySchema=[{"AttributeName": "user", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "user", "AttributeType": "S"}],
                     BillingMode="PAY_PER_REQUEST", Tags=US_TAGS)
    ddb.update_table(TableName=TABLE, ReplicaUpdates=[{"Create": {"RegionName": "eu-central-1"}}])


def _database(seeder: Seeder) -> str:
    rds = seeder.client("rds")
    rds.create_db_instance(DBInstanceIdentifier=DATABASE, DBInstanceClass="db.t3.micro", Engine="postgres",
                           MasterUsername="clipwave", MasterUserPassword="local-demo-only", AllocatedStorage=20,
                           BackupRetentionPeriod=7, Tags=US_TAGS)
    seeder.client("rds", "eu-west-1").start_db_instance_automated_backups_replication(
        SourceDBInstanceArn=f"arn:aws:rds:us-east-1:123456789012:db:{DATABASE}", BackupRetentionPeriod=7,
        SourceRegion="us-east-1")
    automated = rds.describe_db_snapshots(DBInstanceIdentifier=DATABASE, SnapshotType="automated")["DBSnapshots"]
    return str(automated[0]["DBSnapshotIdentifier"])


def _named(name: str, tags: list[dict[str, str]] | None = None) -> list[dict[str, Any]]:
    return [{"Key": "Name", "Value": name}, *(tags or [])]


def _volume(seeder: Seeder) -> None:
    ec2 = seeder.client("ec2")
    volume = ec2.create_volume(AvailabilityZone="us-east-1a", Size=100, TagSpecifications=[
        {"ResourceType": "volume", "Tags": _named(VOLUME, US_TAGS)}])["VolumeId"]
    snapshot = ec2.create_snapshot(VolumeId=volume, TagSpecifications=[
        {"ResourceType": "snapshot", "Tags": _named(SNAPSHOT)}])["SnapshotId"]
    seeder.client("ec2", "ap-southeast-1").copy_snapshot(SourceSnapshotId=snapshot, SourceRegion="us-east-1",
                                                          TagSpecifications=[
                                                              {"ResourceType": "snapshot", "Tags": _named(COPY)}])


def _backup_plan(seeder: Seeder) -> None:
    seeder.client("backup").create_backup_vault(BackupVaultName="clipwave-us")
    seeder.client("backup", "eu-west-2").create_backup_vault(BackupVaultName="clipwave-london")
    plan = seeder.client("backup").create_backup_plan(BackupPlan={"BackupPlanName": "clipwave-us-daily", "Rules": [{
        "RuleName": "daily", "TargetBackupVaultName": "clipwave-us", "ScheduleExpression": "cron(0 5 * * ? *)",
        "CopyActions": [{"DestinationBackupVaultArn": LONDON_VAULT}]}]})
    seeder.client("backup").create_backup_selection(BackupPlanId=plan["BackupPlanId"], BackupSelection={
        "SelectionName": "us-user-data", "IamRoleArn": ROLE,
        "ListOfTags": [{"ConditionType": "STRINGEQUALS", "ConditionKey": "data-class", "ConditionValue": US}]})
