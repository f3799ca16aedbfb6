"""How every Cloud Storage call is made: bounded retries, timeouts, raw JSON pages that end.

google-cloud-storage retries a failed call for up to 120 s by default and ignores `Retry-After`;
here each call retries for at most `RETRY_TIMEOUT_S`, with backoff capped at `MAX_BACKOFF_S`, and
each HTTP request times out (`REQUEST_TIMEOUT`). Listings are read page by page through a
`PageGuard`, and as the JSON API's raw resources (`item_to_value` is the identity), so a malformed
item is parsed, and reported, on its own instead of failing the client's conversion of its page.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from google.api_core.retry import Retry
from google.cloud.storage.retry import DEFAULT_RETRY

from residency.sources.paging import PageGuard

RETRY_TIMEOUT_S = 30.0  # all attempts of one call, backoff included
MAX_BACKOFF_S = 8.0
REQUEST_TIMEOUT = (10.0, 60.0)  # (connect, read) seconds of one HTTP request
MAX_BUCKET_PAGES = 1000  # buckets.list: a million buckets of a project at 1,000 a page
MAX_OBJECT_PAGES = 100_000  # objects.list with --deep: 100 million entries, then counts are lower bounds
MAX_PROJECT_PAGES = 1000  # projects.list: 500,000 projects at 500 a page


@dataclass(frozen=True)
class CallLimits:
    retry: Retry
    timeout: tuple[float, float]


def call_limits(retry_timeout: float = RETRY_TIMEOUT_S) -> CallLimits:
    retry = DEFAULT_RETRY.with_timeout(retry_timeout).with_delay(initial=1.0, maximum=MAX_BACKOFF_S, multiplier=2.0)
    return CallLimits(retry, REQUEST_TIMEOUT)


def _raw(_iterator: Any, item: Any) -> Any:
    return item


def raw_pages(iterator: Any, guard: PageGuard) -> Iterator[list[Any]]:
    """Each page's raw items, until the last page or until `guard` cuts the listing short."""
    iterator.item_to_value = _raw
    for page in iterator.pages:
        yield list(page)
        if not guard.follow(iterator.next_page_token):
            return
