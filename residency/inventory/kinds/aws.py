"""AWS kinds: where data lives on AWS, and the read calls that find it."""

from __future__ import annotations

from residency.inventory.kinds import aws_datastores
from residency.inventory.kinds.spec import ReadCall, ResourceKind
from residency.inventory.model import PlacementKind, Provider

AWS = Provider.AWS
P = PlacementKind

ACCOUNT_READS = (
    ReadCall("sts:GetCallerIdentity", None, "which account and partition the credentials belong to"),
    ReadCall("sts:AssumeRole", "sts:AssumeRole",
             "enter other accounts (--aws-assume-role, accounts file, --aws-organization); returns credentials"),
    ReadCall("organizations:ListAccounts", "organizations:ListAccounts",
             "the accounts of the Organization (--aws-organization only)"),
)

S3_BUCKET = ResourceKind(
    "s3-bucket", AWS, "Amazon S3", "S3 bucket",
    frozenset({P.PRIMARY, P.REPLICA, P.RESIDUAL}),
    (
        ReadCall("s3:ListBuckets", "s3:ListAllMyBuckets", "every general-purpose bucket, with BucketRegion"),
        ReadCall("resourcegroupstaggingapi:GetResources", "tag:GetResources", "bucket tags in bulk, region by region"),
        ReadCall("s3:GetBucketTagging", "s3:GetBucketTagging", "a bucket's tags when the Tagging API cannot tell"),
        ReadCall("s3:HeadBucket", "s3:ListBucket", "a bucket's region (x-amz-bucket-region)"),
        ReadCall("s3:GetBucketLocation", "s3:GetBucketLocation", "a bucket's region when HeadBucket cannot tell"),
        ReadCall("s3:GetBucketReplication", "s3:GetReplicationConfiguration", "replication rules and destinations"),
        ReadCall("s3control:ListMultiRegionAccessPoints", "s3:ListMultiRegionAccessPoints",
                 "Multi-Region Access Points and their member buckets"),
        ReadCall("s3:ListObjectVersions", "s3:ListBucketVersions", "deletion evidence: versions and delete markers"),
        ReadCall("s3:ListObjectsV2", "s3:ListBucket", "deletion evidence: live objects"),
        ReadCall("s3:GetBucketVersioning", "s3:GetBucketVersioning", "deletion evidence: versioning state"),
        ReadCall("s3:GetBucketLifecycleConfiguration", "s3:GetLifecycleConfiguration",
                 "deletion evidence: lifecycle rules that expire old versions"),
        ReadCall("s3:GetObjectLockConfiguration", "s3:GetBucketObjectLockConfiguration",
                 "retention that blocks deletion: Object Lock default retention"),
        ReadCall("s3:GetObjectRetention", "s3:GetObjectRetention", "retention that blocks deletion, per version"),
        ReadCall("s3:GetObjectLegalHold", "s3:GetObjectLegalHold", "legal holds that block deletion"),
    ),
    terraform_types=("aws_s3_bucket", "aws_s3_bucket_replication_configuration"),
)
S3_DIRECTORY_BUCKET = ResourceKind(
    "s3-directory-bucket", AWS, "Amazon S3 Express One Zone", "S3 directory bucket",
    frozenset({P.PRIMARY}),
    (
        ReadCall("s3:ListDirectoryBuckets", "s3express:ListAllMyDirectoryBuckets", "S3 Express directory buckets"),
        ReadCall("s3control:ListTagsForResource", "s3express:ListTagsForResource", "a directory bucket's tags"),
        ReadCall("ec2:DescribeAvailabilityZones", "ec2:DescribeAvailabilityZones",
                 "the zone of a directory bucket the catalog does not know"),
    ),
    terraform_types=("aws_s3_directory_bucket",),
)
S3_MULTI_REGION_ACCESS_POINT = ResourceKind(
    "s3-multi-region-access-point", AWS, "Amazon S3", "S3 Multi-Region Access Point",
    frozenset({P.REPLICA}), (), terraform_types=("aws_s3control_multi_region_access_point",), scanned=False,
)
S3_REPLICATION_CONFIGURATION = ResourceKind(
    "s3-replication-configuration", AWS, "Amazon S3", "S3 replication configuration (source outside the plan)",
    frozenset({P.REPLICA}), (), scanned=False,
)

KINDS = (S3_BUCKET, S3_DIRECTORY_BUCKET, S3_MULTI_REGION_ACCESS_POINT, S3_REPLICATION_CONFIGURATION,
         *aws_datastores.KINDS)
