"""Markdown PR comment: counts, violations by policy, a cap, and escaping of cloud-supplied text."""

from __future__ import annotations

from dataclasses import replace

from residency.findings.model import ResourceRef, ScanResult, Status
from residency.formats import markdown


def test_title_counts_every_status(sample: ScanResult) -> None:
    first = markdown.render(sample).splitlines()[0]
    assert first == "## Data residency: needs attention (5 violations, 2 unverifiable, 1 exempt, 3 compliant)"


def test_violations_are_grouped_under_their_policy_and_compliant_ones_left_out(sample: ScanResult) -> None:
    text = markdown.render(sample)
    us, eu = text.index("### us-user-data"), text.index("### eu-customer-data")
    assert us < text.index("us-user-profiles (aws") < eu < text.index("eu-ml-scratch (gcp")
    assert "us-metrics" not in text and "eu-orders" not in text
    assert "**Not scanned:** aws 444455556666: AccessDenied on sts:AssumeRole" in text


def test_rows_are_capped_with_a_count_of_the_rest(sample: ScanResult) -> None:
    template = sample.findings[0]
    many = tuple(
        replace(template, resource=ResourceRef(template.resource.provider, "1", f"arn:aws:s3:::b{i}", f"b{i}", "s3"))
        for i in range(markdown.MAX_ROWS + 7)
    )
    text = markdown.render(ScanResult(sample.meta, many, sample.policies))
    assert sum(1 for line in text.splitlines() if line.startswith("| **violation**")) == markdown.MAX_ROWS
    assert "_7 more finding(s) not shown here._" in text


def test_cloud_text_cannot_inject_markup_or_break_the_table(sample: ScanResult) -> None:
    evil = replace(sample.findings[0], message="x | <img src=x onerror=alert(1)> [link](http://evil) *b*\nnext")
    text = markdown.render(ScanResult(sample.meta, (evil,), sample.policies))
    row = next(line for line in text.splitlines() if line.startswith("| **violation**"))
    assert "<img" not in row and "&lt;img" in row
    assert row.count(" | ") == 3  # the escaped pipe did not open a fifth column
    assert "\\[link\\]" in row and "\\*b\\*" in row


def test_all_clear_when_nothing_needs_attention(sample: ScanResult) -> None:
    clean = ScanResult(sample.meta, tuple(f for f in sample.findings if f.status is Status.COMPLIANT), ())
    assert markdown.render(clean).startswith("## Data residency: all clear")
