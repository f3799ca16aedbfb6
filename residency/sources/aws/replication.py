"""Replication destinations (CRR/SRR): every rule's destination bucket becomes a REPLICA placement.

A destination ARN carries no region, so the scan resolves it with HeadBucket (which names the
region even when access is denied); when it cannot (403 without the header, 404) the
placement keeps `region=None` and says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from residency.inventory.model import Placement, PlacementKind
from residency.sources.aws.bucket_region import BucketRegion
from residency.sources.aws.errors import AWS_ERRORS, error_code

_NO_REPLICATION_CODES = frozenset({"ReplicationConfigurationNotFoundError"})


@dataclass(frozen=True, slots=True)
class ReplicationTarget:
    rule: str
    arn: str
    account: str | None  # set when the destination belongs to another account
    enabled: bool

    @property
    def bucket(self) -> str:
        return self.arn.rpartition(":")[2].split("/", 1)[0]


def replication_targets(s3: Any, name: str) -> tuple[list[ReplicationTarget], Exception | None]:
    """(targets, None) or ([], error) when the configuration could not be read."""
    try:
        config = s3.get_bucket_replication(Bucket=name).get("ReplicationConfiguration", {})
    except AWS_ERRORS as error:
        if error_code(error) in _NO_REPLICATION_CODES:
            return [], None
        return [], error
    targets = []
    for index, rule in enumerate(config.get("Rules", []), start=1):
        destination = rule.get("Destination", {})
        arn = str(destination.get("Bucket", ""))
        if not arn:
            continue
        targets.append(
            ReplicationTarget(
                rule=str(rule.get("ID") or f"#{index}"),
                arn=arn,
                account=destination.get("Account"),
                enabled=rule.get("Status", "Enabled") == "Enabled",
            )
        )
    return targets, None


def replica_placement(target: ReplicationTarget, located: BucketRegion) -> Placement:
    reason = f"replication rule '{target.rule}' to {target.arn}"
    if target.account:
        reason += f" in account {target.account}"
    if not target.enabled:
        reason += " (rule disabled; earlier copies remain)"
    if located.region is None:
        reason += f": destination region unknown ({located.reason})"
    return Placement(PlacementKind.REPLICA, located.region, reason, target=target.arn)
