"""docs/reports.md documents every rule (the anchor SARIF's helpUri points at) with the controls it maps to."""

from __future__ import annotations

import re
from pathlib import Path

from residency.findings.controls import controls_for
from residency.findings.rules import RULES
from residency.formats.links import rule_help_uri

DOC = Path(__file__).resolve().parents[2] / "docs" / "reports.md"


def test_every_rule_has_a_section_listing_its_controls() -> None:
    text = DOC.read_text(encoding="utf-8")
    sections = dict(re.findall(r"^#### ([a-z-]+)\n(.*?)(?=^#### |^## |\Z)", text, flags=re.M | re.S))
    assert set(RULES) <= set(sections)
    for rule_id in RULES:
        assert rule_help_uri(rule_id).endswith(f"docs/reports.md#{rule_id}")
        listed = set(re.findall(r"\*\*([^*]+)\*\*", sections[rule_id]))
        assert listed == {c.id for c in controls_for(rule_id)}, rule_id
