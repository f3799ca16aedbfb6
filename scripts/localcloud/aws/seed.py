"""Seeding S3 estates in moto's server through real boto3 calls (tests, demo, benchmark).

`create_identities` must run first on a server started with
`INITIAL_NO_AUTH_ACTION_COUNT = identity_setup_actions(...)`: it creates, while moto still
accepts anything, an admin user (for seeding), a scanner user whose policy denies some
buckets and some accounts' roles, and a role in each extra account. From then on moto
enforces IAM, so the scanner really gets 403s.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.config import Config

from residency.sources.aws.session import strip_account_host_on_custom_endpoint
from scripts.localcloud.aws.moto_server import FAKE_CREDENTIALS

MOTO_ACCOUNT = "123456789012"
SCAN_ROLE = "residency-scan"
_ALLOW_ALL = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
_CONFIG = Config(retries={"mode": "standard", "max_attempts": 3}, max_pool_connections=32)


def identity_setup_actions(extra_accounts: int) -> int:
    """How many actions `create_identities` makes: moto's INITIAL_NO_AUTH_ACTION_COUNT."""
    return 6 + 3 * extra_accounts


@dataclass(frozen=True)
class Identities:
    admin: dict[str, str]  # AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY
    scanner: dict[str, str]


def _credentials(key: dict[str, Any]) -> dict[str, str]:
    return {"AWS_ACCESS_KEY_ID": key["AccessKeyId"], "AWS_SECRET_ACCESS_KEY": key["SecretAccessKey"]}


def _session(credentials: dict[str, str], region: str = "us-east-1") -> boto3.Session:
    return boto3.Session(
        aws_access_key_id=credentials["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=credentials["AWS_SECRET_ACCESS_KEY"],
        aws_session_token=credentials.get("AWS_SESSION_TOKEN"),
        region_name=region,
    )


def scanner_policy(denied_buckets: Iterable[str], denied_accounts: Iterable[str]) -> dict[str, Any]:
    statements: list[dict[str, Any]] = [{"Effect": "Allow", "Action": "*", "Resource": "*"}]
    buckets = [arn for b in denied_buckets for arn in (f"arn:aws:s3:::{b}", f"arn:aws:s3:::{b}/*")]
    if buckets:
        statements.append({"Effect": "Deny", "Action": "s3:*", "Resource": buckets})
    roles = [f"arn:aws:iam::{a}:role/*" for a in denied_accounts]
    if roles:
        statements.append({"Effect": "Deny", "Action": "sts:AssumeRole", "Resource": roles})
    return {"Version": "2012-10-17", "Statement": statements}


def create_identities(
    endpoint: str, denied_buckets: Sequence[str] = (), extra_accounts: Sequence[str] = (),
    denied_accounts: Sequence[str] = (),
) -> Identities:
    """Exactly `identity_setup_actions(len(extra_accounts))` actions, all before IAM is enforced."""
    iam = _session(FAKE_CREDENTIALS).client("iam", endpoint_url=endpoint, config=_CONFIG)
    iam.create_user(UserName="seeder")
    iam.put_user_policy(UserName="seeder", PolicyName="all", PolicyDocument=json.dumps(_ALLOW_ALL))
    admin = _credentials(iam.create_access_key(UserName="seeder")["AccessKey"])
    iam.create_user(UserName="scanner")
    policy = scanner_policy(denied_buckets, denied_accounts)
    iam.put_user_policy(UserName="scanner", PolicyName="read", PolicyDocument=json.dumps(policy))
    scanner = _credentials(iam.create_access_key(UserName="scanner")["AccessKey"])
    sts = _session(FAKE_CREDENTIALS).client("sts", endpoint_url=endpoint, config=_CONFIG)
    for account in extra_accounts:
        role_arn = f"arn:aws:iam::{account}:role/{SCAN_ROLE}"
        assumed = sts.assume_role(RoleArn=role_arn, RoleSessionName="seed")["Credentials"]
        creds = {**_credentials(assumed), "AWS_SESSION_TOKEN": assumed["SessionToken"]}
        role_iam = _session(creds).client("iam", endpoint_url=endpoint, config=_CONFIG)
        trust = {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{MOTO_ACCOUNT}:root"}, "Action": "sts:AssumeRole"}
        ]}
        role_iam.create_role(RoleName=SCAN_ROLE, AssumeRolePolicyDocument=json.dumps(trust))
        role_iam.put_role_policy(RoleName=SCAN_ROLE, PolicyName="all", PolicyDocument=json.dumps(_ALLOW_ALL))
    return Identities(admin, scanner)


