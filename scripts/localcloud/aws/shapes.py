"""Real AWS REST/XML shapes that moto 5.2.5's server lacks, served by `aws_proxy`.

- ListBuckets with `BucketRegion` and real `ContinuationToken` pagination (moto gives neither)
- ListDirectoryBuckets (moto answers with general-purpose buckets)
- S3 Control ListTagsForResource for directory buckets (moto knows no directory buckets)
- DescribeAvailabilityZones for Local Zones (moto lists only Availability Zones)
- ListMultiRegionAccessPoints member regions (moto reports us-east-1 for every member)
- GetObjectRetention (moto answers with the object itself, which botocore reports as a 500;
  the lock headers on that answer are right, so the proxy turns them into the real shape)

The proxy learns bucket regions and assumed-role accounts from the requests that pass through
it, so it needs no credentials of its own and works while moto enforces IAM.
"""

from __future__ import annotations

import base64
import re
import threading
import urllib.parse
import xml.etree.ElementTree as ET
from dataclasses import dataclass

S3_NS = "http://s3.amazonaws.com/doc/2006-03-01/"
S3CONTROL_NS = "http://awss3control.amazonaws.com/doc/2018-08-20/"
EC2_NS = "http://ec2.amazonaws.com/doc/2016-11-15/"
_SIGNING_REGION = re.compile(r"Credential=[^/]+/[0-9]{8}/([a-z0-9-]+)/")
_ACCESS_KEY = re.compile(r"Credential=([^/]+)/")
_LOCATION = re.compile(rb"<LocationConstraint>([a-z0-9-]+)</LocationConstraint>")
_ASSUMED_KEY = re.compile(rb"<AccessKeyId>([A-Z0-9]+)</AccessKeyId>")
_ASSUMED_ARN = re.compile(rb"<Arn>arn:[A-Za-z0-9_-]+:sts::([0-9]{12}):assumed-role/")
DEFAULT_ACCOUNT = "123456789012"


@dataclass(frozen=True)
class LocalZone:
    zone_id: str  # e.g. use1-qro1-az1
    region: str  # parent region, e.g. us-east-1
    group: str  # e.g. us-east-1-qro-1

    @property
    def zone_name(self) -> str:
        return f"{self.group}a"


def signing_region(authorization: str | None) -> str | None:
    match = _SIGNING_REGION.search(authorization or "")
    return match.group(1) if match else None


def access_key(authorization: str | None) -> str | None:
    match = _ACCESS_KEY.search(authorization or "")
    return match.group(1) if match else None


class ObservedState:
    """What the proxy learns from the requests passing through it (seeding goes through it too):
    each bucket's region from CreateBucket, each assumed-role key's account from AssumeRole."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.bucket_regions: dict[str, str] = {}
        self.key_accounts: dict[str, str] = {}

    def observe(self, method: str, path: str, body: bytes, status: int, answer: bytes) -> None:
        if status >= 300:
            return
        bucket = path.lstrip("/")
        if method == "PUT" and bucket and "/" not in bucket and "?" not in path:
            match = _LOCATION.search(body)
            with self._lock:
                self.bucket_regions[bucket] = match.group(1).decode() if match else "us-east-1"
        elif method == "DELETE" and bucket and "/" not in bucket and "?" not in path:
            with self._lock:
                self.bucket_regions.pop(bucket, None)
        elif method == "POST" and b"Action=AssumeRole" in body:
            key, arn = _ASSUMED_KEY.search(answer), _ASSUMED_ARN.search(answer)
            if key and arn:
                with self._lock:
                    self.key_accounts[key.group(1).decode()] = arn.group(1).decode()

    def regions(self) -> dict[str, str]:
        with self._lock:
            return dict(self.bucket_regions)

    def account_of(self, access_key: str | None) -> str:
        """Assumed-role keys act in the role's account; every other key in moto's default one."""
        with self._lock:
            return self.key_accounts.get(access_key or "", DEFAULT_ACCOUNT)


def _xml(root: ET.Element) -> bytes:
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body


def _child(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, tag)
    if text is not None:
        element.text = text
    return element


def error_xml(code: str, message: str) -> bytes:
    root = ET.Element("Error")
    _child(root, "Code", code)
    _child(root, "Message", message)
    _child(root, "RequestId", "residency-local-proxy")
    return _xml(root)


def list_buckets_with_regions(
    moto_body: bytes, regions: dict[str, str], token: str | None, page_size: int
) -> bytes:
    """Moto's ListBuckets answer, with BucketRegion on every bucket and paged by `page_size`."""
    ET.register_namespace("", S3_NS)
    root = ET.fromstring(moto_body)
    buckets_element = root.find(f"{{{S3_NS}}}Buckets")
    buckets = list(buckets_element) if buckets_element is not None else []
    start = int(base64.urlsafe_b64decode(token.encode()).decode()) if token else 0
    if buckets_element is not None:
        for bucket in buckets:
            buckets_element.remove(bucket)
        for bucket in buckets[start : start + page_size]:
            name = bucket.findtext(f"{{{S3_NS}}}Name") or ""
            _child(bucket, f"{{{S3_NS}}}BucketRegion", regions.get(name, "us-east-1"))
            buckets_element.append(bucket)
    if start + page_size < len(buckets):
        next_token = base64.urlsafe_b64encode(str(start + page_size).encode()).decode()
        _child(root, f"{{{S3_NS}}}ContinuationToken", next_token)
    return _xml(root)


