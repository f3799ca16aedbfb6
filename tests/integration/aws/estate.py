"""The estate the AWS integration tests scan, seeded through real boto3 calls, and its policies."""

from __future__ import annotations

import datetime as dt

from residency.inventory.model import PlacementKind, Provider
from residency.policy.model import Exemption, LocationSet, Policy, Scope, Severity
from scripts.localcloud.aws.moto_server import ProxyOptions
from scripts.localcloud.aws.seed import Identities, Seeder, create_identities

PARTNER = "111111111111"  # a second account whose role the scanner may assume
LOCKED_OUT = "222222222222"  # an account whose role the scanner is denied
EXTRA_ACCOUNTS = (PARTNER, LOCKED_OUT)
DENIED = "denied-data"
THROTTLED = "throttled-data"
DELETED_KEYS = 60  # 60 noncurrent versions + 60 delete markers: more than one probe page (100)
US, EU_CLASS, PUBLIC = {"data-class": "us-user-data"}, {"data-class": "eu-personal"}, {"data-class": "public"}
TODAY = dt.date(2026, 6, 1)

DIRECTORY_BUCKETS = {
    "fast--use1-az4--x-s3": "us-east-1",  # zone in the catalog: US
    "edge--use1-qro1-az1--x-s3": "us-east-1",  # Local Zone in Querétaro, Mexico, under us-east-1
    "std--use1-az1--x-s3": "us-east-1",  # not in the catalog; DescribeAvailabilityZones: an AZ of us-east-1
    "lab--usw2-lax9-az1--x-s3": "us-west-2",  # a Local Zone nobody has catalogued: unknown country
}
DIRECTORY_BUCKET_TAGS = {  # read with S3 Control ListTagsForResource
    "fast--use1-az4--x-s3": US,
    "edge--use1-qro1-az1--x-s3": US,  # US user data in Mexico
    "lab--usw2-lax9-az1--x-s3": EU_CLASS,  # in a zone of unknown country
}
LOCAL_ZONES = {"usw2-lax9-az1": "us-west-2:us-west-2-lax-9"}
# The bucket estate has no regional resources: the account's enabled regions are kept few, so the
# scans' listing of databases and copies (tests/integration/aws/datastores/) stays quick.
REGIONAL_REGIONS = ("us-east-1", "eu-west-1")


def proxy_options(datastores: str | None = None) -> ProxyOptions:
    directory_buckets = {name: _with_tags(region, DIRECTORY_BUCKET_TAGS.get(name, {}))
                         for name, region in DIRECTORY_BUCKETS.items()}
    return ProxyOptions(directory_buckets=directory_buckets, local_zones=LOCAL_ZONES, throttle_buckets=[THROTTLED],
                        datastores=datastores)


def _with_tags(region: str, tags: dict[str, str]) -> str:
    """The proxy's `--directory-bucket NAME=REGION[:KEY=VALUE,...]` value."""
    return ":".join([region, ",".join(f"{k}={v}" for k, v in tags.items())]) if tags else region


def seed(endpoint: str) -> Identities:
    identities = create_identities(endpoint, [DENIED], EXTRA_ACCOUNTS, [LOCKED_OUT])
    own = Seeder(endpoint, identities.admin)
    for name, region, tags in (
        ("us-east-plain", "us-east-1", US),  # us-east-1: GetBucketLocation says null
        ("us-east2-data", "us-east-2", US),
        ("us-west2-data", "us-west-2", US),
        ("emptied-eu", "eu-north-1", US),  # outside, but nothing left in it
        ("eu-personal-ie", "eu-west-1", EU_CLASS),
        ("public-assets", "eu-west-1", PUBLIC),
        ("untagged-logs", "ap-northeast-1", None),
        ("sg-replica", "ap-southeast-1", None),
        ("mrap-us", "us-east-1", US),
        ("mrap-eu", "eu-west-1", None),
        (DENIED, "us-west-1", US),
        (THROTTLED, "us-east-1", US),
    ):
        own.bucket(name, region, tags)
    for name, region, tags in (("legacy-archive", "eu-central-1", US), ("legacy-expired", "eu-west-2", US),
                               ("eu-personal-us", "us-east-1", EU_CLASS)):
        own.bucket(name, region, tags)
        own.put(name, "clip.mp4")
    own.bucket("eu-staging", "eu-west-1", US, versioned=True)  # copied to the US, then "deleted"
    for index in range(DELETED_KEYS):
        own.put("eu-staging", f"user-{index:03}.json")
        own.delete("eu-staging", f"user-{index:03}.json")
    own.bucket("us-replicating", "us-east-1", US, versioned=True)
    own.replicate("us-replicating", [("sg-replica", None), ("gone-target", "999999999999")])
    own.bucket("eu-locked", "eu-central-1", US, lock=("COMPLIANCE", 365))
    own.put("eu-locked", "evidence.mp4", legal_hold=True)
    own.mrap("global-media", ["mrap-us", "mrap-eu"])
    own.client("ec2").describe_availability_zones()  # moto builds its EC2 backend lazily (~3 s): not in scans
    partner = Seeder(endpoint, identities.admin, assume_account=PARTNER)
    partner.bucket("partner-eu-data", "eu-west-1", US)
    partner.put("partner-eu-data", "clip.mp4")
    return identities


def _policy(policy_id: str, scope: Scope, allowed: LocationSet, **extra: object) -> Policy:
    return Policy(id=policy_id, title=policy_id, description=policy_id, severity=Severity.HIGH, scope=scope,
                  allowed=allowed, denied=None, **extra)  # type: ignore[arg-type]


def policies() -> list[Policy]:
    aws = frozenset({Provider.AWS})
    exemptions = (
        Exemption("arn:aws:s3:::legacy-archive", "archive kept for litigation", "legal@example.com",
                  dt.date(2099, 1, 1)),
        Exemption("legacy-expired", "migration window", "data-eng@example.com", dt.date(2020, 12, 31)),
    )
    return [
        _policy("us-user-data", Scope(aws, tags=(("data-class", ("us-user-data",)),)),
                LocationSet(countries=frozenset({"US"})), exemptions=exemptions),
        _policy("eu-personal-data", Scope(aws, tags=(("data-class", ("eu-personal",)),)),
                LocationSet(groups=frozenset({"eea"}))),
        _policy("fast-tier-us", Scope(aws, names=("*--x-s3",)), LocationSet(countries=frozenset({"US"})),
                counts=frozenset({PlacementKind.PRIMARY})),
    ]
