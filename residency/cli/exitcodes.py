"""Exit codes users script against (README: "Exit codes")."""

from __future__ import annotations

from enum import IntEnum

from residency.findings.model import Finding, Status
from residency.policy.model import Severity


class ExitCode(IntEnum):
    OK = 0  # nothing to report
    VIOLATIONS = 1  # a violation at or above --fail-on
    USAGE = 2  # usage, policy or configuration error
    INCOMPLETE = 3  # no such violation, but something in scope could not be verified
    INTERNAL = 70  # a bug in residency (sysexits' EX_SOFTWARE), never a verdict about the data
    INTERRUPTED = 130  # Ctrl-C or SIGTERM (128 + SIGINT, as shells report it)


ISSUE_TRACKER = "https://github.com/your-org/residency/issues"


def exit_code_for(
    findings: tuple[Finding, ...] | list[Finding],
    fail_on: Severity,
    allow_incomplete: bool,
    new_only: bool = False,
) -> ExitCode:
    """1 wins over 3. With `new_only`, only findings not in the baseline can fail the run."""
    considered = [f for f in findings if not (new_only and f.baseline == "existing")]
    if any(f.status is Status.VIOLATION and f.severity.rank >= fail_on.rank for f in considered):
        return ExitCode.VIOLATIONS
    if not allow_incomplete and any(f.status is Status.UNVERIFIABLE for f in considered):
        return ExitCode.INCOMPLETE
    return ExitCode.OK
