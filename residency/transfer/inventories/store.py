"""Where an inventory report's files are read from: a local directory or a cloud container.

A `Store` reads small files (manifests, checksums) into memory and copies shards to a local
file; the cloud stores (inventories/clouds.py) do it through the providers' SDKs, so no
engine extension ever touches the network. Every failure is an `InventoryError`: one line
naming the file and what is wrong, which makes the transfer unverifiable, never compliant.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path, PurePosixPath
from typing import Protocol

from residency.errors import InputError

CHUNK = 1 << 20
MAX_MANIFEST_BYTES = 256 << 20  # a manifest lists files; a bigger one is not a manifest


class InventoryError(InputError):
    """A manifest or shard is missing, unreadable or corrupt: the transfer cannot be proven."""


class Store(Protocol):
    def describe(self, key: str) -> str:
        """The file as a user would name it (path or URL), for messages."""
        ...

    def read(self, key: str, limit: int = MAX_MANIFEST_BYTES) -> bytes:
        """The whole file; InventoryError when it is missing, unreadable or larger than `limit`."""
        ...

    def fetch(self, key: str, target: Path) -> None:
        """Copy the file to `target`; InventoryError when it is missing or unreadable."""
        ...


def safe_key(key: str, where: str) -> str:
    """A manifest's file key, refused when it could climb out of the report's location."""
    parts = PurePosixPath(key).parts
    if not key or key.startswith("/") or ".." in parts or "\x00" in key:
        raise InventoryError(f"{where}: lists the file {key!r}, which is not a plain relative key; "
                             "the manifest is corrupt or not from a cloud inventory")
    return key


def md5_of(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class LocalStore:
    """A report copied to disk: the manifest's files are found beside it or under an ancestor.

    S3 and Azure manifests name their files by their key in the destination container, so a
    mirrored copy has them under some ancestor of the manifest's folder; a flat download has
    them next to the manifest.
    """

    def __init__(self, manifest: Path) -> None:
        self.manifest = manifest
        self.folder = manifest.parent

    def describe(self, key: str) -> str:
        return str(self._resolve(key) or self.folder / key)

    def _resolve(self, key: str) -> Path | None:
        if key == self.manifest.name or ("/" not in key and (self.folder / key).is_file()):
            return self.folder / key
        for ancestor in (self.folder, *self.folder.parents):
            candidate = ancestor / key
            if candidate.is_file():
                return candidate
        flat = self.folder / PurePosixPath(key).name
        return flat if flat.is_file() else None

    def read(self, key: str, limit: int = MAX_MANIFEST_BYTES) -> bytes:
        path = self._resolve(key)
        if path is None:
            raise InventoryError(f"{self.folder / key}: no such file; copy the whole inventory report "
                                 "(manifest and every file it lists)")
        try:
            if path.stat().st_size > limit:
                raise InventoryError(f"{path}: larger than {limit >> 20} MiB; not an inventory manifest")
            return path.read_bytes()
        except OSError as error:
            raise InventoryError(f"{path}: cannot be read ({error.strerror})") from None

    def fetch(self, key: str, target: Path) -> None:
        path = self._resolve(key)
        if path is None:
            raise InventoryError(f"{self.folder / key}: listed in the manifest but missing; the report is "
                                 "incomplete, so nothing can be proven from it")
        try:
            if target.exists():
                target.unlink()
            target.symlink_to(path.resolve())  # no copy of big local shards
        except OSError:
            try:
                shutil.copyfile(path, target)
            except OSError as error:
                raise InventoryError(f"{path}: cannot be read ({error.strerror})") from None
