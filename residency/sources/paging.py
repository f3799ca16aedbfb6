"""Following page tokens without trusting them.

A service that repeats a page token (or a next link) would keep a naive loop asking forever; one
that never stops paging would hold a scan for hours. Every paginated listing of every adapter goes
through `pages` (a fetch function per page) or `guarded` (an SDK's own page iterator): a repeated
token or more than `max_pages` pages ends the listing with `PagingCut`, which the adapter records
as a gap naming what was cut short, never as "that was everything".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

MAX_PAGES = 10_000  # 10,000 pages of the smallest page size any API here uses is far beyond any real estate

Page = TypeVar("Page")


class PagingCut(Exception):
    """A listing stopped before its end: `what` was listed, `reason` says why it stopped."""

    def __init__(self, what: str, reason: str) -> None:
        super().__init__(f"{what}: {reason}")
        self.what = what
        self.reason = reason


def pages(
    fetch: Callable[[str | None], tuple[Page, str | None]], what: str, max_pages: int = MAX_PAGES,
) -> Iterator[Page]:
    """Yield pages from `fetch(token) -> (page, next token or None)`, starting with token None."""
    seen: set[str] = set()
    token: str | None = None
    for count in range(1, max_pages + 1):
        page, following = fetch(token)
        yield page
        if not following:
            return
        if following in seen:
            raise PagingCut(what, f"the service repeated a page token after {count} page(s); the rest is unknown")
        seen.add(following)
        token = following
    raise PagingCut(what, f"stopped after {max_pages} pages; the rest is unknown")


def guarded(
    sdk_pages: Iterable[Page], current_token: Callable[[], str | None], what: str, max_pages: int = MAX_PAGES,
) -> Iterator[Page]:
    """Guard an SDK's own page iterator (google-api-core `iterator.pages`, azure-core `by_page()`):
    `current_token()` reads the token the SDK will ask with next."""
    seen: set[str] = set()
    for count, page in enumerate(sdk_pages, start=1):
        yield page
        following = current_token()
        if not following:
            continue
        if following in seen:
            raise PagingCut(what, f"the service repeated a page token after {count} page(s); the rest is unknown")
        if count >= max_pages:
            raise PagingCut(what, f"stopped after {max_pages} pages; the rest is unknown")
        seen.add(following)
