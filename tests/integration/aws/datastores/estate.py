"""The databases-and-copies estate, seeded with the real create calls through plain boto3, and its policies.

US user data (tag `data-class: us-user-data`) lives in us-east-1, and its copies went abroad:
a DynamoDB replica in Frankfurt and an export to a Dublin bucket; an RDS instance whose automated
backups replicate to Dublin, a snapshot copied there and exported; an Aurora global database with a
London secondary; a volume's snapshot copied to Singapore (and once more to Stockholm with its
description replaced), its image copied to Dublin, and a lifecycle policy copying to Singapore; a
backup plan copying to a locked London vault (one copy already there); a Redshift cluster copying
snapshots to Dublin; an ElastiCache global datastore with a Dublin member; a log group subscribed,
through a Logs destination, to a Firehose stream in Dublin; a Firehose stream delivering to Dublin.
A legacy global table `orders` replicates to Tokyo; a deleted table left a backup in Dublin; EU
personal data replicates to Virginia. The scanner may not list cluster snapshots.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Sequence
from typing import Any

from residency.inventory.model import PlacementKind, Provider
from residency.policy.model import LocationSet, Policy, Scope, Severity
from residency.sources.aws.session import Hook
from scripts.localcloud.aws.datastores import AGE_PATH
from scripts.localcloud.aws.seed import Identities, Seeder, create_identities

ACCOUNT = "123456789012"
US = [{"Key": "data-class", "Value": "us-user-data"}]
EU = [{"Key": "data-class", "Value": "eu-personal"}]
ROLE = f"arn:aws:iam::{ACCOUNT}:role/service"
DENIED_ACTION = "rds:DescribeDBClusterSnapshots"
KEY = [{"AttributeName": "id", "KeyType": "HASH"}]
ATTRIBUTES = [{"AttributeName": "id", "AttributeType": "S"}]


def seed(endpoint: str, datastores: str, hooks: Sequence[Hook] = ()) -> tuple[Identities, dict[str, str]]:
    """Returns the identities and the ids the tests name (snapshots and images get generated ids).
    `hooks` are registered on the seeding session (to validate the answers to the create calls)."""
    identities = create_identities(endpoint)
    seeder = Seeder(endpoint, identities.admin)
    for event, handler in hooks:
        seeder.session.events.register(event, handler)
    denial = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": DENIED_ACTION, "Resource": "*"}]}
    seeder.client("iam").put_user_policy(UserName="scanner", PolicyName="no-cluster-snapshots",
                                         PolicyDocument=json.dumps(denial))
    seeder.bucket("exports-eu", "eu-west-1")
    ids: dict[str, str] = {}
    _dynamodb(seeder)
    _rds(seeder)
    ids.update(_ebs(seeder))
    _backup(seeder, datastores)
    _caches_and_streams(seeder)
    return identities, ids


def _table(seeder: Seeder, name: str, region: str, tags: list[dict[str, str]] | None = None) -> None:
    params: dict[str, Any] = {"TableName": name, "KeySchema": KEY, "AttributeDefinitions": ATTRIBUTES,
                              "BillingMode": "PAY_PER_REQUEST"}
    seeder.client("dynamodb", region).create_table(**params, **({"Tags": tags} if tags else {}))


def _dynamodb(seeder: Seeder) -> None:
    ddb = seeder.client("dynamodb")
    _table(seeder, "users", "us-east-1", US)
    ddb.update_table(TableName="users", ReplicaUpdates=[{"Create": {"RegionName": "eu-central-1"}}])
    ddb.create_backup(TableName="users", BackupName="users-nightly")
    ddb.update_continuous_backups(TableName="users",
                                  PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
    ddb.export_table_to_point_in_time(TableArn=f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/users",
                                      S3Bucket="exports-eu", S3Prefix="users/")
    for region in ("us-west-2", "ap-northeast-1"):
        _table(seeder, "orders", region)
    seeder.client("dynamodb", "us-west-2").create_global_table(
        GlobalTableName="orders", ReplicationGroup=[{"RegionName": "us-west-2"}, {"RegionName": "ap-northeast-1"}])
    _table(seeder, "legacy-profiles", "eu-west-1", US)
    dublin = seeder.client("dynamodb", "eu-west-1")
    dublin.create_backup(TableName="legacy-profiles", BackupName="legacy-profiles-final")
    dublin.delete_table(TableName="legacy-profiles")
    _table(seeder, "eu-customers", "eu-west-1", EU)
    dublin.update_table(TableName="eu-customers", ReplicaUpdates=[{"Create": {"RegionName": "us-east-1"}}])


def _rds(seeder: Seeder) -> None:
    rds, dublin = seeder.client("rds"), seeder.client("rds", "eu-west-1")
    rds.create_db_instance(DBInstanceIdentifier="users-db", DBInstanceClass="db.t3.micro", Engine="postgres",
                           MasterUsername="app", MasterUserPassword="local-only-1", AllocatedStorage=20,
                           BackupRetentionPeriod=7, Tags=US)
    seeder.client("rds", "us-west-2").create_db_instance_read_replica(
        DBInstanceIdentifier="users-db-replica", DBInstanceClass="db.t3.micro",
        SourceDBInstanceIdentifier=f"arn:aws:rds:us-east-1:{ACCOUNT}:db:users-db")
    dublin.start_db_instance_automated_backups_replication(
        SourceDBInstanceArn=f"arn:aws:rds:us-east-1:{ACCOUNT}:db:users-db", BackupRetentionPeriod=7,
        SourceRegion="us-east-1")
    rds.create_db_snapshot(DBInstanceIdentifier="users-db", DBSnapshotIdentifier="users-db-snap")
    dublin.copy_db_snapshot(SourceDBSnapshotIdentifier=f"arn:aws:rds:us-east-1:{ACCOUNT}:snapshot:users-db-snap",
                            TargetDBSnapshotIdentifier="users-db-snap-ie", SourceRegion="us-east-1")
    rds.start_export_task(ExportTaskIdentifier="users-db-export", S3BucketName="exports-eu", IamRoleArn=ROLE,
                          SourceArn=f"arn:aws:rds:us-east-1:{ACCOUNT}:snapshot:users-db-snap", KmsKeyId="local")
    rds.create_global_cluster(GlobalClusterIdentifier="ledger-global", Engine="aurora-postgresql")
    rds.create_db_cluster(DBClusterIdentifier="ledger", Engine="aurora-postgresql", MasterUsername="app",
                          MasterUserPassword="local-only-1", GlobalClusterIdentifier="ledger-global", Tags=US)
    seeder.client("rds", "eu-west-2").create_db_cluster(DBClusterIdentifier="ledger-eu", Engine="aurora-postgresql",
                                                       GlobalClusterIdentifier="ledger-global")
    rds.create_db_cluster_snapshot(DBClusterIdentifier="ledger", DBClusterSnapshotIdentifier="ledger-snap")


def _ebs(seeder: Seeder) -> dict[str, str]:
    ec2 = seeder.client("ec2")
    volume = ec2.create_volume(AvailabilityZone="us-east-1a", Size=8,
                               TagSpecifications=[{"ResourceType": "volume", "Tags": US}])["VolumeId"]
    snapshot = ec2.create_snapshot(VolumeId=volume, Description="nightly")["SnapshotId"]
    singapore = seeder.client("ec2", "ap-southeast-1").copy_snapshot(SourceSnapshotId=snapshot,
                                                                     SourceRegion="us-east-1")["SnapshotId"]
    stockholm = seeder.client("ec2", "eu-north-1").copy_snapshot(SourceSnapshotId=snapshot, SourceRegion="us-east-1",
                                                                 Description="manual copy")["SnapshotId"]
    image = ec2.register_image(Name="users-app", RootDeviceName="/dev/sda1", BlockDeviceMappings=[
        {"DeviceName": "/dev/sda1", "Ebs": {"SnapshotId": snapshot}}])["ImageId"]
    image_copy = seeder.client("ec2", "eu-west-1").copy_image(SourceImageId=image, SourceRegion="us-east-1",
                                                              Name="users-app-ie")["ImageId"]
    seeder.client("dlm").create_lifecycle_policy(
        ExecutionRoleArn=ROLE, Description="nightly US volumes", State="ENABLED", PolicyDetails={
            "PolicyType": "EBS_SNAPSHOT_MANAGEMENT", "ResourceTypes": ["VOLUME"], "TargetTags": US,
            "Schedules": [{"Name": "nightly", "CreateRule": {"Interval": 24, "IntervalUnit": "HOURS"},
                           "RetainRule": {"Count": 7}, "CrossRegionCopyRules": [
                               {"TargetRegion": "ap-southeast-1", "Encrypted": False,
                                "RetainRule": {"Interval": 7, "IntervalUnit": "DAYS"}}]}]})
    # A US instance's volumes are what a policy targeting instances snapshots (and copies to Frankfurt).
    ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, InstanceType="t3.micro",
                      TagSpecifications=[{"ResourceType": "instance", "Tags": US}])
    seeder.client("dlm").create_lifecycle_policy(
        ExecutionRoleArn=ROLE, Description="US instances", State="ENABLED", PolicyDetails={
            "PolicyType": "EBS_SNAPSHOT_MANAGEMENT", "ResourceTypes": ["INSTANCE"], "TargetTags": US,
            "Schedules": [{"Name": "weekly", "CreateRule": {"CronExpression": "cron(0 3 ? * 1 *)"},
                           "RetainRule": {"Count": 4}, "CrossRegionCopyRules": [
                               {"TargetRegion": "eu-central-1", "Encrypted": False,
                                "RetainRule": {"Interval": 4, "IntervalUnit": "WEEKS"}}]}]})
    return {"volume": volume, "snapshot": snapshot, "singapore": singapore, "stockholm": stockholm,
            "image": image, "image-copy": image_copy}


def _backup(seeder: Seeder, datastores: str) -> None:
    virginia, london = seeder.client("backup"), seeder.client("backup", "eu-west-2")
    virginia.create_backup_vault(BackupVaultName="main")
    london.create_backup_vault(BackupVaultName="london")
    london.put_backup_vault_lock_configuration(BackupVaultName="london", MinRetentionDays=365, ChangeableForDays=3)
    plan = virginia.create_backup_plan(BackupPlan={"BackupPlanName": "daily-us", "Rules": [{
        "RuleName": "daily", "TargetBackupVaultName": "main", "ScheduleExpression": "cron(0 5 * * ? *)",
        "CopyActions": [{"DestinationBackupVaultArn": f"arn:aws:backup:eu-west-2:{ACCOUNT}:backup-vault:london"}]}]})
    virginia.create_backup_selection(BackupPlanId=plan["BackupPlanId"], BackupSelection={
        "SelectionName": "us-user-data", "IamRoleArn": ROLE,
        "ListOfTags": [{"ConditionType": "STRINGEQUALS", "ConditionKey": "data-class",
                        "ConditionValue": "us-user-data"}]})
    job = virginia.start_backup_job(BackupVaultName="main", IamRoleArn=ROLE,
                                    ResourceArn=f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/users")
    virginia.start_copy_job(RecoveryPointArn=job["RecoveryPointArn"], SourceBackupVaultName="main", IamRoleArn=ROLE,
                            DestinationBackupVaultArn=f"arn:aws:backup:eu-west-2:{ACCOUNT}:backup-vault:london")
    # Four days later the lock's cooling-off period is over: the London vault is in compliance mode.
    urllib.request.urlopen(urllib.request.Request(f"{datastores}{AGE_PATH}?days=4", method="POST")).close()


def _caches_and_streams(seeder: Seeder) -> None:
    redshift = seeder.client("redshift")
    redshift.create_cluster(ClusterIdentifier="analytics", NodeType="dc2.large", MasterUsername="app",
                            MasterUserPassword="LocalOnly1", Tags=US)
    redshift.enable_snapshot_copy(ClusterIdentifier="analytics", DestinationRegion="eu-west-1")
    cache = seeder.client("elasticache")
    cache.create_replication_group(ReplicationGroupId="sessions", ReplicationGroupDescription="sessions",
                                   Engine="redis", CacheNodeType="cache.r6g.large", Tags=US)
    datastore = cache.create_global_replication_group(GlobalReplicationGroupIdSuffix="sessions",
                                                      PrimaryReplicationGroupId="sessions")
    seeder.client("elasticache", "eu-west-1").create_replication_group(
        ReplicationGroupId="sessions-eu", ReplicationGroupDescription="sessions in Dublin",
        GlobalReplicationGroupId=datastore["GlobalReplicationGroup"]["GlobalReplicationGroupId"])
    firehose, dublin = seeder.client("firehose"), seeder.client("firehose", "eu-west-1")
    for client, name in ((firehose, "clickstream"), (dublin, "audit-eu")):
        client.create_delivery_stream(DeliveryStreamName=name, ExtendedS3DestinationConfiguration={
            "RoleARN": ROLE, "BucketARN": "arn:aws:s3:::exports-eu"})
    firehose.tag_delivery_stream(DeliveryStreamName="clickstream", Tags=US)
    logs = seeder.client("logs")
    logs.create_log_group(logGroupName="/app/users", tags={"data-class": "us-user-data"})
    logs.put_destination(destinationName="to-dublin", roleArn=ROLE,
                         targetArn=f"arn:aws:firehose:eu-west-1:{ACCOUNT}:deliverystream/audit-eu")
    logs.put_subscription_filter(logGroupName="/app/users", filterName="audit", filterPattern="",
                                 destinationArn=f"arn:aws:logs:us-east-1:{ACCOUNT}:destination:to-dublin")


def _policy(policy_id: str, scope: Scope, allowed: LocationSet, **extra: Any) -> Policy:
    return Policy(id=policy_id, title=policy_id, description=policy_id, severity=Severity.HIGH, scope=scope,
                  allowed=allowed, denied=None, **extra)


def policies() -> list[Policy]:
    aws = frozenset({Provider.AWS})
    return [
        _policy("us-user-data", Scope(aws, tags=(("data-class", ("us-user-data",)),)),
                LocationSet(countries=frozenset({"US"}))),
        _policy("eu-personal-data", Scope(aws, tags=(("data-class", ("eu-personal",)),)),
                LocationSet(groups=frozenset({"eea"}))),
        _policy("orders-in-us", Scope(aws, names=("orders*",), kinds=("dynamodb-table",)),
                LocationSet(countries=frozenset({"US"})), counts=frozenset({PlacementKind.PRIMARY,
                                                                             PlacementKind.REPLICA})),
    ]