class Seeder:
    """Creates buckets, objects, versions, locks, replication and MRAPs with real boto3 calls."""

    def __init__(self, endpoint: str, credentials: dict[str, str], assume_account: str | None = None) -> None:
        self.endpoint = endpoint
        self.session = _session(credentials)
        self.account = MOTO_ACCOUNT
        self._clients: dict[tuple[str, str], Any] = {}
        self._lock = threading.Lock()
        if assume_account:
            role_arn = f"arn:aws:iam::{assume_account}:role/{SCAN_ROLE}"
            assumed = self.client("sts").assume_role(RoleArn=role_arn, RoleSessionName="seed")["Credentials"]
            creds = {**_credentials(assumed), "AWS_SESSION_TOKEN": assumed["SessionToken"]}
            self.session = _session(creds)
            self.account = assume_account
            self._clients.clear()

    def client(self, service: str, region: str = "us-east-1") -> Any:
        with self._lock:
            key = (service, region)
            if key not in self._clients:
                client = self.session.client(service, region_name=region, endpoint_url=self.endpoint, config=_CONFIG)
                if service == "s3control":
                    strip_account_host_on_custom_endpoint(client)
                self._clients[key] = client
            return self._clients[key]

    def bucket(
        self, name: str, region: str, tags: dict[str, str] | None = None, versioned: bool = False,
        lock: tuple[str, int] | None = None,
    ) -> None:
        s3 = self.client("s3", region)
        params: dict[str, Any] = {"Bucket": name}
        if region != "us-east-1":
            params["CreateBucketConfiguration"] = {"LocationConstraint": region}
        if lock:
            params["ObjectLockEnabledForBucket"] = True
        s3.create_bucket(**params)
        if tags:
            tag_set = [{"Key": k, "Value": v} for k, v in tags.items()]
            s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": tag_set})
        if versioned and not lock:
            s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
        if lock:
            mode, days = lock
            s3.put_object_lock_configuration(Bucket=name, ObjectLockConfiguration={
                "ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": mode, "Days": days}},
            })

    def put(self, bucket: str, key: str, body: bytes = b"video-metadata", legal_hold: bool = False) -> None:
        s3 = self.client("s3")
        s3.put_object(Bucket=bucket, Key=key, Body=body)
        if legal_hold:
            s3.put_object_legal_hold(Bucket=bucket, Key=key, LegalHold={"Status": "ON"})

    def delete(self, bucket: str, key: str) -> None:
        """A plain DELETE: on a versioned bucket it only adds a delete marker."""
        self.client("s3").delete_object(Bucket=bucket, Key=key)

    def replicate(self, source: str, destinations: Sequence[tuple[str, str | None]]) -> None:
        """Destinations as (bucket name, account id or None for the same account)."""
        rules = []
        for index, (bucket, account) in enumerate(destinations, start=1):
            destination: dict[str, Any] = {"Bucket": f"arn:aws:s3:::{bucket}"}
            if account:
                destination["Account"] = account
            rules.append({"ID": f"to-{bucket}", "Priority": index, "Status": "Enabled",
                          "Filter": {"Prefix": ""}, "DeleteMarkerReplication": {"Status": "Disabled"},
                          "Destination": destination})
        role = f"arn:aws:iam::{self.account}:role/replication"
        self.client("s3").put_bucket_replication(
            Bucket=source, ReplicationConfiguration={"Role": role, "Rules": rules}
        )

    def expire_noncurrent(self, bucket: str, days: int) -> None:
        self.client("s3").put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": [
            {"ID": "expire-noncurrent", "Status": "Enabled", "Filter": {"Prefix": ""},
             "NoncurrentVersionExpiration": {"NoncurrentDays": days}},
        ]})

    def mrap(self, name: str, buckets: Sequence[str]) -> None:
        self.client("s3control", "us-west-2").create_multi_region_access_point(
            AccountId=self.account, ClientToken=name,
            Details={"Name": name, "Regions": [{"Bucket": b} for b in buckets]},
        )
