"""SARIF: valid against the official 2.1.0 schema, located on the policy line, stable fingerprints."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from residency.findings.model import ScanResult, Status
from residency.findings.rules import RULES
from residency.formats import sarif
from residency.policy.model import SourceRef
from tests.unit.formats.schemas import errors, sarif_validator


def _log(result: ScanResult) -> Any:
    return json.loads(sarif.render(result))


def test_validates_against_the_official_sarif_2_1_0_schema(sample: ScanResult) -> None:
    assert errors(sarif_validator(), _log(sample)) == []


def test_schema_check_is_real_a_broken_log_fails(sample: ScanResult) -> None:
    log = _log(sample)
    log["runs"][0]["results"][0]["level"] = "fatal"
    del log["version"]
    assert len(errors(sarif_validator(), log)) >= 2


def test_one_result_per_finding_that_needs_attention_none_for_compliant(sample: ScanResult) -> None:
    results = _log(sample)["runs"][0]["results"]
    expected = [f for f in sample.findings if f.status is not Status.COMPLIANT]
    assert [r["partialFingerprints"][sarif.FINGERPRINT_KEY] for r in results] == [f.fingerprint for f in expected]
    assert _log(sample)["runs"][0]["properties"]["summary"]["compliant"] == 3


def test_result_is_located_at_the_policy_line_and_the_resource(sample: ScanResult) -> None:
    result = _log(sample)["runs"][0]["results"][0]
    location = result["locations"][0]
    assert location["physicalLocation"] == {
        "artifactLocation": {"uri": "policies/us-user-data.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 4},
    }
    assert location["logicalLocations"] == [
        {"name": "us-user-profiles", "fullyQualifiedName": "arn:aws:s3:::us-user-profiles", "kind": "resource"}
    ]


def test_every_rule_is_described_and_results_point_at_their_rule(sample: ScanResult) -> None:
    run = _log(sample)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(RULES)
    assert all(r["help"]["text"] and r["shortDescription"]["text"] for r in rules)
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_levels_follow_status_and_severity(sample: ScanResult) -> None:
    levels = {(r["properties"]["status"], r["properties"]["severity"]): r["level"]
              for r in _log(sample)["runs"][0]["results"]}
    assert levels[("violation", "high")] == "error"
    assert levels[("violation", "medium")] == "warning"
    assert levels[("unverifiable", "high")] == "warning"


def test_exempt_finding_is_an_accepted_suppression_at_the_exemption(sample: ScanResult) -> None:
    exempt = [r for r in _log(sample)["runs"][0]["results"] if r["properties"]["status"] == "exempt"]
    assert len(exempt) == 1
    (suppression,) = exempt[0]["suppressions"]
    assert suppression["kind"] == "inSource" and suppression["status"] == "accepted"
    assert "legal@example.com" in suppression["justification"] and "2027-03-31" in suppression["justification"]
    assert suppression["location"]["physicalLocation"]["region"] == {"startLine": 31}


def test_baseline_marks_become_baseline_state(sample: ScanResult) -> None:
    states = {r["partialFingerprints"][sarif.FINGERPRINT_KEY]: r.get("baselineState")
              for r in _log(sample)["runs"][0]["results"]}
    marked = {f.fingerprint: f.baseline for f in sample.findings if f.status is not Status.COMPLIANT}
    assert {fp: states[fp] for fp, b in marked.items() if b} == {
        fp: {"new": "new", "existing": "unchanged"}[b] for fp, b in marked.items() if b
    }


def test_fingerprints_do_not_move_when_the_policy_line_or_message_changes(sample: ScanResult) -> None:
    moved = ScanResult(sample.meta, tuple(
        replace(f, policy_source=SourceRef(f.policy_source.file, f.policy_source.line + 10), message="reworded")
        for f in sample.findings), sample.policies)
    def prints(result: ScanResult) -> list[str]:
        return [r["partialFingerprints"][sarif.FINGERPRINT_KEY] for r in _log(result)["runs"][0]["results"]]
    assert prints(moved) == prints(sample)


def test_absolute_and_windows_policy_paths_become_file_uris(sample: ScanResult) -> None:
    first = sample.findings[0]
    for path, uri in (("/etc/residency/us policy.yaml", "file:///etc/residency/us%20policy.yaml"),
                      ("C:\\policies\\us.yaml", "file:///C:/policies/us.yaml")):
        result = ScanResult(sample.meta, (replace(first, policy_source=SourceRef(path, 2)),), ())
        location = _log(result)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        assert location == {"uri": uri}
        assert errors(sarif_validator(), _log(result)) == []


def test_relative_policy_paths_are_normalised_for_the_repository(sample: ScanResult) -> None:
    first = sample.findings[0]
    for path in ("./policies/us.yaml", "policies/../policies/us.yaml", "policies\\us.yaml"):
        result = ScanResult(sample.meta, (replace(first, policy_source=SourceRef(path, 2)),), ())
        location = _log(result)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        assert location == {"uri": "policies/us.yaml", "uriBaseId": "%SRCROOT%"}, path


def test_unknown_line_and_plan_source(sample: ScanResult) -> None:
    first = replace(sample.findings[0], policy_source=SourceRef("policies/us.yaml", 0))
    result = ScanResult(replace(sample.meta, source="terraform-plan:plan.json"), (first,), ())
    (sarif_result,) = _log(result)["runs"][0]["results"]
    assert "region" not in sarif_result["locations"][0]["physicalLocation"]
    assert sarif_result["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "plan.json"
    assert errors(sarif_validator(), _log(result)) == []


def test_account_gaps_are_tool_notifications(sample: ScanResult) -> None:
    notes = _log(sample)["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [n["message"]["text"] for n in notes] == [
        "aws account 444455556666 was not scanned: AccessDenied on sts:AssumeRole"
    ]
