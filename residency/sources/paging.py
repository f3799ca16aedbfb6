"""Listings that always end: a repeated page token or a page cap stops them, and says so.

Every cloud listing the adapters follow by page token (S3 ListBuckets, the Tagging API, GCS
buckets.list, ARM nextLink ...) would loop until killed if a server, a proxy or a bug answered
the same token again, or issued new tokens forever. Each listing therefore asks a `PageGuard`
before following a token: it refuses a token it has seen, one that is not a non-empty string,
and any token after the listing's documented page cap. What was read is kept; `cut_short` says
why the rest was not, so the caller records a gap instead of a listing that looks complete.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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
