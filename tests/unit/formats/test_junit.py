"""JUnit XML: valid for Jenkins' junit-10.xsd, a GitLab flavour, bounded size, dorny/test-reporter frames."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace

from residency.findings.model import ScanResult, Status
from residency.formats import junit
from residency.formats.context import ReportContext
from residency.policy.model import SourceRef
from tests.unit.formats.schemas import junit_errors

GITLAB = ReportContext(junit_flavor="gitlab")
# dorny/test-reporter's java-junit stack frame pattern (src/parsers/java-junit/java-stack-trace-element-parser.ts)
DORNY_FRAME = re.compile(r"^\s*at (\S+\/\S*\/)?(.*)\((.*):(\d+)\)$")


def _cases(text: str) -> dict[str, ET.Element]:
    root = ET.fromstring(text)
    return {f"{suite.get('name')}/{case.get('name')}": case
            for suite in root.iter("testsuite") for case in suite.iter("testcase")}


def _outcome(case: ET.Element) -> str:
    return next((tag for tag in ("failure", "error", "skipped") if case.find(tag) is not None), "passed")


def test_default_flavour_is_valid_against_jenkins_junit_10_xsd(sample: ScanResult) -> None:
    assert junit_errors(junit.render(sample)) == []


def test_schema_check_is_real_gitlab_file_attribute_is_not_allowed_there(sample: ScanResult) -> None:
    gitlab = junit.render(sample, GITLAB)
    assert any("file" in error for error in junit_errors(gitlab))
    assert all(case.get("file") for case in _cases(gitlab).values())


def test_one_case_per_policy_and_resource_with_outcome_by_status(sample: ScanResult) -> None:
    outcomes = {name: _outcome(case) for name, case in _cases(junit.render(sample)).items()}
    assert outcomes == {
        "us-user-data/aws:111122223333:us-user-profiles": "failure",
        "us-user-data/azure:00000000-0000-4000-8000-000000000001:ususerblobs": "failure",
        "us-user-data/aws:111122223333:us-events": "error",
        "us-user-data/aws:444455556666:444455556666": "error",
        "us-user-data/aws:111122223333:us-legacy-archive": "skipped",
        "us-user-data/aws:111122223333:us-metrics": "passed",
        "eu-customer-data/gcp:eu-analytics:eu-ml-scratch": "failure",
        "eu-customer-data/gcp:eu-analytics:eu-orders": "passed",
        "eu-customer-data/gcp:eu-analytics:eu-lake": "passed",
    }


def test_counts_add_up_on_suites_and_root(sample: ScanResult) -> None:
    root = ET.fromstring(junit.render(sample))
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("9", "3", "2")
    us = next(s for s in root.iter("testsuite") if s.get("name") == "us-user-data")
    assert (us.get("tests"), us.get("failures"), us.get("errors"), us.get("skipped")) == ("6", "2", "2", "1")


def test_a_failure_lists_every_rule_and_location_of_the_resource(sample: ScanResult) -> None:
    case = _cases(junit.render(sample))["us-user-data/azure:00000000-0000-4000-8000-000000000001:ususerblobs"]
    failure = case.find("failure")
    assert failure is not None and failure.get("type") == "primary-outside,secondary-outside"
    assert "secondary brazilsouth (BR): GRS secondary" in (failure.text or "")
    assert "primary brazilsouth (BR): storage account location" in (failure.text or "")


def test_failures_end_with_a_frame_dorny_test_reporter_resolves_to_the_policy_line(sample: ScanResult) -> None:
    failure = _cases(junit.render(sample))["us-user-data/aws:111122223333:us-user-profiles"].find("failure")
    assert failure is not None
    frames = [DORNY_FRAME.match(line) for line in (failure.text or "").splitlines()]
    (frame,) = [m for m in frames if m]
    trace_path, file_name, line = frame.group(2), frame.group(3), frame.group(4)
    # dorny keeps the lower-case parts before the first capitalised one as directories
    package = []
    for part in trace_path.split("."):
        if part[0] <= "Z":
            break
        package.append(part)
    assert ("/".join([*package, file_name]), line) == ("policies/us-user-data.yaml", "4")


def test_a_policy_in_the_repository_root_gets_no_frame_dorny_could_not_resolve(sample: ScanResult) -> None:
    top = replace(sample.findings[0], policy_source=SourceRef("us.yaml", 3))
    failure = ET.fromstring(junit.render(ScanResult(sample.meta, (top,), ()))).find(".//failure")
    assert failure is not None and "us.yaml:3" in (failure.text or "")
    assert not any(DORNY_FRAME.match(line) for line in (failure.text or "").splitlines())


def test_gitlab_flavour_names_the_policy_file_relative_to_the_repository(sample: ScanResult) -> None:
    context = ReportContext(repository_root="/repo", working_directory="/repo/infra", junit_flavor="gitlab")
    moved = replace(sample.findings[0], policy_source=SourceRef("../policies/us.yaml", 4))
    case = next(iter(_cases(junit.render(ScanResult(sample.meta, (moved,), ()), context)).values()))
    assert case.get("file") == "policies/us.yaml"


def test_cloud_text_cannot_inject_workflow_commands_or_break_the_xml(sample: ScanResult) -> None:
    finding = sample.findings[0]
    odd = replace(finding, message="bucket\x00name\x1b[31m <&> \"q\"\n::error::pwned\u202e",
                  resource=replace(finding.resource, name="b\r\n::add-mask::x"))
    text = junit.render(ScanResult(sample.meta, (odd,), sample.policies))
    assert junit_errors(text) == []
    assert not any(line.lstrip().startswith("::") for line in text.splitlines())
    failure = ET.fromstring(text).find(".//failure")
    assert failure is not None
    assert failure.get("message") == 'bucket\\x00name\\x1b[31m <&> "q"\\n::error::pwned\\u202e'


def _many(sample: ScanResult, count: int, message: str) -> ScanResult:
    base = sample.findings[0]
    findings = tuple(
        replace(base, status=Status.VIOLATION if i % 2 else Status.COMPLIANT, message=message,
                resource=replace(base.resource, id=f"arn:aws:s3:::b-{i}", name=f"b-{i}"))
        for i in range(count)
    )
    return ScanResult(sample.meta, findings, sample.policies)


def test_size_is_bounded_and_what_was_left_out_is_counted(sample: ScanResult, monkeypatch) -> None:
    monkeypatch.setattr(junit, "MAX_BYTES", 400_000)
    result = _many(sample, 3_000, "x" * 400)
    out = junit.render(result)
    assert len(out.encode()) <= 400_000
    root = ET.fromstring(out)
    listed = [c for c in root.iter("testcase") if not c.get("name", "").startswith("residency: ")]
    (summary,) = [c for c in root.iter("testcase") if c.get("name", "").startswith("residency: ")]
    omitted = 3_000 - len(listed)
    failure = summary.find("failure")
    assert failure is not None and f"{omitted:,} more resources are not listed" in (failure.get("message") or "")
    assert omitted > 1_500  # more than the passing half is left out, so only failing cases fit:
    assert all(_outcome(c) == "failure" for c in listed)  # the most important are listed first
    assert root.get("failures") == str(sum(1 for c in root.iter("testcase") if _outcome(c) == "failure"))
    assert junit_errors(out) == []


def test_notice_says_what_was_left_out(sample: ScanResult, monkeypatch) -> None:
    import io

    monkeypatch.setattr(junit, "MAX_BYTES", 200_000)
    notices = junit.write(_many(sample, 2_000, "y" * 300), io.StringIO(), ReportContext())
    assert len(notices) == 1 and "test cases are not listed" in notices[0]

