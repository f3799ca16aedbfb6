"""Writing reports: complete files only (temporary file, then rename)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

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


def _file_mode(target: Path) -> int:
    """mkstemp makes 0600 files; a report gets the mode a plain open() would give it (or keeps its own)."""
    if target.exists():
        return target.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
