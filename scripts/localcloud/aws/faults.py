"""Fault injection for the AWS proxy: what a misbehaving endpoint answers, enabled per test by flag.

None of these is on by default. Each imitates a failure a real endpoint (or a proxy, a bug, an
attacker in the path) can produce, in the API's own shapes, so the scanner is tested against
answers it cannot trust:

- `--loop-pages OP`: every page of OP names the same next-page token, forever (OP is one of
  `OPERATIONS`); the first page is served again for that token. `GET /__proxy__/stats` counts
  the requests that carried it.
- `--malform KIND[=BUCKET]`: one malformed entry in an otherwise valid answer: `list-buckets` (a
  bucket without a Name), `accounts` (an account without an Id), `tags=B` (B's Tagging API
  mapping holds a tag without a Value), `replication=B` (B's replication rule names no
  destination), `mrap=B` (an access point whose members are B without a Region and a bucket-less
  member in ap-southeast-1).
- `--deny-subresource NAME`: `GET /<bucket>?NAME` answers 403 AccessDenied (e.g. `replication`).
- `--echo-credentials`: GetBucketReplication and tag:GetResources answer an error whose message
  repeats the request's credentials (Authorization, X-Amz-Security-Token, Host) and
  `--echo-text`, as a careless or hostile endpoint would.
- `--slow-bucket-ms N`: every request on a bucket path is answered N ms late.
"""

from __future__ import annotations

import argparse
import json
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from scripts.localcloud.aws import shapes

LOOP_TOKEN = "residency-fault-loop-token"
S3_ROOT_OPS = ("ListBuckets", "ListDirectoryBuckets")
OPERATIONS = ("ListBuckets", "ListDirectoryBuckets", "GetResources", "ListAccounts", "ListMultiRegionAccessPoints")
MALFORM_KINDS = ("list-buckets", "accounts", "tags", "replication", "mrap")
_JSON_TOKEN = {"GetResources": "PaginationToken", "ListAccounts": "NextToken"}


