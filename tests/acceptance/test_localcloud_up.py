"""`python -m scripts.localcloud up`: ready once everything answers, usable by any SDK, gone on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest

from scripts.localcloud.services import REPO_ROOT

pytestmark = pytest.mark.integration


def _read_env(path: Path) -> dict[str, str]:
    env = {}
    for line in path.read_text().splitlines():
        name, _, value = line.removeprefix("export ").partition("=")
        env[name] = value.strip("'")
    return env


def _children(pid: int) -> set[int]:
    found = {int(p) for p in subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()}
    for child in list(found):
        found |= _children(child)
    return found


def test_empty_clouds_are_ready_seedable_and_stopped_by_sigterm(tmp_path: Path) -> None:
    env_file = tmp_path / "local.env"
    command = [sys.executable, "-m", "scripts.localcloud", "up", "--empty", "--env-file", str(env_file),
               "--log-dir", str(tmp_path / "logs")]
    with (tmp_path / "stderr").open("w") as stderr, subprocess.Popen(
            command, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=stderr, text=True) as up:
        _use(up, env_file, tmp_path)
    assert up.returncode == 0, (tmp_path / "stderr").read_text()
    assert "stopped every local service" in (tmp_path / "stderr").read_text()


def _use(up: subprocess.Popen[str], env_file: Path, tmp_path: Path) -> None:
    services: set[int] = set()
    try:
        assert up.stdout is not None
        lines = []
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = up.stdout.readline()
            lines.append(line)
            if line.startswith("ready") or not line:
                break
        assert lines[-1].startswith("ready: "), "".join(lines)
        assert env_file.exists() and oct(env_file.stat().st_mode & 0o777) == "0o600"
        env = _read_env(env_file)
        assert {"AWS_ENDPOINT_URL", "STORAGE_EMULATOR_HOST", "RESIDENCY_AZURE_MANAGEMENT_ENDPOINT"} <= set(env)
        services = _children(up.pid)
        # Any SDK script seeds the empty clouds with the real create calls, using the printed environment.
        s3 = boto3.client("s3", endpoint_url=env["AWS_ENDPOINT_URL"], region_name="eu-west-1",
                          aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
                          aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"])
        s3.create_bucket(Bucket="tour-eu", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
        s3.put_bucket_tagging(Bucket="tour-eu", Tagging={"TagSet": [{"Key": "data-class", "Value": "us-user-data"}]})
        scan = subprocess.run([sys.executable, "-m", "residency", "scan", "--policy", "policies/us-user-data.yaml",
                               "--provider", "aws"], cwd=REPO_ROOT, capture_output=True, text=True,
                              env={**os.environ, **env}, timeout=120)
        assert scan.returncode == 1, scan.stdout + scan.stderr
        assert "primary-outside" in scan.stdout and "tour-eu" in scan.stdout
        doctor = subprocess.run([sys.executable, "-m", "residency", "doctor", "--provider", "aws"], cwd=REPO_ROOT,
                                capture_output=True, text=True, env={**os.environ, **env}, timeout=60)
        assert doctor.returncode == 0, doctor.stdout + doctor.stderr
        assert f"endpoint AWS_ENDPOINT_URL={env['AWS_ENDPOINT_URL']}" in doctor.stdout
        assert "ok   s3:ListBuckets (needs s3:ListAllMyBuckets)" in doctor.stdout
    finally:
        up.send_signal(signal.SIGTERM)
        up.wait(30)
    time.sleep(0.5)
    assert services and not [pid for pid in services if os.path.exists(f"/proc/{pid}")], "a service outlived up"
