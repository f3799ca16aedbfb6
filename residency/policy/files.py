"""Finding and reading policy files safely: size limit, no FIFOs or devices, UTF-8 text only
(residency.untrusted.files does the reading)."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from residency.errors import PolicyError
from residency.text import one_line
from residency.untrusted.files import MIB, FileRules, decode_utf8, read_regular_file, unreadable

MAX_POLICY_BYTES = 1 * MIB  # real policy files are a few KiB
POLICY_FILE = FileRules("policy", "pass a YAML policy file", MAX_POLICY_BYTES,
                        too_big_fix="split it into several files", error=PolicyError)
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
            key = Path(os.path.realpath(path))  # never raises, not even on a link loop
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
        raise PolicyError(unreadable(shown, error)) from None
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
                and not _is_directory(entry)
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


def _is_directory(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False  # a link loop or an unreadable link: reading it will say which, naming the file


def read_policy_file(shown: str, path: Path) -> PolicyFile:
    """Read at most MAX_POLICY_BYTES of a regular file and decode it as UTF-8."""
    data = read_regular_file(path, POLICY_FILE, shown)
    return PolicyFile(shown, decode_text(shown, data), hashlib.sha256(data).hexdigest())


def decode_text(shown: str, data: bytes) -> str:
    return decode_utf8(shown, data, POLICY_FILE)
