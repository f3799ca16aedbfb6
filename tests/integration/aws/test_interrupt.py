"""Ctrl-C ends a scan within 5 seconds, whatever calls are in flight.

A real `residency scan` subprocess against a proxy that holds every bucket read for a minute:
once worker threads are blocked in those calls, SIGINT must end the process with exit 130 and
one line on stderr, without waiting for the calls (or their retries) to finish.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from scripts.localcloud.aws.moto_server import FAKE_CREDENTIALS, ProxyOptions, client_env, start_moto, start_proxy
from scripts.localcloud.aws.proxy import STATS_PATH
from scripts.localcloud.aws.seed import Seeder
from scripts.localcloud.services import REPO_ROOT, ServiceGroup

pytestmark = pytest.mark.integration

POLICY = """\
policies:
  - id: us-data
    title: US data in the US
    description: US data in the US.
    severity: high
    scope:
      providers: [aws]
    allowed:
      countries: [US]
"""


def _slow_calls_in_flight(url: str) -> int:
    with urllib.request.urlopen(f"{url}{STATS_PATH}", timeout=5) as response:
        return int(json.load(response)["slow_in_flight"])


def test_sigint_ends_a_scan_blocked_in_slow_calls_within_5_seconds(tmp_path: Path) -> None:
    with ServiceGroup(tmp_path / "logs") as group:
        moto = start_moto(group, name="moto-interrupt")
        upstream = start_proxy(group, moto, ProxyOptions(bucket_region=True), name="aws-interrupt-up")
        seeder = Seeder(upstream.url, dict(FAKE_CREDENTIALS))
        for index in range(6):
            seeder.bucket(f"held-bucket-{index}", "eu-west-1")
        slow = start_proxy(group, upstream, ProxyOptions(slow_bucket_ms=60_000), name="aws-interrupt-slow")
        (tmp_path / "policy.yaml").write_text(POLICY)
        env = {**os.environ, **client_env(slow.url), "PYTHONPATH": str(REPO_ROOT)}
        scan = subprocess.Popen(
            [sys.executable, "-m", "residency", "scan", "--policy", "policy.yaml", "--provider", "aws",
             "--max-workers", "4", "--format", "json", "--output", "out.json"],
            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        try:
            deadline = time.monotonic() + 60
            while _slow_calls_in_flight(slow.url) < 4:  # every worker is blocked in a held call
                assert scan.poll() is None and time.monotonic() < deadline, scan.stderr
                time.sleep(0.1)
            interrupted = time.monotonic()
            scan.send_signal(signal.SIGINT)
            _, err = scan.communicate(timeout=30)
            took = time.monotonic() - interrupted
        finally:
            if scan.poll() is None:
                scan.kill()
    assert took < 5, f"Ctrl-C took {took:.1f} s"
    assert scan.returncode == 130
    assert err == "residency: interrupted; the scan was stopped and no report was written\n"
    assert not (tmp_path / "out.json").exists()
