"""A small HTTP proxy in front of moto's server: latency, throttling, and the shapes moto lacks.

    python -m scripts.localcloud.aws.proxy --port N --upstream http://127.0.0.1:M \\
        [--latency-ms 30] [--bucket-region] [--list-page-size 2] \\
        [--directory-bucket NAME=REGION[:KEY=VALUE,...] ...] [--local-zone ZONE_ID=REGION:GROUP ...] \\
        [--throttle-bucket NAME ...]   (503 SlowDown to every read of that bucket)
        [--deny-tagging-api]           (tag:GetResources answers AccessDenied)
        [--deny-directory-bucket-tags] (S3 Control ListTagsForResource answers AccessDenied)
        [--datastores URL]             (DynamoDB, RDS, EC2, Backup, DLM, ElastiCache and Logs requests go
                                        to the local datastore server, which answers what moto lacks)
        [fault injection, off by default: see `aws.faults`]

Requests are forwarded unchanged (same Host header, so moto's SigV4 checks still pass);
only the answers listed in `aws_shapes` are added or corrected. `GET /__proxy__/stats` tells
how many requests were throttled, per bucket.
"""

from __future__ import annotations

import argparse
import http.client
import json
import socket
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from scripts.localcloud.aws import faults as fault
from scripts.localcloud.aws import shapes

STATS_PATH = "/__proxy__/stats"
# Signing names of the services the local datastore server answers (scripts/localcloud/aws/datastores/).
DATASTORE_SERVICES = frozenset({"dynamodb", "rds", "ec2", "backup", "dlm", "elasticache", "logs"})
ACCOUNT_HEADER = "X-Residency-Account"
_HOP_HEADERS = frozenset({"connection", "keep-alive", "transfer-encoding", "proxy-connection", "content-length"})
_NOT_BUCKET_PATHS = ("/v20180820/", "/moto-api", "/__proxy__")


@dataclass
class ProxyConfig:
    upstream: str
    latency_s: float = 0.0
    bucket_region: bool = False
    list_page_size: int = 1000
    directory_buckets: dict[str, str] = field(default_factory=dict)  # name -> region
    directory_bucket_tags: dict[str, dict[str, str]] = field(default_factory=dict)  # name -> tags
    deny_directory_bucket_tags: bool = False
    local_zones: dict[str, shapes.LocalZone] = field(default_factory=dict)
    throttled_buckets: frozenset[str] = frozenset()
    deny_tagging_api: bool = False
    throttled: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)
    state: shapes.ObservedState = field(default_factory=shapes.ObservedState)
    datastores: str | None = None  # the local datastore server, for the services in DATASTORE_SERVICES
    faults: fault.Faults = field(default_factory=fault.Faults)


@dataclass
class Answer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    head_length: int | None = None  # a HEAD answer's Content-Length (the object's size)


class ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: ProxyServer

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes: without NODELAY, Nagle's algorithm and the
        # client's delayed ACK add ~40 ms to every answer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: object) -> None:  # quiet: thousands of requests
        return None

    def do_GET(self) -> None:
        self._handle()

    do_PUT = do_POST = do_DELETE = do_HEAD = do_PATCH = do_GET

    def _handle(self) -> None:
        config = self.server.config
        body = self._read_body()
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if url.path == STATS_PATH:
            with config.lock:
                payload = json.dumps({"throttled": dict(config.throttled), **config.faults.stats()}).encode()
            return self._send(Answer(200, [("Content-Type", "application/json")], payload))
        if config.latency_s:
            time.sleep(config.latency_s)
        bucket = _bucket_of(url.path)
        if bucket and config.faults.slow_bucket_s and self.command in ("GET", "HEAD"):
            fault.slow_down(config.faults)
        if bucket in config.throttled_buckets and self.command in ("GET", "HEAD"):  # reads only: seeding works
            with config.lock:
                config.throttled[bucket] += 1
            return self._send(_xml_answer(503, shapes.error_xml("SlowDown", "Please reduce your request rate.")))
        op = fault.operation(self.command, url.path, query, self.headers.get("X-Amz-Target", ""))
        subresource = next(iter(query), "") if bucket and "/" not in url.path.strip("/") else ""
        faulted = self._fault(op, bucket, subresource, body)
        self._send(faulted or self._faulted(op, bucket, subresource, self._answer(url, query, body)))

    def _fault(self, op: str | None, bucket: str | None, subresource: str, body: bytes) -> Answer | None:
        """An answer a fault gives instead of the endpoint's, if any applies."""
        request = fault.Request(self.command, self.path, dict(self.headers.items()), op, bucket, subresource, body)
        replaced = fault.answer_instead(self.server.config.faults, request)
        return Answer(replaced[0], [("Content-Type", replaced[1])], replaced[2]) if replaced else None

    def _faulted(self, op: str | None, bucket: str | None, subresource: str, answer: Answer) -> Answer:
        """The endpoint's answer with a malformed entry or a looping page token, when asked for."""
        if answer.status == 200 and op is not None:
            request = fault.Request(self.command, self.path, dict(self.headers.items()), op, bucket, subresource, b"")
            answer.body = fault.altered(self.server.config.faults, request, answer.body)
        return answer

    def _answer(self, url: urllib.parse.SplitResult, query: dict[str, list[str]], body: bytes) -> Answer:
        config = self.server.config
        is_s3_root = self.command == "GET" and url.path == "/" and "x-amz-target" not in self.headers
        if is_s3_root and "max-directory-buckets" in query and config.directory_buckets:
            authorization = self.headers.get("Authorization")
            region = shapes.signing_region(authorization)
            own = config.state.account_of(shapes.access_key(authorization)) == shapes.DEFAULT_ACCOUNT
            buckets = config.directory_buckets if own else {}  # they belong to moto's default account
            return _xml_answer(200, shapes.list_directory_buckets(buckets, region))
        directory_bucket = shapes.directory_bucket_of_tags_path(url.path)
        if self.command == "GET" and directory_bucket is not None and config.deny_directory_bucket_tags:
            denial = shapes.error_xml("AccessDenied", "not authorized to perform: s3express:ListTagsForResource")
            return _xml_answer(403, denial)
        if self.command == "GET" and directory_bucket in config.directory_buckets:
            return self._directory_bucket_tags(directory_bucket)
        if self.command == "POST" and url.path == "/" and b"Action=DescribeAvailabilityZones" in body:
            form = urllib.parse.parse_qs(body.decode())
            wanted = [config.local_zones[z] for z in shapes.requested_zone_ids(form) if z in config.local_zones]
            if wanted:
                return _xml_answer(200, shapes.describe_local_zones(wanted))
        if config.deny_tagging_api and self.headers.get("X-Amz-Target", "").endswith(".GetResources"):
            message = b'{"__type": "AccessDeniedException", "Message": "not authorized to perform tag:GetResources"}'
            return Answer(400, [("Content-Type", "application/x-amz-json-1.1")], message)
        if self.command == "GET" and _is_object_path(url.path) and "retention" in query:
            return self._object_retention(body)
        answer = self._forward(body)
        if answer.status == 200 and is_s3_root and config.bucket_region and "max-directory-buckets" not in query:
            token = query.get("continuation-token", [None])[0]
            page = min(int(query.get("max-buckets", ["10000"])[0]), config.list_page_size)
            regions = config.state.regions()
            answer.body = shapes.list_buckets_with_regions(answer.body, regions, token, page)
        elif answer.status == 200 and url.path.startswith("/v20180820/mrap/instances"):
            answer.body = shapes.mrap_with_member_regions(answer.body, config.state.regions())
        return answer

    def _directory_bucket_tags(self, name: str) -> Answer:
        """ListTagsForResource for a directory bucket of moto's default account (as listed)."""
        config = self.server.config
        owner = config.state.account_of(shapes.access_key(self.headers.get("Authorization")))
        if owner != shapes.DEFAULT_ACCOUNT or self.headers.get("x-amz-account-id") != owner:
            return _xml_answer(404, shapes.error_xml("NoSuchBucket", "The specified bucket does not exist"))
        return _xml_answer(200, shapes.list_tags_for_resource(config.directory_bucket_tags.get(name, {})))

    def _object_retention(self, body: bytes) -> Answer:
        answer = self._forward(body)
        if answer.status != 200 or b"<Retention" in answer.body[:200]:
            return answer
        headers = {name.lower(): value for name, value in answer.headers}
        mode, until = headers.get("x-amz-object-lock-mode"), headers.get("x-amz-object-lock-retain-until-date")
        return _xml_answer(*shapes.object_retention(mode, until))

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _forward(self, body: bytes) -> Answer:
        config = self.server.config
        authorization = self.headers.get("Authorization")
        to_datastores = config.datastores is not None and shapes.signing_service(authorization) in DATASTORE_SERVICES
        upstream = urllib.parse.urlsplit(config.datastores if to_datastores and config.datastores else config.upstream)
        connection = http.client.HTTPConnection(upstream.hostname or "127.0.0.1", upstream.port, timeout=120)
        try:
            connection.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
            for name, value in self.headers.items():
                if name.lower() not in _HOP_HEADERS:
                    connection.putheader(name, value)
            if to_datastores:  # the caller's account, as this proxy learnt it from AssumeRole answers
                connection.putheader(ACCOUNT_HEADER, config.state.account_of(shapes.access_key(authorization)))
            connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body)
            response = connection.getresponse()
            payload = response.read()
            headers = [(k, v) for k, v in response.getheaders() if k.lower() not in _HOP_HEADERS]
            length = response.getheader("Content-Length") if self.command == "HEAD" else None
            self.server.config.state.observe(self.command, self.path, body, response.status, payload)
            return Answer(response.status, headers, payload, int(length) if length else None)
        finally:
            connection.close()

    def _send(self, answer: Answer) -> None:
        self.send_response(answer.status)
        for name, value in answer.headers:
            if name.lower() != "content-length":
                self.send_header(name, value)
        length = (answer.head_length or 0) if self.command == "HEAD" else len(answer.body)
        self.send_header("Content-Length", str(length))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(answer.body)


