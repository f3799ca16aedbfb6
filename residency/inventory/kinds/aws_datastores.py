"""AWS kinds beyond S3: databases, their replicas, backups, snapshots, images and log copies.

Every regional kind is listed region by region over the regions enabled for the account
(`ec2:DescribeRegions`), one paginated list call per region and kind. Calls that cover several
kinds (the regions, bulk tags, backup plans) are repeated in each kind that needs them; the
registry lists each operation once.
"""

from __future__ import annotations

from residency.inventory.kinds.spec import ReadCall, ResourceKind
from residency.inventory.model import PlacementKind, Provider

AWS = Provider.AWS
P = PlacementKind

REGIONS = ReadCall("ec2:DescribeRegions", "ec2:DescribeRegions", "the regions enabled for the account")
BULK_TAGS = ReadCall("resourcegroupstaggingapi:GetResources", "tag:GetResources",
                     "tags in bulk, region by region, for kinds whose listing has none")
BUCKET_REGION = (
    ReadCall("s3:HeadBucket", "s3:ListBucket", "the region of the bucket a copy is written to"),
    ReadCall("s3:GetBucketLocation", "s3:GetBucketLocation", "a bucket's region when HeadBucket cannot tell"),
)
# Backup plans copy a resource before any copy exists: read wherever such a resource may be covered.
BACKUP_PLANS = (
    ReadCall("backup:ListBackupPlans", "backup:ListBackupPlans", "the backup plans of each region"),
    ReadCall("backup:GetBackupPlan", "backup:GetBackupPlan", "a plan's rules and their cross-region copy actions"),
    ReadCall("backup:ListBackupSelections", "backup:ListBackupSelections", "which selections a plan has"),
    ReadCall("backup:GetBackupSelection", "backup:GetBackupSelection",
             "which resources a plan covers (ARNs, tag conditions)"),
    ReadCall("backup:DescribeRegionSettings", "backup:DescribeRegionSettings",
             "which resource types AWS Backup protects in a region"),
)

