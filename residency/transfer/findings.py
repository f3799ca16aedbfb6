"""A verified transfer as ordinary Findings (one per class that breaks the pledge) and a record.

The findings carry the policy's id and severity, so CI gates, SARIF, JUnit, OSCAL and the
HTML report show them like any other finding. Messages hold counts and container names,
never object keys: the keys are in the `--details` file.
"""

from __future__ import annotations

from residency.findings import rules
from residency.findings.model import Finding, InventoryRecord, ResourceRef, Status, TransferRecord
from residency.findings.rules import Rule
from residency.inventory.model import Provider
from residency.policy.model import Severity, SourceRef
from residency.transfer.model import DELETE_MARKERS, RESIDUAL_VERSIONS, Inventory, TransferClass, TransferResult

KIND = "object-transfer"
# What each class that breaks the pledge is reported as, in the order reports list them.
BREACHES: tuple[tuple[str, Rule, Status], ...] = (
    (TransferClass.LOST.value, rules.TRANSFER_LOST, Status.VIOLATION),
    (TransferClass.NOT_COPIED.value, rules.TRANSFER_NOT_COPIED, Status.VIOLATION),
    (TransferClass.CONTENT_MISMATCH.value, rules.TRANSFER_CONTENT_MISMATCH, Status.VIOLATION),
    (TransferClass.COPIED_NOT_DELETED.value, rules.TRANSFER_COPIED_NOT_DELETED, Status.VIOLATION),
    (RESIDUAL_VERSIONS, rules.TRANSFER_RESIDUAL_VERSIONS, Status.VIOLATION),
    (TransferClass.CONTENT_UNVERIFIED.value, rules.TRANSFER_CONTENT_UNVERIFIED, Status.UNVERIFIABLE),
)
_WHAT = {
    TransferClass.LOST.value: "were deleted at {src} before they arrived in {dst}",
    TransferClass.NOT_COPIED.value: "are still current in {src} and missing from {dst}",
    TransferClass.CONTENT_MISMATCH.value: "differ between {src} and {dst} (size or checksum)",
    TransferClass.COPIED_NOT_DELETED.value: "arrived in {dst} but are still current in {src}",
    RESIDUAL_VERSIONS: "noncurrent versions or soft-deleted copies remain in {src}",
    TransferClass.CONTENT_UNVERIFIED.value: "are in both {src} and {dst}, but no comparable checksum proves "
                                            "their content",
}


def human_bytes(count: int) -> str:
    size = float(count)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if size < 1024 or unit == "TiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{count} B"


def resource(source: str, destination: str, cloud: str, account: str) -> ResourceRef:
    return ResourceRef(Provider(cloud), account, f"{source} -> {destination}", f"{source} -> {destination}", KIND)


def _finding(result: TransferResult, rule: Rule, status: Status, message: str, severity: Severity,
             source_ref: SourceRef) -> Finding:
    src, dst = result.source, result.destination
    return Finding(result.policy_id or "transfer", rule.id, severity, status,
                   resource(src.container_url, dst.container_url, src.cloud.value, src.account), (),
                   f"{rule.title}: {message}", rule.remediation, source_ref)


def findings_for(result: TransferResult, severity: Severity, source_ref: SourceRef) -> list[Finding]:
    src, dst = result.source.container_url, result.destination.container_url
    summary, sizes = result.summary(), result.bytes_by_class()
    found = []
    for name, rule, status in BREACHES:
        if summary[name]:
            what = _WHAT[name].format(src=src, dst=dst)
            noun = "row(s)" if name == RESIDUAL_VERSIONS else "object(s)"
            details = f"; keys in {result.details_file}" if result.details_file and name != RESIDUAL_VERSIONS else ""
            message = f"{summary[name]} {noun} ({human_bytes(sizes[name])}) {what}{details}"
            found.append(_finding(result, rule, status, message, severity, source_ref))
    if not result.residual_verified:
        found.append(_finding(result, rules.TRANSFER_RESIDUAL_UNVERIFIABLE, Status.UNVERIFIABLE,
                              f"{src}: {result.residual_note}", severity, source_ref))
    if not found:
        moved = summary[TransferClass.MOVED.value]
        message = (f"{moved} object(s) ({human_bytes(sizes[TransferClass.MOVED.value])}) moved from {src} to {dst}, "
                   f"none left outside ({summary[DELETE_MARKERS]} delete marker(s) hold no data)")
        found.append(_finding(result, rules.TRANSFER_VERIFIED, Status.COMPLIANT, message, severity, source_ref))
    return found


def unreadable(label: str, cloud: str, reason: str, policy_id: str | None, severity: Severity,
               source_ref: SourceRef) -> Finding:
    """A transfer whose reports could not be read completely: unverifiable, never compliant."""
    source, _, destination = label.partition(" -> ")
    rule = rules.TRANSFER_INVENTORY_UNVERIFIABLE
    return Finding(policy_id or "transfer", rule.id, severity, Status.UNVERIFIABLE,
                   resource(source, destination, cloud, ""), (), f"{rule.title}: {reason}", rule.remediation,
                   source_ref)


def _inventory(role: str, inv: Inventory) -> InventoryRecord:
    return InventoryRecord(role, inv.location, inv.cloud.value, inv.container_url, inv.taken_at,
                           inv.file_format.value, len(inv.shards), inv.rows or 0, inv.versions_listed)


def record_for(result: TransferResult) -> TransferRecord:
    inventories = (*(_inventory("from", inv) for inv in result.sources), _inventory("to", result.destination))
    return TransferRecord(
        policy_id=result.policy_id or "transfer", source=result.source.container_url,
        destination=result.destination.container_url, engine=result.engine,
        summary=tuple(result.summary().items()), bytes=tuple(result.bytes_by_class().items()),
        inventories=inventories, residual_verified=result.residual_verified, residual_note=result.residual_note,
        prefix_map=tuple((m.source, m.destination) for m in result.prefix_map), details_file=result.details_file,
        seconds=result.seconds,
    )
