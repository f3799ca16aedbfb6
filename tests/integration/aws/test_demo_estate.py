"""The AWS demo estate, scanned with the policies in `policies/`, gives exactly DEMO_EXPECTATIONS."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from residency.catalog import load_catalog
from residency.engine.evaluate import evaluate
from residency.engine.needs import PolicyNeeds
from residency.policy.loader import load_policies
from residency.sources.aws.adapter import AwsAdapter
from residency.sources.aws.options import AwsOptions
from residency.sources.contract import CommonOptions, NullProgress
from scripts.localcloud.aws import demo as aws_demo
from scripts.localcloud.services import REPO_ROOT, ServiceGroup
from tests.integration.aws.conftest import environment

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("small", [True, False], ids=["small", "full"])
def test_demo_estate_findings(small: bool, tmp_path: Path) -> None:
    catalog = load_catalog()
    policies = load_policies([REPO_ROOT / "policies"], catalog).policies
    with ServiceGroup(tmp_path) as group:
        env = aws_demo.start(group, tmp_path)
        aws_demo.seed(dict(env), small=small)
        with environment(env):
            adapter = AwsAdapter(CommonOptions(), AwsOptions())
            inventory = adapter.collect(PolicyNeeds(policies, catalog), NullProgress())

    found = evaluate(policies, inventory, catalog, dt.date.today())

    assert {(f.policy_id, f.rule_id, f.status.value, f.resource.name) for f in found} == (
        aws_demo.DEMO_EXPECTATIONS[small])
    staging = next(r.deletion_evidence for r in inventory.resources if r.name == "eu-transfer-staging")
    assert staging is not None
    count = len(aws_demo.FILES)
    assert (staging.live_objects, staging.noncurrent_versions, staging.delete_markers) == (0, count, count)
    assert aws_demo.scan_args(env) == []
    assert inventory.scanned == (("aws", "123456789012"),)