DYNAMODB_TABLE = ResourceKind(
    "dynamodb-table", AWS, "Amazon DynamoDB", "DynamoDB table",
    frozenset({P.PRIMARY, P.REPLICA, P.DERIVED}),
    (
        REGIONS,
        ReadCall("dynamodb:ListTables", "dynamodb:ListTables", "the tables of each region"),
        BULK_TAGS,
        ReadCall("dynamodb:DescribeTable", "dynamodb:DescribeTable", "replicas of a global table (2019.11.21)"),
        ReadCall("dynamodb:ListGlobalTables", "dynamodb:ListGlobalTables",
                 "legacy global tables (2017.11.29) and their replication groups"),
        *BACKUP_PLANS,
    ),
    terraform_types=("aws_dynamodb_table", "aws_dynamodb_table_replica"),
)
DYNAMODB_BACKUP = ResourceKind(
    "dynamodb-backup", AWS, "Amazon DynamoDB", "DynamoDB on-demand backup",
    frozenset({P.PRIMARY}),
    (REGIONS, ReadCall("dynamodb:ListBackups", "dynamodb:ListBackups", "on-demand backups and their tables")),
    derived=True,
)
DYNAMODB_EXPORT = ResourceKind(
    "dynamodb-export", AWS, "Amazon DynamoDB", "DynamoDB export to S3",
    frozenset({P.PRIMARY}),
    (
        REGIONS,
        ReadCall("dynamodb:ListExports", "dynamodb:ListExports", "exports of each region"),
        ReadCall("dynamodb:DescribeExport", "dynamodb:DescribeExport", "the bucket an export was written to"),
        *BUCKET_REGION,
    ),
    derived=True,
)
RDS_INSTANCE = ResourceKind(
    "rds-db-instance", AWS, "Amazon RDS", "RDS DB instance",
    frozenset({P.PRIMARY, P.REPLICA, P.DERIVED}),
    (
        REGIONS,
        ReadCall("rds:DescribeDBInstances", "rds:DescribeDBInstances",
                 "instances, their tags, read replicas and automated-backup replications"),
        *BACKUP_PLANS,
    ),
    terraform_types=("aws_db_instance", "aws_db_instance_automated_backups_replication"),
)
RDS_CLUSTER = ResourceKind(
    "rds-db-cluster", AWS, "Amazon Aurora", "Aurora / RDS DB cluster",
    frozenset({P.PRIMARY, P.REPLICA, P.DERIVED}),
    (
        REGIONS,
        ReadCall("rds:DescribeDBClusters", "rds:DescribeDBClusters", "clusters, their tags and read replicas"),
        ReadCall("rds:DescribeGlobalClusters", "rds:DescribeGlobalClusters",
                 "Aurora global databases and their member clusters"),
        *BACKUP_PLANS,
    ),
    terraform_types=("aws_rds_cluster", "aws_rds_global_cluster"),
)
RDS_AUTOMATED_BACKUP = ResourceKind(
    "rds-automated-backup", AWS, "Amazon RDS", "RDS automated backups (replicated or retained)",
    frozenset({P.PRIMARY}),
    (REGIONS, ReadCall("rds:DescribeDBInstanceAutomatedBackups", "rds:DescribeDBInstanceAutomatedBackups",
                       "automated backups replicated to another region, or retained after deletion")),
    derived=True,
)
RDS_SNAPSHOT = ResourceKind(
    "rds-db-snapshot", AWS, "Amazon RDS", "RDS DB snapshot",
    frozenset({P.PRIMARY}),
    (REGIONS, ReadCall("rds:DescribeDBSnapshots", "rds:DescribeDBSnapshots",
                       "manual, automated and copied snapshots (SourceRegion, SourceDBSnapshotIdentifier)")),
    derived=True,
)
RDS_CLUSTER_SNAPSHOT = ResourceKind(
    "rds-db-cluster-snapshot", AWS, "Amazon Aurora", "DB cluster snapshot",
    frozenset({P.PRIMARY}),
    (REGIONS, ReadCall("rds:DescribeDBClusterSnapshots", "rds:DescribeDBClusterSnapshots",
                       "cluster snapshots and copies (SourceDBClusterSnapshotArn)")),
    derived=True,
)
RDS_SNAPSHOT_EXPORT = ResourceKind(
    "rds-snapshot-export", AWS, "Amazon RDS", "RDS snapshot export to S3",
    frozenset({P.PRIMARY}),
    (REGIONS, ReadCall("rds:DescribeExportTasks", "rds:DescribeExportTasks", "snapshot exports and their buckets"),
     *BUCKET_REGION),
    derived=True,
)
EBS_VOLUME = ResourceKind(
    "ebs-volume", AWS, "Amazon EBS", "EBS volume",
    frozenset({P.PRIMARY, P.DERIVED}),
    (
        REGIONS,
        ReadCall("ec2:DescribeVolumes", "ec2:DescribeVolumes", "volumes and their tags (a snapshot's data class)"),
        ReadCall("dlm:GetLifecyclePolicies", "dlm:GetLifecyclePolicies", "Data Lifecycle Manager policies"),
        ReadCall("dlm:GetLifecyclePolicy", "dlm:GetLifecyclePolicy",
                 "a policy's target tags and cross-region copy rules"),
        ReadCall("ec2:DescribeInstances", "ec2:DescribeInstances",
                 "instance tags, when a lifecycle policy targets instances"),
        *BACKUP_PLANS,
    ),
    terraform_types=("aws_ebs_volume",),
)
EBS_SNAPSHOT = ResourceKind(
    "ebs-snapshot", AWS, "Amazon EBS", "EBS snapshot",
    frozenset({P.PRIMARY}),
    (REGIONS, ReadCall("ec2:DescribeSnapshots", "ec2:DescribeSnapshots",
                       "the account's snapshots; a copy's source from its description")),
    terraform_types=("aws_ebs_snapshot_copy",),
    derived=True,
)
EC2_IMAGE = ResourceKind(
    "ec2-image", AWS, "Amazon EC2", "Amazon Machine Image (AMI)",
    frozenset({P.PRIMARY}),
    (REGIONS, ReadCall("ec2:DescribeImages", "ec2:DescribeImages",
                       "the account's images (SourceImageId, SourceImageRegion, snapshots)")),
    terraform_types=("aws_ami_copy",),
    derived=True,
)
BACKUP_RECOVERY_POINT = ResourceKind(
    "backup-recovery-point", AWS, "AWS Backup", "AWS Backup recovery point",
    frozenset({P.PRIMARY}),
    (
        REGIONS,
        ReadCall("backup:ListBackupVaults", "backup:ListBackupVaults", "vaults of each region, their locks"),
        ReadCall("backup:ListRecoveryPointsByBackupVault", "backup:ListRecoveryPointsByBackupVault",
                 "recovery points of each vault (ResourceArn, SourceBackupVaultArn)"),
        ReadCall("backup:ListCopyJobs", "backup:ListCopyJobs", "copies made or in progress to other vaults"),
        ReadCall("backup:ListTags", "backup:ListTags", "a recovery point's tags, when a policy scopes by tags"),
    ),
    derived=True,
)
BACKUP_PLAN = ResourceKind(
    "backup-plan", AWS, "AWS Backup", "AWS Backup plan copy rules",
    frozenset({P.DERIVED}), (), terraform_types=("aws_backup_plan", "aws_backup_selection"), scanned=False,
)
DLM_POLICY = ResourceKind(
    "dlm-lifecycle-policy", AWS, "Amazon Data Lifecycle Manager", "lifecycle policy copy rules",
    frozenset({P.DERIVED}), (), terraform_types=("aws_dlm_lifecycle_policy",), scanned=False,
)
REDSHIFT_CLUSTER = ResourceKind(
    "redshift-cluster", AWS, "Amazon Redshift", "Redshift cluster",
    frozenset({P.PRIMARY, P.DERIVED}),
    (REGIONS, ReadCall("redshift:DescribeClusters", "redshift:DescribeClusters",
                       "clusters, their tags and cross-region snapshot copy")),
    terraform_types=("aws_redshift_cluster", "aws_redshift_snapshot_copy"),
)
ELASTICACHE_REPLICATION_GROUP = ResourceKind(
    "elasticache-replication-group", AWS, "Amazon ElastiCache", "ElastiCache replication group",
    frozenset({P.PRIMARY, P.REPLICA}),
    (
        REGIONS,
        ReadCall("elasticache:DescribeReplicationGroups", "elasticache:DescribeReplicationGroups",
                 "replication groups of each region"),
        BULK_TAGS,
        ReadCall("elasticache:DescribeGlobalReplicationGroups", "elasticache:DescribeGlobalReplicationGroups",
                 "global datastores and their member regions"),
    ),
    terraform_types=("aws_elasticache_replication_group", "aws_elasticache_global_replication_group"),
)
LOG_GROUP = ResourceKind(
    "cloudwatch-log-group", AWS, "Amazon CloudWatch Logs", "CloudWatch Logs log group",
    frozenset({P.PRIMARY, P.DERIVED}),
    (
        REGIONS,
        ReadCall("logs:DescribeLogGroups", "logs:DescribeLogGroups", "log groups of each region"),
        BULK_TAGS,
        ReadCall("logs:DescribeSubscriptionFilters", "logs:DescribeSubscriptionFilters",
                 "where a log group's events are sent"),
        ReadCall("logs:DescribeDestinations", "logs:DescribeDestinations",
                 "the stream a Logs destination forwards to"),
        ReadCall("firehose:DescribeDeliveryStream", "firehose:DescribeDeliveryStream",
                 "where a Firehose destination delivers"),
        *BUCKET_REGION,
    ),
    terraform_types=("aws_cloudwatch_log_group", "aws_cloudwatch_log_subscription_filter"),
)
FIREHOSE_STREAM = ResourceKind(
    "firehose-delivery-stream", AWS, "Amazon Data Firehose", "Firehose delivery stream",
    frozenset({P.PRIMARY, P.DERIVED}),
    (
        REGIONS,
        ReadCall("firehose:ListDeliveryStreams", "firehose:ListDeliveryStreams", "delivery streams of each region"),
        BULK_TAGS,
        ReadCall("firehose:DescribeDeliveryStream", "firehose:DescribeDeliveryStream", "a stream's S3 destination"),
        *BUCKET_REGION,
    ),
    terraform_types=("aws_kinesis_firehose_delivery_stream",),
)

KINDS = (
    DYNAMODB_TABLE, DYNAMODB_BACKUP, DYNAMODB_EXPORT, RDS_INSTANCE, RDS_CLUSTER, RDS_AUTOMATED_BACKUP,
    RDS_SNAPSHOT, RDS_CLUSTER_SNAPSHOT, RDS_SNAPSHOT_EXPORT, EBS_VOLUME, EBS_SNAPSHOT, EC2_IMAGE,
    BACKUP_RECOVERY_POINT, BACKUP_PLAN, DLM_POLICY, REDSHIFT_CLUSTER, ELASTICACHE_REPLICATION_GROUP, LOG_GROUP,
    FIREHOSE_STREAM,
)