@dataclass
class Faults:
    loop_pages: frozenset[str] = frozenset()
    malform: dict[str, str] = field(default_factory=dict)  # kind -> bucket ("" when none)
    deny_subresources: frozenset[str] = frozenset()
    echo_credentials: bool = False
    echo_text: str = ""
    slow_bucket_s: float = 0.0
    looped: Counter[str] = field(default_factory=Counter)  # operation -> requests carrying LOOP_TOKEN
    slow_in_flight: int = 0
    first_pages: dict[tuple[str, str], tuple[int, bytes]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def stats(self) -> dict[str, object]:
        with self.lock:
            return {"looped": dict(self.looped), "slow_in_flight": self.slow_in_flight}


@dataclass(frozen=True)
class Request:
    command: str
    path: str
    headers: dict[str, str]
    op: str | None  # see `operation`
    bucket: str | None
    subresource: str  # the first query key of a bucket-level request ("replication", "tagging" ...)
    body: bytes

    @property
    def key(self) -> tuple[str, str]:
        """Whose listing: first pages are remembered per operation and access key."""
        return str(self.op), shapes.access_key(self.headers.get("Authorization")) or ""


_JSON = "application/x-amz-json-1.1"
_XML = "application/xml"


def answer_instead(faults: Faults, request: Request) -> tuple[int, str, bytes] | None:
    """(status, content type, body) a fault answers instead of the endpoint, or None."""
    op, bucket, subresource = request.op, request.bucket, request.subresource
    if op in faults.loop_pages and carries_loop_token(request.path, request.body):
        with faults.lock:
            faults.looped[op] += 1
            status, page = faults.first_pages.get(request.key, (400, b"{}"))
        return status, _JSON if op in _JSON_TOKEN else _XML, page
    if request.command != "GET" and op != "GetResources":
        return None
    if bucket and subresource in faults.deny_subresources:
        return 403, _XML, shapes.error_xml("AccessDenied", "Access Denied")
    if faults.echo_credentials and (subresource == "replication" or op == "GetResources"):
        message = echo_message(request.headers, faults.echo_text)
        if op == "GetResources":
            return 400, _JSON, json.dumps({"__type": "AccessDeniedException", "Message": message}).encode()
        return 403, _XML, shapes.error_xml("AccessDenied", message)
    if bucket and subresource == "replication":
        replaced = malformed(faults, None, bucket, subresource, b"")
        return (200, _XML, replaced) if replaced else None
    return None


def altered(faults: Faults, request: Request, body: bytes) -> bytes:
    """A successful answer with one malformed entry, or naming a looping next token."""
    op = str(request.op)
    body = malformed(faults, op, request.bucket, request.subresource, body) or body
    if op in faults.loop_pages:
        body = with_loop_token(op, body)
        with faults.lock:
            faults.first_pages[request.key] = (200, body)
    return body


def operation(command: str, path: str, query: dict[str, list[str]], target: str) -> str | None:
    """The paged or faulted operation a request is, by the API's own routing."""
    if target:
        return target.rsplit(".", 1)[-1]
    if command == "GET" and path == "/":
        return "ListDirectoryBuckets" if "max-directory-buckets" in query else "ListBuckets"
    if command == "GET" and path.startswith("/v20180820/mrap/instances"):
        return "ListMultiRegionAccessPoints"
    return None


def carries_loop_token(path: str, body: bytes) -> bool:
    return LOOP_TOKEN in path or LOOP_TOKEN.encode() in body


def with_loop_token(op: str, body: bytes) -> bytes:
    """The answer naming LOOP_TOKEN as its next page."""
    if op in _JSON_TOKEN:
        document = json.loads(body or b"{}")
        document[_JSON_TOKEN[op]] = LOOP_TOKEN
        return json.dumps(document).encode()
    element = "ContinuationToken" if op in S3_ROOT_OPS else "NextToken"
    body = re.sub(f"<{element}>[^<]*</{element}>".encode(), b"", body)
    return re.sub(rb"(</[A-Za-z]+>\s*)$", f"<{element}>{LOOP_TOKEN}</{element}>".encode() + rb"\1",
                  body.rstrip(), count=1)


def malformed(faults: Faults, op: str | None, bucket: str | None, subresource: str, body: bytes) -> bytes | None:
    """The answer with one malformed entry, or None when no malform fault applies."""
    kinds = faults.malform
    if op == "ListBuckets" and "list-buckets" in kinds:
        entry = b"<Bucket><CreationDate>2024-01-01T00:00:00.000Z</CreationDate></Bucket>"
        return body.replace(b"<Buckets>", b"<Buckets>" + entry, 1)
    if op == "ListAccounts" and "accounts" in kinds:
        document = json.loads(body)
        document.setdefault("Accounts", []).append({"Name": "no-id", "Status": "ACTIVE"})
        return json.dumps(document).encode()
    if op == "GetResources" and "tags" in kinds:
        document = json.loads(body)
        for mapping in document.get("ResourceTagMappingList", []):
            if str(mapping.get("ResourceARN", "")).endswith(f":::{kinds['tags']}"):
                mapping["Tags"] = [{"Key": "data-class"}]
        return json.dumps(document).encode()
    if op == "ListMultiRegionAccessPoints" and "mrap" in kinds:
        point = (f"<AccessPoint><Name>malformed-mrap</Name><Status>READY</Status><Regions>"
                 f"<Region><Bucket>{kinds['mrap']}</Bucket></Region>"
                 "<Region><Region>ap-southeast-1</Region></Region></Regions></AccessPoint>").encode()
        if b"<AccessPoints>" in body:
            return body.replace(b"<AccessPoints>", b"<AccessPoints>" + point, 1)
        return body.replace(b"</ListMultiRegionAccessPointsResult>",
                            b"<AccessPoints>" + point + b"</AccessPoints></ListMultiRegionAccessPointsResult>", 1)
    if subresource == "replication" and kinds.get("replication") == bucket:
        return (b'<?xml version="1.0" encoding="UTF-8"?><ReplicationConfiguration xmlns="' + shapes.S3_NS.encode()
                + b'"><Role>arn:aws:iam::123456789012:role/replication</Role><Rule><ID>no-destination</ID>'
                b"<Status>Enabled</Status><Priority>1</Priority><Filter><Prefix></Prefix></Filter></Rule>"
                b"</ReplicationConfiguration>")
    return None


def echo_message(headers: dict[str, str], extra: str) -> str:
    """What a careless endpoint says back: the caller's own credentials."""
    parts = [f"{name}={headers[name]}" for name in ("X-Amz-Security-Token", "Host", "Authorization")
             if headers.get(name)]
    return f"Access Denied {extra} for request {'; '.join(parts)}".replace("  ", " ")


def slow_down(faults: Faults) -> None:
    with faults.lock:
        faults.slow_in_flight += 1
    try:
        time.sleep(faults.slow_bucket_s)
    finally:
        with faults.lock:
            faults.slow_in_flight -= 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--loop-pages", action="append", default=[], choices=OPERATIONS,
                        help="fault: every page of this listing names the same next token")
    parser.add_argument("--malform", action="append", default=[], metavar="KIND[=BUCKET]",
                        help=f"fault: one malformed entry ({', '.join(MALFORM_KINDS)})")
    parser.add_argument("--deny-subresource", action="append", default=[], metavar="NAME",
                        help="fault: GET /<bucket>?NAME answers AccessDenied (e.g. replication)")
    parser.add_argument("--echo-credentials", action="store_true",
                        help="fault: replication and tagging reads answer errors repeating the credentials")
    parser.add_argument("--echo-text", default="", help="fault: more text for --echo-credentials to repeat")
    parser.add_argument("--slow-bucket-ms", type=float, default=0.0, help="fault: delay every bucket read")


def from_args(args: argparse.Namespace) -> Faults:
    return Faults(
        loop_pages=frozenset(args.loop_pages), malform=_parse_malform(args.malform),
        deny_subresources=frozenset(args.deny_subresource), echo_credentials=args.echo_credentials,
        echo_text=args.echo_text, slow_bucket_s=args.slow_bucket_ms / 1000.0,
    )


def _parse_malform(values: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for value in values:
        kind, _, bucket = value.partition("=")
        if kind not in MALFORM_KINDS:
            raise SystemExit(f"--malform {value!r}: choose one of {', '.join(MALFORM_KINDS)}")
        found[kind] = bucket
    return found
