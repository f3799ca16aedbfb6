"""Full scans of the estate through real boto3 over HTTP, judged by the real engine: exact findings."""

from __future__ import annotations

from residency.catalog import load_catalog
from residency.engine.evaluate import evaluate
from residency.findings.model import Finding
from residency.inventory.model import PlacementKind, StorageResource
from tests.integration.aws import estate
from tests.integration.aws.conftest import MAX_ATTEMPTS, Scan

V, U, E, C = "violation", "unverifiable", "exempt", "compliant"
COMMON = {
    ("eu-personal-data", "primary-outside", V, "eu-personal-us"),
    ("fast-tier-us", "primary-outside", V, "edge--use1-qro1-az1--x-s3"),
    ("us-user-data", "primary-outside", V, "eu-locked"),
    ("us-user-data", "retention-blocks-deletion", V, "eu-locked"),
    ("us-user-data", "residual-outside", V, "eu-staging"),
    ("us-user-data", "primary-outside", V, "eu-staging"),
    ("us-user-data", "exemption-expired", V, "legacy-expired"),
    ("us-user-data", "primary-outside", V, "legacy-expired"),
    ("us-user-data", "replica-outside", V, "mrap-us"),
    ("us-user-data", "replica-outside", V, "us-replicating"),
    ("fast-tier-us", "location-unverifiable", U, "lab--usw2-lax9-az1--x-s3"),
    ("us-user-data", "location-unverifiable", U, estate.DENIED),
    ("us-user-data", "location-unverifiable", U, estate.THROTTLED),
    ("us-user-data", "location-unverifiable", U, "us-replicating"),
    ("us-user-data", "primary-outside", E, "legacy-archive"),
    ("eu-personal-data", "locations-allowed", C, "eu-personal-ie"),
    ("fast-tier-us", "locations-allowed", C, "fast--use1-az4--x-s3"),
    ("fast-tier-us", "locations-allowed", C, "std--use1-az1--x-s3"),
    ("us-user-data", "primary-outside", V, "emptied-eu"),  # empty, yet where the next write lands
    ("us-user-data", "locations-allowed", C, "us-east-plain"),
    ("us-user-data", "locations-allowed", C, "us-east2-data"),
    ("us-user-data", "locations-allowed", C, "us-west2-data"),
    # Directory buckets' tags (ListTagsForResource) scope them like general-purpose buckets.
    ("us-user-data", "locations-allowed", C, "fast--use1-az4--x-s3"),
    ("us-user-data", "primary-outside", V, "edge--use1-qro1-az1--x-s3"),
    ("eu-personal-data", "location-unverifiable", U, "lab--usw2-lax9-az1--x-s3"),
}
# When those tags cannot be read, tag-scoped policies report the directory buckets outside their
# locations (or of unknown location) as possibly in scope.
UNREAD_DIRECTORY_TAGS = {
    *(("eu-personal-data", "scope-unverifiable", U, name) for name in estate.DIRECTORY_BUCKETS),
    ("us-user-data", "scope-unverifiable", U, "edge--use1-qro1-az1--x-s3"),
    ("us-user-data", "scope-unverifiable", U, "lab--usw2-lax9-az1--x-s3"),
    *(f for f in COMMON if f[0] == "fast-tier-us"),
}
SECOND_ACCOUNTS = {
    ("us-user-data", "primary-outside", V, "partner-eu-data"),
    *((policy, "location-unverifiable", U, estate.LOCKED_OUT)
      for policy in ("us-user-data", "eu-personal-data", "fast-tier-us")),
}


def findings(scan: Scan) -> tuple[Finding, ...]:
    return evaluate(estate.policies(), scan.inventory, load_catalog(), estate.TODAY)


def summary(scan: Scan) -> set[tuple[str, str, str, str]]:
    return {(f.policy_id, f.rule_id, f.status.value, f.resource.name) for f in findings(scan)}


def resource(scan: Scan, name: str) -> StorageResource:
    return next(r for r in scan.inventory.resources if r.name == name)


