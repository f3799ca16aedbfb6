"""Scope matching on resource keys: every selector, globs, unknown tags."""

from __future__ import annotations

from residency.engine.scope import Coverage, ScopeMatcher, compile_scopes
from residency.inventory.model import Provider, ResourceKey
from residency.policy.model import Scope

from .factories import policy

AWS = Provider.AWS


def key(name: str = "media", tags: tuple[tuple[str, str], ...] | None = (("data-class", "us-user-data"),),
        kind: str = "s3-bucket", account: str = "111122223333") -> ResourceKey:
    return ResourceKey(AWS, account, kind, f"arn:aws:s3:::{name}", name, tags)


def test_every_selector_must_match() -> None:
    scope = Scope(frozenset({AWS}), (("data-class", ("us-*",)),), ("1111*",), ("med*",), ("arn:aws:s3:::*",),
                  ("s3-*",))
    matcher = ScopeMatcher(scope)
    assert matcher.covers(key())
    assert not matcher.covers(key(name="logs"))
    assert not matcher.covers(key(kind="gcs-bucket"))
    assert not matcher.covers(key(account="999"))
    assert not matcher.covers(key(tags=(("data-class", "public"),)))


def test_unknown_tags_never_match_but_may_be_covered() -> None:
    tagged = ScopeMatcher(Scope(frozenset({AWS}), (("data-class", ("us-user-data",)),)))
    everything = ScopeMatcher(Scope(frozenset({AWS})))
    assert not tagged.covers(key(tags=None)) and tagged.possibly_covers(key(tags=None))
    assert everything.covers(key(tags=None)) and not everything.possibly_covers(key(tags=None))
    assert not tagged.possibly_covers(key())  # known tags are never "possibly"


def test_coverage_caches_per_tag_set_and_still_checks_per_resource_selectors() -> None:
    by_name = policy(tags=())
    by_name = type(by_name)(**{**{f: getattr(by_name, f) for f in by_name.__slots__},
                               "scope": Scope(frozenset({AWS}), names=("media",))})
    coverage = Coverage(compile_scopes([policy(), by_name]))
    assert coverage.covering(key()) == (0, 1)
    assert coverage.covering(key(name="logs")) == (0,)  # same tags, cached, but the name selector differs
    assert coverage.possibly_covering(key(tags=None)) == (0,)


def test_needs_want_a_kind_only_when_some_policy_may_cover_it() -> None:
    import dataclasses

    from residency.engine.needs import PolicyNeeds

    from .factories import small_catalog

    buckets_only = dataclasses.replace(policy(), scope=Scope(frozenset({AWS}), kinds=("s3-*",)))
    needs = PolicyNeeds([buckets_only], small_catalog())
    assert needs.wants_kind(AWS, "111122223333", "s3-bucket")
    assert not needs.wants_kind(AWS, "111122223333", "dynamodb-table")
    assert not needs.wants_kind(Provider.GCP, "p", "s3-bucket")
    everything = PolicyNeeds([policy()], small_catalog())
    assert everything.wants_kind(AWS, "111122223333", "dynamodb-table")
