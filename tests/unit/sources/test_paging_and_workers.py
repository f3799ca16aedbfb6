"""The shared guards of every cloud listing and thread pool: pages end, interrupts do not wait."""

from __future__ import annotations

import threading
import time

import pytest

from residency.sources.paging import PageGuard
from residency.sources.workers import worker_pool


def follow_all(guard: PageGuard, tokens: list[object]) -> int:
    """How many pages a listing whose pages name `tokens` in turn reads."""
    for index, token in enumerate(tokens, start=1):
        if not guard.follow(token):
            return index
    raise AssertionError("the listing never ended")


def test_a_listing_ends_at_its_last_page_without_a_reason() -> None:
    guard = PageGuard("ListBuckets", 10)
    assert follow_all(guard, ["a", "b", None]) == 3
    assert guard.cut_short is None and guard.pages == 3
    assert follow_all(PageGuard("x", 10), [""]) == 1


@pytest.mark.parametrize(("tokens", "pages", "why"), [
    (["a", "a"], 2, "answered a page token it had already given"),
    (["a", "b", "a"], 3, "answered a page token it had already given"),  # a cycle, not only a repeat
    ([{"t": 1}], 1, "answered a page token that is not a string (dict)"),
    (["p1", "p2", "p3", "p4"], 3, "still had more after 3 pages, the limit for this listing"),
])
def test_a_repeated_token_or_the_cap_cuts_a_listing_short_and_says_why(
    tokens: list[object], pages: int, why: str,
) -> None:
    guard = PageGuard("GCS buckets.list of project p", 3)
    assert follow_all(guard, tokens) == pages
    assert guard.cut_short == f"GCS buckets.list of project p {why}; cut short after {pages} page(s)"


def test_an_interrupted_pool_cancels_what_has_not_started_and_does_not_wait() -> None:
    release = threading.Event()
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt), worker_pool(1, "test") as pool:
        running = pool.submit(release.wait, 30)
        queued = pool.submit(lambda: "never")
        time.sleep(0.05)
        raise KeyboardInterrupt
    assert time.monotonic() - started < 5  # left at once, the call in flight still blocked
    assert queued.cancelled() and not running.done()
    release.set()
    assert running.result(timeout=5) is True


def test_a_pool_that_ends_normally_waits_for_every_call() -> None:
    with worker_pool(2, "test") as pool:
        futures = [pool.submit(time.sleep, 0.01) for _ in range(4)]
    assert all(future.done() for future in futures)
