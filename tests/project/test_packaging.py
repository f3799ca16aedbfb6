"""The wheel and sdist build, pass `twine check --strict`, and the wheel runs in a fresh venv outside the
checkout with its package data (catalog, schemas, templates); the Dockerfile passes hadolint.

The fresh venv gets the wheel from pip (`--no-deps`, `--no-index`) and borrows the test venv's
third-party packages through a path file, so the test needs no network and no minutes of installs;
it still proves what matters: what the wheel holds, its entry point, and that nothing is read from
the checkout.
"""

from __future__ import annotations

import shutil
import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)],
                   check=True, capture_output=True, cwd=ROOT)
    return out


def test_the_distributions_pass_twine_check_strict(dist: Path) -> None:
    files = sorted(str(p) for p in dist.iterdir())
    assert sorted(Path(f).suffix for f in files) == [".gz", ".whl"]
    done = subprocess.run([str(BIN / "twine"), "check", "--strict", *files], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_wheel_runs_in_a_fresh_venv_outside_the_checkout(dist: Path, tmp_path: Path) -> None:
    fresh = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(fresh)
    python = fresh / "bin" / "python"
    purelib = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                  check=True, capture_output=True, text=True).stdout.strip())
    wheel = next(dist.glob("*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
                    "--target", str(purelib), str(wheel)], check=True)
    (purelib / "zz_borrowed_dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    work = tmp_path / "elsewhere"
    shutil.copytree(ROOT / "policies", work / "policies")

    def residency(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(python), "-m", "residency", *args], cwd=work, capture_output=True, text=True)

    where = subprocess.run([str(python), "-c", "import residency; print(residency.__file__)"], cwd=work,
                           capture_output=True, text=True, check=True).stdout
    assert where.startswith(str(purelib)), where
    assert residency("--version").stdout.startswith("residency ")
    assert residency("validate", "policies").stdout.startswith("ok: ")
    assert "brazilsouth" in residency("regions", "--country", "BR").stdout  # catalog data
    assert '"$schema"' in residency("schema").stdout and '"$schema"' in residency("schema", "--report").stdout
    assert "s3-bucket" in residency("kinds").stdout
    snapshot = work / "inventory.json"
    snapshot.write_text('{"snapshot_version": "2", "resources": [], "scanned": [{"provider": "aws", "account": "1"}]}')
    checked = residency("check", "--policy", "policies/us-user-data.yaml", "--inventory", str(snapshot),
                        "--output-dir", "reports")
    assert checked.returncode in (0, 3), checked.stderr
    assert "<html" in (work / "reports" / "residency.html").read_text()  # templates are package data


def test_the_dockerfile_passes_hadolint_and_runs_as_non_root() -> None:
    dockerfile = ROOT / "Dockerfile"
    done = subprocess.run([str(BIN / "hadolint"), "--failure-threshold", "info", str(dockerfile)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    text = dockerfile.read_text()
    user = [line for line in text.splitlines() if line.startswith("USER ")]
    assert user and user[-1].split()[1] not in {"root", "0"}
    assert 'ENTRYPOINT ["residency"]' in text and "--no-cache-dir" in text
