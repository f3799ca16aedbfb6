"""The least-privilege IAM policy for exactly the calls the adapter makes.

`OPERATION_ACTIONS` maps every (botocore service, operation) the adapter calls to the IAM
action that authorises it; a test records the operations of a full scan and checks each
one is here and in the printed policy. None = needs no permission (GetCallerIdentity).
"""

from __future__ import annotations

import json

OPERATION_ACTIONS: dict[tuple[str, str], str | None] = {
    ("sts", "GetCallerIdentity"): None,
    ("sts", "AssumeRole"): "sts:AssumeRole",
    ("organizations", "ListAccounts"): "organizations:ListAccounts",
    ("s3", "ListBuckets"): "s3:ListAllMyBuckets",
    ("s3", "HeadBucket"): "s3:ListBucket",
    ("s3", "GetBucketLocation"): "s3:GetBucketLocation",
    ("s3", "GetBucketTagging"): "s3:GetBucketTagging",
    ("s3", "GetBucketReplication"): "s3:GetReplicationConfiguration",
    ("s3", "GetBucketVersioning"): "s3:GetBucketVersioning",
    ("s3", "GetBucketLifecycleConfiguration"): "s3:GetLifecycleConfiguration",
    ("s3", "GetObjectLockConfiguration"): "s3:GetBucketObjectLockConfiguration",
    ("s3", "ListObjectVersions"): "s3:ListBucketVersions",
    ("s3", "ListObjectsV2"): "s3:ListBucket",
    ("s3", "GetObjectRetention"): "s3:GetObjectRetention",
    ("s3", "GetObjectLegalHold"): "s3:GetObjectLegalHold",
    ("s3", "ListDirectoryBuckets"): "s3express:ListAllMyDirectoryBuckets",
    ("s3control", "ListMultiRegionAccessPoints"): "s3:ListMultiRegionAccessPoints",
    ("s3control", "ListTagsForResource"): "s3express:ListTagsForResource",  # directory buckets only
    ("resourcegroupstaggingapi", "GetResources"): "tag:GetResources",
    ("ec2", "DescribeAvailabilityZones"): "ec2:DescribeAvailabilityZones",
}

_STATEMENTS = (
    ("ReadBucketPlacementAndDeletionEvidence", ("s3:", "s3express:")),
    ("BulkTagsAndZones", ("tag:", "ec2:")),
    ("MultiAccount", ("sts:", "organizations:")),
)


def required_actions() -> list[str]:
    return sorted({action for action in OPERATION_ACTIONS.values() if action})


def policy_document() -> dict[str, object]:
    statements = []
    for sid, prefixes in _STATEMENTS:
        actions = [a for a in required_actions() if a.startswith(prefixes)]
        statements.append({"Sid": sid, "Effect": "Allow", "Action": actions, "Resource": "*"})
    return {"Version": "2012-10-17", "Statement": statements}


def permissions() -> str:
    return json.dumps(policy_document(), indent=2)
