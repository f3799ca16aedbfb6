"""The README's rule table lists exactly the engine's rules, so the documented ids stay true."""

from __future__ import annotations

import re
from pathlib import Path

from residency.findings.rules import RULES

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_documents_every_rule_id() -> None:
    documented = set(re.findall(r"^\| `([a-z-]+)` \| ", README.read_text(), flags=re.M))
    assert set(RULES) <= documented
