"""Meta-lint: every rule is documented, every placement kind has its outside rule."""

from __future__ import annotations

import pytest

from residency.findings.rules import RULE_FOR_KIND, RULES
from residency.inventory.model import PlacementKind


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_every_rule_is_documented(rule_id: str) -> None:
    rule = RULES[rule_id]
    assert rule.id == rule_id and rule_id == rule_id.lower() and " " not in rule_id
    assert rule.title and rule.doc.endswith(".") and rule.remediation


def test_every_placement_kind_has_its_own_outside_rule() -> None:
    assert set(RULE_FOR_KIND) == set(PlacementKind)
    assert len({rule.id for rule in RULE_FOR_KIND.values()}) == len(PlacementKind)
