"""Build the ReportContext of a run: the repository root and, for `plan`, where Terraform declares each resource.

The only part of the formats that reads the file system; the CLI calls `discover` once, then
hands the result to every writer.

Terraform's plan JSON records the configuration (module calls with their `source`, resource
blocks by address) but no file or line, so a resource is found by reading the `.tf` files of
its module's directory for `resource "TYPE" "NAME" {`: the root module is the plan file's
directory (else the working directory), a local module call (`source = "./modules/x"`) is
followed into its directory, and a resource inside a registry or remote module is located at
the `module "NAME" {` call in the nearest local module, which is what a pull request changes.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from residency.errors import InputError
from residency.findings.model import ScanResult
from residency.formats.context import ReportContext, command_of
from residency.policy.model import SourceRef
from residency.untrusted.jsonfile import read_json

MAX_PLAN_BYTES = 512 * 2**20
MAX_TF_BYTES = 4 * 2**20  # a larger .tf file is generated, not hand-written: skipped
_BLOCK = re.compile(r'^[ \t]*(resource|module)[ \t]+"([^"\n]+)"(?:[ \t]+"([^"\n]+)")?[ \t]*\{', re.M)
_INDEX = re.compile(r'\[(?:"(?:[^"\\]|\\.)*"|[^\]"]*)\]')


def discover(result: ScanResult, junit_flavor: str = "xunit", sarif_category: str | None = None,
             cwd: Path | None = None) -> ReportContext:
    working = (cwd or Path.cwd()).resolve()
    root = repository_root(working)
    declared: dict[str, SourceRef] = {}
    if command_of(result.meta.source) == "plan":
        plan = Path(result.meta.source.removeprefix("terraform-plan:"))
        declared = _declarations(working / plan, working, {f.resource.id for f in result.findings})
    return ReportContext(
        repository_root=root.as_posix() if root else None,
        working_directory=working.as_posix(),
        junit_flavor=junit_flavor,
        sarif_category=sarif_category,
        declared_at=declared,
    )


def repository_root(start: Path) -> Path | None:
    """The nearest directory at or above `start` holding `.git` (a directory, or a worktree's file)."""
    for directory in (start, *start.parents):
        if (directory / ".git").exists():
            return directory
    return None


@dataclass(frozen=True, slots=True)
class _Address:
    modules: tuple[str, ...]
    type: str
    name: str


def split_address(address: str) -> _Address | None:
    """`module.a["x.y"].module.b[0].aws_s3_bucket.c["k"]` -> modules (a, b), aws_s3_bucket, c."""
    parts = _INDEX.sub("", address).split(".")
    modules: list[str] = []
    while len(parts) > 2 and parts[0] == "module":
        modules.append(parts[1])
        parts = parts[2:]
    if len(parts) != 2 or not all(parts):
        return None
    return _Address(tuple(modules), parts[0], parts[1])


def _declarations(plan: Path, working: Path, addresses: set[str]) -> dict[str, SourceRef]:
    try:
        document = read_json(plan, "Terraform plan", "give the output of `terraform show -json`", MAX_PLAN_BYTES)
    except InputError:
        return {}  # the plan was read once already; a plan that vanished since only loses locations
    configuration = document.get("configuration") if isinstance(document, dict) else None
    root_module = configuration.get("root_module") if isinstance(configuration, dict) else None
    if not isinstance(root_module, dict):
        return {}
    root_dir = plan.parent if _blocks(plan.parent) else working
    finder = _Finder(working)
    found: dict[str, SourceRef] = {}
    for address in addresses:
        parsed = split_address(address)
        if parsed is not None:
            ref = finder.locate(parsed, root_module, root_dir)
            if ref is not None:
                found[address] = ref
    return found


class _Finder:
    def __init__(self, working: Path) -> None:
        self.working = working
        self.cache: dict[Path, dict[tuple[str, str, str], SourceRef]] = {}

    def blocks(self, directory: Path) -> dict[tuple[str, str, str], SourceRef]:
        if directory not in self.cache:
            self.cache[directory] = _blocks(directory, self.working)
        return self.cache[directory]

    def locate(self, address: _Address, module: dict[str, Any], directory: Path) -> SourceRef | None:
        for call_name in address.modules:
            calls = module.get("module_calls")
            call = calls.get(call_name) if isinstance(calls, dict) else None
            if not isinstance(call, dict):
                return None
            source = call.get("source")
            if not (isinstance(source, str) and source.startswith(("./", "../"))):
                return self.blocks(directory).get(("module", call_name, ""))  # remote module: its call
            child = call.get("module")
            module = child if isinstance(child, dict) else {}
            directory = Path(os.path.normpath(directory / source))
        return self.blocks(directory).get(("resource", address.type, address.name))


def _blocks(directory: Path, working: Path | None = None) -> dict[tuple[str, str, str], SourceRef]:
    """`resource` and `module` blocks of the `.tf` files directly in `directory`, first declaration wins."""
    found: dict[tuple[str, str, str], SourceRef] = {}
    try:
        files = sorted(p for p in directory.glob("*.tf") if p.is_file() and p.stat().st_size <= MAX_TF_BYTES)
    except OSError:
        return found
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        shown = os.path.relpath(path, working) if working else str(path)
        for match in _BLOCK.finditer(text):
            key = (match.group(1), match.group(2), match.group(3) or "")
            found.setdefault(key, SourceRef(shown, text.count("\n", 0, match.start()) + 1))
    return found
