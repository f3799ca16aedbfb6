"""`residency plan` end to end with the real catalog and policy loader: reports and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from residency.cli import main
from tests.unit.sources.terraform.helpers import PLANS

POLICY = """\
policies:
  - id: us-only
    title: Data stays in the United States
    description: Every bucket of the plan, and each copy of its data, is in the US.
    severity: high
    scope:
      providers: [aws, gcp, azure]
    allowed:
      countries: [US]
"""


@pytest.fixture
def policy(tmp_path: Path) -> str:
    path = tmp_path / "policy.yaml"
    path.write_text(POLICY)
    return str(path)


def test_violations_exit_1_and_the_report_names_terraform_addresses(tmp_path: Path, policy: str) -> None:
    plan = str(PLANS / "aws-v6-region-argument.json")
    report = tmp_path / "report.json"
    sarif = tmp_path / "report.sarif"
    code = main(["plan", plan, "--policy", policy, "-f", "json", "-o", str(report), "-f", "sarif", "-o", str(sarif)])
    assert code == 1
    document = json.loads(report.read_text())
    violations = sorted(
        f["resource"]["id"] for f in document["findings"] if f["status"] == "violation"
    )
    assert violations == ["aws_s3_bucket.eu_copy", "aws_s3control_multi_region_access_point.global"]
    assert json.dumps(document).count(f"terraform-plan:{plan}") >= 1
    results = json.loads(sarif.read_text())["runs"][0]["results"]
    assert {r["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(
        "aws-v6-region-argument.json") for r in results} == {True}


def test_unverifiable_only_exits_3_unless_incomplete_is_allowed(
    policy: str, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = str(PLANS / "aws-v3-count-and-env.json")
    assert main(["plan", plan, "--policy", policy]) == 3
    assert main(["plan", plan, "--policy", policy, "--allow-incomplete"]) == 0
    assert "aws:acme-env" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [("invalid/truncated.json", "invalid JSON at line"), ("invalid/state.json", "this is Terraform state")],
)
def test_a_malformed_or_non_plan_file_is_one_line_and_exit_2(
    policy: str, capsys: pytest.CaptureFixture[str], fixture: str, expected: str
) -> None:
    plan = str(PLANS / fixture)
    assert main(["plan", plan, "--policy", policy]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"residency: error: {plan}: ") and expected in err
