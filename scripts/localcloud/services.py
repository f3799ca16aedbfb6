"""Start and stop local services (emulators, our own servers) on free loopback ports.

Shared by the test session, `make demo` and the benchmarks. A service is a child process
started in its own process group, so stopping it stops everything it spawned; `ServiceGroup`
stops every service it started on exit, on Ctrl-C and on failure.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import socketserver
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Service:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self, timeout: float = 5.0) -> None:
        if self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout)

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


class ServiceError(RuntimeError):
    pass


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1.0):
            return True
    except urllib.error.HTTPError:
        return True  # any HTTP answer means the server is up
    except (OSError, ValueError):
        return False


def start_service(
    name: str,
    command: Sequence[str],
    port: int,
    log_dir: Path,
    health_path: str = "/",
    timeout: float = 30.0,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> Service:
    """Start `command` (which must listen on `port`), wait until HTTP answers on it."""
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"{name}.log"
    log = log_path.open("wb")
    process = subprocess.Popen(
        list(command),
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,  # own process group: killpg stops its children too
        env={**os.environ, **(env or {})},
        cwd=str(cwd or REPO_ROOT),
    )
    log.close()
    service = Service(name, port, process, log_path)
    deadline = time.monotonic() + timeout
    url = f"http://127.0.0.1:{port}{health_path}"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServiceError(f"{name} exited with code {process.returncode}:\n{service.log_tail()}")
        if _answers(url):
            return service
        time.sleep(0.1)
    service.stop()
    raise ServiceError(f"{name} did not answer on {url} within {timeout:.0f}s:\n{service.log_tail()}")


def serve_until_interrupted(server: socketserver.BaseServer) -> int:
    """Run a local server's loop until Ctrl-C or SIGTERM's KeyboardInterrupt; always close its socket."""
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def python_command(*args: str) -> list[str]:
    """Run a module or script with the same interpreter (the project's venv)."""
    return [sys.executable, *args]


@dataclass
class ServiceGroup:
    """Context manager that stops every started service, whatever happens."""

    log_dir: Path
    services: list[Service] = field(default_factory=list)

    def start(self, name: str, command: Sequence[str], port: int, **kwargs: object) -> Service:
        service = start_service(name, command, port, self.log_dir, **kwargs)  # type: ignore[arg-type]
        self.services.append(service)
        return service

    def stop_all(self) -> None:
        for service in reversed(self.services):
            service.stop()
        self.services.clear()

    def __enter__(self) -> ServiceGroup:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop_all()
