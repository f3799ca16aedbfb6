"""Replication destinations (CRR/SRR): every rule's destination bucket becomes a REPLICA placement.

A destination ARN carries no region, so the scan resolves it with HeadBucket (which names the
region even when access is denied); when it cannot (403 without the header, 404) the
placement keeps `region=None` and says why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from residency.inventory.model import Placement, PlacementKind
from residency.sources.aws.answers import entries, text
from residency.sources.aws.bucket_region import BucketRegion
from residency.sources.aws.errors import AWS_ERRORS, error_code

_NO_REPLICATION_CODES = frozenset({"ReplicationConfigurationNotFoundError"})


@dataclass(frozen=True, slots=True)
class ReplicationTarget:
    rule: str
    arn: str  # "" when the rule names no destination bucket (then `problem` says so)
    account: str | None  # set when the destination belongs to another account
    status: str | None  # "Enabled", "Disabled", or None when the rule does not say
    problem: str | None = None  # why the destination is unknown, for a malformed rule

    @property
    def bucket(self) -> str:
        return self.arn.rpartition(":")[2].split("/", 1)[0]


def replication_targets(s3: Any, name: str) -> tuple[list[ReplicationTarget], Exception | None]:
    """(targets, None) or ([], error) when the configuration could not be read. A rule that cannot
    be read is a target with its problem: its data may be copied anywhere."""
    try:
        config = s3.get_bucket_replication(Bucket=name).get("ReplicationConfiguration") or {}
        rules = entries(config, "Rules", "GetBucketReplication")
    except AWS_ERRORS as error:
        if error_code(error) in _NO_REPLICATION_CODES:
            return [], None
        return [], error
    return [_target(index, rule) for index, rule in enumerate(rules, start=1)], None


def _target(index: int, rule: Any) -> ReplicationTarget:
    rule_id = text(rule, "ID") or f"#{index}"
    destination = rule.get("Destination") if isinstance(rule, Mapping) else None
    status = text(rule, "Status")
    arn = text(destination, "Bucket") or ""
    problem = None if arn else "the rule names no destination bucket, so where it copies to is unknown"
    return ReplicationTarget(rule_id, arn, text(destination, "Account"), status, problem)


def replica_placement(target: ReplicationTarget, located: BucketRegion | None) -> Placement:
    reason = f"replication rule '{target.rule}'"
    if target.arn:
        reason += f" to {target.arn}"
    if target.account:
        reason += f" in account {target.account}"
    if target.status == "Disabled":
        reason += " (rule disabled; earlier copies remain)"
    elif target.status != "Enabled":
        reason += " (rule status not reported: counted as enabled)"
    if target.problem or located is None:
        return Placement(PlacementKind.REPLICA, None, f"{reason}: {target.problem}", target=target.arn or None)
    if located.region is None:
        reason += f": destination region unknown ({located.reason})"
    return Placement(PlacementKind.REPLICA, located.region, reason, target=target.arn)
