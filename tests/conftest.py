"""Session-wide: SIGTERM and SIGHUP end a test run the way Ctrl-C does.

pytest turns KeyboardInterrupt into an orderly stop that still runs every fixture's teardown,
so the session fixtures stop the emulators they started (scripts.localcloud.services). Without
this, `kill` or a closed terminal ends the run at once and leaves them running. Installed in the
controller and in every xdist worker (each loads this conftest).
"""

from __future__ import annotations

import signal
import threading
from types import FrameType

import pytest


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(signal.Signals(signum).name)


def pytest_configure(config: pytest.Config) -> None:
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, _interrupt)
