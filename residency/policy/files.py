"""Finding and reading policy files safely: size limit, no FIFOs or devices, UTF-8 text only."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from residency.errors import PolicyError
from residency.policy.positions import one_line

MAX_POLICY_BYTES = 1024 * 1024  # 1 MiB: real policy files are a few KiB
POLICY_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class PolicyFile:
    name: str  # as shown in messages and reports
    text: str
    sha256: str


def find_policy_files(paths: Sequence[str | Path]) -> list[tuple[str, Path]]:
    """(shown name, path) of every file to read, in order, each file once.

    A directory contributes its `*.yaml` / `*.yml` files (sorted by name, not recursive,
    hidden files skipped); a file is taken as given, whatever its suffix.
    """
    if not paths:
        raise PolicyError("no policy path given; pass a policy file or a directory of them")
    found: list[tuple[str, Path]] = []
    seen: set[Path] = set()
    for raw in paths:
        for shown, path in _expand(Path(raw)):
            key = path.resolve()
            if key not in seen:
                seen.add(key)
                found.append((shown, path))
    return found


def _expand(path: Path) -> list[tuple[str, Path]]:
    shown = one_line(str(path))
    try:
        info = path.stat()
    except FileNotFoundError:
        raise PolicyError(f"{shown}: no such file or directory; check the path") from None
    except OSError as error:
        raise PolicyError(f"{shown}: cannot be read ({error.strerror}); check the path and permissions") from None
    if stat.S_ISDIR(info.st_mode):
        return _directory_files(path)
    return [(shown, path)]


def _directory_files(directory: Path) -> list[tuple[str, Path]]:
    try:
        with os.scandir(directory) as entries:
            names = sorted(
                entry.name for entry in entries
                if entry.name.lower().endswith(POLICY_SUFFIXES)
                and not entry.name.startswith(".")
                and not entry.is_dir()
            )
    except OSError as error:
        raise PolicyError(
            f"{one_line(str(directory))}: cannot list the directory ({error.strerror}); check its permissions"
        ) from None
    if not names:
        raise PolicyError(
            f"{one_line(str(directory))}: holds no policy (no *.yaml or *.yml file in it); add a policy file "
            "or pass the file itself"
        )
    return [(one_line(str(directory / name)), directory / name) for name in names]


def read_policy_file(shown: str, path: Path) -> PolicyFile:
    """Read at most MAX_POLICY_BYTES of a regular file and decode it as UTF-8."""
    try:
        _require_regular(shown, os.stat(path).st_mode)  # sockets cannot even be opened
        # O_NONBLOCK: should a FIFO replace the file meanwhile, opening it must not wait for a writer.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise PolicyError(f"{shown}: no such file (a broken link?); check the path") from None
    except OSError as error:
        raise PolicyError(f"{shown}: cannot be read ({error.strerror}); check its permissions") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        _require_regular(shown, info.st_mode)
        if info.st_size > MAX_POLICY_BYTES:
            raise PolicyError(_too_big(shown, info.st_size))
        try:
            data = handle.read(MAX_POLICY_BYTES + 1)  # the size may change or lie (/proc)
        except OSError as error:
            raise PolicyError(f"{shown}: cannot be read ({error.strerror})") from None
    if len(data) > MAX_POLICY_BYTES:
        raise PolicyError(_too_big(shown, None))
    return PolicyFile(shown, decode_text(shown, data), hashlib.sha256(data).hexdigest())


def _require_regular(shown: str, mode: int) -> None:
    if not stat.S_ISREG(mode):
        raise PolicyError(f"{shown}: is not a regular file ({_file_kind(mode)}); pass a YAML policy file")


def _too_big(shown: str, size: int | None) -> str:
    actual = f" ({size:,} bytes)" if size is not None else ""
    return (f"{shown}: is larger than the 1 MiB ({MAX_POLICY_BYTES:,} bytes) limit for a policy file{actual}; "
            "split it into several files")


def decode_text(shown: str, data: bytes) -> str:
    nul = data.find(b"\0")
    if nul >= 0:
        raise PolicyError(f"{shown}: is not a text file (NUL byte at offset {nul}); pass a YAML policy file")
    try:
        return data.decode("utf-8").removeprefix("\ufeff")  # a byte-order mark is harmless
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise PolicyError(
            f"{shown}:{line}: is not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start}); "
            "save the file as UTF-8"
        ) from None


def _file_kind(mode: int) -> str:
    kinds = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
             (stat.S_ISBLK, "a block device"), (stat.S_ISDIR, "a directory"))
    return next((name for test, name in kinds if test(mode)), "a special file")