def _xml_answer(status: int, body: bytes) -> Answer:
    return Answer(status, [("Content-Type", "application/xml")], body)


def _bucket_of(path: str) -> str | None:
    if path == "/" or path.startswith(_NOT_BUCKET_PATHS):
        return None
    return urllib.parse.unquote(path.lstrip("/").split("/", 1)[0]) or None


def _is_object_path(path: str) -> bool:
    return _bucket_of(path) is not None and "/" in path.lstrip("/")


class ProxyServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

    def __init__(self, port: int, config: ProxyConfig) -> None:
        super().__init__(("127.0.0.1", port), ProxyHandler)
        self.config = config


def _pairs(values: list[str], option: str) -> list[tuple[str, str]]:
    pairs = []
    for value in values:
        left, sep, right = value.partition("=")
        if not sep or not left or not right:
            raise SystemExit(f"{option} {value!r}: write NAME=VALUE")
        pairs.append((left, right))
    return pairs


def _directory_buckets(values: list[str]) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """NAME=REGION[:KEY=VALUE,...] -> (name -> region, name -> tags)."""
    regions: dict[str, str] = {}
    tags: dict[str, dict[str, str]] = {}
    for name, where in _pairs(values, "--directory-bucket"):
        region, _, tag_text = where.partition(":")
        pairs = [tag for tag in tag_text.split(",") if tag]
        regions[name], tags[name] = region, dict(_pairs(pairs, f"--directory-bucket {name}: tag"))
    return regions, tags


def parse_config(argv: list[str] | None = None) -> tuple[int, ProxyConfig]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--upstream", required=True, help="moto server URL")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="delay added to every request")
    parser.add_argument("--bucket-region", action="store_true", help="ListBuckets returns BucketRegion, paginated")
    parser.add_argument("--list-page-size", type=int, default=1000, help="ListBuckets page size (with --bucket-region)")
    parser.add_argument("--directory-bucket", action="append", default=[], metavar="NAME=REGION[:KEY=VALUE,...]")
    parser.add_argument("--local-zone", action="append", default=[], metavar="ZONE_ID=REGION:GROUP")
    parser.add_argument("--throttle-bucket", action="append", default=[], metavar="NAME")
    parser.add_argument("--deny-tagging-api", action="store_true", help="answer tag:GetResources with AccessDenied")
    parser.add_argument("--deny-directory-bucket-tags", action="store_true",
                        help="answer S3 Control ListTagsForResource with AccessDenied")
    parser.add_argument("--datastores", metavar="URL",
                        help="the local datastore server, for DynamoDB, RDS, EC2, Backup, DLM, ElastiCache, Logs")
    fault.add_arguments(parser)
    args = parser.parse_args(argv)
    zones = {}
    for zone_id, where in _pairs(args.local_zone, "--local-zone"):
        region, _, group = where.partition(":")
        zones[zone_id] = shapes.LocalZone(zone_id, region, group or f"{region}-zone")
    directory_buckets, directory_tags = _directory_buckets(args.directory_bucket)
    config = ProxyConfig(
        upstream=args.upstream,
        latency_s=args.latency_ms / 1000.0,
        bucket_region=args.bucket_region,
        list_page_size=args.list_page_size,
        directory_buckets=directory_buckets,
        directory_bucket_tags=directory_tags,
        deny_directory_bucket_tags=args.deny_directory_bucket_tags,
        local_zones=zones,
        throttled_buckets=frozenset(args.throttle_bucket),
        deny_tagging_api=args.deny_tagging_api,
        datastores=args.datastores,
        faults=fault.from_args(args),
    )
    return args.port, config


def main(argv: list[str] | None = None) -> None:
    port, config = parse_config(argv)
    with ProxyServer(port, config) as server:
        server.serve_forever()


if __name__ == "__main__":
    main()
