"""Ctrl-C, SIGTERM or SIGHUP while local services start: no emulator survives, and the demo says so truly.

Real processes and real signals: `python -m scripts.demo` (and a pytest session whose session
fixture starts services) runs with a marker in its environment, which every service inherits;
the signal is sent the moment the first service process exists, before it answers (the window
in which the demo used to lose track of it). Afterwards no process carrying the marker may be left.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

from scripts.localcloud.services import REPO_ROOT

pytestmark = pytest.mark.integration

MARKER = "RESIDENCY_SIGNAL_TEST"


def _marked(token: str) -> set[int]:
    """Pids of live processes whose environment holds MARKER=token."""
    needle = f"{MARKER}={token}".encode()
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle in (entry / "environ").read_bytes().split(b"\0") and _state(entry) != "Z":
                found.add(int(entry.name))
        except OSError:
            continue  # gone meanwhile, or not ours to read
    return found


def _state(entry: Path) -> str:
    return (entry / "stat").read_text().rpartition(")")[2].split()[0]


def _services(token: str, session: int) -> set[int]:
    """Marked processes in a session of their own: services (start_new_session), not pytest workers."""
    found = set()
    for pid in _marked(token):
        try:
            if os.getsid(pid) != session:
                found.add(pid)
        except ProcessLookupError:
            continue
    return found


def _interrupt_during_start_up(command: list[str], signum: int, tmp_path: Path) -> tuple[int, str, set[int]]:
    """Run `command`, send `signum` once a service process of it exists; (exit code, stderr, survivors)."""
    token = uuid.uuid4().hex
    env = {**os.environ, MARKER: token, "PYTHONUNBUFFERED": "1"}
    stderr_path = tmp_path / "stderr.txt"
    with stderr_path.open("wb") as stderr:
        process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
    session = os.getsid(process.pid)
    try:
        deadline = time.monotonic() + 60
        started: set[int] = set()
        while not started and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
            started = _services(token, session)  # (a process in the middle of exec may be missed once)
        assert process.poll() is None, f"exited before any service started: {stderr_path.read_text()}"
        assert started, "no service process started within 60 s"
        process.send_signal(signum)
        code = process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    time.sleep(0.2)  # a process killed by its parent's death signal needs a moment to go
    survivors = _marked(token)
    for pid in survivors:  # leave nothing behind, whatever the verdict
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return code, stderr_path.read_text(), survivors


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_the_demo_stops_every_service_it_started(tmp_path: Path, signum: signal.Signals) -> None:
    command = [sys.executable, "-m", "scripts.demo", "--small", "--out", str(tmp_path / "reports")]
    code, stderr, survivors = _interrupt_during_start_up(command, signum, tmp_path)
    assert survivors == set(), stderr
    assert code == 130, stderr
    assert f"demo interrupted ({signum.name}); every service it started has been stopped" in stderr


SESSION_TEST = """
import time
import pytest
from scripts.localcloud.services import ServiceGroup, free_port, python_command

@pytest.fixture(scope="session")
def server(tmp_path_factory):
    with ServiceGroup(tmp_path_factory.mktemp("logs")) as group:
        port = free_port()
        yield group.start("gcs-server", python_command("-m", "scripts.localcloud.gcp.server", "--port", str(port)),
                          port)

def test_waits(server):
    time.sleep(60)
"""


@pytest.mark.parametrize(("signum", "workers"), [(signal.SIGTERM, "0"), (signal.SIGHUP, "0"), (signal.SIGTERM, "1")])
def test_a_test_session_stops_its_services(tmp_path: Path, signum: signal.Signals, workers: str) -> None:
    # A session fixture like the integration conftests'; with -n 1 the signal goes to the xdist controller.
    (tmp_path / "test_session.py").write_text(textwrap.dedent(SESSION_TEST))
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "tests.conftest",
               "-n", workers, "--rootdir", str(tmp_path), str(tmp_path / "test_session.py")]
    _, stderr, survivors = _interrupt_during_start_up(command, signum, tmp_path)
    assert survivors == set(), stderr
