"""The local proxy's pure parts: what it learns from traffic and the XML it writes."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from scripts.localcloud.aws import shapes
from scripts.localcloud.aws.proxy import parse_config

NS = {"s3": shapes.S3_NS}
MOTO_LIST = (
    f'<ListAllMyBucketsResult xmlns="{shapes.S3_NS}"><Owner><ID>x</ID></Owner><Buckets>'
    + "".join(f"<Bucket><Name>b{i}</Name><CreationDate>2026-01-01T00:00:00Z</CreationDate></Bucket>" for i in range(5))
    + "</Buckets></ListAllMyBucketsResult>"
).encode()


def page(token: str | None) -> tuple[list[tuple[str, str]], str | None]:
    root = ET.fromstring(shapes.list_buckets_with_regions(MOTO_LIST, {"b1": "eu-west-1"}, token, 2))
    buckets = [(b.findtext("s3:Name", namespaces=NS) or "", b.findtext("s3:BucketRegion", namespaces=NS) or "")
               for b in root.iterfind("s3:Buckets/s3:Bucket", NS)]
    return buckets, root.findtext("s3:ContinuationToken", namespaces=NS)


def test_list_buckets_pages_with_tokens_and_regions() -> None:
    first, token = page(None)
    assert first == [("b0", "us-east-1"), ("b1", "eu-west-1")] and token
    second, token = page(token)
    third, last = page(token)
    assert [n for n, _ in second + third] == ["b2", "b3", "b4"] and last is None


def test_traffic_teaches_bucket_regions_and_assumed_role_accounts() -> None:
    state = shapes.ObservedState()
    body = b'<CreateBucketConfiguration><LocationConstraint>eu-west-2</LocationConstraint></CreateBucketConfiguration>'
    state.observe("PUT", "/london", body, 200, b"")
    state.observe("PUT", "/virginia", b"", 200, b"")
    state.observe("PUT", "/refused", body, 409, b"")
    state.observe("PUT", "/london?tagging", b"<Tagging/>", 200, b"")
    assert state.regions() == {"london": "eu-west-2", "virginia": "us-east-1"}
    answer = (b"<AssumeRoleResponse><Credentials><AccessKeyId>ASIAEXAMPLE</AccessKeyId></Credentials>"
              b"<AssumedRoleUser><Arn>arn:aws:sts::111111111111:assumed-role/scan/s</Arn></AssumedRoleUser>"
              b"</AssumeRoleResponse>")
    state.observe("POST", "/", b"Action=AssumeRole&RoleArn=x", 200, answer)
    assert state.account_of("ASIAEXAMPLE") == "111111111111"
    assert state.account_of("AKIAOTHER") == shapes.DEFAULT_ACCOUNT
    state.observe("DELETE", "/london", b"", 204, b"")
    assert "london" not in state.regions()


def test_signature_scope_gives_region_and_key() -> None:
    header = "AWS4-HMAC-SHA256 Credential=AKIA1/20260101/us-west-2/s3express/aws4_request, SignedHeaders=host"
    assert shapes.signing_region(header) == "us-west-2"
    assert shapes.access_key(header) == "AKIA1"
    assert shapes.signing_region(None) is None


def test_object_retention_answers() -> None:
    status, body = shapes.object_retention("COMPLIANCE", "2030-01-01T00:00:00Z")
    assert status == 200 and b"<Mode>COMPLIANCE</Mode>" in body
    status, body = shapes.object_retention(None, None)
    assert status == 404 and b"NoSuchObjectLockConfiguration" in body


def test_directory_bucket_tags_path_and_answer() -> None:
    arn = "arn%3Aaws%3As3express%3Aus-east-1%3A123456789012%3Abucket/edge--use1-qro1-az1--x-s3"
    assert shapes.directory_bucket_of_tags_path(f"/v20180820/tags/{arn}") == "edge--use1-qro1-az1--x-s3"
    assert shapes.directory_bucket_of_tags_path("/v20180820/tags/arn%3Aaws%3As3%3A%3A%3Aplain") is None
    assert shapes.directory_bucket_of_tags_path("/v20180820/mrap/instances") is None
    root = ET.fromstring(shapes.list_tags_for_resource({"team": "video", "data-class": "us-user-data"}))
    ns = {"c": shapes.S3CONTROL_NS}
    keys = [(t.findtext("c:Key", namespaces=ns), t.findtext("c:Value", namespaces=ns))
            for t in root.iterfind("c:Tags/c:Tag", ns)]
    assert root.tag == f"{{{shapes.S3CONTROL_NS}}}ListTagsForResourceResult"
    assert keys == [("data-class", "us-user-data"), ("team", "video")]


def test_directory_bucket_option_takes_optional_tags() -> None:
    _, config = parse_config(["--port", "1", "--upstream", "http://x",
                              "--directory-bucket", "a--use1-az4--x-s3=us-east-1",
                              "--directory-bucket", "b--use1-az4--x-s3=us-east-1:data-class=us,team=video"])
    assert config.directory_buckets == {"a--use1-az4--x-s3": "us-east-1", "b--use1-az4--x-s3": "us-east-1"}
    assert config.directory_bucket_tags["b--use1-az4--x-s3"] == {"data-class": "us", "team": "video"}
    assert config.directory_bucket_tags["a--use1-az4--x-s3"] == {}
