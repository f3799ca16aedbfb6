"""The scheduled audit (cron / Kubernetes CronJob): dated reports, a diff, the right exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from residency.inventory.model import (
    ALL_FACETS,
    Inventory,
    Placement,
    PlacementKind,
    Provider,
    StorageResource,
    sorted_tags,
)
from residency.inventory.snapshot import dumps

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "examples" / "ci" / "scheduled-audit.sh"
CRONJOB = ROOT / "examples" / "ci" / "kubernetes-cronjob.yaml"
POLICY = """\
policies:
  - id: us-user-data
    title: US users' data stays in the United States
    description: Private data of US users is stored only in the US.
    severity: high
    scope:
      providers: [aws]
      tags: {data-class: us-user-data}
    allowed:
      countries: [US]
"""


def _snapshot(path: Path, *buckets: tuple[str, str]) -> Path:
    resources = tuple(
        StorageResource(Provider.AWS, "111122223333", f"arn:aws:s3:::{name}", name, "s3-bucket",
                        (Placement(PlacementKind.PRIMARY, region, "bucket region"),), ALL_FACETS,
                        tags=sorted_tags({"data-class": "us-user-data"}))
        for name, region in buckets
    )
    path.write_text(dumps(Inventory(resources, scanned=(("aws", "111122223333"),))))
    return path


def _audit(tmp_path: Path, day: str, inventory: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "REPORTS_DIR": str(tmp_path / "reports"), "AUDIT_DATE": day,
           "RESIDENCY": f"{sys.executable} -m residency", "KEEP_DAYS": "0"}
    return subprocess.run(["bash", str(SCRIPT), "check", "--policy", str(tmp_path / "policy.yaml"),
                           "--inventory", str(inventory)],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False)


def test_keeps_dated_reports_and_reports_what_changed(tmp_path: Path) -> None:
    (tmp_path / "policy.yaml").write_text(POLICY)
    clean = _snapshot(tmp_path / "day1.json", ("profiles", "us-east-1"))
    first = _audit(tmp_path, "2026-11-24", clean)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "first report" in first.stdout
    leaked = _snapshot(tmp_path / "day2.json", ("profiles", "us-east-1"), ("exports", "eu-west-1"))
    second = _audit(tmp_path, "2026-11-25", leaked)
    assert second.returncode == 1, second.stdout + second.stderr
    reports = sorted(p.name for p in (tmp_path / "reports").iterdir())
    assert reports == ["2026-11-24.html", "2026-11-24.json", "2026-11-24.txt",
                       "2026-11-25.diff.md", "2026-11-25.html", "2026-11-25.json", "2026-11-25.txt"]
    diff = (tmp_path / "reports" / "2026-11-25.diff.md").read_text()
    assert "**1 new**" in diff and "exports" in diff
    assert "1 new, 0 resolved, 0 unchanged" in second.stdout


def test_a_broken_policy_is_exit_2_not_a_silent_pass(tmp_path: Path) -> None:
    (tmp_path / "policy.yaml").write_text("policies: [{id: 3}]\n")
    result = _audit(tmp_path, "2026-11-24", _snapshot(tmp_path / "inv.json", ("a", "us-east-1")))
    assert result.returncode == 2 and "the scan failed" in result.stderr


def test_cronjob_embeds_the_same_script_and_wires_its_volumes() -> None:
    config_map, claim, cronjob = yaml.safe_load_all(CRONJOB.read_text())
    assert config_map["data"]["scheduled-audit.sh"] == SCRIPT.read_text()
    assert (cronjob["apiVersion"], cronjob["kind"]) == ("batch/v1", "CronJob")
    assert len(cronjob["spec"]["schedule"].split()) == 5
    pod = cronjob["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    volumes = {v["name"]: v for v in pod["volumes"]}
    (container,) = pod["containers"]
    assert {m["name"] for m in container["volumeMounts"]} == set(volumes)
    assert volumes["script"]["configMap"]["name"] == config_map["metadata"]["name"]
    assert volumes["reports"]["persistentVolumeClaim"]["claimName"] == claim["metadata"]["name"]
    assert "/audit/scheduled-audit.sh" in " ".join(container["args"])
