"""Writing reports: complete files only, never over an input, never replacing a device or a pipe.

A regular file (new or existing, or the target of a symlink) is written to a temporary file in
its directory, then renamed over it, so a reader never sees a partial report. An existing named
pipe or character device (/dev/null, /dev/stdout, a FIFO a CI step reads) is written through,
as a shell redirection would: renaming over it would replace the device node with a regular
file (as root) and the reader would get nothing. Anything else (a directory, a block device, a
socket) is refused before the scan starts.
"""

from __future__ import annotations

import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TextIO

from residency.errors import UsageError
from residency.text import one_line
from residency.untrusted.files import file_kind

# Paths that name a file descriptor (ours or a shell's): what is behind them is written through.
_DESCRIPTOR_PATHS = ("/dev/", "/proc/")

# What to write: the text, or a writer that streams it into a file (reports of large estates are
# written as they are rendered, never held whole in memory).
Content = str | Callable[[TextIO], None]


def write_atomically(path: str | Path, text: str) -> None:
    """Write `text` to `path`: atomically for a regular file, through for a pipe or character device."""
    write_reports([(Path(path), text)])


def write_reports(reports: Sequence[tuple[Path, Content]]) -> None:
    """Write several reports as one: each regular file goes to a temporary file next to it first,
    and only once every one is complete are they renamed into place; pipes and devices get a
    complete temporary copy too, written through last. A failure (a writer's bug, a full disk)
    leaves every report as it was."""
    staged: list[tuple[Path, Path]] = []  # (temporary file, target)
    through: list[tuple[Path, Path]] = []  # (temporary file, pipe or device)
    try:
        for path, content in reports:
            mode = _mode(path)
            if mode is not None and _writes_through(path, mode):
                through.append((_stage(Path(tempfile.gettempdir()) / "residency-report", content, path), path))
            elif mode is not None and not stat.S_ISREG(mode):
                raise UsageError(f"{_shown(path)}: is {file_kind(mode)}; give a file name")
            else:
                target = Path(os.path.realpath(path)) if path.is_symlink() else path
                staged.append((_stage(target, content), target))
    except BaseException:
        for temporary, _ in [*staged, *through]:
            temporary.unlink(missing_ok=True)
        raise
    for temporary, target in staged:
        os.replace(temporary, target)
    try:
        for temporary, path in through:
            _write_through(path, temporary)
    finally:
        for temporary, _ in through:
            temporary.unlink(missing_ok=True)


def check_output_path(path: Path, option: str) -> None:
    """Fail before the scan, not after it, when a report could not be written."""
    shown = f"{option} {_shown(path)}"
    mode = _mode(path)
    if mode is not None and _writes_through(path, mode):
        if not os.access(path, os.W_OK):
            raise UsageError(f"{shown}: cannot be written (permission denied)")
        return
    if mode is not None and stat.S_ISDIR(mode):
        raise UsageError(f"{shown}: is a directory; give a file name (or use --output-dir)")
    if mode is not None and not stat.S_ISREG(mode):
        raise UsageError(f"{shown}: is {file_kind(mode)}; give a file name")
    directory = Path(os.path.realpath(path)).parent if path.is_symlink() else path.parent
    if not directory.is_dir():
        raise UsageError(f"{shown}: directory {_shown(directory)} does not exist; create it or choose another path")
    if not os.access(directory, os.W_OK | os.X_OK):
        raise UsageError(f"{shown}: cannot write in {_shown(directory)} (permission denied)")


def refuse_inputs_as_outputs(outputs: Iterable[tuple[str, Path]], inputs: Iterable[tuple[str, Path]]) -> None:
    """An output that is also an input (policy, inventory, baseline, plan) would destroy it: refuse."""
    read: dict[tuple[int, int], tuple[str, Path]] = {}
    for option, path in inputs:
        identity = _identity(path)
        if identity is not None:
            read.setdefault(identity, (option, path))
    for option, path in outputs:
        identity = _identity(path)
        if identity is not None and identity in read:
            in_option, in_path = read[identity]
            same = "" if in_path == path else f" (the same file as {_shown(in_path)})"
            raise UsageError(f"{option} {_shown(path)}: is the {in_option} input{same}; writing the report would "
                             "overwrite it, so choose another output path")


def quiet_stdout() -> None:
    """After a broken pipe: point stdout at /dev/null so the interpreter's final flush stays quiet."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None  # nothing there yet, or unreadable: no input can be this file
    return (info.st_dev, info.st_ino) if stat.S_ISREG(info.st_mode) else None


def _mode(path: Path) -> int | None:
    """The mode of what `path` names (links followed), None when nothing is there."""
    try:
        return os.stat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as error:
        raise UsageError(f"{_shown(path)}: cannot be written ({error.strerror})") from None


def _writes_through(path: Path, mode: int) -> bool:
    if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
        return True
    # /dev/stdout when the shell redirected it to a file: write where the shell pointed it.
    return stat.S_ISREG(mode) and str(path).startswith(_DESCRIPTOR_PATHS)


def _write_through(target: Path, staged: Path) -> None:
    try:
        with staged.open("rb") as source, open(target, "wb") as sink:
            shutil.copyfileobj(source, sink)
    except OSError as error:
        raise UsageError(f"{_shown(target)}: cannot be written ({error.strerror})") from None


def _stage(target: Path, content: Content, shown: Path | None = None) -> Path:
    """A complete temporary copy of the report in the target's directory, with the target's mode."""
    shown = shown or target
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise UsageError(f"{_shown(shown)}: directory {_shown(directory)} does not exist; "
                         "create it or choose another --output")
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as error:
        raise UsageError(f"{_shown(shown)}: cannot write in {_shown(directory)} ({error.strerror})") from None
    temporary = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            if isinstance(content, str):
                handle.write(content)
            else:
                content(handle)
        os.chmod(temporary, _file_mode(target))
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise UsageError(f"{_shown(shown)}: cannot be written ({error.strerror})") from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def _file_mode(target: Path) -> int:
    """mkstemp makes 0600 files; a report gets the mode a plain open() would give it (or keeps its own)."""
    if target.exists():
        return target.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _shown(path: Path) -> str:
    return one_line(str(path))
