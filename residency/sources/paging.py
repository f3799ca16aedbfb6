"""Listings that always end: a repeated page token or a page cap stops them, and says so.

Every cloud listing the adapters follow by page token (S3 ListBuckets, the Tagging API, GCS
buckets.list, ARM nextLink ...) would loop until killed if a server, a proxy or a bug answered
the same token again, or issued new tokens forever. Two shapes of the same guard:

- `PageGuard`: the listing asks it before following each token (hand-written paging loops); what
  was read is kept and `cut_short` says why the rest was not, so the caller records a gap.
- `pages` (a fetch function per page) and `guarded` (an SDK's own page iterator) raise
  `PagingCut` instead, for code that iterates.

Either way a listing cut short is recorded as a gap naming what was cut short, never as "that
was everything".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
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


@dataclass
class PageGuard:
    what: str  # the call being paged, as a report names it: "ListBuckets", "buckets.list of project p"
    max_pages: int
    pages: int = 0
    cut_short: str | None = None  # why the listing stopped before its last page
    _seen: set[str] = field(default_factory=set)

    def follow(self, token: object) -> bool:
        """Call once per page read, with the token the page names for the next one: True to fetch
        that page, False when the listing is over (no token) or cut short (`cut_short` says why)."""
        self.pages += 1
        if token is None or token == "":
            return False
        if not isinstance(token, str):
            return self._cut(f"answered a page token that is not a string ({type(token).__name__})")
        if token in self._seen:
            return self._cut("answered a page token it had already given")
        if self.pages >= self.max_pages:
            return self._cut(f"still had more after {self.max_pages} pages, the limit for this listing")
        self._seen.add(token)
        return True

    def _cut(self, why: str) -> bool:
        self.cut_short = f"{self.what} {why}; cut short after {self.pages} page(s)"
        return False
