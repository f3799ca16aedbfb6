"""Regenerate the per-rule sections of docs/reports.md from the rule table and the control mapping.

    .venv/bin/python -m scripts.gen_rule_docs

The sections (`#### <rule id>`: title, meaning, fix, the controls it evidences) are what SARIF's
helpUri points at; tests/project/test_reports_doc.py checks they match the code.
"""

from __future__ import annotations

import re
from pathlib import Path

from residency.findings.controls import controls_for
from residency.findings.rules import RULES

DOC = Path(__file__).resolve().parents[1] / "docs" / "reports.md"


def sections() -> str:
    parts = []
    for rule in RULES.values():
        lines = [f"#### {rule.id}", "", f"{rule.title}. {rule.doc} Fix: {rule.remediation}", "", "Evidences:"]
        for control in controls_for(rule.id):
            applies = f" ({control.applies})" if control.applies else ""
            lines.append(f"- {control.catalog.title} **{control.id}**: {control.title}{applies}")
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n\n"


def main() -> int:
    text = DOC.read_text(encoding="utf-8")
    block = re.compile(r"^#### .*?(?=^## )", flags=re.M | re.S)
    if not block.search(text):
        raise SystemExit(f"{DOC}: no rule sections found")
    DOC.write_text(block.sub(lambda _: sections(), text, count=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
