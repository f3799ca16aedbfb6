"""`validate` refuses what any report writer would refuse: whatever it accepts, every format renders."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from residency.catalog import Catalog
from residency.errors import PolicyError
from residency.findings.model import ScanResult
from residency.formats import FORMATS
from residency.policy.loader import load_policies
from residency.policy.model import Policy
from residency.policy.plaintext import check_text
from residency.policy.positions import LineMap, PolicyLines
from scripts.report_sample import US_POLICY, sample_result

Write = Callable[[str, str | bytes], Path]


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar that loads as exactly `text`: anything not printable is escaped."""
    def escape(char: str) -> str:
        if char in '"\\':
            return "\\" + char
        if char.isprintable():
            return char
        return f"\\U{ord(char):08x}" if ord(char) > 0xFFFF else f"\\u{ord(char):04x}"
    return '"' + "".join(map(escape, text)) + '"'


def _policy_yaml(title: str, description: str, reason: str, owner: str) -> str:
    return f"""\
policies:
  - id: us-user-data
    title: {_quoted(title)}
    description: {_quoted(description)}
    severity: high
    scope: {{providers: [aws, gcp, azure], tags: {{data-class: us-user-data}}}}
    allowed: {{countries: [US]}}
    exemptions:
      - resource: "arn:aws:s3:::us-legacy-archive"
        reason: {_quoted(reason)}
        owner: {_quoted(owner)}
        expires: 2027-03-31
"""


def _render_all(policy: Policy) -> None:
    """Every format of the sample result, with the loaded policy in place of the sample's US policy."""
    sample = sample_result()
    exemption = policy.exemptions[0]
    findings = tuple(
        dataclasses.replace(f, exemption=exemption) if f.exemption is not None and f.policy_id == policy.id else f
        for f in sample.findings
    )
    policies = tuple(policy if p.id == US_POLICY.id else p for p in sample.policies)
    result = ScanResult(sample.meta, findings, policies)
    for fmt in FORMATS.values():
        fmt.render(result).encode("utf-8")


def _load(write: Write, catalog: Catalog, text: str) -> Policy:
    return load_policies([write("p.yaml", text)], catalog).policies[0]


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("title", "US data\nstays in the US", "p.yaml:3 at policies[0].title: must be one line, but holds the "
                                              "line break U+000A"),
        ("title", "US data\rstays", "title: must be one line, but holds the line break U+000D"),
        ("title", "US data\u2028stays", "title: must be one line, but holds the line break U+2028"),
        ("title", "\x1b[31mred", "title: holds the control character U+001B, which reports cannot show"),
        ("owner", "ops\x00@example.com", "exemptions[0].owner: holds the control character U+0000"),
        ("reason", "ticket\n42", "exemptions[0].reason: must be one line"),
        ("description", "first\x85second", "description: holds the line break U+0085; separate lines with a plain "
                                           "newline"),
    ],
)
def test_text_no_report_can_hold_is_refused_at_its_line(
    write: Write, catalog: Catalog, field: str, value: str, expected: str
) -> None:
    fields = {"title": "t", "description": "d", "reason": "r", "owner": "o", field: value}
    with pytest.raises(PolicyError) as caught:
        _load(write, catalog, _policy_yaml(fields["title"], fields["description"], fields["reason"], fields["owner"]))
    assert expected in str(caught.value) and "\n" not in str(caught.value)


def test_a_description_over_several_lines_is_fine_and_every_format_renders(write: Write, catalog: Catalog) -> None:
    policy = _load(write, catalog, _policy_yaml("US data\tstays", "line one\nline two\n", "r", "o"))
    assert policy.description == "line one line two"
    _render_all(policy)


def test_an_unpaired_surrogate_is_refused() -> None:
    # libyaml already refuses the escape; PyYAML's pure-Python parser (the fallback) does not.
    where = PolicyLines("p.yaml", LineMap())
    with pytest.raises(PolicyError, match=r"at policies\[0\].title: holds the unpaired surrogate U\+D800"):
        check_text({"policies": [{"title": "a\ud800b"}]}, where)
    with pytest.raises(PolicyError, match="holds the unpaired surrogate U\\+DC00"):
        check_text({"policies": [{"scope": {"tags": {"k\udc00": "v"}}}]}, where)


def test_a_number_longer_than_python_converts_is_one_line(write: Write, catalog: Catalog) -> None:
    with pytest.raises(PolicyError, match=r"p.yaml:2: a number of 5,000 characters is longer than any policy value"):
        _load(write, catalog, "policies:\n  - id: " + "9" * 5000 + "\n")


def test_account_patterns_are_ascii(write: Write, catalog: Catalog) -> None:
    text = _policy_yaml("t", "d", "r", "o").replace("providers: [aws, gcp, azure],",
                                                    'providers: [aws], accounts: ["12345678901٢"],')
    with pytest.raises(PolicyError, match=r"scope.accounts\[0\]: '12345678901٢' holds '٢' \(U\+0662\); account, "
                                          "project and subscription ids are ASCII"):
        _load(write, catalog, text)


# Any character, with the ones writers trip over drawn far more often than chance would.
_AWKWARD = st.sampled_from("\n\r\t\v\x00\x1b\x7f\x85\u2028\u202e\ud800\udfff\ufeff<&\"'`|*_[]# ")
_TEXT = st.text(alphabet=st.one_of(_AWKWARD, st.characters()), min_size=1, max_size=12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=_TEXT, description=_TEXT, reason=_TEXT, owner=_TEXT)
def test_whatever_validate_accepts_every_format_renders(
    write: Write, catalog: Catalog, title: str, description: str, reason: str, owner: str
) -> None:
    try:
        policy = _load(write, catalog, _policy_yaml(title, description, reason, owner))
    except PolicyError as error:
        assert "\n" not in str(error)
        return
    _render_all(policy)
