"""Reading a file a user names: regular files only, within a size limit, never blocking.

Every input file (policy, inventory snapshot, baseline report, Terraform plan, accounts file)
may be anything a path can name: a FIFO that never gets a writer, /dev/zero, a symlink loop,
a directory, a file that grows while it is read. Each is refused with one line naming the
file, what is wrong and the fix, raised as the caller's error class (PolicyError for policy
files, InputError for the rest).
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from residency.errors import InputError, ResidencyError
from residency.text import one_line

KIB = 1024
MIB = 1024 * KIB
GIB = 1024 * MIB


@dataclass(frozen=True, slots=True)
class FileRules:
    """What one kind of input is called, its size limit and what to tell the user."""

    what: str  # "inventory snapshot", "policy": messages say "<what> file"
    fix: str  # "give a snapshot from `residency scan --inventory-out`"
    limit: int  # bytes
    too_big_fix: str = ""  # default: `fix`
    error: type[ResidencyError] = InputError


def size_label(size: int) -> str:
    """1048576 -> "1 MiB", 2147483648 -> "2 GiB" (limits are whole units)."""
    for unit, name in ((GIB, "GiB"), (MIB, "MiB"), (KIB, "KiB")):
        if size >= unit and size % unit == 0:
            return f"{size // unit} {name}"
    return f"{size:,} bytes"


def read_regular_file(path: str | Path, rules: FileRules, shown: str | None = None) -> bytes:
    """The bytes of a regular file of at most `rules.limit` bytes, or `rules.error` in one line."""
    shown = one_line(str(path)) if shown is None else shown
    fail = rules.error
    try:
        _require_regular(shown, os.stat(path).st_mode, rules)  # sockets cannot even be opened
        # O_NONBLOCK: should a FIFO replace the file meanwhile, opening it must not wait for a writer.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise fail(f"{shown}: no such {rules.what} file (a broken link?); check the path") from None
    except OSError as error:
        raise fail(unreadable(shown, error)) from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        _require_regular(shown, info.st_mode, rules)
        if info.st_size > rules.limit:
            raise fail(_too_big(shown, info.st_size, rules))
        try:
            data = handle.read(rules.limit + 1)  # the size may change or lie (/proc)
        except OSError as error:
            raise fail(f"{shown}: cannot be read ({error.strerror or error})") from None
    if len(data) > rules.limit:
        raise fail(_too_big(shown, None, rules))
    return data


def unreadable(shown: str, error: OSError) -> str:
    """The one-line reason a path cannot be read, with the fix."""
    if error.errno == errno.ELOOP:
        return f"{shown}: cannot be read (a symbolic link loop: {error.strerror}); check the path"
    fix = "check its permissions" if error.errno in (errno.EACCES, errno.EPERM) else "check the path"
    return f"{shown}: cannot be read ({error.strerror or error}); {fix}"


def _require_regular(shown: str, mode: int, rules: FileRules) -> None:
    if not stat.S_ISREG(mode):
        raise rules.error(f"{shown}: is not a regular file ({file_kind(mode)}); {rules.fix}")


def _too_big(shown: str, size: int | None, rules: FileRules) -> str:
    actual = f" ({size:,} bytes)" if size is not None else ""
    return (f"{shown}: is larger than the {size_label(rules.limit)} ({rules.limit:,} bytes) limit for a "
            f"{rules.what} file{actual}; {rules.too_big_fix or rules.fix}")


def decode_utf8(shown: str, data: bytes, rules: FileRules) -> str:
    """UTF-8 text without NUL bytes; a leading byte-order mark is dropped (harmless, editors add it)."""
    nul = data.find(b"\0")
    if nul >= 0:
        raise rules.error(f"{shown}: is not a text file (NUL byte at offset {nul}); {rules.fix}")
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise rules.error(
            f"{shown}:{line}: is not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start}); "
            "save the file as UTF-8"
        ) from None


def file_kind(mode: int) -> str:
    kinds = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
             (stat.S_ISBLK, "a block device"), (stat.S_ISDIR, "a directory"))
    return next((name for test, name in kinds if test(mode)), "a special file")
