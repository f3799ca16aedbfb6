"""Where reports point readers for more: the project's home and the rule documentation.

Links name the released version's documentation, so an old report keeps pointing at the text
that was true for it.
"""

from __future__ import annotations

from residency import __version__

INFORMATION_URI = "https://github.com/your-org/residency"
DOCS_REPORTS = f"{INFORMATION_URI}/blob/v{__version__}/docs/reports.md"


def rule_help_uri(rule_id: str) -> str:
    """docs/reports.md has one heading per rule id, so GitHub's anchor is the id itself."""
    return f"{DOCS_REPORTS}#{rule_id}"
