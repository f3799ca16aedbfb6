"""The pre-commit hook this repository offers, run by pre-commit in a throwaway git repository.

The hook definition comes from .pre-commit-hooks.yaml; the test repository uses it as a
`repo: local` hook with `language: system` (the residency already installed here) so that
pre-commit needs no network to build an environment.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
GOOD = """\
policies:
  - id: us-user-data
    title: US users' data stays in the United States
    description: Private data of US users is stored only in the US.
    severity: high
    scope:
      providers: [aws]
    allowed:
      countries: [US]
"""


def _git(repo: Path, *args: str, env: dict[str, str]) -> None:
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, timeout=60)


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    local = {**hook, "language": "system"}
    repo = tmp_path / "repo"
    (repo / "policies").mkdir(parents=True)
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump({"repos": [{"repo": "local", "hooks": [local]}]}))
    env = {**os.environ, "HOME": str(tmp_path), "PRE_COMMIT_HOME": str(tmp_path / "cache"),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    _git(repo, "init", "-q", env=env)
    return repo, env


def _pre_commit(repo: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    _git(repo, "add", "-A", env=env)
    return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files"], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=180, check=False)


def test_valid_policy_passes(repo: tuple[Path, dict[str, str]]) -> None:
    path, env = repo
    (path / "policies" / "us.yaml").write_text(GOOD)
    result = _pre_commit(path, env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "residency validate" in result.stdout and "Passed" in result.stdout


def test_invalid_policy_fails_with_the_validators_message(repo: tuple[Path, dict[str, str]]) -> None:
    path, env = repo
    (path / "policies" / "us.yaml").write_text(GOOD.replace("countries: [US]", "countries: [ZZ]"))
    (path / "notes.yaml").write_text("not: [a, policy\n")  # outside policies/: the hook leaves it alone
    result = _pre_commit(path, env)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Failed" in result.stdout and "ZZ" in result.stdout and "notes.yaml" not in result.stdout
