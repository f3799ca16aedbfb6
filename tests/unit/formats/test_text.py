"""Text output: every location's kind shown, whole lines in pipes, fits a narrow terminal, provenance."""

from __future__ import annotations

from dataclasses import replace

from residency.findings.model import ScanResult, Status
from residency.formats import text
from residency.inventory.model import PlacementKind


def test_every_location_shows_its_kind(sample: ScanResult) -> None:
    rendered = text.render(sample)
    finding = next(f for f in sample.findings if f.locations and f.status is Status.VIOLATION)
    location = finding.locations[0]
    assert f"{location.region} ({','.join(location.countries or ('?',))}) {location.kind.value}" in rendered
    assert all(kind.value in rendered for kind in (PlacementKind.PRIMARY, PlacementKind.REPLICA))


def test_plain_output_is_one_line_per_finding(sample: ScanResult) -> None:
    lines = text.render(sample).splitlines()
    attention = [f for f in sample.findings if f.status is not Status.COMPLIANT]
    assert lines[0].split() == ["STATUS", "SEVERITY", "POLICY", "RULE", "RESOURCE", "WHERE"]
    for finding, line in zip(attention, lines[1:], strict=False):
        assert line.split()[:4] == [finding.status.value, finding.severity.value, finding.policy_id, finding.rule_id]
    assert not any(set(line) & set("┃│┏━") for line in lines)


def test_terminal_of_80_columns_gets_lines_that_fit(sample: ScanResult) -> None:
    narrow = text.render_terminal(sample, 80)
    body = narrow.split("not scanned:")[0].splitlines()
    assert body and all(len(line) <= 80 for line in body)
    assert "us-user-profiles" in narrow and "replica" in narrow


def test_markup_in_cloud_names_is_printed_as_written(sample: ScanResult) -> None:
    finding = sample.findings[0]
    odd = replace(finding, resource=replace(finding.resource, name="[bold]odd[/bold]"))
    result = ScanResult(sample.meta, (odd,), sample.policies)
    assert "[bold]odd[/bold]" in text.render_terminal(result, 200)


def test_provenance_is_in_the_text_report(sample: ScanResult) -> None:
    rendered = text.render(sample)
    meta = sample.meta
    assert f"residency {meta.tool_version}" in rendered and meta.finished_at in rendered
    assert all(f"{path} sha256:{digest}" in rendered for path, digest in meta.policy_files)
    assert all(f"{provider}:{account}" in rendered for provider, account in meta.scanned)


def test_cloud_names_cannot_start_a_workflow_command_or_a_terminal_escape(sample: ScanResult) -> None:
    from dataclasses import replace

    from residency.formats import text

    first = sample.findings[0]
    odd = replace(first, resource=replace(first.resource, name="b\n::error::pwned\x1b]0;t\x07\u202e"))
    for output in (text.render(ScanResult(sample.meta, (odd,), sample.policies)),
                   text.render_terminal(ScanResult(sample.meta, (odd,), sample.policies), 80)):
        assert not any(line.startswith("::") for line in output.splitlines())
        assert "\x1b" not in output and "\u202e" not in output and "\\n::error::pwned\\x1b]0;t\\x07\\u202e" in output
