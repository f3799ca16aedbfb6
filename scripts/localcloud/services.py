"""Start and stop local services (emulators, our own servers) on free loopback ports.

Shared by the test session, `make demo` and the benchmarks. A service is a child process
started in its own process group, so stopping it stops everything it spawned. `ServiceGroup`
records each process the moment it exists (not once it answers), and stops every one on exit,
on failure and on SIGINT, SIGTERM or SIGHUP (turned into KeyboardInterrupt while the group is
open). Should the process that started a service die without cleaning up (SIGKILL), Linux
ends the service too: it is started through `guard.py`, which asks the kernel for a
parent-death signal before it becomes the service.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

REPO_ROOT = Path(__file__).resolve().parents[2]
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
_GUARD = Path(__file__).resolve().with_name("guard.py")


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
            with contextlib.suppress(subprocess.TimeoutExpired):  # the group records it as a survivor
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


def spawn_service(
    name: str,
    command: Sequence[str],
    port: int,
    log_dir: Path,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> Service:
    """Start `command` (which must listen on `port`) in its own process group; do not wait for it."""
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"{name}.log"
    # Linux sends the parent-death signal when the *thread* that forked exits: guard only from the main thread.
    guarded = threading.current_thread() is threading.main_thread()
    argv = [sys.executable, str(_GUARD), str(os.getpid()), *command] if guarded else list(command)
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            argv,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # own process group: killpg stops its children too
            env={**os.environ, **(env or {})},
            cwd=str(cwd or REPO_ROOT),
        )
    return Service(name, port, process, log_path)


def wait_until_answering(service: Service, health_path: str = "/", timeout: float = 30.0) -> Service:
    """Wait until HTTP answers on the service's port; stop it and raise ServiceError if it never does."""
    deadline = time.monotonic() + timeout
    url = f"{service.url}{health_path}"
    while time.monotonic() < deadline:
        if service.process.poll() is not None:
            raise ServiceError(f"{service.name} exited with code {service.process.returncode}:\n{service.log_tail()}")
        if _answers(url):
            return service
        time.sleep(0.1)
    service.stop()
    raise ServiceError(f"{service.name} did not answer on {url} within {timeout:.0f}s:\n{service.log_tail()}")


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
    """Context manager that stops every started service, whatever happens.

    While it is open (in the main thread), SIGTERM and SIGHUP raise KeyboardInterrupt like
    SIGINT does, so a killed demo or test session unwinds through `__exit__` too.
    """

    log_dir: Path
    services: list[Service] = field(default_factory=list)
    survivors: list[str] = field(default_factory=list)  # services that outlived stop_all
    _saved_handlers: list[dict[int, object]] = field(default_factory=list)

    def start(self, name: str, command: Sequence[str], port: int, health_path: str = "/", timeout: float = 30.0,
              env: dict[str, str] | None = None, cwd: Path | None = None) -> Service:
        with signals_deferred():  # a signal between Popen and the append would orphan the process
            service = spawn_service(name, command, port, self.log_dir, env=env, cwd=cwd)
            self.services.append(service)
        return wait_until_answering(service, health_path, timeout)

    def stop_all(self) -> None:
        with signals_deferred():  # a second Ctrl-C must not abandon the services not stopped yet
            for service in reversed(self.services):
                service.stop()
                if service.process.poll() is None:
                    self.survivors.append(f"{service.name} (pid {service.process.pid})")
            self.services.clear()

    def __enter__(self) -> ServiceGroup:
        self._saved_handlers.append(_raise_keyboard_interrupt_on(signal.SIGTERM, signal.SIGHUP))
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.stop_all()
        finally:
            _restore(self._saved_handlers.pop())


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(signal.Signals(signum).name)


def _raise_keyboard_interrupt_on(*signums: int) -> dict[int, object]:
    """Install KeyboardInterrupt handlers (main thread only); returns the handlers they replace."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    return {signum: signal.signal(signum, _interrupt) for signum in signums}


def _restore(handlers: dict[int, object]) -> None:
    for signum, handler in handlers.items():
        # None: a handler not installed from Python; the default is the closest we can restore.
        signal.signal(signum, signal.SIG_DFL if handler is None else handler)  # type: ignore[arg-type]


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGHUP until the block is done, then act on the first one received."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []

    def remember(signum: int, frame: FrameType | None) -> None:
        received.append(signum)

    previous: dict[int, object] = {int(signum): signal.signal(signum, remember) for signum in STOP_SIGNALS}
    try:
        yield
    finally:
        _restore(previous)
    if received:
        handler = previous[received[0]]
        if callable(handler):
            handler(received[0], None)
        elif handler == signal.SIG_DFL:
            signal.raise_signal(received[0])
