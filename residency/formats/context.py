"""What a report needs to know beyond the scan result: where the repository is, which flavour.

Pure data, built once per run by `residency.formats.locate.discover` (the only part of the
formats that looks at the file system); writers only read it, so they stay pure functions.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath, PureWindowsPath

from residency.policy.model import SourceRef

JUNIT_FLAVORS = ("xunit", "gitlab")


@dataclass(frozen=True, slots=True)
class ReportContext:
    """Defaults describe a run from the repository root, which is what the tests render."""

    repository_root: str | None = None  # absolute POSIX path of the checkout; None = not known
    working_directory: str | None = None  # absolute POSIX path relative input paths were given from
    junit_flavor: str = "xunit"
    sarif_category: str | None = None  # overrides "residency/<command>"
    declared_at: Mapping[str, SourceRef] = field(default_factory=dict)  # resource id -> Terraform source


DEFAULT_CONTEXT = ReportContext()


def repository_path(path: str, context: ReportContext) -> str | None:
    """`path` relative to the repository root (POSIX), or None when it lies outside it or is unknown.

    `../policies/a.yaml` given from `infra/` is `policies/a.yaml`: code-scanning and test
    reporters resolve paths against the checkout, never against the directory residency ran in.
    """
    if not path:
        return None
    if PureWindowsPath(path).drive:
        return None
    posix = path.replace("\\", "/")
    if context.working_directory is None or context.repository_root is None:
        if posix.startswith("/"):
            return None
        relative = posixpath.normpath(posix)
        return None if relative == ".." or relative.startswith("../") else relative
    absolute = posixpath.normpath(posixpath.join(context.working_directory, posix))
    root = PurePosixPath(context.repository_root)
    try:
        return PurePosixPath(absolute).relative_to(root).as_posix()
    except ValueError:
        return None


def absolute_path(path: str, context: ReportContext) -> str:
    """`path` made absolute against the working directory (when known), POSIX separators."""
    if PureWindowsPath(path).drive:
        return PureWindowsPath(path).as_posix()
    posix = path.replace("\\", "/")
    if context.working_directory is None or posix.startswith("/"):
        return posixpath.normpath(posix)
    return posixpath.normpath(posixpath.join(context.working_directory, posix))


def command_of(source: str) -> str:
    """The residency command a scan result came from: scan, check (snapshot) or plan."""
    if source.startswith("terraform-plan:"):
        return "plan"
    if source.startswith("snapshot:"):
        return "check"
    return "scan"
