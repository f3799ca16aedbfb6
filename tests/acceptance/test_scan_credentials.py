"""A cloud without credentials: not scanned (exit 3) when only a policy named it, exit 2 when asked for."""

from __future__ import annotations

from pathlib import Path

import pytest

from residency.cli import main

POLICY = """\
policies:
  - id: us-only
    title: US data stays in the US
    description: Everything on AWS stays in the US.
    severity: high
    scope:
      providers: [aws]
    allowed:
      countries: [US]
"""


@pytest.fixture
def no_aws_credentials(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
                 "AWS_ENDPOINT_URL", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # no instance-role lookup on this machine
    monkeypatch.chdir(tmp_path)
    (tmp_path / "policy.yaml").write_text(POLICY)
    return tmp_path


def test_provider_named_only_by_a_policy_is_reported_not_scanned(
    no_aws_credentials: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["scan", "--policy", "policy.yaml"]) == 3
    out = capsys.readouterr().out
    assert "not scanned: aws:*: no usable AWS credentials" in out
    assert "us-only" in out and "location-unverifiable" in out


def test_provider_asked_for_without_credentials_is_a_usage_error(
    no_aws_credentials: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["scan", "--policy", "policy.yaml", "--provider", "aws"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("residency: error: aws: no usable AWS credentials") and err.count("\n") == 1
