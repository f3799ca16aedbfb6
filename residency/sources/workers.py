"""Thread pools that never hold an interrupted scan.

`ThreadPoolExecutor`'s context manager waits for every submitted call on exit, also when the
block is left by Ctrl-C: a scan would then end only after every queued call and every retry in
flight. `worker_pool` waits only when the block ends normally; on an exception (KeyboardInterrupt
included) it cancels what has not started and returns at once. Calls already in flight keep
their thread until their socket times out, so the CLI ends the process itself on Ctrl-C
(`residency.cli.scan`).
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager


@contextmanager
def worker_pool(max_workers: int, name: str) -> Iterator[ThreadPoolExecutor]:
    pool = ThreadPoolExecutor(max_workers=max(1, max_workers), thread_name_prefix=name)
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
