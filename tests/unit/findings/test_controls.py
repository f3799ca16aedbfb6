"""Every rule is mapped to the control catalogs it evidences, and every mapping cites its source."""

from __future__ import annotations

import pytest

from residency.findings.controls import CATALOGS, CONTROLS_FOR_RULE, controls_for
from residency.findings.rules import RULE_FOR_KIND, RULES


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_every_rule_has_a_control_mapping(rule_id: str) -> None:
    # A rule added to rules.py must say which controls it gives evidence for.
    assert rule_id in CONTROLS_FOR_RULE, f"add {rule_id!r} to residency/findings/controls.py"
    assert controls_for(rule_id), rule_id


def test_no_mapping_for_a_rule_that_does_not_exist() -> None:
    assert set(CONTROLS_FOR_RULE) <= set(RULES)


def test_every_outside_rule_evidences_data_location_in_every_catalog_family() -> None:
    for rule in RULE_FOR_KIND.values():
        catalogs = {control.catalog for control in controls_for(rule.id)}
        assert {c.key for c in catalogs} >= {"csa-ccm-v4", "nist-sp-800-53-r5", "iso-iec-27701-2019"}, rule.id


def test_every_catalog_cites_a_public_source_and_is_used() -> None:
    used = {control.catalog for controls in CONTROLS_FOR_RULE.values() for control in controls}
    assert used == set(CATALOGS)
    assert all(catalog.source.startswith("https://") for catalog in CATALOGS)
