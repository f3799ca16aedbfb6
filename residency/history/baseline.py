"""Audit workflow: compare a scan with a previous JSON report.

`load_baseline` + `mark_baseline` back `--baseline FILE` (findings already in the previous
report are "existing", the rest "new"); `diff_reports` backs `residency diff OLD NEW`.
Findings are matched by `Finding.fingerprint` (policy, rule and resource), so a finding
keeps its identity across runs even when its message or locations change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from residency.errors import InputError
from residency.findings.model import Finding
from residency.text import quoted
from residency.untrusted.files import MIB
from residency.untrusted.jsonfile import read_json

OPEN_STATUSES = frozenset({"violation", "unverifiable"})  # what still needs fixing
_STATUSES = frozenset({"violation", "unverifiable", "exempt", "compliant"})
_MAX_BYTES = 200 * MIB


@dataclass(frozen=True, slots=True)
class ReportFinding:
    """The part of a JSON report finding that a diff shows."""

    fingerprint: str
    policy: str
    rule: str
    severity: str
    status: str
    provider: str
    account: str
    resource_id: str
    resource_name: str
    message: str

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


@dataclass(frozen=True, slots=True)
class Report:
    path: str
    finished_at: str
    tool_version: str
    findings: tuple[ReportFinding, ...]
    not_scanned: frozenset[tuple[str, str]]  # (provider, account)


@dataclass(frozen=True, slots=True)
class ReportDiff:
    old: Report
    new: Report
    added: tuple[ReportFinding, ...]  # open in NEW, not open in OLD
    resolved: tuple[ReportFinding, ...]  # open in OLD, not open in NEW
    unchanged: tuple[ReportFinding, ...]  # open in both (as NEW has it)

    def unconfirmed(self, finding: ReportFinding) -> bool:
        """A "resolved" finding whose account NEW could not scan: gone from view, not proven fixed."""
        return (finding.provider, finding.account) in self.new.not_scanned


def load_baseline(path: str | Path) -> frozenset[str]:
    """Fingerprints of the open findings (violation, unverifiable) of a previous JSON report.

    Exempt and compliant findings are left out: a violation that reappears when its exemption
    is removed or expires is new, not "existing", so `--new-only` still fails on it.
    """
    return frozenset(f.fingerprint for f in read_report(path).findings if f.is_open)


def mark_baseline(findings: Iterable[Finding], fingerprints: frozenset[str]) -> tuple[Finding, ...]:
    return tuple(
        replace(f, baseline="existing" if f.fingerprint in fingerprints else "new") for f in findings
    )


def diff_reports(old_path: str | Path, new_path: str | Path) -> ReportDiff:
    old, new = read_report(old_path), read_report(new_path)
    old_open = {f.fingerprint: f for f in old.findings if f.is_open}
    new_open = {f.fingerprint: f for f in new.findings if f.is_open}
    return ReportDiff(
        old,
        new,
        added=tuple(f for fp, f in new_open.items() if fp not in old_open),
        resolved=tuple(f for fp, f in old_open.items() if fp not in new_open),
        unchanged=tuple(f for fp, f in new_open.items() if fp in old_open),
    )


def read_report(path: str | Path) -> Report:
    document = _load_json(Path(path))
    where = str(path)
    if not isinstance(document, dict) or not isinstance(document.get("findings"), list):
        raise InputError(f"{where}: not a residency JSON report (no \"findings\" list); "
                         "give a file written by `residency scan --format json`")
    version = document.get("version")
    if not isinstance(version, str) or not version.startswith("1."):
        raise InputError(f"{where}: report version {quoted(version)} is not supported (expected 1.x); "
                         "re-run the scan with this residency version")
    scan = _section(document, "scan")
    tool = _section(document, "tool")
    findings = tuple(_finding(item, f"{where}: $.findings[{i}]") for i, item in enumerate(document["findings"]))
    return Report(where, str(scan.get("finished_at", "")), str(tool.get("version", "")), findings,
                  _not_scanned(scan.get("not_scanned"), where))


def _section(document: dict[str, Any], key: str) -> dict[str, Any]:
    value = document.get(key)
    return value if isinstance(value, dict) else {}


def _load_json(path: Path) -> Any:
    return read_json(path, "report", "give the path of a JSON report written by residency", _MAX_BYTES)


def _text(item: dict[str, Any], key: str, where: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value:
        raise InputError(f"{where}.{key}: expected a non-empty string, found {quoted(value)}")
    return value


def _finding(item: Any, where: str) -> ReportFinding:
    if not isinstance(item, dict):
        raise InputError(f"{where}: expected an object, found {type(item).__name__}")
    resource = item.get("resource")
    if not isinstance(resource, dict):
        raise InputError(f"{where}.resource: expected an object with provider, account, id and name")
    status = _text(item, "status", where)
    if status not in _STATUSES:
        raise InputError(f"{where}.status: {quoted(status)} is not one of {', '.join(sorted(_STATUSES))}")
    return ReportFinding(
        fingerprint=_text(item, "fingerprint", where),
        policy=_text(item, "policy", where),
        rule=_text(item, "rule", where),
        severity=_text(item, "severity", where),
        status=status,
        provider=_text(resource, "provider", f"{where}.resource"),
        account=_text(resource, "account", f"{where}.resource"),
        resource_id=_text(resource, "id", f"{where}.resource"),
        resource_name=str(resource.get("name") or resource["id"]),
        message=str(item.get("message", "")),
    )


def _not_scanned(value: Any, where: str) -> frozenset[tuple[str, str]]:
    if value is None:
        return frozenset()
    if not isinstance(value, list) or not all(isinstance(gap, dict) for gap in value):
        raise InputError(f"{where}: $.scan.not_scanned: expected a list of objects")
    return frozenset((str(gap.get("provider")), str(gap.get("account"))) for gap in value)
