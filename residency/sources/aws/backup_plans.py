"""AWS Backup plans: a plan whose rule copies to a vault elsewhere places a copy of every resource
its selections cover there, before the first copy exists.

Per region (only where plans exist do the per-plan reads follow): ListBackupPlans, then
GetBackupPlan (rules and copy actions) and ListBackupSelections / GetBackupSelection (which
resources: ARNs with wildcards, tag conditions) for each plan, and DescribeRegionSettings once
(a resource type opted out of AWS Backup is not backed up). A plan covers resources of its own
region. When whether a selection covers a resource cannot be decided (its tags are unknown, the
region's settings could not be read), it is counted as covered: fail closed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any

from residency.inventory.kinds.aws_datastores import DYNAMODB_TABLE, EBS_VOLUME, RDS_CLUSTER, RDS_INSTANCE
from residency.inventory.model import Facet, Gap, PlacementKind
from residency.sources.aws.estate import Estate
from residency.sources.aws.regional import Draft, list_all, region_of_arn

FAMILY = "backup-plans"
PLANNED_KINDS = (DYNAMODB_TABLE.id, RDS_INSTANCE.id, RDS_CLUSTER.id, EBS_VOLUME.id)
_WHAT = "backup plans (ListBackupPlans, GetBackupPlan, ListBackupSelections, GetBackupSelection)"
_TAG_KEY = "aws:ResourceTag/"


@dataclass
class Plan:
    region: str
    name: str
    rules: list[dict[str, Any]]
    selections: list[dict[str, Any]] = field(default_factory=list)
    opted_in: dict[str, bool] | None = None  # None: unknown


def list_region(estate: Estate, region: str) -> None:
    def read() -> None:
        client = estate.client("backup", region)
        plans = []
        for summary in list_all(client.list_backup_plans, "BackupPlansList", "backup plans"):
            plan_id = summary["BackupPlanId"]
            body = client.get_backup_plan(BackupPlanId=plan_id).get("BackupPlan") or {}
            plan = Plan(region, str(body.get("BackupPlanName") or plan_id), list(body.get("Rules") or []))
            for listed in list_all(client.list_backup_selections, "BackupSelectionsList", "backup selections",
                                   BackupPlanId=plan_id):
                answer = client.get_backup_selection(BackupPlanId=plan_id, SelectionId=listed["SelectionId"])
                plan.selections.append(answer.get("BackupSelection") or {})
            plans.append(plan)
        if plans:
            opted = _opted_in(estate, client, region)
            for plan in plans:
                plan.opted_in = opted
        estate.keep(FAMILY, (region, plans))

    estate.failures.guard(_WHAT, region, read)


def _opted_in(estate: Estate, client: Any, region: str) -> dict[str, bool] | None:
    settings: dict[str, bool] = {}

    def read() -> None:
        settings.update(client.describe_region_settings().get("ResourceTypeOptInPreference") or {})

    return settings if estate.failures.guard("AWS Backup region settings (DescribeRegionSettings)", region, read) \
        else None


def complete(estate: Estate) -> None:
    plans = {region: found for region, found in estate.kept(FAMILY)}
    failed = dict(estate.failures.by_what.get(_WHAT, []))
    for draft in estate.of_kind(*PLANNED_KINDS):
        if not estate.wants(PlacementKind.DERIVED, draft):
            continue
        draft.collected.add(Facet.COPIES)
        region = draft.region or ""
        if region in failed:
            draft.gaps.append(Gap(f"backup plans of {region}", failed[region], Facet.COPIES))
        for plan in plans.get(region, []):
            _apply(estate, draft, plan)


def _apply(estate: Estate, draft: Draft, plan: Plan) -> None:
    covered = [(s, why) for s in plan.selections if (why := selects(s, draft.id, draft.tags)) is not None]
    backup_type = resource_type(draft)
    if not covered or (plan.opted_in is not None and plan.opted_in.get(backup_type) is False):
        return
    selection, why = covered[0]
    how = f"backup plan {plan.name} (selection {selection.get('SelectionName', '?')}{why})"
    for rule in plan.rules:
        rule_name = rule.get("RuleName", "?")
        vault = str(rule.get("TargetBackupVaultName", "?"))
        draft.add(PlacementKind.DERIVED, plan.region, f"{how} rule {rule_name} backs it up to vault {vault}",
                  estate.arn("backup", plan.region, f"backup-vault:{vault}"))
        for action in rule.get("CopyActions") or []:
            destination = str(action.get("DestinationBackupVaultArn", ""))
            draft.add(PlacementKind.DERIVED, region_of_arn(destination),
                      f"{how} rule {rule_name} copies its recovery points to vault {destination}", destination)


def resource_type(draft: Draft) -> str:
    if draft.kind == RDS_CLUSTER.id:
        engine = dict(draft.attributes).get("engine", "")
        return "Aurora" if engine.startswith("aurora") else "RDS"
    return {DYNAMODB_TABLE.id: "DynamoDB", RDS_INSTANCE.id: "RDS", EBS_VOLUME.id: "EBS"}.get(draft.kind, "")


def selects(selection: dict[str, Any], arn: str, tags: tuple[tuple[str, str], ...] | None) -> str | None:
    """None when the selection does not cover the resource; else "" or why it is counted anyway.

    AWS Backup assigns a resource that matches `Resources` or any of `ListOfTags`, and every one
    of `Conditions`, and none of `NotResources`."""
    if any(fnmatchcase(arn, pattern) for pattern in selection.get("NotResources") or []):
        return None
    resources = selection.get("Resources") or []
    by_tags = selection.get("ListOfTags") or []
    conditions = selection.get("Conditions") or {}
    by_arn = any(fnmatchcase(arn, pattern) for pattern in resources)
    tag_results = [_condition(c.get("ConditionType", "STRINGEQUALS"), c, tags) for c in by_tags]
    chosen = True if by_arn else (None if None in tag_results else any(tag_results))
    if not resources and not by_tags:
        chosen = bool(conditions)  # conditions alone select among every resource
    all_conditions = [_condition(operator, c, tags) for operator, items in conditions.items() for c in items or []]
    if chosen is False or False in all_conditions:
        return None
    if chosen is None or None in all_conditions:
        return ", counted as covered: its tags are unknown"
    return ""


def _condition(operator: str, condition: dict[str, Any], tags: tuple[tuple[str, str], ...] | None) -> bool | None:
    key = str(condition.get("ConditionKey", ""))
    key = key[len(_TAG_KEY):] if key.startswith(_TAG_KEY) else key
    if tags is None:
        return None
    value = dict(tags).get(key)
    expected = str(condition.get("ConditionValue", ""))
    kind = operator.upper().replace("_", "")
    if kind == "STRINGEQUALS":
        return value == expected
    if kind == "STRINGNOTEQUALS":
        return value != expected
    if kind == "STRINGLIKE":
        return value is not None and fnmatchcase(value, expected)
    if kind == "STRINGNOTLIKE":
        return value is None or not fnmatchcase(value, expected)
    return None
