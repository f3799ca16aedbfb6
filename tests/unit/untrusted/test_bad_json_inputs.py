"""Bad input given as a snapshot, baseline, plan or diff report: one line naming the file, exit 2.

Each of these gave a traceback and exit 1 (the "violations" code), hung, or exhausted memory.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from residency.cli import main
from residency.errors import InputError
from residency.untrusted.jsonfile import MAX_JSON_DEPTH, parse_json
from tests.acceptance.test_cli_check import POLICY, _bucket, _snapshot

# How each command takes a JSON input, given the path to put there.
COMMANDS: dict[str, Callable[[str], list[str]]] = {
    "snapshot": lambda bad: ["check", "--policy", "policy.yaml", "--inventory", bad],
    "baseline": lambda bad: ["check", "--policy", "policy.yaml", "--inventory", "inv.json", "--baseline", bad],
    "plan": lambda bad: ["plan", bad, "--policy", "policy.yaml"],
    "diff": lambda bad: ["diff", bad, bad],
}


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "policy.yaml").write_text(POLICY)
    _snapshot(tmp_path / "inv.json", _bucket("us-data", "us-east-1"))
    return tmp_path


def _refused(capsys: pytest.CaptureFixture[str], kind: str, bad: str) -> str:
    assert main(COMMANDS[kind](bad)) == 2
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err
    assert captured.err.startswith(f"residency: error: {bad}:"), captured.err
    return captured.err


CONTENTS: dict[str, tuple[str | bytes, str]] = {
    "nested 100,000 deep": ("[" * 100_000 + "]" * 100_000, f"JSON nested deeper than {MAX_JSON_DEPTH} levels"),
    "nested just past the limit": ("[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1),
                                   f"JSON nested deeper than {MAX_JSON_DEPTH} levels"),
    "a 5,000-digit integer": ('{"n": ' + "7" * 5000 + "}", "a number has more than 100 digits (line 1)"),
    "an integer in a name": ('{"version": "1.0",\n "findings": [' + "1" * 200 + "]}",
                             "a number has more than 100 digits (line 2)"),
    "an unpaired surrogate": ('{"findings": [], "name": "bucket-\\ud800"}',
                              "a string holds the unpaired surrogate escape \\ud800 (line 1), which is not Unicode"),
    "an unpaired low surrogate key": ('{"\\udc01": 1}', "the unpaired surrogate escape \\udc01"),
    "NaN": ('{"n": NaN}', "NaN is not a JSON value"),
    "1e999": ('{"n": 1e999}', "the number 1e999 is out of range"),
    "a duplicate key": ('{"findings": [], "findings": [1]}', 'the key "findings" appears twice in one object'),
    "Latin-1 text": (b'{"name": "caf\xe9"}', "is not UTF-8 text (byte 0xe9 at offset 13)"),
}


@pytest.mark.parametrize("kind", list(COMMANDS))
@pytest.mark.parametrize("case", list(CONTENTS))
def test_bad_json_is_one_line_and_exit_2(
    workdir: Path, capsys: pytest.CaptureFixture[str], kind: str, case: str
) -> None:
    content, expected = CONTENTS[case]
    path = workdir / "bad.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    assert expected in _refused(capsys, kind, "bad.json")


def test_a_valid_surrogate_pair_and_deep_but_allowed_nesting_parse() -> None:
    assert parse_json(b'{"name": "clip-\\ud83c\\udfac"}', "f.json", "fix") == {"name": "clip-\U0001f3ac"}
    deep = "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH
    assert parse_json(deep.encode(), "f.json", "fix") is not None
    assert parse_json(b'\xef\xbb\xbf{"bom": 1}', "f.json", "fix") == {"bom": 1}  # editors add a byte-order mark


@pytest.mark.parametrize("kind", list(COMMANDS))
def test_dev_zero_is_refused_without_reading_it(workdir: Path, capsys: pytest.CaptureFixture[str], kind: str) -> None:
    assert "/dev/zero: is not a regular file (a character device)" in _refused(capsys, kind, "/dev/zero")


@pytest.mark.parametrize("kind", list(COMMANDS))
def test_a_fifo_is_refused_without_waiting_for_a_writer(
    workdir: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    os.mkfifo(workdir / "pipe.json")
    result: list[str] = []
    worker = threading.Thread(target=lambda: result.append(_refused(capsys, kind, "pipe.json")), daemon=True)
    worker.start()
    worker.join(timeout=20)
    assert not worker.is_alive(), "reading a FIFO blocked"
    assert "pipe.json: is not a regular file (a named pipe)" in result[0]


@pytest.mark.parametrize("kind", list(COMMANDS))
def test_a_symlink_loop_is_refused(workdir: Path, capsys: pytest.CaptureFixture[str], kind: str) -> None:
    (workdir / "loop.json").symlink_to(workdir / "loop.json")
    assert "loop.json: cannot be read (a symbolic link loop" in _refused(capsys, kind, "loop.json")


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    from residency.untrusted.jsonfile import read_json

    path = tmp_path / "big.json"
    with path.open("wb") as handle:
        handle.truncate(3 * 1024 * 1024)  # sparse: the size is what counts
    with pytest.raises(InputError, match=r"big.json: is larger than the 2 MiB \(2,097,152 bytes\) limit for a "
                                         r"report file \(3,145,728 bytes\); give a report"):
        read_json(path, "report", "give a report", 2 * 1024 * 1024)


@pytest.mark.parametrize(
    ("number", "refused"),
    [("1" * 100, False), ("1" * 101, True), ("-" + "1" * 101, True), ("0." + "0" * 98 + "1", False),
     ("0." + "0" * 99 + "1", True), ("1e308", False), ("1E+309", True), ("1.5e-400", False), ("1e0999", True)],
)
def test_number_limits(number: str, refused: bool) -> None:
    document = f'{{"name": "e1234 {"9" * 150}", "n": {number}}}'.encode()  # strings never count
    if refused:
        with pytest.raises(InputError, match=r"f.json: (a number has more than 100 digits|the number .* is out of "
                                             r"range)"):
            parse_json(document, "f.json", "fix")
    else:
        assert parse_json(document, "f.json", "fix")["n"] == json.loads(number)
