"""What a transfer verification reads and produces: plain frozen data, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class TransferClass(StrEnum):
    """Every source key (after the prefix map) falls in exactly one of these."""

    MOVED = "moved"
    COPIED_NOT_DELETED = "copied-not-deleted"
    NOT_COPIED = "not-copied"
    LOST = "lost"
    CONTENT_MISMATCH = "content-mismatch"
    CONTENT_UNVERIFIED = "content-unverified"


# The summary's keys, in the order the JSON report writes them (issue: exactly these keys).
RESIDUAL_VERSIONS = "residual-versions"
DELETE_MARKERS = "delete-markers"
SUMMARY_KEYS = (*(c.value for c in TransferClass), RESIDUAL_VERSIONS, DELETE_MARKERS)


class FileFormat(StrEnum):
    CSV = "CSV"
    PARQUET = "Parquet"
    ORC = "ORC"


class Cloud(StrEnum):
    """The provider whose inventory report this is (same values as inventory.model.Provider)."""

    AWS = "aws"
    GCP = "gcp"
    AZURE = "azure"


@dataclass(frozen=True, slots=True)
class CsvLayout:
    header: bool  # the first line names the columns (GCS when configured, Azure always)
    delimiter: str = ","
    multiline: bool = False  # quoted values may hold line breaks (GCS and Azure names are not encoded)


@dataclass(frozen=True, slots=True)
class Inventory:
    """One inventory report, checked and fetched to local files, ready for an engine.

    `columns` pairs each column as the files name it with the canonical name the SQL uses
    ("" for a column the classes do not need); for CSV the order is the files' order.
    """

    cloud: Cloud
    container: str  # S3 bucket, GCS bucket, Azure container
    account: str  # Azure storage account; "" for S3 and GCS
    location: str  # the manifest as given or found (path or URL)
    taken_at: str  # ISO 8601 UTC: when the report's snapshot began
    file_format: FileFormat
    columns: tuple[tuple[str, str], ...]
    shards: tuple[Path, ...]
    versions_listed: bool  # noncurrent versions, delete markers and soft-deleted copies are rows
    versions_note: str  # why not, when not: what the report left out
    csv: CsvLayout | None = None
    expected_rows: int | None = None  # the manifest's own row count, checked against the files
    rows: int | None = None  # counted by the engine

    @property
    def container_url(self) -> str:
        if self.cloud is Cloud.AWS:
            return f"s3://{self.container}"
        if self.cloud is Cloud.GCP:
            return f"gs://{self.container}"
        return f"azure://{self.account}/{self.container}"

    @property
    def canonical(self) -> frozenset[str]:
        return frozenset(name for _, name in self.columns if name)


@dataclass(frozen=True, slots=True)
class PrefixMap:
    source: str
    destination: str


@dataclass(frozen=True, slots=True)
class ClassCount:
    objects: int = 0
    bytes: int = 0


@dataclass(frozen=True, slots=True)
class EngineCounts:
    """What an engine returns: counts by class, residual rows, raw row counts per inventory."""

    classes: dict[str, ClassCount]
    residual: ClassCount
    delete_markers: int
    rows: tuple[int, ...]  # per inventory: sources in order, then the destination
    keyless: tuple[int, ...] = ()  # rows without a key, per inventory: a corrupt report


@dataclass(frozen=True, slots=True)
class TransferResult:
    """One verified transfer: FROM (oldest first) -> TO, and what the engine counted."""

    sources: tuple[Inventory, ...]
    destination: Inventory
    prefix_map: tuple[PrefixMap, ...]
    counts: EngineCounts
    residual_verified: bool  # False: the source report cannot show noncurrent copies
    residual_note: str
    engine: str
    policy_id: str | None = None
    details_file: str | None = None
    seconds: float = 0.0
    notes: tuple[str, ...] = field(default=())

    @property
    def source(self) -> Inventory:
        """The newest source report: what the source holds now."""
        return self.sources[-1]

    def summary(self) -> dict[str, int]:
        counts = {c.value: self.counts.classes.get(c.value, ClassCount()).objects for c in TransferClass}
        counts[RESIDUAL_VERSIONS] = self.counts.residual.objects
        counts[DELETE_MARKERS] = self.counts.delete_markers
        return {key: counts[key] for key in SUMMARY_KEYS}

    def bytes_by_class(self) -> dict[str, int]:
        sizes = {c.value: self.counts.classes.get(c.value, ClassCount()).bytes for c in TransferClass}
        sizes[RESIDUAL_VERSIONS] = self.counts.residual.bytes
        return sizes
