"""Where reports go: devices and pipes written through, inputs never overwritten, all rendered before any written."""

from __future__ import annotations

import dataclasses
import os
import resource
import signal
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from residency.cli import main
from residency.findings.model import ScanResult
from residency.formats import FORMATS
from tests.acceptance.test_cli_check import POLICY, _bucket, _snapshot


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "policy.yaml").write_text(POLICY)
    _snapshot(tmp_path / "inv.json", _bucket("us-data", "us-east-1"), _bucket("eu-copy", "eu-west-1"))
    return tmp_path


def _check(*extra: str) -> list[str]:
    return ["check", "--policy", "policy.yaml", "--inventory", "inv.json", *extra]


def _one_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("residency: error: ") and "Traceback" not in err
    return err


@pytest.mark.skipif(os.geteuid() != 0, reason="creating a device node needs root (where the bug bit)")
def test_a_character_device_stays_one(workdir: Path) -> None:
    # Our own node of /dev/null's device (1, 3): should it be replaced, the system's /dev/null is not.
    null = workdir / "null"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    assert main(_check("--format", "json", "--output", str(null))) == 1
    info = os.stat(null)
    assert stat.S_ISCHR(info.st_mode) and info.st_rdev == os.makedev(1, 3)


def test_a_fifo_gets_the_report_and_stays_a_fifo(workdir: Path) -> None:
    fifo = workdir / "report.pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    assert main(_check("--format", "csv", "--output", str(fifo))) == 1
    reader.join(timeout=10)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert b"eu-copy" in received[0] and received[0].startswith(b"status,severity,policy")


def test_dev_stdout_writes_to_the_pipe_the_shell_gave(workdir: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "residency", *_check("--format", "json", "--output", "/dev/stdout")],
                          capture_output=True, check=False, cwd=workdir)
    assert done.returncode == 1, done.stderr
    assert b'"eu-copy"' in done.stdout


def test_a_symlinked_report_keeps_its_link_and_updates_its_target(workdir: Path) -> None:
    (workdir / "archive").mkdir()
    target = workdir / "archive" / "report.md"
    target.write_text("stale")
    (workdir / "report.md").symlink_to(target)
    assert main(_check("--format", "markdown", "--output", "report.md")) == 1
    assert (workdir / "report.md").is_symlink() and "eu-copy" in target.read_text()


@pytest.mark.parametrize("option", ["--output", "--inventory-out"])
def test_a_directory_or_socket_is_refused_before_anything_runs(
    workdir: Path, capsys: pytest.CaptureFixture[str], option: str
) -> None:
    args = ["--format", "json", "--output", "."] if option == "--output" else ["--inventory-out", "."]
    command = _check(*args) if option == "--output" else ["scan", "--policy", "policy.yaml", *args]
    assert main(command) == 2
    assert "is a directory; give a file name" in _one_error(capsys)


@pytest.mark.parametrize(
    ("command", "clash"),
    [
        (_check("--format", "json", "--output", "inv.json"), "--output inv.json: is the --inventory input"),
        (_check("--format", "html", "--output", "policy.yaml"), "--output policy.yaml: is the --policy input"),
        (_check("--format", "json", "--output", "hardlink.json"),
         "--output hardlink.json: is the --inventory input (the same file as inv.json)"),
        (_check("--format", "json", "--output", "old.json", "--baseline", "old.json"),
         "--output old.json: is the --baseline input"),
        (["scan", "--policy", ".", "--inventory-out", "policy.yaml"],
         "--inventory-out policy.yaml: is the --policy input"),
        (["plan", "plan.json", "--policy", "policy.yaml", "--format", "sarif", "--output", "plan.json"],
         "--output plan.json: is the plan input"),
        (["diff", "old.json", "new.json", "--output", "new.json"], "--output new.json: is the NEW input"),
    ],
)
def test_an_input_is_never_an_output(
    workdir: Path, capsys: pytest.CaptureFixture[str], command: list[str], clash: str
) -> None:
    os.link(workdir / "inv.json", workdir / "hardlink.json")
    for name in ("old.json", "new.json", "plan.json"):
        (workdir / name).write_text("{}")
    snapshots = {p.name: p.read_bytes() for p in workdir.iterdir() if p.is_file()}
    assert main(command) == 2
    assert f"{clash}; writing the report would overwrite it, so choose another output path" in _one_error(capsys)
    assert {p.name: p.read_bytes() for p in workdir.iterdir() if p.is_file()} == snapshots


def test_a_failing_writer_leaves_every_earlier_report_as_it_was(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = workdir / "reports"
    out.mkdir()
    for fmt in FORMATS.values():
        (out / f"residency.{fmt.extension}").write_text("from the previous run")

    def broken(result: ScanResult, out: object, context: object) -> list[str]:
        raise ValueError("this writer cannot render the result")

    last = list(FORMATS)[-1]  # written last: every other report would already be staged
    monkeypatch.setitem(FORMATS, last, dataclasses.replace(FORMATS[last], write=broken))
    assert main(_check("--output-dir", str(out))) == 70
    err = capsys.readouterr().err
    assert err.startswith("residency: internal error (ValueError at ") and err.count("\n") == 1
    assert {p.read_text() for p in out.iterdir()} == {"from the previous run"}


def _limit_file_size(limit: int) -> Callable[[], None]:
    def limit_in_child() -> None:
        # Files may grow to `limit` bytes, then writes fail with EFBIG (SIGXFSZ ignored): a full disk, for real.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return limit_in_child


def test_a_write_that_fails_midway_leaves_every_report_as_it_was(workdir: Path) -> None:
    command = [sys.executable, "-m", "residency", *_check("--output-dir", "scratch")]
    subprocess.run(command, cwd=workdir, capture_output=True, check=False)
    sizes = {p.name: p.stat().st_size for p in (workdir / "scratch").iterdir()}
    largest = max(sizes, key=sizes.__getitem__)
    assert sizes["residency.txt"] < sizes[largest]  # written first: the failure comes after a success
    out = workdir / "reports"
    out.mkdir()
    for fmt in FORMATS.values():
        (out / f"residency.{fmt.extension}").write_text("from the previous run")
    done = subprocess.run([*command[:-1], str(out)], cwd=workdir, capture_output=True, text=True, check=False,
                          preexec_fn=_limit_file_size(sizes[largest] - 1))
    assert done.returncode == 2, done.stderr
    assert f"{largest}: cannot be written (File too large)" in done.stderr and done.stderr.count("\n") == 1
    assert {p.name: p.read_text() for p in out.iterdir()} == {
        f"residency.{fmt.extension}": "from the previous run" for fmt in FORMATS.values()}
