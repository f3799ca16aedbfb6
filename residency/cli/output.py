"""Writing reports: complete files only (temporary file, then rename)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from residency.errors import UsageError


def write_atomically(path: str | Path, text: str) -> None:
    """Write `text` to `path` so a reader never sees a partial file."""
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise UsageError(f"{target}: directory {directory} does not exist; create it or choose another --output")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except PermissionError:
        raise UsageError(f"{target}: cannot write in {directory} (permission denied)") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.chmod(tmp, _file_mode(target))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_all_atomically(outputs: list[tuple[Path, Callable[[TextIO], None]]]) -> None:
    """Stream every report into a temporary file beside its target, then rename them all.

    A writer that fails leaves no file changed: a run never mixes new and stale reports.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for target, write in outputs:
            directory = target.parent if str(target.parent) else Path(".")
            if not directory.is_dir():
                raise UsageError(f"{target}: directory {directory} does not exist; "
                                 "create it or choose another --output")
            try:
                fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
            except PermissionError:
                raise UsageError(f"{target}: cannot write in {directory} (permission denied)") from None
            staged.append((tmp, target))
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                write(handle)
            os.chmod(tmp, _file_mode(target))
        for tmp, target in staged:
            os.replace(tmp, target)
    except BaseException:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise


def _file_mode(target: Path) -> int:
    """mkstemp makes 0600 files; a report gets the mode a plain open() would give it (or keeps its own)."""
    if target.exists():
        return target.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
