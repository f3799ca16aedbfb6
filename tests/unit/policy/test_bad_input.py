"""Bad input outside the policy language: paths, file types, sizes, encodings. One line, exit 2."""

from __future__ import annotations

import os
import socket
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from residency.catalog import Catalog
from residency.cli import main
from residency.errors import PolicyError
from residency.policy import files
from residency.policy.loader import load_policies
from tests.unit.policy.conftest import MINIMAL

Write = Callable[[str, str | bytes], Path]


def _error(paths: list[str | Path], catalog: Catalog) -> str:
    with pytest.raises(PolicyError) as caught:
        load_policies(paths, catalog)
    message = str(caught.value)
    assert len(message.splitlines()) == 1 and "Traceback" not in message
    return message


def _cli_error(capsys: pytest.CaptureFixture[str], *paths: str) -> str:
    code = main(["validate", *paths])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("residency: error: ")
    return lines[0]


def test_no_path_at_all(catalog: Catalog) -> None:
    assert _error([], catalog) == "no policy path given; pass a policy file or a directory of them"


def test_missing_path(tmp_path: Path, catalog: Catalog, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.yaml"
    assert _error([missing], catalog) == f"{missing}: no such file or directory; check the path"
    assert _cli_error(capsys, str(missing)).endswith("no such file or directory; check the path")


def test_empty_file(write: Write, catalog: Catalog, capsys: pytest.CaptureFixture[str]) -> None:
    path = write("empty.yaml", "")
    expected = f"{path}: is empty, so it holds no policy; add a 'policies:' list (see 'residency schema')"
    assert _error([path], catalog) == expected
    assert _cli_error(capsys, str(path)) == f"residency: error: {expected}"


def test_directory_without_policy_files(tmp_path: Path, write: Write, catalog: Catalog) -> None:
    write("notes.txt", "not a policy")
    write("sub/deeper.yaml", MINIMAL)  # not recursive: a subdirectory does not count
    assert _error([tmp_path], catalog) == (
        f"{tmp_path}: holds no policy (no *.yaml or *.yml file in it); add a policy file or pass the file itself"
    )


def test_directory_whose_only_file_is_empty_holds_no_policy(write: Write, tmp_path: Path, catalog: Catalog) -> None:
    path = write("a.yaml", "# nothing yet\n")
    assert _error([tmp_path], catalog).startswith(f"{path}: is empty, so it holds no policy")


def test_binary_file(write: Write, catalog: Catalog, capsys: pytest.CaptureFixture[str]) -> None:
    path = write("image.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    expected = f"{path}: is not a text file (NUL byte at offset 8); pass a YAML policy file"
    assert _error([path], catalog) == expected
    assert _cli_error(capsys, str(path)) == f"residency: error: {expected}"


def test_fifty_megabyte_file_is_refused_without_reading_it(
    tmp_path: Path, catalog: Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.write(b"policies:\n" + b"#" * (50 * 1024 * 1024 - 10))
    expected = (f"{path}: is larger than the 1 MiB (1,048,576 bytes) limit for a policy file "
                "(52,428,800 bytes); split it into several files")
    tracemalloc.start()
    try:
        assert _error([path], catalog) == expected
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2 * 1024 * 1024  # reading the file would have cost 50 MB
    assert _cli_error(capsys, str(path)) == f"residency: error: {expected}"


def test_size_limit_boundary(write: Write, catalog: Catalog) -> None:
    at_limit = MINIMAL + "#" * (files.MAX_POLICY_BYTES - len(MINIMAL) - 1) + "\n"
    assert len(at_limit.encode()) == files.MAX_POLICY_BYTES
    assert len(load_policies([write("at-limit.yaml", at_limit)], catalog).policies) == 1
    over = write("over.yaml", at_limit + "#")
    assert "(1,048,577 bytes); split it into several files" in _error([over], catalog)


def test_fifo_is_refused_without_blocking(tmp_path: Path, catalog: Catalog, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    expected = f"{fifo}: is not a regular file (a named pipe); pass a YAML policy file"
    assert _error([fifo], catalog) == expected
    assert _cli_error(capsys, str(fifo)) == f"residency: error: {expected}"


@pytest.fixture
def unix_socket(tmp_path: Path) -> Iterator[Path]:
    path = Path(os.path.relpath(tmp_path / "s.yaml"))  # AF_UNIX paths are limited to ~108 bytes
    if len(str(path)) > 100:
        path = tmp_path / "s.yaml"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(path))
        yield path
    finally:
        server.close()


def test_socket_is_refused(unix_socket: Path, catalog: Catalog) -> None:
    assert _error([unix_socket], catalog) == (
        f"{unix_socket}: is not a regular file (a socket); pass a YAML policy file"
    )


def test_character_device_is_refused(catalog: Catalog) -> None:
    assert _error(["/dev/null"], catalog) == (
        "/dev/null: is not a regular file (a character device); pass a YAML policy file"
    )


def test_broken_link_in_a_directory(tmp_path: Path, catalog: Catalog) -> None:
    (tmp_path / "gone.yaml").symlink_to(tmp_path / "missing-target.yaml")
    assert _error([tmp_path], catalog) == (
        f"{tmp_path / 'gone.yaml'}: no such policy file (a broken link?); check the path"
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file whatever its mode")
def test_unreadable_file_for_a_normal_user(write: Write, catalog: Catalog) -> None:
    path = write("secret.yaml", MINIMAL)
    path.chmod(0)
    assert _error([path], catalog) == f"{path}: cannot be read (Permission denied); check its permissions"


@pytest.mark.skipif(os.geteuid() == 0, reason="root lists any directory whatever its mode")
def test_unreadable_directory_for_a_normal_user(tmp_path: Path, write: Write, catalog: Catalog) -> None:
    write("locked/a.yaml", MINIMAL)
    (tmp_path / "locked").chmod(0)
    try:
        assert _error([tmp_path / "locked"], catalog) == (
            f"{tmp_path / 'locked'}: cannot list the directory (Permission denied); check its permissions"
        )
    finally:
        (tmp_path / "locked").chmod(0o755)


def test_directory_whose_listing_fails(
    tmp_path: Path, write: Write, catalog: Catalog, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The tests run as root, which chmod cannot lock out; make the listing itself fail instead.
    locked = tmp_path / "locked"
    write("locked/a.yaml", MINIMAL)
    real_scandir = os.scandir

    def scandir(path: str | os.PathLike[str]) -> object:
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    expected = f"{locked}: cannot list the directory (Permission denied); check its permissions"
    assert _error([locked], catalog) == expected
    assert _cli_error(capsys, str(locked)) == f"residency: error: {expected}"


def test_path_below_a_regular_file(write: Write, catalog: Catalog) -> None:
    parent = write("plain.txt", "x")
    assert _error([parent / "child.yaml"], catalog) == (
        f"{parent / 'child.yaml'}: cannot be read (Not a directory); check the path"
    )


def test_yaml_bomb_is_refused_in_one_line(write: Write, catalog: Catalog, capsys: pytest.CaptureFixture[str]) -> None:
    levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, 12):
        refs = ", ".join([f"*{chr(96 + level)}"] * 9)
        levels.append(f"{chr(97 + level)}: &{chr(97 + level)} [{refs}]")
    path = write("bomb.yaml", "\n".join(levels) + "\n")
    expected = f"{path}:2: YAML aliases ('*a') are not supported in policy files; write the value out in full"
    assert _error([path], catalog) == expected
    assert _cli_error(capsys, str(path)) == f"residency: error: {expected}"


def test_duplicate_ids_across_files(write: Write, tmp_path: Path, catalog: Catalog) -> None:
    first = write("a.yaml", MINIMAL)
    second = write("b.yaml", "# the same policy again\n" + MINIMAL)
    assert _error([tmp_path], catalog) == (
        f"{second}:3 at policies[0].id: duplicate policy id 'us-user-data' (also at {first}:2); "
        "ids must be unique across all policy files, rename one"
    )


def test_a_file_named_twice_is_read_once(write: Write, tmp_path: Path, catalog: Catalog) -> None:
    path = write("a.yaml", MINIMAL)
    policy_set = load_policies([path, tmp_path, str(path)], catalog)
    assert [p.id for p in policy_set.policies] == ["us-user-data"]
    assert len(policy_set.digests) == 1


def test_control_characters_in_paths_and_keys_stay_on_one_line(tmp_path: Path, write: Write, catalog: Catalog) -> None:
    odd = tmp_path / "two\nlines"
    assert _error([odd], catalog) == f"{tmp_path}/two\\nlines: no such file or directory; check the path"
    path = write("keys.yaml", 'policies:\n  - "a\\u2028b": 1\n')
    assert _error([path], catalog).startswith(f'{path}:2 at policies[0]["a\\u2028b"]: unknown key \'a\\u2028b\'')


def test_symlink_loops_name_the_link(tmp_path: Path, write: Write, catalog: Catalog) -> None:
    write("ok.yaml", MINIMAL)
    (tmp_path / "loop.yaml").symlink_to(tmp_path / "loop.yaml")
    expected = f"{tmp_path / 'loop.yaml'}: cannot be read (a symbolic link loop: Too many levels of symbolic links)"
    assert _error([tmp_path], catalog).startswith(expected)  # in a directory: the directory is fine
    assert _error([tmp_path / "loop.yaml"], catalog).startswith(expected)
