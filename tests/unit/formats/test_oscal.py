"""OSCAL assessment results: valid against NIST's schema (with \\p{L} token patterns), policies as controls."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from residency.findings.controls import CATALOGS, controls_for
from residency.findings.model import ScanResult, Status
from residency.formats import oscal, oscal_document
from tests.unit.formats.schemas import errors, oscal_validator


def _doc(result: ScanResult) -> Any:
    return json.loads(oscal.render(result))


def _result(doc: Any) -> Any:
    return doc["assessment-results"]["results"][0]


def test_validates_against_nist_oscal_assessment_results_schema(sample: ScanResult) -> None:
    assert errors(oscal_validator(), _doc(sample)) == []


def test_document_exercises_token_patterns_through_props(sample: ScanResult) -> None:
    observation = _result(_doc(sample))["observations"][0]
    names = {prop["name"] for prop in observation["props"]}
    assert {"policy", "rule", "status", "severity", "fingerprint"} <= names


@pytest.mark.parametrize(
    ("path", "bad_value"),
    [
        (("observations", 0, "props", 0, "name"), "not a token"),  # TokenDatatype: \p{L} pattern
        (("findings", 0, "target", "target-id"), "9starts-with-digit"),
        (("observations", 0, "uuid"), "not-a-uuid"),
        (("findings", 0, "target", "status", "state"), "fine"),
    ],
)
def test_validator_rejects_what_the_schema_forbids(sample: ScanResult, path: tuple[Any, ...], bad_value: str) -> None:
    doc = _doc(sample)
    node: Any = _result(doc)
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = bad_value
    assert errors(oscal_validator(), doc)


def test_policies_are_the_reviewed_controls(sample: ScanResult) -> None:
    selection = _result(_doc(sample))["reviewed-controls"]["control-selections"][0]
    assert [c["control-id"] for c in selection["include-controls"]] == ["us-user-data", "eu-customer-data"]


def test_one_finding_per_policy_satisfied_only_without_violations_or_unverifiable(sample: ScanResult) -> None:
    findings = {f["target"]["target-id"]: f for f in _result(_doc(sample))["findings"]}
    assert {k: f["target"]["status"]["state"] for k, f in findings.items()} == {
        "us-user-data": "not-satisfied", "eu-customer-data": "not-satisfied",
    }
    compliant_only = ScanResult(sample.meta, tuple(f for f in sample.findings if f.status in
                                                   (Status.COMPLIANT, Status.EXEMPT)), sample.policies)
    states = {f["target"]["target-id"]: f["target"]["status"]["state"]
              for f in _result(_doc(compliant_only))["findings"]}
    assert states == {"us-user-data": "satisfied", "eu-customer-data": "satisfied"}


def test_observations_link_to_inventory_items_and_carry_evidence(sample: ScanResult) -> None:
    result = _result(_doc(sample))
    items = {item["uuid"] for item in result["local-definitions"]["inventory-items"]}
    observations = {o["uuid"]: o for o in result["observations"]}
    assert len(observations) == len(sample.findings)
    for observation in observations.values():
        assert observation["subjects"][0]["subject-uuid"] in items
    related = {r["observation-uuid"] for f in result["findings"] for r in f["related-observations"]}
    assert related == set(observations)
    evidence = [e["description"] for o in observations.values() for e in o.get("relevant-evidence", [])]
    assert "replica copy in eu-west-1 (IE): replication rule crr-to-dublin -> arn:aws:s3:::profiles-dr" in evidence


def test_policy_files_and_digests_are_back_matter(sample: ScanResult) -> None:
    doc = _doc(sample)["assessment-results"]
    resource = doc["back-matter"]["resources"][0]
    assert doc["import-ap"]["href"] == f"#{resource['uuid']}"
    assert [(r["href"], r["hashes"][0]["value"]) for r in resource["rlinks"]] == list(sample.meta.policy_files)


def test_uuids_are_stable_across_renders_and_differ_between_scans(sample: ScanResult) -> None:
    first, again = _doc(sample), _doc(sample)
    assert first == again
    later = replace(sample, meta=replace(sample.meta, started_at="2026-11-26T08:00:00Z"))
    assert _doc(later)["assessment-results"]["uuid"] != first["assessment-results"]["uuid"]


@pytest.mark.parametrize(("raw", "expected"), [("us-user-data", "us-user-data"), ("9lives", "_9lives"),
                                                ("eu data/ok", "eu-data-ok"), ("", "_")])
def test_policy_ids_become_oscal_tokens(raw: str, expected: str) -> None:
    assert oscal_document.token(raw) == expected


def test_compliance_trestle_parses_the_document(sample: ScanResult) -> None:
    from trestle.oscal.assessment_results import AssessmentResults

    parsed = AssessmentResults.parse_obj(_doc(sample)["assessment-results"])
    assert len(parsed.results[0].observations or []) == len(sample.findings)


def test_mapped_controls_are_props_of_each_policy_finding_and_catalogs_cite_their_source(sample: ScanResult) -> None:
    doc = _doc(sample)["assessment-results"]
    by_uuid = {r["uuid"]: r for r in doc["back-matter"]["resources"]}
    us = next(f for f in doc["results"][0]["findings"] if f["target"]["target-id"] == "us-user-data")
    mapped = {p["value"] for p in us["props"] if p["name"] == "mapped-control"}
    rules = {f.rule_id for f in sample.findings if f.policy_id == "us-user-data"}
    assert mapped == {c.id for rule in rules for c in controls_for(rule)}
    assert {"CCC.Core.CN10.AR01", "DSP-19", "SA-9(5)", "7.5.2"} <= mapped
    cited = {by_uuid[link["href"][1:]]["rlinks"][0]["href"] for link in us["links"]}
    assert cited == {c.source for c in CATALOGS}


def test_fast_uuid_is_uuid5() -> None:
    import uuid

    assert oscal_document.uid("a", "b") == str(uuid.uuid5(oscal_document.NAMESPACE, "a\x1fb"))


def test_cloud_text_in_one_line_fields_stays_on_one_line(sample: ScanResult) -> None:
    first = sample.findings[0]
    odd = replace(first, resource=replace(first.resource, name=" \n::error::x\u202e "), message="a\nb")
    doc = _doc(ScanResult(sample.meta, (odd,), sample.policies))
    assert errors(oscal_validator(), doc) == []
    observation = _result(doc)["observations"][0]
    assert "\n" not in observation["title"] and "\u202e" not in json.dumps(observation, ensure_ascii=False)
