"""The Azure demo estate yields exactly the findings `DEMO_EXPECTATIONS` promises."""

from __future__ import annotations

from pathlib import Path

import pytest

from residency.catalog import load_catalog
from residency.engine.evaluate import evaluate
from residency.engine.needs import PolicyNeeds
from residency.policy.loader import load_policies
from residency.sources.azure.adapter import AzureAdapter
from residency.sources.azure.clients import AzureClients
from residency.sources.azure.options import AzureOptions
from residency.sources.contract import CommonOptions, NullProgress
from scripts.localcloud.azure import demo as azure_demo
from scripts.localcloud.services import REPO_ROOT, ServiceGroup
from tests.integration.azure.helpers import TODAY

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("size", ["small", "full"])
def test_demo_estate_findings(size: str, tmp_path: Path) -> None:
    catalog = load_catalog()
    policies = load_policies([REPO_ROOT / "policies"], catalog).policies
    with ServiceGroup(tmp_path) as group:
        env = azure_demo.start(group, tmp_path)
        azure_demo.seed(env, small=size == "small")
        # every subscription the credential can list
        adapter = AzureAdapter(CommonOptions(), AzureOptions(), AzureClients.from_env(env))
        inventory = adapter.collect(PolicyNeeds(policies, catalog), NullProgress())
    found = sorted((f.policy_id, f.rule_id, f.status.value, f.resource.name)
                   for f in evaluate(policies, inventory, catalog, TODAY))
    assert tuple(found) == azure_demo.DEMO_EXPECTATIONS[size == "small"]
