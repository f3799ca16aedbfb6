"""The migration story of `make demo`, proven object by object: Clipwave moved its US users'
uploads from Dublin to Virginia.

Most objects moved (copied to the US bucket, then deleted in Dublin); some were copied but
never deleted; a few were deleted in Dublin before they were copied (lost); one arrived with
different content; and every "deleted" object still sits in Dublin as a noncurrent version
behind a delete marker. Both buckets get an S3 Inventory report (all versions) in an inventory
bucket of their region, written the way S3 would (scripts/localcloud/inventory_seed.py), and
an inventory configuration pointing there, so `residency transfer s3://A s3://B` finds them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SOURCE, DESTINATION = "clipwave-eu-user-uploads", "clipwave-us-user-uploads"
INVENTORY_EU, INVENTORY_US = "clipwave-inventory-eu", "clipwave-inventory-us"
COUNTS = {"moved": 24, "copied-not-deleted": 4, "lost": 3, "content-mismatch": 1}
# What the proof must show (the JSON report's `summary`): every deleted object left a noncurrent
# version and a delete marker behind in Dublin.
EXPECTED = {"moved": 24, "copied-not-deleted": 4, "not-copied": 0, "lost": 3, "content-mismatch": 1,
            "content-unverified": 0, "residual-versions": 28, "delete-markers": 28}
MAP = "eu/uploads/=us/uploads/"


@dataclass(frozen=True)
class Story:
    source: str
    destination: str
    expected: dict[str, int]


def _bucket(client: Any, name: str, region: str, versioned: bool = False) -> None:
    config = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    client.create_bucket(Bucket=name, **config)
    if versioned:
        client.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})


def seed(client: Any) -> Story:
    """Create the buckets and objects through boto3, then publish both inventory reports."""
    from scripts.localcloud.inventory_seed import publish_s3

    _bucket(client, SOURCE, "eu-west-1", versioned=True)
    _bucket(client, DESTINATION, "us-east-1")
    _bucket(client, INVENTORY_EU, "eu-west-1")
    _bucket(client, INVENTORY_US, "us-east-1")
    for kind, count in COUNTS.items():
        for n in range(count):
            name = f"uploads/{kind}/user-{n:04d}.mp4"
            body = f"{kind} clip {n} " * 8
            client.put_object(Bucket=SOURCE, Key=f"eu/{name}", Body=body.encode())
            if kind != "lost":
                arrived = body if kind != "content-mismatch" else body + "re-encoded"
                client.put_object(Bucket=DESTINATION, Key=f"us/{name}", Body=arrived.encode())
            if kind != "copied-not-deleted":
                client.delete_object(Bucket=SOURCE, Key=f"eu/{name}")
    publish_s3(client, SOURCE, INVENTORY_EU, file_format="Parquet")
    publish_s3(client, DESTINATION, INVENTORY_US, file_format="CSV")
    return Story(f"s3://{SOURCE}", f"s3://{DESTINATION}", EXPECTED)


def run_step(env: dict[str, str], out_dir: Path, quiet: bool = False) -> tuple[int, Path]:
    """`make demo`'s transfer step: seed the story, run `residency transfer`, return (exit code, JSON)."""
    import boto3

    from scripts.localcloud.aws.demo import ADMIN_KEY, ADMIN_SECRET
    from scripts.localcloud.services import REPO_ROOT

    admin = boto3.client("s3", endpoint_url=env["AWS_ENDPOINT_URL"], region_name="us-east-1",
                         aws_access_key_id=env[ADMIN_KEY], aws_secret_access_key=env[ADMIN_SECRET])
    story = seed(admin)
    report = out_dir / "transfer.json"
    command = [sys.executable, "-m", "residency", "transfer", story.source, story.destination, "--map", MAP,
               "--details", str(out_dir / "transfer-details.parquet"), "--format", "json", "--output", str(report),
               "--format", "html", "--output", str(out_dir / "transfer.html"),
               "--format", "sarif", "--output", str(out_dir / "transfer.sarif")]
    done = subprocess.run(command, env={**os.environ, **env}, cwd=REPO_ROOT, check=False,
                          stdout=subprocess.DEVNULL if quiet else None)
    return done.returncode, report


def print_summary(report: Path) -> None:
    import json

    if not report.exists():
        print("transfer proof: no report written")
        return
    for transfer in json.loads(report.read_text()).get("transfers", []):
        counts = ", ".join(f"{name} {count}" for name, count in transfer["summary"].items())
        print(f"\nTransfer proof {transfer['source']} -> {transfer['destination']} ({transfer['engine']}):\n  {counts}")
