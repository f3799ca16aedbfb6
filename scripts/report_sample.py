"""A fixed, realistic scan result: the golden-file tests and `make report-shot` render it.

It covers every status, an active and an expired exemption, an account that could not be
scanned, findings with several locations (replica + geo-redundant secondary, a multi-region
spanning many countries, an unknown region), three providers and baseline markers.
Built by hand rather than by the engine so report tests do not move when engine wording does.
"""

from __future__ import annotations

import datetime as dt

from residency.findings.model import Finding, FindingLocation, ResourceRef, ScanMeta, ScanResult, Status
from residency.inventory.model import AccountGap, PlacementKind, Provider
from residency.policy.model import Exemption, LocationSet, Policy, Scope, Severity, SourceRef

US_FILE = "policies/us-user-data.yaml"
EU_FILE = "policies/eu-customer-data.yaml"
EU = ("AT", "BE", "DE", "FI", "FR", "IE", "NL", "SE")

ARCHIVE_EXEMPTION = Exemption(
    "arn:aws:s3:::us-legacy-archive", 'Legal hold for case #42 & "Q3" audit', "legal@example.com",
    dt.date(2027, 3, 31), SourceRef(US_FILE, 31),
)
EXPIRED_EXEMPTION = Exemption(
    "gs://eu-ml-scratch", "Migration to europe-west4", "ml-platform@example.com",
    dt.date(2026, 6, 30), SourceRef(EU_FILE, 24),
)

US_POLICY = Policy(
    id="us-user-data",
    title="US users' data stays in the United States",
    description="Data of US users is transferred to and remains in the United States, "
    "and is deleted from servers outside the country after it is transferred.",
    severity=Severity.HIGH,
    scope=Scope(frozenset(Provider), tags=(("data-class", ("us-user-data",)),)),
    allowed=LocationSet(countries=frozenset({"US"})),
    denied=None,
    exemptions=(ARCHIVE_EXEMPTION,),
    source=SourceRef(US_FILE, 4),
)
EU_POLICY = Policy(
    id="eu-customer-data",
    title="EU customer data stays in the EU",
    description="Customer records of EU residents stay within EU member states.",
    severity=Severity.MEDIUM,
    scope=Scope(frozenset({Provider.GCP, Provider.AZURE}), tags=(("data-class", ("eu-customer",)),)),
    allowed=LocationSet(groups=frozenset({"eu"})),
    denied=LocationSet(countries=frozenset({"CN", "RU"})),
    counts=frozenset({PlacementKind.PRIMARY, PlacementKind.REPLICA, PlacementKind.MEMBER}),
    exemptions=(EXPIRED_EXEMPTION,),
    source=SourceRef(EU_FILE, 2),
)


def _ref(provider: Provider, account: str, rid: str, name: str, kind: str) -> ResourceRef:
    return ResourceRef(provider, account, rid, name, kind)


def _loc(kind: PlacementKind, region: str | None, countries: tuple[str, ...] | None, reason: str,
         provider: Provider) -> FindingLocation:
    return FindingLocation(kind, region, countries, reason, provider)


AWS_ACCOUNT = "111122223333"
PROFILES = _ref(Provider.AWS, AWS_ACCOUNT, "arn:aws:s3:::us-user-profiles", "us-user-profiles", "s3-bucket")
ARCHIVE = _ref(Provider.AWS, AWS_ACCOUNT, "arn:aws:s3:::us-legacy-archive", "us-legacy-archive", "s3-bucket")
EVENTS = _ref(Provider.AWS, AWS_ACCOUNT, "arn:aws:s3:::us-events", "us-events", "s3-bucket")
METRICS = _ref(Provider.AWS, AWS_ACCOUNT, "arn:aws:s3:::us-metrics", "us-metrics", "s3-bucket")
AZ_ACCOUNT = (
    "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/data/providers/"
    "Microsoft.Storage/storageAccounts/ususerblobs"
)
BLOBS = _ref(Provider.AZURE, "00000000-0000-4000-8000-000000000001", AZ_ACCOUNT, "ususerblobs",
             "azure-storage-account")
ML_SCRATCH = _ref(Provider.GCP, "eu-analytics", "gs://eu-ml-scratch", "eu-ml-scratch", "gcs-bucket")
EU_ORDERS = _ref(Provider.GCP, "eu-analytics", "gs://eu-orders", "eu-orders", "gcs-bucket")
EU_LAKE = _ref(Provider.GCP, "eu-analytics", "gs://eu-lake", "eu-lake", "gcs-bucket")
GAP_REF = _ref(Provider.AWS, "444455556666", "aws:444455556666", "444455556666", "account")


def _finding(policy: Policy, rule: str, status: Status, ref: ResourceRef,
             locations: tuple[FindingLocation, ...], message: str, remediation: str,
             exemption: Exemption | None = None, source: SourceRef | None = None,
             baseline: str | None = None) -> Finding:
    return Finding(policy.id, rule, policy.severity, status, ref, locations, message, remediation,
                   source or policy.source, exemption, baseline)


