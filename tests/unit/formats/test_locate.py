"""The report context: the repository root, and where Terraform declares each planned resource."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from residency.findings.model import ScanResult
from residency.formats.locate import discover, repository_root, split_address
from residency.policy.model import SourceRef

PLAN = {
    "format_version": "1.2",
    "configuration": {"root_module": {
        "resources": [{"address": "aws_s3_bucket.primary"}],
        "module_calls": {
            "logs": {"source": "./modules/logs", "module": {
                "resources": [{"address": "aws_s3_bucket.this"}],
                "module_calls": {"inner": {"source": "../inner", "module": {
                    "resources": [{"address": "aws_s3_bucket.deep"}]}}}}},
            "vendor": {"source": "terraform-aws-modules/s3-bucket/aws", "module": {
                "resources": [{"address": "aws_s3_bucket.this"}]}},
        },
    }},
}


def _repo(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    infra = tmp_path / "infra"
    (infra / "modules" / "logs").mkdir(parents=True)
    (infra / "modules" / "inner").mkdir(parents=True)
    (infra / "main.tf").write_text('provider "aws" {}\n\nresource "aws_s3_bucket" "primary" {\n  bucket = "p"\n}\n'
                                   'module "logs" {\n  source = "./modules/logs"\n}\n\n'
                                   'module "vendor" {\n  source = "terraform-aws-modules/s3-bucket/aws"\n}\n')
    (infra / "modules" / "logs" / "main.tf").write_text('# logs\nresource  "aws_s3_bucket"   "this" {\n}\n')
    (infra / "modules" / "inner" / "b.tf").write_text('\n\n\nresource "aws_s3_bucket" "deep" {}\n')
    (infra / "plan.json").write_text(json.dumps(PLAN))
    return tmp_path


def _plan_result(sample: ScanResult, *addresses: str) -> ScanResult:
    base = sample.findings[0]
    findings = tuple(replace(base, resource=replace(base.resource, id=a, name=a)) for a in addresses)
    return ScanResult(replace(sample.meta, source="terraform-plan:infra/plan.json"), findings, sample.policies)


def test_plan_resources_are_found_in_the_terraform_source(sample: ScanResult, tmp_path: Path) -> None:
    root = _repo(tmp_path)
    result = _plan_result(sample, "aws_s3_bucket.primary", 'module.logs["a.b"].aws_s3_bucket.this[0]',
                          "module.logs.module.inner.aws_s3_bucket.deep", "module.vendor.aws_s3_bucket.this",
                          "aws_s3_bucket.nowhere")
    context = discover(result, cwd=root)
    assert context.repository_root == root.resolve().as_posix()
    assert dict(context.declared_at) == {
        "aws_s3_bucket.primary": SourceRef("infra/main.tf", 3),
        'module.logs["a.b"].aws_s3_bucket.this[0]': SourceRef("infra/modules/logs/main.tf", 2),
        "module.logs.module.inner.aws_s3_bucket.deep": SourceRef("infra/modules/inner/b.tf", 4),
        "module.vendor.aws_s3_bucket.this": SourceRef("infra/main.tf", 10),  # a registry module: its call
    }


def test_a_scan_has_no_terraform_locations(sample: ScanResult, tmp_path: Path) -> None:
    assert dict(discover(sample, cwd=_repo(tmp_path)).declared_at) == {}


def test_a_vanished_or_odd_plan_only_loses_locations(sample: ScanResult, tmp_path: Path) -> None:
    root = _repo(tmp_path)
    (root / "infra" / "plan.json").write_text('{"configuration": []}')
    assert dict(discover(_plan_result(sample, "aws_s3_bucket.primary"), cwd=root).declared_at) == {}
    (root / "infra" / "plan.json").unlink()
    assert dict(discover(_plan_result(sample, "aws_s3_bucket.primary"), cwd=root).declared_at) == {}


def test_repository_root_is_the_nearest_git_directory(tmp_path: Path) -> None:
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    (tmp_path / "a" / ".git").write_text("gitdir: elsewhere\n")  # a worktree's .git is a file
    assert repository_root(nested) == tmp_path / "a"


def test_addresses_with_dots_and_brackets_in_keys() -> None:
    parsed = split_address('module.a["x.y]z"].module.b[3].google_storage_bucket.c["k.l"]')
    assert parsed is not None and (parsed.modules, parsed.type, parsed.name) == (("a", "b"), "google_storage_bucket",
                                                                                 "c")
    assert split_address("data.aws_region.current.name") is None
