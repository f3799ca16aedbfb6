"""OSCAL assessment results (JSON) for auditors, built with compliance-trestle's OSCAL models.

Mapping: each policy is a control (`reviewed-controls`); each cloud resource an inventory
item; each residency finding an observation (its locations are the relevant evidence, its
status, rule and severity props); each policy gets one OSCAL finding whose target status
is `satisfied` only when nothing in its scope is violated or unverifiable (unverifiable
fails closed; exempt findings are satisfied and say so in the remarks). Policy files and
their SHA-256 digests are back-matter resources. UUIDs are name-based (UUIDv5), so the
same scan gives the same document.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

from trestle.oscal import OSCAL_VERSION, common
from trestle.oscal import assessment_results as ar

from residency.findings.model import Finding, FindingLocation, ResourceRef, ScanResult, Status
from residency.findings.rules import RULES
from residency.formats._shared import by_policy, countries_label, one_line, policies_by_id, policy_ids

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:residency:oscal")
PROP_NS = "urn:residency:oscal"  # our own namespace for props (OSCAL reserves names without one)
_NOT_TOKEN = re.compile(r"[^\w.\-]")


def render(result: ScanResult) -> str:
    # wrapped: {"assessment-results": {...}}, the document root the schema expects
    return assessment_results(result).oscal_serialize_json(pretty=True, wrapped=True) + "\n"


def assessment_results(result: ScanResult) -> ar.AssessmentResults:
    meta = result.meta
    plan = _uid("policies", *[digest for _, digest in meta.policy_files])
    return ar.AssessmentResults(
        uuid=_uid("assessment-results", meta.started_at, *[d for _, d in meta.policy_files]),
        metadata=common.Metadata(
            title="Data residency assessment results",
            last_modified=_time(meta.finished_at),
            version=meta.tool_version,
            oscal_version=OSCAL_VERSION,
            props=[_prop("tool", "residency"), _prop("tool-version", meta.tool_version)],
        ),
        import_ap=ar.ImportAp(
            href=f"#{plan}",
            remarks="No separate assessment plan: the residency policy files in back-matter are the plan.",
        ),
        results=[_result(result)],
        back_matter=common.BackMatter(resources=[_policy_files(result, plan)]),
    )


def _uid(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "\x1f".join(parts)))


def _time(iso: str) -> dt.datetime:
    return dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))


def token(text: str) -> str:
    """An OSCAL token (letter or underscore first, then letters, digits, '.', '-', '_')."""
    cleaned = _NOT_TOKEN.sub("-", text) or "_"
    return cleaned if cleaned[0].isalpha() or cleaned[0] == "_" else f"_{cleaned}"


def _prop(name: str, value: str) -> common.Property:
    return common.Property(name=name, ns=PROP_NS, value=one_line(value) or "none")


def _result(result: ScanResult) -> ar.Result:
    meta = result.meta
    grouped = by_policy(result.findings)
    ids = policy_ids(result)
    gaps = "; ".join(f"{g.provider.value} {g.account}: {g.reason}" for g in meta.account_gaps)
    return ar.Result(
        uuid=_uid("result", meta.started_at),
        title=f"residency {meta.source} of {', '.join(meta.providers) or 'no provider'}",
        description="Where copies of each data class live (primary, replicas, geo-redundant secondaries, "
        "multi-region members, deleted-but-present data) compared with the residency policies.",
        start=_time(meta.started_at),
        end=_time(meta.finished_at),
        props=[_prop("source", meta.source), *(_prop("scanned", f"{p} {a}") for p, a in meta.scanned)],
        local_definitions=_inventory(result.findings) if result.findings else None,
        reviewed_controls=common.ReviewedControls(
            control_selections=[
                common.ControlSelections(
                    include_controls=[common.SelectControlById(control_id=token(p)) for p in ids]
                )
            ]
            if ids
            else [common.ControlSelectionsAll(include_all=common.IncludeAll())]
        ),
        observations=[_observation(f, meta.finished_at) for f in result.findings] or None,
        findings=[_finding(p, grouped.get(p, []), result) for p in ids] or None,
        remarks=f"Not scanned: {gaps}." if gaps else None,
    )


def _inventory(findings: tuple[Finding, ...]) -> ar.LocalDefinitions1:
    resources = {f.resource.id: f.resource for f in findings}
    return ar.LocalDefinitions1(inventory_items=[_item(ref) for ref in resources.values()])


def _item(ref: ResourceRef) -> common.InventoryItem:
    return common.InventoryItem(
        uuid=_uid("resource", ref.id),
        description=f"{ref.kind} {ref.id}",
        props=[
            _prop("provider", ref.provider.value),
            _prop("account", ref.account),
            _prop("resource-id", ref.id),
            _prop("resource-name", ref.name),
            _prop("resource-kind", ref.kind),
        ],
    )


def _observation(finding: Finding, collected: str) -> common.Observation:
    resource = finding.resource
    props = [
        _prop("policy", finding.policy_id),
        _prop("rule", finding.rule_id),
        _prop("status", finding.status.value),
        _prop("severity", finding.severity.value),
        _prop("fingerprint", finding.fingerprint),
    ]
    if finding.baseline:
        props.append(_prop("baseline", finding.baseline))
    if finding.exemption is not None:
        props.append(_prop("exemption-owner", finding.exemption.owner))
        expires = finding.exemption.expires
        props.append(_prop("exemption-expires", expires.isoformat() if expires else "never"))
    compliant = finding.status is Status.COMPLIANT
    return common.Observation(
        uuid=_uid("observation", finding.fingerprint),
        title=f"{RULES[finding.rule_id].title}: {resource.name}",
        description=finding.message,
        props=props,
        methods=["TEST"],
        types=["control-objective" if compliant else "finding"],
        subjects=[common.SubjectReference(subject_uuid=_uid("resource", resource.id), type="inventory-item",
                                          title=one_line(resource.name) or resource.id)],
        relevant_evidence=[_evidence(loc) for loc in finding.locations] or None,
        collected=_time(collected),
        remarks=None if compliant else finding.remediation,
    )


def _evidence(location: FindingLocation) -> common.RelevantEvidence:
    return common.RelevantEvidence(
        description=f"{location.kind.value} copy in {location.region or 'an unknown region'} "
        f"({countries_label(location)}): {location.reason}",
        props=[
            _prop("placement", location.kind.value),
            _prop("region", location.region or "unknown"),
            _prop("countries", " ".join(location.countries) if location.countries else "unknown"),
        ],
    )


def _finding(policy_id: str, findings: list[Finding], result: ScanResult) -> common.Finding:
    counts = {status: sum(1 for f in findings if f.status is status) for status in Status}
    satisfied = not counts[Status.VIOLATION] and not counts[Status.UNVERIFIABLE]
    policy = policies_by_id(result).get(policy_id)
    summary = ", ".join(f"{n} {status.value}" for status, n in counts.items())
    exempt = [f for f in findings if f.status is Status.EXEMPT and f.exemption is not None]
    remarks = "; ".join(
        f"{f.resource.name} exempt ({f.exemption.reason}, owner {f.exemption.owner})" for f in exempt if f.exemption
    )
    return common.Finding(
        uuid=_uid("finding", policy_id),
        title=policy.title if policy else policy_id,
        description=f"{policy.description if policy else policy_id} Result: {summary}.",
        props=[_prop(f"count-{status.value}", str(n)) for status, n in counts.items()],
        target=common.FindingTarget(
            type="objective-id",
            target_id=token(policy_id),
            status=common.ObjectiveStatus(state="satisfied" if satisfied else "not-satisfied"),
        ),
        related_observations=[
            common.RelatedObservation(observation_uuid=_uid("observation", f.fingerprint)) for f in findings
        ]
        or None,
        remarks=remarks or None,
    )


def _policy_files(result: ScanResult, plan_uuid: str) -> common.Resource:
    return common.Resource(
        uuid=plan_uuid,
        title="Residency policy files",
        description="The policy files this assessment evaluated, with their SHA-256 digests.",
        rlinks=[
            common.Rlink(href=path, hashes=[common.Hash(algorithm="SHA-256", value=digest)])
            for path, digest in result.meta.policy_files
        ]
        or None,
    )
