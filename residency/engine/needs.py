"""What the loaded policies need a source to fetch, so nothing else is fetched.

`PolicyNeeds` implements the sources' `CollectionPlan` protocol (defined on their side, in
`residency.sources.contract`; matched structurally, so the engine never imports the sources).
Adapters ask, per resource, in the order they learn things: is anything covering this
account / key at all? Does a covering policy count replicas or derived copies? Is a location
outside some covering policy that requires deletion (then, and only then, collect deletion
evidence)? A key whose tags are unknown is treated as covered by every tag-scoped policy it
might fall under, so it is located and inspected anyway.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from residency.catalog import Catalog
from residency.engine.locations import LocationJudge, Verdict
from residency.engine.scope import ScopeMatcher, compile_scopes
from residency.inventory.model import PlacementKind, Provider, ResourceKey
from residency.policy.model import Policy


class PolicyNeeds:
    def __init__(self, policies: Sequence[Policy], catalog: Catalog) -> None:
        self._scopes = compile_scopes(policies)
        self._judge = LocationJudge(catalog)

    def _covering(self, key: ResourceKey) -> list[tuple[Policy, ScopeMatcher]]:
        return [(policy, matcher) for policy, matcher in self._scopes
                if matcher.covers(key) or matcher.possibly_covers(key)]

    def wants_provider(self, provider: Provider) -> bool:
        return any(provider in policy.scope.providers for policy, _ in self._scopes)

    def wants_account(self, provider: Provider, account: str) -> bool:
        return any(matcher.covers_account(provider, account) for _, matcher in self._scopes)

    def scopes_by_tags(self, provider: Provider, account: str) -> bool:
        return any(bool(m.tags) and m.covers_account(provider, account) for _, m in self._scopes)

    def wants_kind(self, provider: Provider, account: str, kind: str) -> bool:
        """Some policy covers this account and does not leave this kind out (scope.kinds). Copies
        of other kinds inherit scope, so a service that makes copies is wanted with its sources."""
        return any(m.covers_account(provider, account) and (m.kinds is None or m.kinds.matches(kind))
                   for _, m in self._scopes)

    def covers(self, key: ResourceKey) -> bool:
        return bool(self._covering(key))

    def wants_placements(self, kind: PlacementKind, key: ResourceKey) -> bool:
        return any(kind in policy.counts for policy, _ in self._covering(key))

    def wants_deletion_evidence(self, key: ResourceKey, regions: Iterable[str]) -> bool:
        """Some covering policy requires deletion and some region is not plainly allowed."""
        codes = list(regions)
        for policy, _ in self._covering(key):
            if not policy.requires_deletion:
                continue
            for code in codes:
                if self._judge.judge(policy, key.provider, code).verdict is not Verdict.ALLOWED:
                    return True
        return False
