"""The engine's rules: stable ids, one documented meaning each.

Formats read this table (SARIF rule metadata, HTML help, docs); a test sweeps it so every
rule has a title, a doc string and a remediation hint.
"""

from __future__ import annotations

from dataclasses import dataclass

from residency.inventory.model import PlacementKind


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    title: str
    doc: str
    remediation: str


PRIMARY_OUTSIDE = Rule(
    "primary-outside",
    "Primary location outside the allowed locations",
    "The resource itself (bucket, account, database, snapshot ...) lives in a region whose country "
    "the policy does not allow (or explicitly denies). This holds even when it is empty now: it is "
    "where the next write lands, and \"empty\" is one moment's listing.",
    "Move the data to a resource in an allowed region, then delete this one; an empty one only needs "
    "deleting.",
)
REPLICA_OUTSIDE = Rule(
    "replica-outside",
    "Replica outside the allowed locations",
    "A replication target (S3 CRR/SRR rule, Azure object replication policy, Multi-Region "
    "Access Point member) places a copy of the data in a country the policy does not allow.",
    "Point the replication rule at a destination in an allowed region, or remove it; "
    "then delete the data already replicated (deletes are not replicated).",
)
SECONDARY_OUTSIDE = Rule(
    "secondary-outside",
    "Geo-redundant secondary outside the allowed locations",
    "The provider keeps a geo-redundant copy (Azure GRS/GZRS paired region) in a country "
    "the policy does not allow.",
    "Switch redundancy to LRS/ZRS, or move the account to a region whose pair is allowed.",
)
MEMBER_OUTSIDE = Rule(
    "member-outside",
    "Dual- or multi-region member outside the allowed locations",
    "The bucket's location is a dual-region or multi-region, and one of its member regions "
    "(or the multi-region itself) lies outside the allowed countries.",
    "Recreate the bucket in a single allowed region or an allowed dual-region, and move the data.",
)
RESIDUAL_OUTSIDE = Rule(
    "residual-outside",
    "Deleted data still present outside the allowed locations",
    "Data was deleted from a container outside the allowed locations but still exists: "
    "noncurrent versions, delete-marked objects, soft-deleted objects, or a soft-deleted "
    "container or account.",
    "Permanently delete noncurrent versions and soft-deleted copies (or let lifecycle "
    "expire them), and confirm nothing remains.",
)
RETENTION_BLOCKS_DELETION = Rule(
    "retention-blocks-deletion",
    "A retention lock blocks the required deletion",
    "The policy requires data outside the allowed locations to be deleted, but a retention "
    "lock (S3 Object Lock, GCS Bucket Lock, Azure immutability policy, legal hold) prevents it.",
    "Release the legal hold or wait for the retention period to end, then delete; record "
    "an exemption with the lock's end date meanwhile.",
)
COPY_OUTSIDE = Rule(
    "copy-outside",
    "Derived copy outside the allowed locations",
    "A derived copy of the data (a backup, snapshot, machine image, export or log destination) is, "
    "or will be made, in a country the policy does not allow; the copy inherits its source's data "
    "class.",
    "Delete the copy (or move it into an allowed region) and change what makes it: the backup plan's "
    "copy rule, the snapshot or image copy, the export target or the log subscription.",
)
LOCATION_UNVERIFIABLE = Rule(
    "location-unverifiable",
    "Location could not be verified",
    "The scanner could not prove where (some of) this data lives: access denied, an API "
    "error, an unknown region code, a location whose countries are not published, or a fact the "
    "scan that wrote the inventory did not collect. What cannot be proven is never reported as "
    "compliant.",
    "Grant the read-only permissions from `residency permissions`, or pin the data to a "
    "location whose countries are published.",
)
SCOPE_UNVERIFIABLE = Rule(
    "scope-unverifiable",
    "Possibly in scope, outside the allowed locations",
    "The resource's tags or labels could not be read (a deleted storage account keeps none), so "
    "whether this tag-scoped policy covers it is unknown, and some of its data lies outside the "
    "policy's allowed locations. Fail closed: it is reported, not assumed out of scope.",
    "Find out what the resource holds (restore or inspect it, check its owner) and delete it or "
    "record an exemption; tag resources so their data class survives deletion in your inventory.",
)
EXEMPTION_EXPIRED = Rule(
    "exemption-expired",
    "Exemption expired",
    "An exemption once covered this resource's violations, but its expiry date has passed, "
    "so the violations count again.",
    "Fix the violation, or renew the exemption with a new expiry date and a reason.",
)
LOCATIONS_ALLOWED = Rule(
    "locations-allowed",
    "All locations allowed",
    "Every counted place where this resource's data may live is allowed by the policy.",
    "Nothing to do.",
)