def sample_findings() -> tuple[Finding, ...]:
    us, eu = US_POLICY, EU_POLICY
    p, r, s, m = PlacementKind.PRIMARY, PlacementKind.REPLICA, PlacementKind.SECONDARY, PlacementKind.MEMBER
    return (
        _finding(us, "replica-outside", Status.VIOLATION, PROFILES,
                 (_loc(r, "eu-west-1", ("IE",), "replication rule crr-to-dublin -> arn:aws:s3:::profiles-dr",
                       Provider.AWS),),
                 "us-user-profiles: replica outside the allowed locations: eu-west-1 is in IE, "
                 "not in the allowed US.",
                 "Point the replication rule at a destination in an allowed region, or remove it.",
                 baseline="existing"),
        _finding(us, "secondary-outside", Status.VIOLATION, BLOBS,
                 (_loc(s, "brazilsouth", ("BR",), "GRS secondary of the primary region", Provider.AZURE),),
                 "ususerblobs: geo-redundant secondary outside the allowed locations: brazilsouth is in BR.",
                 "Switch redundancy to LRS/ZRS, or move the account to a region whose pair is allowed.",
                 baseline="new"),
        _finding(us, "primary-outside", Status.VIOLATION, BLOBS,
                 (_loc(p, "brazilsouth", ("BR",), "storage account location", Provider.AZURE),),
                 "ususerblobs: primary location outside the allowed locations: brazilsouth is in BR.",
                 "Move the data to a container in an allowed region, then empty and delete this one.",
                 baseline="new"),
        _finding(eu, "member-outside", Status.VIOLATION, ML_SCRATCH,
                 (_loc(m, "asia", None, "multi-region ASIA", Provider.GCP),),
                 "eu-ml-scratch: member outside the allowed locations: asia spans countries outside the EU. "
                 "Its exemption (Migration to europe-west4) expired on 2026-06-30.",
                 "Recreate the bucket in a single allowed region, and move the data.",
                 exemption=EXPIRED_EXEMPTION),
        _finding(eu, "exemption-expired", Status.VIOLATION, ML_SCRATCH, (),
                 "eu-ml-scratch: the exemption owned by ml-platform@example.com (Migration to europe-west4) "
                 "expired on 2026-06-30, so its violations count again.",
                 "Fix the violation, or renew the exemption with a new expiry date and a reason.",
                 exemption=EXPIRED_EXEMPTION, source=EXPIRED_EXEMPTION.source),
        _finding(us, "location-unverifiable", Status.UNVERIFIABLE, EVENTS,
                 (_loc(r, None, None, "replication configuration: AccessDenied (HTTP 403)", Provider.AWS),
                  _loc(p, "us-gov-east-9", None, "bucket region (not in the catalog)", Provider.AWS)),
                 "us-events: location could not be verified: the replica location is unknown "
                 "(AccessDenied); us-gov-east-9 is not a known region.",
                 "Grant the read-only permissions from `residency permissions`."),
        _finding(us, "location-unverifiable", Status.UNVERIFIABLE, GAP_REF, (),
                 "444455556666: could not be scanned (AccessDenied on sts:AssumeRole); its storage is unverified.",
                 "Grant the read-only permissions from `residency permissions`."),
        _finding(us, "residual-outside", Status.EXEMPT, ARCHIVE,
                 (_loc(p, "eu-central-1", ("DE",), "bucket region", Provider.AWS),
                  _loc(r, "ap-southeast-1", ("SG",), "replication rule old-dr", Provider.AWS)),
                 "us-legacy-archive: deleted data still present outside the allowed locations: "
                 "at least 12 noncurrent version(s) remain. Exempt until 2027-03-31: "
                 'Legal hold for case #42 & "Q3" audit (legal@example.com).',
                 "Permanently delete noncurrent versions once the hold ends.",
                 exemption=ARCHIVE_EXEMPTION),
        _finding(us, "locations-allowed", Status.COMPLIANT, METRICS,
                 (_loc(p, "us-east-1", ("US",), "bucket region", Provider.AWS),
                  _loc(r, "us-west-2", ("US",), "replication rule dr-west -> arn:aws:s3:::us-metrics-dr",
                       Provider.AWS)),
                 "us-metrics: every counted location is allowed (us-east-1, us-west-2).", "Nothing to do."),
        _finding(eu, "locations-allowed", Status.COMPLIANT, EU_ORDERS,
                 (_loc(m, "eur4", ("FI", "NL"), "dual-region EUR4 member europe-north1 + europe-west4",
                       Provider.GCP),),
                 "eu-orders: every counted location is allowed (eur4).", "Nothing to do."),
        _finding(eu, "locations-allowed", Status.COMPLIANT, EU_LAKE,
                 (_loc(m, "eu", EU, "multi-region EU", Provider.GCP),),
                 "eu-lake: every counted location is allowed (eu).", "Nothing to do."),
    )


SAMPLE_META = ScanMeta(
    tool_version="0.1.0",
    started_at="2026-11-25T08:00:00Z",
    finished_at="2026-11-25T08:01:30Z",
    policy_files=((US_FILE, "a" * 64), (EU_FILE, "b" * 64)),
    providers=("aws", "gcp", "azure"),
    scanned=(("aws", AWS_ACCOUNT), ("gcp", "eu-analytics"), ("azure", "00000000-0000-4000-8000-000000000001")),
    account_gaps=(AccountGap(Provider.AWS, "444455556666", "AccessDenied on sts:AssumeRole"),),
    source="scan",
    options=(("deep", "true"), ("max_workers", "8")),
)


def sample_result() -> ScanResult:
    return ScanResult(SAMPLE_META, sample_findings(), (US_POLICY, EU_POLICY))
