"""Page tokens are followed, never trusted: a repeat or an endless listing is cut short and said so."""

from __future__ import annotations

import pytest

from residency.sources.paging import PagingCut, guarded, pages


def test_every_page_is_yielded_until_the_last() -> None:
    answers = {None: ("a", "t1"), "t1": ("b", "t2"), "t2": ("c", None)}
    assert list(pages(lambda token: answers[token], "buckets")) == ["a", "b", "c"]


def test_a_repeated_token_ends_the_listing_with_a_cut() -> None:
    answers = {None: ("a", "t1"), "t1": ("b", "t1")}
    seen: list[str] = []
    with pytest.raises(PagingCut, match="buckets: the service repeated a page token after 2 page"):
        seen.extend(pages(lambda token: answers[token], "buckets"))
    assert seen == ["a", "b"]


def test_an_endless_listing_is_capped() -> None:
    counter = iter(range(10**9))
    with pytest.raises(PagingCut, match="stopped after 5 pages") as cut:
        list(pages(lambda token: ("p", f"t{next(counter)}"), "tags", max_pages=5))
    assert cut.value.what == "tags"


def test_an_sdk_iterator_is_guarded_by_its_current_token() -> None:
    tokens = iter(["x", "y", "x"])
    current: list[str | None] = [None]

    def sdk_pages():  # what google-api-core and azure-core iterators look like from outside
        for page in ("p1", "p2", "p3", "p4"):
            current[0] = next(tokens, None)
            yield page

    with pytest.raises(PagingCut, match="repeated a page token after 3 page"):
        list(guarded(sdk_pages(), lambda: current[0], "accounts"))
