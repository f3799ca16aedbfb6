"""The HTML report's findings as compact JSON, which the page renders a page of rows at a time.

Writing every finding and location as table rows made a 47,250-resource report 101 MB, and
Chromium needed minutes and ~10 GB to lay it out. Instead the findings travel once, as data:
strings are interned in one table (messages, reasons and remediations repeat across
thousands of resources once the resource's own name is taken out of them), a resource id is
stored as a shared prefix plus the resource's name when it has that shape (`arn:aws:s3:::` +
name), and the script builds only the rows on screen. Every string is made inert first.

Layout (positional arrays keep the file small):
    strings:   [str, ...]
    resources: [[name, account, provider, kind, id], ...]  id: string index of a prefix to
               which the name is appended (int), or the whole id (str)
    findings:  [[resource, policy, rule, status, severity, message, remediation, baseline,
                 [[kind, region, countries, reason], ...]], ...]  (-1 = unknown)
In messages, NAME_MARK stands for the resource's name.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TextIO

from residency.findings.model import STATUS_ORDER, Finding, ScanResult
from residency.formats._shared import policy_ids
from residency.formats.jsonout import dumps
from residency.formats.safe import inert, truncate
from residency.policy.model import SEVERITY_ORDER

NAME_MARK = "\x01"  # never in inert text (controls are escaped), so it cannot be forged by a name
MAX_TEXT = 2_000
_BASELINE = {None: 0, "new": 1, "existing": 2}
# JSON inside <script type="application/json">: "</script" or "<!--" must never appear in it.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


class _Strings:
    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def __call__(self, text: str) -> int:
        found = self.index.get(text)
        if found is None:
            found = self.index[text] = len(self.index)
        return found


def write_data(result: ScanResult, out: TextIO) -> None:
    """Stream the data object: strings last, since rows intern them as they are written."""
    strings = _Strings()
    resources: dict[str, int] = {}
    policies = {policy_id: i for i, policy_id in enumerate(policy_ids(result))}
    out.write('{"statuses":')
    out.write(dumps([s.value for s in STATUS_ORDER]))
    out.write(',"severities":')
    out.write(dumps([s.value for s in SEVERITY_ORDER]))
    out.write(',"policies":')
    out.write(_safe(dumps([inert(p) for p in policies])))
    out.write(',"findings":[')
    resource_rows: list[list[Any]] = []
    places: dict[tuple[Any, ...], list[int]] = {}
    batch: list[list[Any]] = []
    separator = ""
    for finding in result.findings:
        batch.append(_finding(finding, strings, resources, resource_rows, policies, places))
        if len(batch) == 1_000:
            out.write(separator + _safe(dumps(batch)[1:-1]))
            batch, separator = [], ","
    if batch:
        out.write(separator + _safe(dumps(batch)[1:-1]))
    out.write('],"resources":[')
    _write_rows(out, iter(resource_rows))
    out.write('],"strings":[')
    _write_rows(out, iter(strings.index))
    out.write("]}")


def _write_rows(out: TextIO, rows: Iterator[Any]) -> None:
    separator = ""
    batch: list[Any] = []
    for row in rows:
        batch.append(row)
        if len(batch) == 1_000:
            out.write(separator + _safe(dumps(batch)[1:-1]))
            batch, separator = [], ","
    if batch:
        out.write(separator + _safe(dumps(batch)[1:-1]))


def _safe(text: str) -> str:
    return text.translate(_SCRIPT_SAFE)


def _finding(finding: Finding, strings: _Strings, resources: dict[str, int], resource_rows: list[list[Any]],
             policies: dict[str, int], places: dict[tuple[Any, ...], list[int]]) -> list[Any]:
    resource = finding.resource
    name = inert(resource.name)
    position = resources.get(resource.id)
    if position is None:
        position = resources[resource.id] = len(resource_rows)
        rid = inert(resource.id)
        id_spec: int | str = strings(rid[: -len(name)]) if name and rid.endswith(name) else rid
        resource_rows.append([strings(name), strings(inert(resource.account)), strings(resource.provider.value),
                              strings(inert(resource.kind)), id_spec])
    message = truncate(inert(finding.message), MAX_TEXT)
    if len(name) >= 3:
        message = message.replace(name, NAME_MARK)
    locations = []
    for loc in finding.locations:
        key = (loc.kind, loc.region, loc.countries, loc.reason)
        encoded = places.get(key)
        if encoded is None:  # the same place and reason recur across thousands of resources
            encoded = places[key] = [
                strings(loc.kind.value), strings(inert(loc.region)) if loc.region else -1,
                strings(", ".join(loc.countries)) if loc.countries else -1,
                strings(truncate(inert(loc.reason), MAX_TEXT))]
        locations.append(encoded)
    return [position, policies[finding.policy_id], strings(finding.rule_id), STATUS_ORDER.index(finding.status),
            SEVERITY_ORDER.index(finding.severity), strings(message),
            strings(truncate(inert(finding.remediation), MAX_TEXT)), _BASELINE.get(finding.baseline, 0), locations]
