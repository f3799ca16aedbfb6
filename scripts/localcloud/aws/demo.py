"""The AWS part of `make demo`: moto's server behind the project's proxy, and the demo estate.

The story: Clipwave, a short-video company, is moving its US users' data (tag
`data-class: us-user-data`) into the United States. Most US buckets comply; a Dublin staging
bucket was "emptied" after the copy but its objects survive as noncurrent versions behind delete
markers; a Virginia bucket still replicates to Singapore and another sits behind a Multi-Region
Access Point with a Dublin member; a Frankfurt bucket holds data under Object Lock COMPLIANCE;
one legacy archive is exempt, another's exemption expired; the finance bucket denies the
scanner. EU personal data sits in Dublin and Frankfurt, plus one copy in Virginia.

The databases and copies the migration left abroad (a DynamoDB replica in Frankfurt, automated
backups replicated to Ireland, a snapshot copied to Singapore, a backup plan copying to London)
are in `demo_datastores.py`.

The proxy adds what moto lacks (ListBuckets' BucketRegion, directory buckets, MRAP member
regions, GetObjectRetention); the datastore server what it lacks in databases and copies.
Moto enforces IAM after the first actions, which create the seeding user and the scanner, whose
policy denies the finance bucket.

`DEMO_EXPECTATIONS[small]`: every finding the scan must produce on AWS, as
(policy id, rule id, status, resource name); `seed` adds the findings of the resources whose
names the cloud generates (an RDS automated snapshot's timestamp).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from scripts.localcloud.aws import demo_datastores
from scripts.localcloud.aws.moto_server import ProxyOptions, client_env, start_datastores, start_moto, start_proxy
from scripts.localcloud.aws.seed import Seeder, create_identities, identity_setup_actions
from scripts.localcloud.services import ServiceGroup

US, EU, BR, PUBLIC = "us-user-data", "eu-personal", "br-user-data", "public"
DENY = "no-sanctioned-jurisdictions"
OK = ("locations-allowed", "compliant")
UNVERIFIABLE = ("location-unverifiable", "unverifiable")
DENIED_BUCKET = "clipwave-finance-restricted"
ADMIN_KEY, ADMIN_SECRET = "RESIDENCY_DEMO_AWS_SEED_KEY", "RESIDENCY_DEMO_AWS_SEED_SECRET"
DATASTORES_URL = "RESIDENCY_LOCAL_AWS_DATASTORES"
# name -> the proxy's "REGION:KEY=VALUE,..." (directory buckets' tags come from S3 Control ListTagsForResource)
DIRECTORY_BUCKETS = {"clipwave-us-fast--use1-az4--x-s3": f"us-east-1:data-class={US},team=video",
                     "clipwave-mx-edge--use1-qro1-az1--x-s3": f"us-east-1:data-class={US},team=video"}


@dataclass(frozen=True)
class DemoBucket:
    name: str
    region: str
    data_class: str | None
    expect: tuple[tuple[str, str, str], ...] = ()  # (policy, rule, status) besides the deny-list's
    contents: str = "live"  # live | empty | residue | locked
    versioned: bool = False
    small: bool = False
    deny_list: tuple[str, str] = OK
    replicate_to: tuple[str, ...] = field(default=())


def _b(name: str, region: str, data_class: str | None, *expect: tuple[str, str, str], **options: object) -> DemoBucket:
    return DemoBucket(name, region, data_class, tuple(expect), **options)  # type: ignore[arg-type]


ESTATE: tuple[DemoBucket, ...] = (
    _b("clipwave-us-uploads", "us-east-1", US, (US, *OK), small=True),
    _b("clipwave-us-transcodes", "us-east-2", US, (US, *OK)),
    _b("clipwave-us-profiles", "us-west-2", US, (US, *OK)),
    _b("clipwave-us-thumbnails", "us-west-1", US, (US, *OK)),
    _b("clipwave-us-logs", "us-east-1", US, (US, *OK)),
    _b("clipwave-us-clips", "us-east-1", US, (US, "replica-outside", "violation"), versioned=True, small=True,
       replicate_to=("clipwave-sg-clips-replica",)),
    _b("clipwave-sg-clips-replica", "ap-southeast-1", None, versioned=True, contents="empty", small=True),
    _b("clipwave-us-media", "us-east-1", US, (US, "replica-outside", "violation")),
    _b("clipwave-eu-media", "eu-west-1", PUBLIC),
    _b("eu-transfer-staging", "eu-west-1", US, (US, "residual-outside", "violation"),
       (US, "primary-outside", "violation"), contents="residue", versioned=True, small=True),
    # Emptied after the migration; still a bucket outside the US, where the next write would land.
    _b("clipwave-eu-migrated", "eu-north-1", US, (US, "primary-outside", "violation"), contents="empty"),
    _b("clipwave-eu-evidence-hold", "eu-central-1", US, (US, "primary-outside", "violation"),
       (US, "retention-blocks-deletion", "violation"), contents="locked"),
    _b("legacy-archive-2019", "eu-central-1", US, (US, "primary-outside", "exempt"), small=True),
    _b("legacy-uploads-2020", "eu-west-2", US, (US, "primary-outside", "violation"),
       (US, "exemption-expired", "violation"), small=True),
    _b(DENIED_BUCKET, "us-east-1", US, (US, *UNVERIFIABLE), deny_list=UNVERIFIABLE, small=True),
    _b("clipwave-eu-personal-ie", "eu-west-1", EU, ("eu-personal-data", *OK)),
    _b("clipwave-eu-personal-de", "eu-central-1", EU, ("eu-personal-data", *OK)),
    _b("clipwave-eu-personal-us-copy", "us-east-1", EU, ("eu-personal-data", "primary-outside", "violation"),
       small=True),
    _b("clipwave-br-creators", "sa-east-1", BR, ("br-user-data", *OK)),
    _b("clipwave-br-creators-us-copy", "us-east-1", BR, ("br-user-data", "primary-outside", "violation")),
    _b("clipwave-public-assets", "us-east-1", PUBLIC),
    _b("clipwave-public-cdn-eu", "eu-west-1", PUBLIC),
    _b("clipwave-public-cdn-apac", "ap-northeast-1", PUBLIC),
    _b("clipwave-build-cache", "us-west-2", None, contents="empty"),
)
MRAP = ("clipwave-global-media", ("clipwave-us-media", "clipwave-eu-media"))
FILES = tuple(f"users/{n:04d}/profile.json" for n in range(4))


def estate(small: bool) -> tuple[DemoBucket, ...]:
    return tuple(b for b in ESTATE if b.small or not small)


def _expectations(small: bool) -> frozenset[tuple[str, str, str, str]]:
    found: set[tuple[str, str, str, str]] = set()
    for bucket in estate(small):
        found.update((policy, rule, status, bucket.name) for policy, rule, status in bucket.expect)
        found.add((DENY, *bucket.deny_list, bucket.name))
    # Directory buckets (served by the proxy in both estates), both holding US user data: the
    # us-east-1 one complies; the Querétaro Local Zone is in Mexico, which the deny-list allows.
    found.update((DENY, *OK, name) for name in DIRECTORY_BUCKETS)
    found.add((US, *OK, "clipwave-us-fast--use1-az4--x-s3"))
    found.add((US, "primary-outside", "violation", "clipwave-mx-edge--use1-qro1-az1--x-s3"))
    return frozenset(found | demo_datastores.EXPECTATIONS)


_KNOWN_NAMES = {small: _expectations(small) for small in (False, True)}
DEMO_EXPECTATIONS: dict[bool, frozenset[tuple[str, str, str, str]]] = dict(_KNOWN_NAMES)


def start(group: ServiceGroup, log_dir: Path) -> dict[str, str]:
    """Start moto (IAM enforced after the identities exist) and the proxy; create the identities.

    Returns what `residency scan --provider aws` needs: the endpoint, a region and the scanner's
    credentials (plus the seeding user's, under RESIDENCY_DEMO_* names, for `seed`)."""
    del log_dir  # the group writes each service's log into its own log directory
    moto = start_moto(group, no_auth_actions=identity_setup_actions(0))
    datastores = start_datastores(group, moto)
    options = ProxyOptions(bucket_region=True, directory_buckets=DIRECTORY_BUCKETS, datastores=datastores.url)
    proxy = start_proxy(group, moto, options)
    identities = create_identities(proxy.url, denied_buckets=[DENIED_BUCKET])
    return {
        **client_env(proxy.url, credentials=identities.scanner),
        DATASTORES_URL: datastores.url,  # reached through the proxy; direct only for its admin paths (age)
        ADMIN_KEY: identities.admin["AWS_ACCESS_KEY_ID"],
        ADMIN_SECRET: identities.admin["AWS_SECRET_ACCESS_KEY"],
    }


def scan_args(env: dict[str, str]) -> list[str]:
    return []  # one account, the scanner's own: nothing beyond the environment


def seed(env: dict[str, str], small: bool = False) -> None:
    admin = {"AWS_ACCESS_KEY_ID": env[ADMIN_KEY], "AWS_SECRET_ACCESS_KEY": env[ADMIN_SECRET]}
    seeder = Seeder(env["AWS_ENDPOINT_URL"], admin)
    for bucket in estate(small):
        _seed_bucket(seeder, bucket)
    for bucket in estate(small):
        if bucket.replicate_to:
            seeder.replicate(bucket.name, [(target, None) for target in bucket.replicate_to])
    if not small:
        seeder.mrap(MRAP[0], MRAP[1])
    # Resources whose names the cloud generates (RDS's automated snapshot) join the expectations here.
    generated = demo_datastores.seed(seeder)
    DEMO_EXPECTATIONS[small] = _KNOWN_NAMES[small] | generated  # this estate's, not an earlier seeding's


def _seed_bucket(seeder: Seeder, bucket: DemoBucket) -> None:
    tags = {"data-class": bucket.data_class, "team": "video"} if bucket.data_class else {"team": "platform"}
    lock = ("COMPLIANCE", 365) if bucket.contents == "locked" else None
    seeder.bucket(bucket.name, bucket.region, tags, versioned=bucket.versioned, lock=lock)
    if bucket.contents == "empty":
        return
    for key in FILES:
        seeder.put(bucket.name, key, legal_hold=bucket.contents == "locked")
    if bucket.contents == "residue":  # copied to the US, then "deleted": delete markers hide the versions
        for key in FILES:
            seeder.delete(bucket.name, key)
