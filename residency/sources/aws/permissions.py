"""The least-privilege IAM policy for exactly the calls the adapter makes, from the kind registry.

A test records the operations of a full scan and checks each one is in the registry and its
permission in the printed policy. A permission of None needs no grant (GetCallerIdentity).
"""

from __future__ import annotations

import json

from residency.inventory.kinds import reads_of
from residency.inventory.model import Provider

# Statement id -> the permission prefixes it groups, so the policy reads as what it is for.
_STATEMENTS = (  # an action goes to the first statement one of whose prefixes it starts with
    ("ReadWhereDataLivesAndWhatIsLeft", ("s3:", "s3express:")),
    ("BulkTagsRegionsAndZones", ("tag:", "ec2:DescribeAvailabilityZones", "ec2:DescribeRegions")),
    ("DatabasesAndTheirReplicas", ("dynamodb:", "rds:", "redshift:", "elasticache:")),
    ("SnapshotsImagesAndBackups", ("ec2:", "dlm:", "backup:")),
    ("LogsAndStreams", ("logs:", "firehose:")),
    ("MultiAccount", ("sts:", "organizations:")),
)


def operation_permissions() -> dict[tuple[str, str], str | None]:
    """(botocore service, operation) -> IAM action, for every call the adapter may make."""
    table: dict[tuple[str, str], str | None] = {}
    for call in reads_of(Provider.AWS):
        service, _, operation = call.operation.partition(":")
        table[(service, operation)] = call.permission
    return table


def required_actions() -> list[str]:
    return sorted({action for action in operation_permissions().values() if action})


def policy_document() -> dict[str, object]:
    actions = required_actions()
    statements = []
    grouped: set[str] = set()
    for sid, prefixes in _STATEMENTS:
        chosen = [a for a in actions if a.startswith(prefixes) and a not in grouped]
        grouped.update(chosen)
        if chosen:
            statements.append({"Sid": sid, "Effect": "Allow", "Action": chosen, "Resource": "*"})
    rest = [a for a in actions if a not in grouped]
    if rest:
        statements.append({"Sid": "ReadOtherServices", "Effect": "Allow", "Action": rest, "Resource": "*"})
    return {"Version": "2012-10-17", "Statement": statements}


def permissions() -> str:
    return json.dumps(policy_document(), indent=2)
