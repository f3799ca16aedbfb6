"""Data Lifecycle Manager: a policy whose schedule copies snapshots (or images) to another region
is a derived placement on every volume it targets, before any copy exists.

Per region: GetLifecyclePolicies (summaries), then GetLifecyclePolicy for each policy (its
target tags and copy rules are only there); DescribeInstances once, only where a policy targets
instances (their volumes are what it snapshots). A disabled policy copies nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from residency.inventory.kinds.aws_datastores import EBS_VOLUME
from residency.inventory.model import Facet, Gap, PlacementKind
from residency.sources.aws import ebs
from residency.sources.aws.estate import Estate
from residency.sources.aws.regional import list_all

FAMILY = "dlm"
_WHAT = "Data Lifecycle Manager policies (GetLifecyclePolicies, GetLifecyclePolicy)"


@dataclass(frozen=True)
class CopyRule:
    policy: str  # policy id
    region: str  # where the policy runs
    resource_types: frozenset[str]  # VOLUME, INSTANCE
    target_tags: frozenset[tuple[str, str]]  # empty: every resource of the region (default policies)
    destination: str | None  # target region; None when the target is an Outpost or not given
    why: str


def list_region(estate: Estate, region: str) -> None:
    def read() -> None:
        client = estate.client("dlm", region)
        rules: list[CopyRule] = []
        for summary in client.get_lifecycle_policies().get("Policies", []):
            if summary.get("State") == "DISABLED":
                continue
            policy = client.get_lifecycle_policy(PolicyId=summary["PolicyId"]).get("Policy", {})
            rules += copy_rules(policy, region)
        estate.keep(FAMILY, (region, rules))
        if any("INSTANCE" in rule.resource_types for rule in rules):
            estate.keep("dlm-instances", (region, _instance_tags(estate, region)))

    estate.failures.guard(_WHAT, region, read)


def copy_rules(policy: dict[str, Any], region: str) -> list[CopyRule]:
    details = policy.get("PolicyDetails") or {}
    policy_id = str(policy.get("PolicyId", "?"))
    name = f"lifecycle policy {policy_id}" + (f" ({policy['Description']})" if policy.get("Description") else "")
    types = frozenset(details.get("ResourceTypes") or ([details["ResourceType"]] if details.get("ResourceType")
                                                        else ["VOLUME"]))
    tags = frozenset((str(t.get("Key")), str(t.get("Value"))) for t in details.get("TargetTags") or [])
    targets: list[tuple[str, str]] = []
    for schedule in details.get("Schedules") or []:
        for rule in schedule.get("CrossRegionCopyRules") or []:
            targets.append((str(rule.get("TargetRegion") or rule.get("Target") or ""),
                            f"schedule '{schedule.get('Name', '?')}'"))
    for target in details.get("CrossRegionCopyTargets") or []:  # default policies
        targets.append((str(target.get("TargetRegion", "")), "default policy"))
    return [CopyRule(policy_id, region, types, tags, _region(destination), f"{name} {where} copies snapshots to "
                     f"{destination or 'an unnamed target'}") for destination, where in targets]


def _region(target: str) -> str | None:
    if target.startswith("arn:"):
        return None  # an Outpost: where it stands is not in the ARN
    return target or None


def _instance_tags(estate: Estate, region: str) -> dict[str, frozenset[tuple[str, str]]]:
    tags: dict[str, frozenset[tuple[str, str]]] = {}
    for reservation in list_all(estate.client("ec2", region).describe_instances, "Reservations", "EC2 instances",
                                MaxResults=1000):
        for instance in reservation.get("Instances") or []:
            tags[str(instance.get("InstanceId"))] = frozenset(
                (str(t.get("Key")), str(t.get("Value"))) for t in instance.get("Tags") or [])
    return tags


def complete(estate: Estate) -> None:
    rules = {region: found for region, found in estate.kept(FAMILY)}
    instances = {region: tags for region, tags in estate.kept("dlm-instances")}
    attached = {volume: (region, ids) for volume, region, ids in estate.kept(ebs.ATTACHMENTS)}
    failed = dict(estate.failures.by_what.get(_WHAT, []))
    for volume in estate.of_kind(EBS_VOLUME.id):
        if not estate.wants(PlacementKind.DERIVED, volume):
            continue
        volume.collected.add(Facet.COPIES)
        region = volume.region or ""
        if region in failed:
            volume.gaps.append(Gap(f"lifecycle policies of {region}", failed[region], Facet.COPIES))
        own = frozenset(volume.tags or ())
        instance_tags = [instances.get(region, {}).get(i, frozenset()) for i in attached.get(volume.id, ("", ()))[1]]
        for rule in rules.get(region, []):
            if _targets(rule, own, instance_tags):
                arn = f"arn:{estate.partition}:dlm:{region}:{estate.account}:policy/{rule.policy}"
                volume.add(PlacementKind.DERIVED, rule.destination, rule.why, arn)


def _targets(rule: CopyRule, volume_tags: frozenset[tuple[str, str]], instance_tags: list[frozenset[tuple[str, str]]]
             ) -> bool:
    """A policy targets resources carrying any of its target tags (every one, without target tags)."""
    def matches(tags: frozenset[tuple[str, str]]) -> bool:
        return not rule.target_tags or bool(rule.target_tags & tags)

    if "VOLUME" in rule.resource_types and matches(volume_tags):
        return True
    return "INSTANCE" in rule.resource_types and any(matches(tags) for tags in instance_tags)