def test_moto_shapes_scan_gives_exactly_the_expected_findings(scan_a: Scan) -> None:
    assert summary(scan_a) == COMMON
    assert len(findings(scan_a)) == len(COMMON)


def test_bucket_region_deep_multi_account_scan_gives_exactly_the_expected_findings(scan_b: Scan) -> None:
    assert summary(scan_b) == COMMON | SECOND_ACCOUNTS
    assert scan_b.inventory.scanned == (("aws", "123456789012"), ("aws", estate.PARTNER))
    [gap] = scan_b.inventory.account_gaps
    assert gap.account == estate.LOCKED_OUT and "could not assume" in gap.reason and "AccessDenied" in gap.reason
    assert resource(scan_b, "partner-eu-data").account == estate.PARTNER


def test_every_bucket_of_every_region_is_found_with_its_region(scan_a: Scan) -> None:
    regions = {r.name: r.placements[0].region for r in scan_a.inventory.resources if r.placements}
    assert regions["us-east-plain"] == "us-east-1"  # LocationConstraint null
    assert regions["eu-staging"] == "eu-west-1"
    assert {regions[n] for n in ("us-east2-data", "us-west2-data", "emptied-eu", "legacy-expired", "eu-locked")} == {
        "us-east-2", "us-west-2", "eu-north-1", "eu-west-2", "eu-central-1"}
    assert resource(scan_a, "us-east-plain").id == "arn:aws:s3:::us-east-plain"
    assert resource(scan_a, "edge--use1-qro1-az1--x-s3").kind == "s3-directory-bucket"


def test_deleted_objects_survive_as_noncurrent_versions_probe_then_deep(scan_a: Scan, scan_b: Scan) -> None:
    probe, deep = resource(scan_a, "eu-staging").deletion_evidence, resource(scan_b, "eu-staging").deletion_evidence
    assert probe is not None and deep is not None
    assert (probe.exact, probe.live_objects, probe.noncurrent_versions, probe.delete_markers) == (False, 0, 50, 50)
    keys = estate.DELETED_KEYS
    assert (deep.exact, deep.live_objects, deep.noncurrent_versions, deep.delete_markers) == (True, 0, keys, keys)
    assert deep.bytes == keys * len(b"video-metadata")
    assert "versioning: enabled" in deep.notes
    assert "lifecycle: none, so no rule expires noncurrent versions" in deep.notes


def test_object_lock_default_retention_and_legal_hold_block_deletion(scan_a: Scan) -> None:
    residue = resource(scan_a, "eu-locked").deletion_evidence
    assert residue is not None
    kinds = sorted(lock.kind for lock in residue.blocking_locks)
    assert kinds == ["legal-hold", "object-lock-compliance", "object-lock-compliance"]
    assert any("COMPLIANCE for 365 days" in lock.detail for lock in residue.locks)


def test_replication_destinations_and_mrap_members_are_replica_placements(scan_a: Scan) -> None:
    replicas = [p for p in resource(scan_a, "us-replicating").placements if p.kind is PlacementKind.REPLICA]
    assert [(p.region, p.target) for p in replicas] == [
        ("ap-southeast-1", "arn:aws:s3:::sg-replica"), (None, "arn:aws:s3:::gone-target")]
    assert "account 999999999999" in replicas[1].reason and "404" in replicas[1].reason
    [member] = [p for p in resource(scan_a, "mrap-us").placements if p.kind is PlacementKind.REPLICA]
    assert (member.region, member.target) == ("eu-west-1", "arn:aws:s3:::mrap-eu")
    assert "global-media" in member.reason


def test_access_denied_makes_only_that_bucket_unverifiable(scan_a: Scan, scan_b: Scan) -> None:
    unknown = [p for p in resource(scan_a, estate.DENIED).placements if p.region is None]
    assert len(unknown) == 1 and "403" in unknown[0].reason
    assert [g.what for g in resource(scan_b, estate.DENIED).gaps] == ["replication configuration"]
    others = [r for r in scan_a.inventory.resources if r.name not in (estate.DENIED, estate.THROTTLED)]
    assert all(not r.gaps for r in others if r.kind == "s3-bucket")
    assert all(not r.gaps for r in others if r.kind == "s3-directory-bucket")


