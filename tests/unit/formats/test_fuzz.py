"""Every report writer, fed arbitrary cloud text, still produces what its consumer accepts.

Names, account ids, regions, API error text and exemption fields come from whoever controls
the cloud account or the Terraform code. Hypothesis generates them (any Unicode: newlines,
ESC, NUL, bidi overrides, `::error::`, `@mention`, `</script>`, brackets...) and each output is
checked with its consumer's parser or schema, and for the properties no output may lose:
one line per record, no character that acts on a terminal or a job log.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import replace
from html.parser import HTMLParser
from importlib import resources
from typing import Any

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from residency.findings.model import FindingLocation, ScanResult
from residency.formats import FORMATS
from residency.formats.context import ReportContext
from residency.inventory.model import AccountGap, PlacementKind, Provider
from scripts.report_sample import sample_result
from tests.unit.formats.schemas import errors, junit_errors, oscal_validator, sarif_validator

SAMPLE = sample_result()
GFM = MarkdownIt("commonmark").enable("table")
HOSTILE = st.sampled_from(["\n::error::pwned", "\n::add-mask::secret", "\x1b[2J", "\x00", "\r", "\u202e",
                           "\u2028", "@octocat", "https://evil.example", "</script>", "[x](y)", "|", "=cmd"])
TEXT = st.lists(st.one_of(st.text(max_size=12), HOSTILE), max_size=4).map("".join)
UNSAFE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


@st.composite
def hostile_results(draw: st.DrawFn) -> ScanResult:
    findings = []
    for index, finding in enumerate(SAMPLE.findings):
        name = draw(TEXT)
        resource = replace(finding.resource, name=name, account=draw(TEXT), id=f"id-{index}:{draw(TEXT)}")
        locations = tuple(FindingLocation(loc.kind, draw(st.one_of(st.none(), TEXT)), loc.countries, draw(TEXT),
                                          loc.provider) for loc in finding.locations)
        exemption = finding.exemption and replace(finding.exemption, owner=draw(TEXT), reason=draw(TEXT),
                                                  resource=draw(TEXT))
        findings.append(replace(finding, resource=resource, locations=locations, message=draw(TEXT),
                                remediation=draw(TEXT), exemption=exemption))
    extra = FindingLocation(PlacementKind.REPLICA, draw(TEXT), ("US",), draw(TEXT), Provider.AWS)
    findings[0] = replace(findings[0], locations=(*findings[0].locations, extra))
    meta = replace(SAMPLE.meta, scanned=(("aws", draw(TEXT)),),
                   account_gaps=(AccountGap(Provider.AWS, draw(TEXT), draw(TEXT)),), source="scan")
    return ScanResult(meta, tuple(findings), SAMPLE.policies)


def _no_acting_characters(output: str) -> None:
    """No control, format (bidi) or separator character survives, except our own line structure."""
    bad = {c for c in output if c not in "\n\r\t" and unicodedata.category(c) in UNSAFE}
    assert not bad, sorted(map(hex, map(ord, bad)))
    assert not any(line.lstrip().startswith("::") for line in output.splitlines())


def _check_text(output: str, result: ScanResult) -> None:
    _no_acting_characters(output)
    attention = sum(1 for f in result.findings if f.status.value in ("violation", "unverifiable"))
    assert len(output.splitlines()) >= attention + 1


def _check_json(output: str, result: ScanResult) -> None:
    schema = json.loads(resources.files("residency.formats").joinpath("report.schema.json").read_text())
    document = json.loads(output)
    jsonschema.validate(document, schema)
    assert [f["resource"]["name"] for f in document["findings"]] == [f.resource.name for f in result.findings]


def _check_sarif(output: str, result: ScanResult) -> None:
    log = json.loads(output)
    assert errors(sarif_validator(), log) == []
    for item in log["runs"][0]["results"]:
        assert not re.search(r"(?<!\\)(?:\\\\)*[\[\]]", item["message"]["text"])  # every bracket escaped
    _no_acting_characters(json.dumps(log, ensure_ascii=False))


def _check_junit(output: str, result: ScanResult) -> None:
    assert junit_errors(output) == []
    root = ET.fromstring(output)
    assert len(list(root.iter("testcase"))) == len({(f.policy_id, f.resource.id) for f in result.findings})
    _no_acting_characters(output)


def _check_markdown(output: str, result: ScanResult) -> None:
    _no_acting_characters(output)
    tokens = [t for block in GFM.parse(output) for t in [block, *(block.children or [])]]
    assert not any(t.type in ("link_open", "image") for t in tokens)
    html_blocks = {t.content.strip() for t in tokens if t.type in ("html_inline", "html_block")}
    assert html_blocks <= {"<br>", "<details><summary>", "</summary>", "</details>"} | {
        t for t in html_blocks if t.startswith("<details><summary>") and t.endswith("</summary>")}
    rows = [line for line in output.splitlines() if line.startswith("| ") and not line.startswith("| ---")]
    for row in rows:  # every row keeps exactly its four cells: no cloud text opened a column
        assert len(re.findall(r"(?<!\\)\|", row)) == 5, row
    rendered = GFM.render(output.replace("&#8203;", "\u200b"))
    assert not re.search(r"@\w", rendered) and "://" not in rendered


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.data: dict[str, str] = {}
        self._script: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._script = (dict(attrs).get("id") or "code") if tag == "script" else None

    def handle_data(self, data: str) -> None:
        if self._script:
            self.data[self._script] = self.data.get(self._script, "") + data


def _check_html(output: str, result: ScanResult) -> None:
    parser = _Tags()
    parser.feed(output)
    assert parser.tags.count("script") == 3 and "img" not in parser.tags and "iframe" not in parser.tags
    data = json.loads(parser.data["report-data"])
    assert len(data["findings"]) == len(result.findings)
    json.loads(parser.data["map-data"])


def _check_oscal(output: str, result: ScanResult) -> None:
    assert errors(oscal_validator(), json.loads(output)) == []


def _check_csv(output: str, result: ScanResult) -> None:
    rows = list(csv.reader(io.StringIO(output, newline="")))
    assert len(rows) == 1 + sum(max(1, len(f.locations)) for f in result.findings)
    assert len(output.splitlines()) == len(rows)  # one line per row: nothing to break a log or grep
    assert {len(row) for row in rows} == {len(rows[0])}
    _no_acting_characters(output)


CHECKS: dict[str, Any] = {"text": _check_text, "json": _check_json, "sarif": _check_sarif, "junit": _check_junit,
                          "markdown": _check_markdown, "html": _check_html, "oscal": _check_oscal, "csv": _check_csv}


def test_every_format_has_a_fuzz_check() -> None:
    assert set(CHECKS) == set(FORMATS)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_results())
def test_every_writer_output_is_accepted_by_its_consumer(result: ScanResult) -> None:
    for name, fmt in FORMATS.items():
        CHECKS[name](fmt.render(result, ReportContext()), result)
    gitlab = FORMATS["junit"].render(result, ReportContext(junit_flavor="gitlab"))
    ET.fromstring(gitlab)
    _no_acting_characters(gitlab)
