"""OSCAL assessment results (JSON) for auditors; the mapping is documented in oscal_document.

compliance-trestle's models take most of a second to import, so they are loaded only when an
OSCAL report is actually rendered, not on every CLI start.
"""

from __future__ import annotations

from residency.findings.model import ScanResult


def render(result: ScanResult) -> str:
    from residency.formats import oscal_document

    return oscal_document.render(result)