def test_throttling_is_retried_then_recorded_never_raised(scan_a: Scan, scan_b: Scan) -> None:
    # Scan A: HeadBucket is throttled, so the bucket is asked nothing more (no GetBucketLocation).
    assert scan_a.throttled_requests == MAX_ATTEMPTS
    [placement] = resource(scan_a, estate.THROTTLED).placements
    assert placement.region is None and "503" in placement.reason
    # Scan B knows the region from ListBuckets; GetBucketReplication is the throttled call.
    assert scan_b.throttled_requests == MAX_ATTEMPTS
    [gap] = resource(scan_b, estate.THROTTLED).gaps
    assert "SlowDown" in gap.reason


def test_progress_advances_once_per_bucket(scan_a: Scan, scan_b: Scan) -> None:
    for scan in (scan_a, scan_b):
        buckets = [r for r in scan.inventory.resources if r.kind.startswith("s3-")]
        accounts = {r.account for r in buckets}
        labels = [f"aws {account}" for account in accounts]
        assert sum(scan.progress.totals[label] for label in labels) == len(buckets)
        assert sum(scan.progress.steps[label] for label in labels) == len(buckets)
        # and once per regional listing (family and region) of the databases and copies
        assert scan.progress.begun("databases and copies") == scan.progress.advanced("databases and copies") > 0


def test_tags_are_read_per_bucket_when_the_tagging_api_is_denied(scan_a: Scan, scan_c: Scan) -> None:
    operations = [op for _, op, target in scan_c.calls if target == "s3"]
    assert operations.count("GetResources") == 1  # AccessDenied is global: no other region is asked
    general = {r.name for r in scan_a.inventory.resources if r.kind == "s3-bucket"}
    assert {bucket for _, op, bucket in scan_c.calls if op == "GetBucketTagging"} == general
    denied, throttled = resource(scan_c, estate.DENIED), resource(scan_c, estate.THROTTLED)
    assert denied.tags_unknown and "GetBucketTagging: AccessDenied" in denied.gaps[0].reason
    assert "403" in denied.placements[0].reason  # located although no policy is known to cover it
    assert throttled.tags_unknown and "SlowDown" in throttled.gaps[0].reason
    assert scan_c.throttled_requests == MAX_ATTEMPTS  # then nothing more is asked of it
    unknown = (estate.DENIED, estate.THROTTLED, *estate.DIRECTORY_BUCKETS)
    tags = {r.name: r.tags for r in scan_c.inventory.resources if r.name not in unknown}
    assert tags == {r.name: r.tags for r in scan_a.inventory.resources if r.name not in unknown}
    assert {f for f in summary(scan_c) if f[3] not in unknown} == {f for f in COMMON if f[3] not in unknown}


def test_directory_bucket_tags_are_read_and_scope_them(scan_a: Scan) -> None:
    tags = {r.name: dict(r.tags) for r in scan_a.inventory.resources if r.kind == "s3-directory-bucket"}
    assert tags == {name: estate.DIRECTORY_BUCKET_TAGS.get(name, {}) for name in estate.DIRECTORY_BUCKETS}
    operations = [op for _, op, _ in scan_a.calls]
    assert operations.count("ListTagsForResource") == len(estate.DIRECTORY_BUCKETS)  # one per directory bucket


def test_denied_directory_bucket_tags_leave_them_scope_unverifiable(scan_c: Scan) -> None:
    for name in estate.DIRECTORY_BUCKETS:
        [gap] = resource(scan_c, name).gaps
        assert resource(scan_c, name).tags_unknown and gap.reason.startswith("ListTagsForResource: AccessDenied")
    directory = {f for f in summary(scan_c) if f[3] in estate.DIRECTORY_BUCKETS}
    assert directory == UNREAD_DIRECTORY_TAGS
