"""Launcher that makes a local service die with the process that started it (Linux).

    python scripts/localcloud/guard.py PARENT_PID COMMAND...

Asks the kernel for a parent-death signal (prctl PR_SET_PDEATHSIG: SIGTERM when PARENT_PID
exits), then becomes COMMAND (exec keeps the pid and the request). A demo or test worker
killed with SIGKILL cannot run its cleanup; its emulators then stop anyway instead of
holding ports and memory. Elsewhere than Linux it only execs. Standard library only, so it
starts in a few milliseconds.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def main(argv: list[str]) -> int:
    parent, command = int(argv[0]), argv[1:]
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)  # the running program's symbols include libc's prctl
        if libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0) != 0:
            print(f"guard: prctl failed (errno {ctypes.get_errno()}); running unguarded", file=sys.stderr)
        if os.getppid() != parent:  # the parent died before the request took effect
            return 1
    os.execvp(command[0], command)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
