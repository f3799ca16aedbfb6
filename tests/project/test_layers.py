"""The architecture's layer rules (import-linter contracts in pyproject.toml) hold, and cover what they claim."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _contracts() -> dict[str, dict[str, Any]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return {c["id"]: c for c in config["tool"]["importlinter"]["contracts"]}


def test_every_layer_contract_is_kept() -> None:
    done = subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Contracts: {len(_contracts())} kept, 0 broken." in done.stdout


def test_the_contracts_say_what_the_design_promises() -> None:
    contracts = _contracts()
    assert set(contracts["engine-is-pure"]["forbidden_modules"]) >= {
        "residency.sources", "residency.cli", "residency.formats"}
    assert set(contracts["sources-are-policy-free"]["forbidden_modules"]) >= {
        "residency.policy", "residency.engine"}
    assert set(contracts["formats-are-pure"]["forbidden_modules"]) >= {
        "residency.cli", "residency.sources"}
    assert contracts["no-cycles"]["type"] == "acyclic_siblings"
    layers = contracts["layers"]["layers"]
    packages = {p.name for p in (ROOT / "residency").iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    listed = {name.strip().removeprefix("residency.") for layer in layers for name in str(layer).split("|")}
    assert packages - {"__pycache__"} <= listed | {"errors"}, "a package no layer contract places"
