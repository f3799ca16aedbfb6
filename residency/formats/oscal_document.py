"""OSCAL assessment results (JSON) for auditors, streamed.

Mapping: each policy is a control (`reviewed-controls`); each cloud resource an inventory
item; each residency finding an observation (its locations are the relevant evidence, its
status, rule and severity props); each policy gets one OSCAL finding whose target status is
`satisfied` only when nothing in its scope is violated or unverifiable (unverifiable fails
closed; exempt findings are satisfied and say so in the remarks). The public controls each
rule evidences (FINOS CCC, CSA CCM, NIST SP 800-53, ISO/IEC 27701) are `mapped-control` props
of the policy's finding, each catalog a back-matter resource citing its source. Policy files
and their SHA-256 digests are a back-matter resource too. UUIDs are name-based (UUIDv5), so the
same scan gives the same document.

The document is written piece by piece (one observation per line): building OSCAL model
objects for a few hundred thousand findings took gigabytes. Its shape is checked against the
official NIST schema by the tests.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterator
from functools import lru_cache
from typing import Any, TextIO

from residency.findings.controls import CATALOGS, Catalog, controls_for
from residency.findings.model import Finding, ResourceRef, ScanResult, Status
from residency.findings.rules import RULES
from residency.formats._shared import fingerprints, policies_by_id, policy_ids
from residency.formats.jsonout import dumps, dumps_indented
from residency.formats.safe import inert

OSCAL_VERSION = "1.2.1"  # the shapes compliance-trestle 5 builds; the tests also parse the output with it
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:residency:oscal")
_NAMESPACE_BYTES = NAMESPACE.bytes
PROP_NS = "urn:residency:oscal"  # our own namespace for props (OSCAL reserves names without one)
_NOT_TOKEN = re.compile(r"[^\w.\-]", re.ASCII)


def uid(*parts: str) -> str:
    """uuid.uuid5(NAMESPACE, "\\x1f".join(parts)), without the UUID object (millions are made)."""
    digest = bytearray(hashlib.sha1(_NAMESPACE_BYTES + "\x1f".join(parts).encode("utf-8", "surrogatepass")).digest())
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    h = digest[:16].hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def token(text: str) -> str:
    """An OSCAL token (letter or underscore first, then letters, digits, '.', '-', '_')."""
    cleaned = _NOT_TOKEN.sub("-", text) or "_"
    return cleaned if cleaned[0].isalpha() or cleaned[0] == "_" else f"_{cleaned}"


def line(text: str) -> str:
    """OSCAL string and markup-line values: one line, no surrounding space, never empty."""
    return inert(text).strip() or "none"


def prop(name: str, value: str, cls: str | None = None) -> dict[str, str]:
    item = {"name": name, "ns": PROP_NS, "value": line(value)}
    if cls:
        item["class"] = cls
    return item


_repeated_prop = lru_cache(maxsize=16_384)(prop)  # accounts, kinds, providers recur across resources


@lru_cache(maxsize=8192)
def _shared_props(policy: str, rule: str, status: str, severity: str) -> tuple[dict[str, str], ...]:
    """The props most observations share (the same few policies, rules, statuses and severities)."""
    return (prop("policy", policy), prop("rule", rule), prop("status", status), prop("severity", severity))


@lru_cache(maxsize=65536)
def _evidence_of(kind: str, region: str | None, countries: tuple[str, ...] | None, reason: str) -> dict[str, Any]:
    """Evidence repeats across resources (same region, same reason): built once each."""
    place = ", ".join(countries) if countries else "unknown"
    return {
        "description": inert(f"{kind} copy in {region or 'an unknown region'} ({place}): {reason}"),
        "props": [prop("placement", kind), prop("region", region or "unknown"),
                  prop("countries", " ".join(countries) if countries else "unknown")],
    }


def write(result: ScanResult, out: TextIO) -> None:
    meta = result.meta
    digests = [d for _, d in meta.policy_files]
    plan = uid("policies", *digests)
    head = {
        "uuid": uid("assessment-results", meta.started_at, *digests),
        "metadata": {
            "title": "Data residency assessment results",
            "last-modified": meta.finished_at,
            "version": line(meta.tool_version),
            "oscal-version": OSCAL_VERSION,
            "props": [prop("tool", "residency"), prop("tool-version", meta.tool_version)],
        },
        "import-ap": {"href": f"#{plan}", "remarks": "No separate assessment plan: "
                      "the residency policy files in back-matter are the plan."},
    }
    out.write('{\n "assessment-results": ')
    out.write(_open_object(head))
    out.write(',\n  "results": [\n')
    _write_result(result, out)
    out.write("\n  ],\n  \"back-matter\": ")
    out.write(dumps({"resources": [_policy_files(result, plan), *(_catalog(c) for c in CATALOGS)]}))
    out.write("\n }\n}\n")


def _open_object(document: dict[str, Any]) -> str:
    """`document` as JSON without its closing brace, so more members can follow."""
    return dumps_indented(document).removesuffix("\n}")


def _write_result(result: ScanResult, out: TextIO) -> None:
    meta = result.meta
    ids = policy_ids(result)
    gaps = "; ".join(f"{g.provider.value} {g.account}: {g.reason}" for g in meta.account_gaps)
    head: dict[str, Any] = {
        "uuid": uid("result", meta.started_at),
        "title": line(f"residency {meta.source} of {', '.join(meta.providers) or 'no provider'}"),
        "description": "Where copies of each data class live (primary, replicas, geo-redundant secondaries, "
        "multi-region members, deleted-but-present data) compared with the residency policies.",
        "start": meta.started_at,
        "end": meta.finished_at,
        "props": [prop("source", meta.source), *(prop("scanned", f"{p} {a}") for p, a in meta.scanned)],
    }
    if gaps:
        head["remarks"] = inert(f"Not scanned: {gaps}.")
    out.write(_open_object(head))
    resources = {f.resource.id: f.resource for f in result.findings}
    subjects = {rid: uid("resource", rid) for rid in resources}
    if resources:
        out.write(',\n  "local-definitions": {"inventory-items": [')
        _stream(out, (_item(ref, subjects[ref.id]) for ref in resources.values()))
        out.write("]}")
    selection: dict[str, Any] = ({"include-controls": [{"control-id": token(p)} for p in ids]} if ids
                                 else {"include-all": {}})
    out.write(',\n  "reviewed-controls": ')
    out.write(dumps({"control-selections": [selection]}))
    prints = fingerprints(result)
    observation_uuids = [uid("observation", fingerprint) for fingerprint in prints]
    if result.findings:
        out.write(',\n  "observations": [')
        _stream(out, (_observation(f, meta.finished_at, u, p, subjects[f.resource.id])
                      for f, u, p in zip(result.findings, observation_uuids, prints, strict=True)))
        out.write("]")
    grouped: dict[str, list[int]] = {}
    for index, finding in enumerate(result.findings):
        grouped.setdefault(finding.policy_id, []).append(index)
    if ids:
        out.write(',\n  "findings": [')
        _stream(out, (_finding(p, [result.findings[i] for i in grouped.get(p, [])],
                               [observation_uuids[i] for i in grouped.get(p, [])], result) for p in ids))
        out.write("]")
    out.write("\n }")


def _stream(out: TextIO, items: Iterator[dict[str, Any]]) -> None:
    """One item a line, written in batches (many small writes cost more than the encoding)."""
    batch: list[str] = []
    first = True
    for item in items:
        batch.append(dumps(item))
        if len(batch) == 1_000:
            out.write(("\n   " if first else ",\n   ") + ",\n   ".join(batch))
            batch, first = [], False
    if batch:
        out.write(("\n   " if first else ",\n   ") + ",\n   ".join(batch))


def _item(ref: ResourceRef, item_uuid: str) -> dict[str, Any]:
    return {
        "uuid": item_uuid,
        "description": inert(f"{ref.kind} {ref.id}"),
        "props": [_repeated_prop("provider", ref.provider.value), _repeated_prop("account", ref.account),
                  prop("resource-id", ref.id), prop("resource-name", ref.name),
                  _repeated_prop("resource-kind", ref.kind)],
    }


def _observation(finding: Finding, collected: str, observation_uuid: str, fingerprint: str,
                 subject_uuid: str) -> dict[str, Any]:
    resource = finding.resource
    props = [*_shared_props(finding.policy_id, finding.rule_id, finding.status.value, finding.severity.value),
             {"name": "fingerprint", "ns": PROP_NS, "value": fingerprint}]
    if finding.baseline:
        props.append(prop("baseline", finding.baseline))
    if finding.exemption is not None:
        props.append(prop("exemption-owner", finding.exemption.owner))
        expires = finding.exemption.expires
        props.append(prop("exemption-expires", expires.isoformat() if expires else "never"))
    compliant = finding.status is Status.COMPLIANT
    observation: dict[str, Any] = {
        "uuid": observation_uuid,
        "title": line(f"{RULES[finding.rule_id].title}: {resource.name}"),
        "description": inert(finding.message) or "none",
        "props": props,
        "methods": ["TEST"],
        "types": ["control-objective" if compliant else "finding"],
        "subjects": [{"subject-uuid": subject_uuid, "type": "inventory-item",
                      "title": line(resource.name if resource.name.strip() else resource.id)}],
    }
    if finding.locations:
        observation["relevant-evidence"] = [_evidence_of(loc.kind.value, loc.region, loc.countries, loc.reason)
                                            for loc in finding.locations]
    observation["collected"] = collected
    if not compliant:
        observation["remarks"] = inert(finding.remediation) or "none"
    return observation


def _finding(policy_id: str, findings: list[Finding], observations: list[str], result: ScanResult) -> dict[str, Any]:
    counts = {status: 0 for status in Status}
    rules: dict[str, None] = {}
    for f in findings:
        counts[f.status] += 1
        rules.setdefault(f.rule_id)
    satisfied = not counts[Status.VIOLATION] and not counts[Status.UNVERIFIABLE]
    policy = policies_by_id(result).get(policy_id)
    summary = ", ".join(f"{n} {status.value}" for status, n in counts.items())
    exempt = [f for f in findings if f.status is Status.EXEMPT and f.exemption is not None]
    remarks = "; ".join(f"{f.resource.name} exempt ({f.exemption.reason}, owner {f.exemption.owner})"
                        for f in exempt if f.exemption)
    controls = {(c.catalog.key, c.id): c for rule in rules for c in controls_for(rule)}
    item: dict[str, Any] = {
        "uuid": uid("finding", policy_id),
        "title": line(policy.title if policy else policy_id),
        "description": inert(f"{policy.description if policy else policy_id} Result: {summary}."),
        "props": [*(prop(f"count-{status.value}", str(n)) for status, n in counts.items()),
                  *(prop("mapped-control", c.id, token(c.catalog.key)) for c in controls.values())],
        "links": [{"href": f"#{uid('catalog', catalog.key)}", "rel": "reference", "text": catalog.title}
                  for catalog in dict.fromkeys(c.catalog for c in controls.values())],
        "target": {"type": "objective-id", "target-id": token(policy_id),
                   "status": {"state": "satisfied" if satisfied else "not-satisfied"}},
    }
    if not item["links"]:
        del item["links"]
    if findings:
        item["related-observations"] = [{"observation-uuid": u} for u in observations]
    if remarks:
        item["remarks"] = inert(remarks)
    return item


def _policy_files(result: ScanResult, plan_uuid: str) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "uuid": plan_uuid,
        "title": "Residency policy files",
        "description": "The policy files this assessment evaluated, with their SHA-256 digests.",
    }
    links = [{"href": inert(path) or "policy", "hashes": [{"algorithm": "SHA-256", "value": digest}]}
             for path, digest in result.meta.policy_files]
    if links:
        resource["rlinks"] = links
    return resource


def _catalog(catalog: Catalog) -> dict[str, Any]:
    return {
        "uuid": uid("catalog", catalog.key),
        "title": catalog.title,
        "description": "A public control catalog the residency rules are mapped to (docs/reports.md).",
        "citation": {"text": f"{catalog.title}, {catalog.source}"},
        "rlinks": [{"href": catalog.source}],
    }
