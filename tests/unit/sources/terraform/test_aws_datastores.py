"""The databases, replicas, backups and copies of a plan (aws-v5-datastores.json, Terraform 1.9.8,
hashicorp/aws 5.82.2): what each translator places where, and the findings they make."""

from __future__ import annotations

import pytest

from residency.catalog import load_catalog
from residency.inventory.model import Inventory, Provider, StorageResource
from residency.sources.terraform import load_plan
from residency.sources.terraform.loader import SUPPORTED_TYPES
from tests.unit.sources.terraform.helpers import PLANS, US_USER_DATA, evaluate_plan, us_only

V, U = "violation", "unverifiable"


@pytest.fixture(scope="module")
def plan() -> Inventory:
    return load_plan(PLANS / "aws-v5-datastores.json", load_catalog())


def resource(inventory: Inventory, address: str) -> StorageResource:
    return next(r for r in inventory.resources if r.id == address)


def places(inventory: Inventory, address: str) -> set[tuple[str, str | None]]:
    return {(p.kind.value, p.region) for p in resource(inventory, address).placements}


def test_the_fixture_exercises_every_registered_aws_datastore_type(plan: Inventory) -> None:
    import json

    document = json.loads((PLANS / "aws-v5-datastores.json").read_text())
    types = {change["type"] for change in document["resource_changes"]}
    assert {t for t in SUPPORTED_TYPES if t.startswith("aws_") and not t.startswith("aws_s3")} <= types


def test_every_finding_of_the_plan(plan: Inventory) -> None:
    found = {(status, rule, address) for status, rule, address, *_ in
             evaluate_plan(plan, load_catalog(), us_only(Provider.AWS, tags=US_USER_DATA))}
    assert found == {
        (V, "replica-outside", "aws_dynamodb_table.users"),  # replica block in Frankfurt
        (V, "copy-outside", "aws_dynamodb_table.users"),  # the backup plan's copy to London
        (V, "replica-outside", "aws_dynamodb_table.orders"), (V, "copy-outside", "aws_dynamodb_table.orders"),
        (V, "replica-outside", "aws_db_instance.users"),  # read replica in Dublin
        (V, "copy-outside", "aws_db_instance.users"),  # automated backups replicated to Dublin; London
        (V, "replica-outside", "aws_rds_cluster.ledger"), (V, "copy-outside", "aws_rds_cluster.ledger"),
        (V, "copy-outside", "aws_ebs_volume.data"),  # lifecycle policy to Singapore; London
        (V, "copy-outside", "aws_dlm_lifecycle_policy.nightly"),  # scoped by the tags it targets
        (V, "copy-outside", "aws_redshift_cluster.analytics"), (V, "replica-outside",
                                                                "aws_elasticache_replication_group.sessions"),
        (V, "copy-outside", "aws_cloudwatch_log_group.users"),  # through the Firehose stream to its bucket
        (U, "scope-unverifiable", "aws_ebs_snapshot_copy.sg"), (U, "scope-unverifiable", "aws_ami_copy.eu"),
    }


def test_links_place_the_data_where_the_linked_resource_is(plan: Inventory) -> None:
    assert places(plan, "aws_db_instance.users") == {("primary", "us-east-1"), ("replica", "eu-west-1"),
                                                     ("derived", "eu-west-1"), ("derived", "us-east-1"),
                                                     ("derived", "eu-west-2")}
    assert places(plan, "aws_rds_cluster.ledger_eu") == {("primary", "eu-west-2"), ("replica", "us-east-1")}
    assert places(plan, "aws_ebs_volume.data") == {("primary", "us-east-1"), ("derived", "ap-southeast-1"),
                                                   ("derived", "us-east-1"), ("derived", "eu-west-2")}
    assert places(plan, "aws_kinesis_firehose_delivery_stream.audit") == {("primary", "eu-west-1"),
                                                                          ("derived", "eu-west-1")}
    plan_copies = places(plan, "aws_backup_plan.daily")
    assert plan_copies == {("derived", "us-east-1"), ("derived", "eu-west-2")}


def test_a_copy_of_a_resource_outside_the_plan_has_its_lineage_with_unknown_tags(plan: Inventory) -> None:
    copy = resource(plan, "aws_ebs_snapshot_copy.sg")
    assert copy.lineage is not None and copy.lineage.source is not None
    assert copy.lineage.source.id == "arn:aws:ec2:us-east-1::snapshot/snap-0123456789abcdef0"
    assert copy.lineage.source.tags is None


def test_a_lifecycle_policy_is_scoped_by_the_tags_it_targets(plan: Inventory) -> None:
    policy = resource(plan, "aws_dlm_lifecycle_policy.nightly")
    assert dict(policy.tags) == {"data-class": "us-user-data"}
