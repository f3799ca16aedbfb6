"""Does a policy's scope cover a resource? Compiled once per policy, cached per tag set."""

from __future__ import annotations

import re
from collections.abc import Iterable
from fnmatch import translate
from typing import Protocol

from residency.inventory.model import Provider
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
        self._tag_cache: dict[tuple[tuple[str, str], ...], bool] = {}

    def covers_account(self, provider: Provider, account: str) -> bool:
        if provider not in self.providers:
            return False
        return self.accounts is None or self.accounts.matches(account)

    def covers_tags(self, tags: tuple[tuple[str, str], ...]) -> bool:
        cached = self._tag_cache.get(tags)
        if cached is None:
            present = dict(tags)
            cached = all(
                key in present and pattern.matches(present[key]) for key, pattern in self.tags
            )
            if len(self._tag_cache) < 100_000:
                self._tag_cache[tags] = cached
        return cached

    def covers(
        self,
        provider: Provider,
        account: str,
        name: str,
        resource_id: str,
        tags: tuple[tuple[str, str], ...],
    ) -> bool:
        if not self.covers_ignoring_tags(provider, account, name, resource_id):
            return False
        return not self.tags or self.covers_tags(tags)

    def covers_ignoring_tags(self, provider: Provider, account: str, name: str, resource_id: str) -> bool:
        """Every selector but tags matches (for resources whose tags could not be read)."""
        if not self.covers_account(provider, account):
            return False
        if self.names is not None and not self.names.matches(name):
            return False
        return self.resources is None or self.resources.matches(resource_id)


class _Coverable(Protocol):
    @property
    def provider(self) -> Provider: ...
    @property
    def account(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def id(self) -> str: ...
    @property
    def tags(self) -> tuple[tuple[str, str], ...]: ...


class Coverage:
    """Which policies cover a resource, cached per (provider, account, tags).

    Name and id selectors depend on the individual resource, so policies using them are
    checked per resource; everything else is decided once per distinct tag set.
    """

    def __init__(self, scopes: list[tuple[Policy, ScopeMatcher]]) -> None:
        self._scopes = scopes
        self._per_resource = frozenset(
            i for i, (_, m) in enumerate(scopes) if m.names is not None or m.resources is not None
        )
        self._cache: dict[tuple[int, str, tuple[tuple[str, str], ...]], tuple[int, ...]] = {}

    def covering(self, resource: _Coverable) -> tuple[int, ...]:
        # id() of the enum member: members are singletons, and Enum.__hash__ runs in Python.
        key = (id(resource.provider), resource.account, resource.tags)
        candidates = self._cache.get(key)
        if candidates is None:
            candidates = tuple(
                i for i, (_, m) in enumerate(self._scopes)
                if m.covers_account(resource.provider, resource.account)
                and (not m.tags or m.covers_tags(resource.tags))
            )
            if len(self._cache) < 100_000:
                self._cache[key] = candidates
        if not self._per_resource:
            return candidates
        return tuple(
            i for i in candidates
            if i not in self._per_resource or self._scopes[i][1].covers(
                resource.provider, resource.account, resource.name, resource.id, resource.tags)
        )


def possibly_covering(scopes: list[tuple[Policy, ScopeMatcher]], resource: _Coverable) -> tuple[int, ...]:
    """Tag-scoped policies that would cover the resource if its unknown tags matched."""
    return tuple(
        i for i, (_, m) in enumerate(scopes)
        if m.tags and m.covers_ignoring_tags(resource.provider, resource.account, resource.name, resource.id)
    )


def compile_scopes(policies: Iterable[Policy]) -> list[tuple[Policy, ScopeMatcher]]:
    return [(policy, ScopeMatcher(policy.scope)) for policy in policies]


def glob_matches(pattern: str, value: str) -> bool:
    """One-off glob test (exemptions); exact strings compare equal."""
    return _Pattern([pattern]).matches(value)
