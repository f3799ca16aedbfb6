"""Does a policy's scope cover a resource? Compiled once per policy, cached per tag set.

Scoping looks at a `ResourceKey` (provider, account, kind, id, name, tags). A key whose tags
are unknown is covered by no tag-scoped policy, but *possibly* covered by each one whose other
selectors match (`possibly_covering`): the engine reports those rather than guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from fnmatch import translate

from residency.inventory.model import Provider, ResourceKey, Tags
from residency.policy.model import Policy, Scope

_GLOB_CHARS = frozenset("*?[")


class _Pattern:
    """Exact strings by set membership, globs by one compiled regex."""

    __slots__ = ("exact", "regex")

    def __init__(self, patterns: Iterable[str]) -> None:
        items = list(patterns)
        self.exact = frozenset(p for p in items if not (_GLOB_CHARS & set(p)))
        globs = [translate(p) for p in items if _GLOB_CHARS & set(p)]
        self.regex = re.compile("|".join(globs)) if globs else None

    def matches(self, value: str) -> bool:
        if value in self.exact:
            return True
        return self.regex is not None and self.regex.match(value) is not None


class ScopeMatcher:
    """Compiled form of one `Scope`."""

    def __init__(self, scope: Scope) -> None:
        self.providers = scope.providers
        self.tags = [(key, _Pattern(values)) for key, values in scope.tags]
        self.accounts = _Pattern(scope.accounts) if scope.accounts else None
        self.names = _Pattern(scope.names) if scope.names else None
        self.resources = _Pattern(scope.resources) if scope.resources else None
        self.kinds = _Pattern(scope.kinds) if scope.kinds else None
        self._tag_cache: dict[Tags, bool] = {}

    @property
    def per_resource(self) -> bool:
        """Selectors that depend on the individual resource, not only its account and tags."""
        return self.names is not None or self.resources is not None or self.kinds is not None

    def covers_account(self, provider: Provider, account: str) -> bool:
        if provider not in self.providers:
            return False
        return self.accounts is None or self.accounts.matches(account)

    def covers_kind(self, kind: str) -> bool:
        return self.kinds is None or self.kinds.matches(kind)

    def covers_tags(self, tags: Tags) -> bool:
        cached = self._tag_cache.get(tags)
        if cached is None:
            present = dict(tags)
            cached = all(key in present and pattern.matches(present[key]) for key, pattern in self.tags)
            if len(self._tag_cache) < 100_000:
                self._tag_cache[tags] = cached
        return cached

    def covers(self, key: ResourceKey) -> bool:
        """Every selector matches. Unknown tags match no tag selector (see `possibly_covers`)."""
        if not self.covers_ignoring_tags(key):
            return False
        if not self.tags:
            return True
        return key.tags is not None and self.covers_tags(key.tags)

    def possibly_covers(self, key: ResourceKey) -> bool:
        """The key's tags are unknown and every other selector of this tag-scoped policy matches."""
        return key.tags is None and bool(self.tags) and self.covers_ignoring_tags(key)

    def covers_ignoring_tags(self, key: ResourceKey) -> bool:
        if not self.covers_account(key.provider, key.account):
            return False
        if self.names is not None and not self.names.matches(key.name):
            return False
        if self.kinds is not None and not self.kinds.matches(key.kind):
            return False
        return self.resources is None or self.resources.matches(key.id)


class Coverage:
    """Which policies cover a key, cached per (provider, account, tags).

    Name, id and kind selectors depend on the individual resource, so policies using them are
    checked per key; everything else is decided once per distinct tag set.
    """

    def __init__(self, scopes: list[tuple[Policy, ScopeMatcher]]) -> None:
        self._scopes = scopes
        self._per_resource = frozenset(i for i, (_, m) in enumerate(scopes) if m.per_resource)
        self._cache: dict[tuple[int, str, Tags], tuple[int, ...]] = {}

    def covering(self, key: ResourceKey) -> tuple[int, ...]:
        """Indexes of the policies that cover the key (none that need its unknown tags)."""
        tags = key.tags
        if tags is None:
            return tuple(i for i, (_, m) in enumerate(self._scopes) if not m.tags and m.covers(key))
        # id() of the enum member: members are singletons, and Enum.__hash__ runs in Python.
        cache_key = (id(key.provider), key.account, tags)
        candidates = self._cache.get(cache_key)
        if candidates is None:
            candidates = tuple(
                i for i, (_, m) in enumerate(self._scopes)
                if m.covers_account(key.provider, key.account) and (not m.tags or m.covers_tags(tags))
            )
            if len(self._cache) < 100_000:
                self._cache[cache_key] = candidates
        if not self._per_resource:
            return candidates
        return tuple(i for i in candidates if i not in self._per_resource or self._scopes[i][1].covers(key))

    def possibly_covering(self, key: ResourceKey) -> tuple[int, ...]:
        """Tag-scoped policies that would cover the key if its unknown tags matched."""
        if key.tags is not None:
            return ()
        return tuple(i for i, (_, m) in enumerate(self._scopes) if m.possibly_covers(key))


def compile_scopes(policies: Iterable[Policy]) -> list[tuple[Policy, ScopeMatcher]]:
    return [(policy, ScopeMatcher(policy.scope)) for policy in policies]


def glob_matches(pattern: str, value: str) -> bool:
    """One-off glob test (exemptions); exact strings compare equal."""
    return _Pattern([pattern]).matches(value)
