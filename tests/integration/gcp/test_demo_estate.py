"""The GCP demo estate, scanned with the policies in `policies/`, gives exactly DEMO_EXPECTATIONS."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from residency.catalog import load_catalog
from residency.engine.evaluate import evaluate
from residency.engine.needs import PolicyNeeds
from residency.policy.loader import load_policies
from residency.sources.contract import CommonOptions, NullProgress
from residency.sources.gcp.adapter import GcpAdapter
from residency.sources.gcp.options import GcpOptions
from scripts.localcloud.gcp import demo as gcp_demo
from scripts.localcloud.services import REPO_ROOT, ServiceGroup

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("small", [True, False], ids=["small", "full"])
def test_demo_estate_findings(small: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    catalog = load_catalog()
    policies = load_policies([REPO_ROOT / "policies"], catalog).policies
    with ServiceGroup(tmp_path) as group:
        env = gcp_demo.start(group, tmp_path)
        gcp_demo.seed(env, small=small)
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        # Projects come from projects.list (the demo's scan_args name the same ones).
        inventory = GcpAdapter(CommonOptions(), GcpOptions()).collect(PolicyNeeds(policies, catalog), NullProgress())

    found = evaluate(policies, inventory, catalog, dt.date.today())

    gcp_only = {(f.policy_id, f.rule_id, f.status.value, f.resource.name) for f in found}
    assert gcp_only == gcp_demo.DEMO_EXPECTATIONS[small]
    assert {account for _, account in inventory.scanned} == set(gcp_demo.projects(small)) - {gcp_demo.FINANCE}
    assert gcp_demo.scan_args(env)[:2] == ["--gcp-project", gcp_demo.PROD]
    archive = next(r.deletion_evidence for r in inventory.resources if r.name == "clipwave-eu-us-archive")
    assert archive is not None
    assert (archive.live_objects, archive.noncurrent_versions, archive.soft_deleted_objects) == (0, 2, 2)