TRANSFER_NOT_COPIED = Rule(
    "transfer-not-copied",
    "Objects not transferred",
    "Per the inventory reports, the source still holds these objects (current versions) and the "
    "destination lacks them: the transfer is incomplete.",
    "Copy the listed keys (`--details`) to the destination, then verify again before deleting them.",
)
TRANSFER_LOST = Rule(
    "transfer-lost",
    "Objects deleted outside before they arrived",
    "The source no longer holds these objects current (only noncurrent versions, a delete marker or a "
    "soft-deleted copy, or nothing since an older report), and the destination lacks them: they were "
    "deleted outside before they were transferred.",
    "Restore each listed key from its noncurrent version or soft-deleted copy (or a backup) and copy it "
    "to the destination; only then delete it outside.",
)
TRANSFER_CONTENT_MISMATCH = Rule(
    "transfer-content-mismatch",
    "Transferred objects differ from the source",
    "Both sides hold these objects, with a different size or a different comparable checksum (MD5, "
    "CRC32C or CRC64): what arrived is not what left.",
    "Copy the listed keys again from the source's content and verify before deleting the source.",
)
TRANSFER_COPIED_NOT_DELETED = Rule(
    "transfer-copied-not-deleted",
    "Transferred objects not deleted outside",
    "The destination holds these objects with matching content, but the source still holds them "
    "current: the data was copied, not moved.",
    "Delete the listed keys at the source, including their versions, once the copies are verified.",
)
TRANSFER_RESIDUAL_VERSIONS = Rule(
    "transfer-residual-versions",
    "Deleted data still held outside after the transfer",
    "The source still holds noncurrent versions or soft-deleted copies (data outside the allowed "
    "country), although their objects were deleted or replaced.",
    "Permanently delete the noncurrent versions and soft-deleted copies at the source (or let a "
    "lifecycle rule expire them), then verify with a new inventory report.",
)
TRANSFER_CONTENT_UNVERIFIED = Rule(
    "transfer-content-unverified",
    "Transferred content could not be compared",
    "Both sides hold these objects with equal sizes (or the source holds only delete markers), but no "
    "checksum comparable across both reports exists (multipart or SSE-KMS ETags, a CRC32C against an "
    "MD5, a missing Content-MD5). Fail closed: not reported as moved.",
    "Include checksums in both inventory reports (ETag with EncryptionStatus, md5Hash or crc32c, "
    "Content-MD5), or verify the listed keys by reading them.",
)
TRANSFER_RESIDUAL_UNVERIFIABLE = Rule(
    "transfer-residual-unverifiable",
    "Deleted data outside cannot be ruled out",
    "The source's inventory report does not list noncurrent versions, delete markers or soft-deleted "
    "copies (S3 current-only, GCS, an Azure rule without versions, snapshots and deleted blobs), so it "
    "cannot prove that no deleted copy remains outside.",
    "Report all versions (S3 IncludedObjectVersions=All; an Azure rule including versions, snapshots "
    "and deleted blobs), or check the container with `residency scan --deep`.",
)
TRANSFER_INVENTORY_UNVERIFIABLE = Rule(
    "transfer-inventory-unverifiable",
    "An inventory report could not be read completely",
    "A manifest or one of its files is missing, unreadable, corrupt or does not match its checksum, so "
    "the transfer cannot be proven (never partially proven).",
    "Point FROM/TO at a complete report (the newest run that succeeded), with read access to the "
    "destination of the inventory and every file its manifest lists.",
)
TRANSFER_VERIFIED = Rule(
    "transfer-verified",
    "Transfer proven",
    "Every source object is at the destination with matching content, none remains current at the "
    "source, and the source report shows no noncurrent version or soft-deleted copy.",
    "Nothing to do.",
)
TRANSFER_RULES = (TRANSFER_NOT_COPIED, TRANSFER_LOST, TRANSFER_CONTENT_MISMATCH, TRANSFER_COPIED_NOT_DELETED,
                  TRANSFER_RESIDUAL_VERSIONS, TRANSFER_CONTENT_UNVERIFIED, TRANSFER_RESIDUAL_UNVERIFIABLE,
                  TRANSFER_INVENTORY_UNVERIFIABLE, TRANSFER_VERIFIED)

RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        PRIMARY_OUTSIDE,
        REPLICA_OUTSIDE,
        SECONDARY_OUTSIDE,
        MEMBER_OUTSIDE,
        RESIDUAL_OUTSIDE,
        COPY_OUTSIDE,
        RETENTION_BLOCKS_DELETION,
        LOCATION_UNVERIFIABLE,
        SCOPE_UNVERIFIABLE,
        EXEMPTION_EXPIRED,
        LOCATIONS_ALLOWED,
        *TRANSFER_RULES,
    )
}

RULE_FOR_KIND: dict[PlacementKind, Rule] = {
    PlacementKind.PRIMARY: PRIMARY_OUTSIDE,
    PlacementKind.REPLICA: REPLICA_OUTSIDE,
    PlacementKind.SECONDARY: SECONDARY_OUTSIDE,
    PlacementKind.MEMBER: MEMBER_OUTSIDE,
    PlacementKind.RESIDUAL: RESIDUAL_OUTSIDE,
    PlacementKind.DERIVED: COPY_OUTSIDE,
}

# Rules whose finding says data is where it must not be: a policy's own `remediation` (how to move
# or delete its data) is added to these, not to unverifiable or bookkeeping findings it does not fit.
DATA_OUTSIDE: frozenset[str] = frozenset({*(rule.id for rule in RULE_FOR_KIND.values()), RETENTION_BLOCKS_DELETION.id})
