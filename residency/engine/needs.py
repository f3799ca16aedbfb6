"""What the loaded policies need an adapter to fetch, so nothing else is fetched.

Adapters ask, per resource, in the order they learn things: is anything covering this
account / these tags at all? Does a covering policy count replicas? Is a location outside
some covering policy that requires deletion (then, and only then, collect deletion evidence)?
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from residency.catalog import Catalog
from residency.engine.locations import LocationJudge, Verdict
from residency.engine.scope import ScopeMatcher, compile_scopes
from residency.inventory.model import PlacementKind, Provider
from residency.policy.model import Policy


class ScanNeeds:
    def __init__(self, policies: Sequence[Policy], catalog: Catalog) -> None:
        self._scopes = compile_scopes(policies)
        self._judge = LocationJudge(catalog)

    @classmethod
    def everything(cls, catalog: Catalog) -> ScanNeeds:
        """For inventory-only runs: no policy filter, fetch all evidence."""
        needs = cls([], catalog)
        needs._everything = True
        return needs

    _everything = False

    def _covering(
        self, provider: Provider, account: str, name: str, resource_id: str,
        tags: tuple[tuple[str, str], ...],
    ) -> list[tuple[Policy, ScopeMatcher]]:
        return [
            (policy, matcher)
            for policy, matcher in self._scopes
            if matcher.covers(provider, account, name, resource_id, tags)
        ]

    def wants_account(self, provider: Provider, account: str) -> bool:
        if self._everything:
            return True
        return any(m.covers_account(provider, account) for _, m in self._scopes)

    def wants_provider(self, provider: Provider) -> bool:
        return self._everything or any(provider in p.scope.providers for p, _ in self._scopes)

    def scopes_by_tags(self, provider: Provider, account: str) -> bool:
        """Some policy selects by tags in this account (so tags found below it, e.g. container
        metadata, could bring data into scope)."""
        if self._everything:
            return True
        return any(bool(m.tags) and m.covers_account(provider, account) for _, m in self._scopes)

    def covers(
        self, provider: Provider, account: str, name: str, resource_id: str,
        tags: tuple[tuple[str, str], ...],
    ) -> bool:
        """Some policy covers this resource: locate it."""
        return self._everything or bool(self._covering(provider, account, name, resource_id, tags))

    def wants_kind(
        self, kind: PlacementKind, provider: Provider, account: str, name: str,
        resource_id: str, tags: tuple[tuple[str, str], ...],
    ) -> bool:
        """Some covering policy counts this placement kind (replicas, residual ...)."""
        if self._everything:
            return True
        return any(kind in p.counts for p, _ in self._covering(provider, account, name, resource_id, tags))

    def wants_deletion_evidence(
        self, provider: Provider, account: str, name: str, resource_id: str,
        tags: tuple[tuple[str, str], ...], regions: Iterable[str],
    ) -> bool:
        """Some covering policy requires deletion and some region is not plainly allowed."""
        if self._everything:
            return True
        codes = list(regions)
        for policy, _ in self._covering(provider, account, name, resource_id, tags):
            if not policy.requires_deletion:
                continue
            for code in codes:
                if self._judge.judge(policy, provider, code).verdict is not Verdict.ALLOWED:
                    return True
        return False
