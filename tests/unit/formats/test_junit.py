"""JUnit XML: a suite per policy, a case per (policy, resource), outcomes by status."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace

from residency.findings.model import ScanResult
from residency.formats import junit


def _cases(result: ScanResult) -> dict[str, ET.Element]:
    root = ET.fromstring(junit.render(result))
    return {f"{suite.get('name')}/{case.get('name')}": case
            for suite in root.iter("testsuite") for case in suite.iter("testcase")}


def _outcome(case: ET.Element) -> str:
    for tag in ("failure", "error", "skipped"):
        if case.find(tag) is not None:
            return tag
    return "passed"


def test_one_case_per_policy_and_resource_with_outcome_by_status(sample: ScanResult) -> None:
    outcomes = {name: _outcome(case) for name, case in _cases(sample).items()}
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
    assert (root.get("tests"), root.get("failures"), root.get("errors"), root.get("skipped")) == ("9", "3", "2", "1")
    us = next(s for s in root.iter("testsuite") if s.get("name") == "us-user-data")
    assert (us.get("tests"), us.get("failures"), us.get("errors"), us.get("skipped")) == ("6", "2", "2", "1")


def test_a_failure_lists_every_rule_and_location_of_the_resource(sample: ScanResult) -> None:
    failure = _cases(sample)["us-user-data/azure:00000000-0000-4000-8000-000000000001:ususerblobs"].find("failure")
    assert failure is not None
    assert failure.get("type") == "primary-outside,secondary-outside"
    assert "secondary brazilsouth (BR): GRS secondary" in (failure.text or "")
    assert "primary brazilsouth (BR): storage account location" in (failure.text or "")


def test_cases_point_at_the_policy_file_and_line(sample: ScanResult) -> None:
    case = _cases(sample)["eu-customer-data/gcp:eu-analytics:eu-orders"]
    assert (case.get("file"), case.get("line")) == ("policies/eu-customer-data.yaml", "2")


def test_control_characters_from_cloud_errors_do_not_break_the_xml(sample: ScanResult) -> None:
    finding = sample.findings[0]
    odd = replace(finding, message="bucket\x00name\x1b[31m <&> \"quoted\"")
    text = junit.render(ScanResult(sample.meta, (odd,), sample.policies))
    failure = ET.fromstring(text).find(".//failure")
    assert failure is not None and failure.get("message") == "bucket\ufffdname\ufffd[31m <&> \"quoted\""
