"""SARIF: valid against the official 2.1.0 schema, located on the policy line, stable fingerprints."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any

from residency.findings.controls import controls_for
from residency.findings.model import ScanResult, Status
from residency.formats import sarif, sarif_results
from residency.formats.context import DEFAULT_CONTEXT, ReportContext
from residency.policy.model import Severity, SourceRef
from tests.unit.formats.schemas import errors, sarif_validator


def _log(result: ScanResult, context: ReportContext = DEFAULT_CONTEXT) -> Any:
    return json.loads(sarif.render(result, context))


def test_validates_against_the_official_sarif_2_1_0_schema(sample: ScanResult) -> None:
    assert errors(sarif_validator(), _log(sample)) == []


def test_schema_check_is_real_a_broken_log_fails(sample: ScanResult) -> None:
    log = _log(sample)
    log["runs"][0]["results"][0]["level"] = "fatal"
    del log["version"]
    assert len(errors(sarif_validator(), log)) >= 2


def test_one_result_per_open_finding_none_for_compliant_or_exempt(sample: ScanResult) -> None:
    run = _log(sample)["runs"][0]
    expected = [f for f in sample.findings if f.status in (Status.VIOLATION, Status.UNVERIFIABLE)]
    listed = [r["partialFingerprints"][sarif.FINGERPRINT_KEY] for r in run["results"]]
    assert listed == [f.fingerprint for f in expected]
    assert run["properties"]["notResults"] == {"compliant": 3, "exempt": 1, "overLimit": 0}


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


def test_rules_are_per_policy_with_security_severity_help_and_controls(sample: ScanResult) -> None:
    run = _log(sample)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} == {f"{f.policy_id}/{f.rule_id}" for f in sample.findings
                                        if f.status in (Status.VIOLATION, Status.UNVERIFIABLE)}
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    by_id = {r["id"]: r for r in rules}
    replica = by_id["us-user-data/replica-outside"]
    assert replica["properties"]["security-severity"] == "8.0"  # the policy is high
    assert by_id["eu-customer-data/member-outside"]["properties"]["security-severity"] == "5.5"  # medium
    assert replica["helpUri"].endswith("/docs/reports.md#replica-outside")
    assert {c["id"] for c in replica["properties"]["controls"]} == {c.id for c in controls_for("replica-outside")}
    assert "security" in replica["properties"]["tags"] and len(replica["properties"]["tags"]) <= 10
    assert all(r["help"]["text"] and r["shortDescription"]["text"] and r["fullDescription"]["text"] for r in rules)
    driver = run["tool"]["driver"]
    assert driver["fullName"].startswith("residency 0.1.0") and driver["informationUri"].startswith("https://")


def test_alert_identity_is_per_policy_rule_and_resource(sample: ScanResult) -> None:
    results = _log(sample)["runs"][0]["results"]
    hashes = [r["partialFingerprints"]["primaryLocationLineHash"] for r in results]
    assert len(set(hashes)) == len(results)  # the same policy line, yet one identity per resource
    assert all(re.fullmatch(r"[0-9a-f]{16}:1", h) for h in hashes)


def test_identity_survives_policy_edits(sample: ScanResult) -> None:
    edited_policy = replace(sample.policies[0], title="A new title", severity=Severity.CRITICAL)
    edited = ScanResult(sample.meta, tuple(
        replace(f, policy_source=SourceRef(f.policy_source.file, f.policy_source.line + 3), message="reworded")
        for f in sample.findings), (edited_policy, *sample.policies[1:]))
    def hashes(result: ScanResult) -> list[str]:
        return [r["partialFingerprints"]["primaryLocationLineHash"] for r in _log(result)["runs"][0]["results"]]
    assert hashes(edited) == hashes(sample)


def test_automation_details_distinguish_scan_check_and_plan(sample: ScanResult) -> None:
    def category(source: str, context: ReportContext = DEFAULT_CONTEXT) -> str:
        result = ScanResult(replace(sample.meta, source=source), sample.findings, sample.policies)
        return str(_log(result, context)["runs"][0]["automationDetails"]["id"])
    assert category("scan") == "residency/scan/"
    assert category("terraform-plan:plan.json") == "residency/plan/"
    assert category("snapshot:inv.json") == "residency/check/"
    assert category("scan", ReportContext(sarif_category="residency/scan-eu")) == "residency/scan-eu/"


def test_exempt_findings_are_not_results_github_ignores_suppressions(sample: ScanResult) -> None:
    run = _log(sample)["runs"][0]
    assert all(r["properties"]["status"] != "exempt" for r in run["results"])
    assert not any("suppressions" in r for r in run["results"])


def test_results_stay_within_githubs_limits_and_say_what_was_left_out(sample: ScanResult, monkeypatch) -> None:
    monkeypatch.setattr(sarif_results, "MAX_RESULTS", 50)
    base = sample.findings[0]
    many = tuple(replace(base, severity=Severity.HIGH if i % 10 else Severity.CRITICAL,
                         resource=replace(base.resource, id=f"arn:aws:s3:::b{i}", name=f"b{i}"))
                 for i in range(500))
    result = ScanResult(sample.meta, many, sample.policies)
    log, notices = sarif.sarif_log(result)
    run = log["runs"][0]
    assert len(run["results"]) == 50 and errors(sarif_validator(), log) == []
    listed = [r for r in run["results"] if "omitted" not in r["properties"]]
    (aggregate,) = [r for r in run["results"] if "omitted" in r["properties"]]
    assert aggregate["properties"]["omitted"] == 500 - len(listed) == run["properties"]["notResults"]["overLimit"]
    assert sum(1 for r in listed if r["properties"]["severity"] == "critical") == 49  # 50 critical, most important
    assert notices and "451 findings are not listed one by one" in notices[0]
    notes = [n["message"]["text"] for n in run["invocations"][0]["toolExecutionNotifications"]]
    assert any("451 findings" in n for n in notes)


def test_message_text_escapes_brackets_and_control_characters(sample: ScanResult) -> None:
    odd = replace(sample.findings[0], message="see [here](https://evil) \\[x] \n::error::y\u202e")
    (result,) = _log(ScanResult(sample.meta, (odd,), sample.policies))["runs"][0]["results"]
    assert result["message"]["text"] == "see \\[here\\](https://evil) \\\\\\[x\\] \\n::error::y\\u202e"


def test_uris_are_relative_to_the_repository_root_from_a_subdirectory(sample: ScanResult) -> None:
    context = ReportContext(repository_root="/repo", working_directory="/repo/infra")
    moved = replace(sample.findings[0], policy_source=SourceRef("../policies/us.yaml", 4))
    log = _log(ScanResult(replace(sample.meta, policy_files=(("../policies/us.yaml", "a" * 64),)), (moved,), ()),
               context)
    run = log["runs"][0]
    location = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "policies/us.yaml", "uriBaseId": "%SRCROOT%"}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file:///repo/"
    assert run["artifacts"][0]["location"] == {"uri": "policies/us.yaml", "uriBaseId": "%SRCROOT%"}
    outside = replace(moved, policy_source=SourceRef("../../elsewhere/us.yaml", 4))
    log = _log(ScanResult(sample.meta, (outside,), ()), context)
    assert log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "file:///elsewhere/us.yaml"}


def test_plan_findings_sit_on_the_terraform_block_with_the_policy_line_related(sample: ScanResult) -> None:
    finding = replace(sample.findings[0], resource=replace(sample.findings[0].resource,
                                                           id="module.logs.aws_s3_bucket.this[\"eu\"]"))
    context = ReportContext(declared_at={finding.resource.id: SourceRef("infra/modules/logs/main.tf", 12)})
    result = ScanResult(replace(sample.meta, source="terraform-plan:infra/plan.json"), (finding,), sample.policies)
    (sarif_result,) = _log(result, context)["runs"][0]["results"]
    assert sarif_result["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "infra/modules/logs/main.tf", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 12}}
    related = sarif_result["relatedLocations"][0]["physicalLocation"]
    assert related["artifactLocation"]["uri"] == "policies/us-user-data.yaml" and related["region"]["startLine"] == 4
    plan = sarif_result["relatedLocations"][1]["physicalLocation"]["artifactLocation"]
    assert plan == {"uri": "infra/plan.json", "uriBaseId": "%SRCROOT%"}


def test_levels_follow_status_and_severity(sample: ScanResult) -> None:
    levels = {(r["properties"]["status"], r["properties"]["severity"]): r["level"]
              for r in _log(sample)["runs"][0]["results"]}
    assert levels[("violation", "high")] == "error"
    assert levels[("violation", "medium")] == "warning"
    assert levels[("unverifiable", "high")] == "warning"


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


def test_unknown_line_has_no_region(sample: ScanResult) -> None:
    first = replace(sample.findings[0], policy_source=SourceRef("policies/us.yaml", 0))
    (sarif_result,) = _log(ScanResult(sample.meta, (first,), ()))["runs"][0]["results"]
    assert "region" not in sarif_result["locations"][0]["physicalLocation"]
    assert errors(sarif_validator(), _log(ScanResult(sample.meta, (first,), ()))) == []


def test_account_gaps_are_tool_notifications(sample: ScanResult) -> None:
    notes = _log(sample)["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [n["message"]["text"] for n in notes] == [
        "aws account 444455556666 was not scanned: AccessDenied on sts:AssumeRole"
    ]


def test_with_more_policy_rules_than_room_aggregates_are_per_rule(sample: ScanResult, monkeypatch) -> None:
    monkeypatch.setattr(sarif_results, "MAX_RESULTS", 20)
    base = sample.findings[0]
    many = tuple(replace(base, policy_id=f"policy-{i % 30}",
                         resource=replace(base.resource, id=f"arn:aws:s3:::b{i}", name=f"b{i}")) for i in range(300))
    log, _ = sarif.sarif_log(ScanResult(sample.meta, many, sample.policies))
    run = log["runs"][0]
    assert len(run["results"]) == 20 and errors(sarif_validator(), log) == []
    (aggregate,) = [r for r in run["results"] if "omitted" in r["properties"]]
    assert "replica-outside in 30 policies" in aggregate["message"]["text"]
    assert aggregate["properties"]["omitted"] == 281
    rules = run["tool"]["driver"]["rules"]
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in run["results"])