def list_directory_buckets(buckets: dict[str, str], region: str | None) -> bytes:
    root = ET.Element("ListAllMyDirectoryBucketsResult", xmlns=S3_NS)
    listing = _child(root, "Buckets")
    for name, bucket_region in sorted(buckets.items()):
        if region is None or bucket_region == region:
            bucket = _child(listing, "Bucket")
            _child(bucket, "Name", name)
            _child(bucket, "CreationDate", "2026-01-01T00:00:00.000Z")
            _child(bucket, "BucketRegion", bucket_region)
    return _xml(root)


def directory_bucket_of_tags_path(path: str) -> str | None:
    """The bucket name of an S3 Control `/v20180820/tags/{arn:...:s3express:...:bucket/NAME}` path."""
    prefix = "/v20180820/tags/"
    if not path.startswith(prefix):
        return None
    arn = urllib.parse.unquote(path[len(prefix):])
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[2] != "s3express" or not parts[5].startswith("bucket/"):
        return None
    return parts[5][len("bucket/"):] or None


def list_tags_for_resource(tags: dict[str, str]) -> bytes:
    root = ET.Element("ListTagsForResourceResult", xmlns=S3CONTROL_NS)
    listing = _child(root, "Tags")
    for key, value in sorted(tags.items()):
        tag = _child(listing, "Tag")
        _child(tag, "Key", key)
        _child(tag, "Value", value)
    return _xml(root)


def describe_local_zones(zones: list[LocalZone]) -> bytes:
    root = ET.Element("DescribeAvailabilityZonesResponse", xmlns=EC2_NS)
    _child(root, "requestId", "residency-local-proxy")
    info = _child(root, "availabilityZoneInfo")
    for zone in zones:
        item = _child(info, "item")
        for tag, value in (
            ("zoneName", zone.zone_name), ("zoneState", "available"), ("regionName", zone.region),
            ("zoneId", zone.zone_id), ("zoneType", "local-zone"), ("groupName", zone.group),
            ("networkBorderGroup", zone.group), ("optInStatus", "opted-in"),
        ):
            _child(item, tag, value)
    return _xml(root)


def requested_zone_ids(form: dict[str, list[str]]) -> list[str]:
    return [values[0] for key, values in sorted(form.items()) if key.startswith("ZoneId.")]


def mrap_with_member_regions(moto_body: bytes, regions: dict[str, str]) -> bytes:
    ET.register_namespace("", S3CONTROL_NS)
    root = ET.fromstring(moto_body)
    for region_element in root.iter(f"{{{S3CONTROL_NS}}}Region"):
        bucket = region_element.findtext(f"{{{S3CONTROL_NS}}}Bucket")
        region_name = region_element.find(f"{{{S3CONTROL_NS}}}Region")
        if bucket and region_name is not None and bucket in regions:
            region_name.text = regions[bucket]
    return _xml(root)


def object_retention(mode: str | None, until: str | None) -> tuple[int, bytes]:
    """GetObjectRetention from the lock headers moto puts on its (object-shaped) answer."""
    if not mode:
        message = "The specified object does not have a ObjectLock configuration"
        return 404, error_xml("NoSuchObjectLockConfiguration", message)
    root = ET.Element("Retention", xmlns=S3_NS)
    _child(root, "Mode", mode)
    _child(root, "RetainUntilDate", until or "")
    return 200, _xml(root)
