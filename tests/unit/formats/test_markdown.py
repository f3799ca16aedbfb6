"""Markdown PR comment: counts, violations by policy, a cap, and escaping of cloud-supplied text."""

from __future__ import annotations

import re
from dataclasses import replace

from markdown_it import MarkdownIt

from residency.findings.model import ResourceRef, ScanMeta, ScanResult, Status
from residency.formats import markdown
from residency.inventory.model import AccountGap, Provider

GFM = MarkdownIt("commonmark").enable("table")


def test_title_counts_every_status(sample: ScanResult) -> None:
    first = markdown.render(sample).splitlines()[0]
    assert first == "## Data residency: needs attention (5 violations, 2 unverifiable, 1 exempt, 3 compliant)"


def test_violations_are_grouped_under_their_policy_and_compliant_ones_left_out(sample: ScanResult) -> None:
    text = markdown.render(sample)
    us, eu = text.index("### us-user-data"), text.index("### eu-customer-data")
    assert us < text.index("us-user-profiles (aws") < eu < text.index("eu-ml-scratch (gcp")
    assert "us-metrics" not in text and "eu-orders" not in text
    assert "**Not scanned (1):** aws 444455556666: AccessDenied on sts:AssumeRole" in text


def test_rows_are_capped_with_a_count_of_the_rest(sample: ScanResult) -> None:
    template = sample.findings[0]
    many = tuple(
        replace(template, resource=ResourceRef(template.resource.provider, "1", f"arn:aws:s3:::b{i}", f"b{i}", "s3"))
        for i in range(markdown.MAX_ROWS + 7)
    )
    text = markdown.render(ScanResult(sample.meta, many, sample.policies))
    assert sum(1 for line in text.splitlines() if line.startswith("| **violation**")) == markdown.MAX_ROWS
    assert "_7 more finding(s) needing attention are not shown here._" in text


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


def _tokens(text: str) -> list[str]:
    return [t.type for block in GFM.parse(text) for t in [block, *(block.children or [])]]


def test_cloud_text_cannot_mention_reference_or_link(sample: ScanResult) -> None:
    evil = replace(sample.findings[0], message="ping @octocat and @org/team, see #12, https://evil.example/x "
                                                "www.evil.example a@b.example",
                   resource=replace(sample.findings[0].resource, name="@admin"))
    text = markdown.render(ScanResult(sample.meta, (evil,), sample.policies))
    row = next(line for line in text.splitlines() if line.startswith("| **violation**"))
    rendered = GFM.render(row.replace("&#8203;", "\u200b"))
    assert not re.search(r"@\w", rendered) and "://" not in rendered and "www." not in rendered
    assert not re.search(r"#\d", rendered)
    assert "link" not in _tokens(text) and "html_inline" not in [t for t in _tokens(row)]
    assert "@&#8203;octocat" in row and "https:&#8203;//evil" in row


def test_control_and_bidi_characters_are_escaped_visibly(sample: ScanResult) -> None:
    evil = replace(sample.findings[0], message="a\u202eb\x1b[2Jc\n::error::x")
    text = markdown.render(ScanResult(sample.meta, (evil,), sample.policies))
    assert "\u202e" not in text and "\x1b" not in text and "\\u202e" in text
    assert not any(line.startswith("::") for line in text.splitlines())


def _huge(sample: ScanResult, accounts: int, findings: int) -> ScanResult:
    meta = replace(sample.meta,
                   scanned=tuple(("aws", f"{n:012d}") for n in range(accounts)),
                   account_gaps=tuple(AccountGap(Provider.AWS, f"9{n:011d}", "AccessDenied " * 20)
                                      for n in range(accounts)),
                   policy_files=tuple((f"policies/p{n}.yaml", "c" * 64) for n in range(200)))
    template = sample.findings[0]
    many = tuple(replace(template, message="m" * 3_000, resource=replace(template.resource, name=f"b{i}" * 40))
                 for i in range(findings))
    return ScanResult(meta, many, sample.policies)


def test_bounded_under_githubs_comment_limit_at_any_size(sample: ScanResult) -> None:
    text = markdown.render(_huge(sample, accounts=3_000, findings=5_000))
    assert len(text) < 65_536 and len(text.encode()) <= markdown.MAX_BYTES
    assert "3,000 accounts (aws 3,000)" in text
    assert "and 2,990 more accounts (the JSON report lists them)" in text
    assert "and 190 more files" in text
    assert re.search(r"_[\d,]+ more finding\(s\) needing attention are not shown here\._", text)
    assert text.rstrip().endswith("`residency scan ... --format html --output residency.html`._")


def test_scan_meta_fields_are_all_escaped(sample: ScanResult) -> None:
    meta: ScanMeta = replace(sample.meta, source="snapshot:@evil\n::error::x")
    text = markdown.render(ScanResult(meta, sample.findings, sample.policies))
    assert "@&#8203;evil" in text and "\n::error" not in text
