"""The project's local AWS endpoint for what moto 5.2.5 lacks in databases, backups and copies.

    python -m scripts.localcloud.aws.datastores.server --port N --upstream http://127.0.0.1:M [--enabled-regions R1,R2]

`POST /__datastores__/age?days=N` lets N days pass for AWS Backup (a vault lock's cooling-off ends).

The AWS proxy (`scripts/localcloud/aws/proxy.py --datastores URL`) routes the requests of
DynamoDB, RDS, EC2, AWS Backup, DLM, ElastiCache and CloudWatch Logs here, with the caller's
account in `X-Residency-Account`. Each request is decoded with botocore's service model, then:
- an operation this server keeps (`OWNED`) is answered from its own state, and one it keeps for
  some resources only (`BEFORE_UPSTREAM`: a replica table moto never saw) for those;
- an operation moto implements partly (`AFTER_UPSTREAM`) goes to moto unchanged (so moto's
  SigV4 and IAM checks still apply), and moto's successful answer is completed or corrected;
- anything else is moto's answer, byte for byte.
Every answer this server writes is rendered from the operation's output shape (`render.py`).
"""

from __future__ import annotations

import argparse
import http.client
import socket
import sys
import traceback
import urllib.parse
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from botocore.model import OperationNotFoundError

from scripts.localcloud.aws.datastores import (
    AGE_PATH,
    HEALTH_PATH,
    backup,
    backup_jobs,
    dlm,
    dynamodb,
    ec2,
    elasticache,
    logs,
    rds,
)
from scripts.localcloud.aws.datastores.protocol import ApiError, Call, decode
from scripts.localcloud.aws.datastores.render import Answer, encode, encode_error, parse_upstream
from scripts.localcloud.aws.datastores.state import DEFAULT_ACCOUNT, Store
from scripts.localcloud.services import serve_until_interrupted

ACCOUNT_HEADER = "X-Residency-Account"
RENDERED_HEADER = "X-Residency-Rendered"
Owned = Callable[[Store, Call], dict[str, Any]]
AfterUpstream = Callable[[Store, Call, dict[str, Any]], dict[str, Any]]
BeforeUpstream = Callable[[Store, Call], dict[str, Any] | None]  # None: moto answers
_HOP_HEADERS = frozenset({"connection", "keep-alive", "transfer-encoding", "content-length", ACCOUNT_HEADER.lower()})

OWNED: dict[tuple[str, str], Owned] = {
    (service, name): handler
    for service, table in (("dynamodb", dynamodb.OWNED), ("backup", backup_jobs.OWNED), ("dlm", dlm.OWNED),
                           ("logs", logs.OWNED), ("rds", rds.OWNED), ("ec2", ec2.OWNED),
                           ("elasticache", elasticache.OWNED))
    for name, handler in table.items()
}
BEFORE_UPSTREAM: dict[tuple[str, str], BeforeUpstream] = {
    ("dynamodb", name): handler for name, handler in dynamodb.BEFORE_UPSTREAM.items()
}
AFTER_UPSTREAM: dict[tuple[str, str], AfterUpstream] = {
    (service, name): handler
    for service, table in (("dynamodb", dynamodb.AFTER_UPSTREAM), ("logs", logs.AFTER_UPSTREAM),
                           ("rds", rds.AFTER_UPSTREAM), ("ec2", ec2.AFTER_UPSTREAM),
                           ("elasticache", elasticache.AFTER_UPSTREAM))
    for name, handler in table.items()
}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: DatastoreServer

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: object) -> None:
        return None

    def do_GET(self) -> None:
        self._handle()

    do_PUT = do_POST = do_DELETE = do_HEAD = do_PATCH = do_GET

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.path == HEALTH_PATH:
            return self._send((200, [("Content-Type", "text/plain")], b"ok"))
        if self.path.startswith(AGE_PATH) and self.command == "POST":
            days = int(urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query).get("days", ["0"])[0])
            with self.server.store.lock:
                backup.age(self.server.store, days)
            return self._send((200, [("Content-Type", "text/plain")], b"aged"))
        headers = {name.lower(): value for name, value in self.headers.items()}
        account = headers.get(ACCOUNT_HEADER.lower()) or DEFAULT_ACCOUNT
        try:
            call = decode(self.command, self.path, headers, body, account)
        except (ApiError, OperationNotFoundError, ValueError, KeyError):
            call = None  # not an operation of the model: moto answers as it does
        self._send(self._answer(call, body) if call is not None else self._forward(body))

    def _answer(self, call: Call, body: bytes) -> Answer:
        store = self.server.store
        key = (call.service, call.name)
        try:
            owned = OWNED.get(key)
            if owned is not None:
                with store.lock:
                    return _rendered(encode(call, owned(store, call)))
            first = BEFORE_UPSTREAM.get(key)
            if first is not None:
                with store.lock:
                    answered = first(store, call)
                if answered is not None:
                    return _rendered(encode(call, answered))
            after = AFTER_UPSTREAM.get(key)
            upstream = self._forward(body)
            if after is None or not 200 <= upstream[0] < 300:
                return upstream
            parsed = parse_upstream(call.operation, *upstream)
            with store.lock:
                return _rendered(encode(call, after(store, call, parsed)))
        except ApiError as error:
            return encode_error(call, error)
        except Exception as error:  # a bug here: say so in the service's error shape, and in the log
            traceback.print_exc(file=sys.stderr)
            return encode_error(call, ApiError("InternalFailure", f"{type(error).__name__}: {error}", 500))

    def _forward(self, body: bytes) -> Answer:
        upstream = urllib.parse.urlsplit(self.server.upstream)
        connection = http.client.HTTPConnection(upstream.hostname or "127.0.0.1", upstream.port, timeout=120)
        try:
            connection.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
            for name, value in self.headers.items():
                if name.lower() not in _HOP_HEADERS:
                    connection.putheader(name, value)
            connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body)
            response = connection.getresponse()
            payload = response.read()
            headers = [(k, v) for k, v in response.getheaders() if k.lower() not in _HOP_HEADERS]
            return response.status, headers, payload
        finally:
            connection.close()

    def _send(self, answer: Answer) -> None:
        status, headers, payload = answer
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)


def _rendered(answer: Answer) -> Answer:
    """Marks an answer this server wrote (tests validate each one against the service model)."""
    status, headers, payload = answer
    return status, [*headers, (RENDERED_HEADER, "datastores")], payload


class DatastoreServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

    def __init__(self, port: int, upstream: str, enabled_regions: frozenset[str] = frozenset()) -> None:
        super().__init__(("127.0.0.1", port), Handler)
        self.upstream = upstream
        self.store = Store(enabled_regions)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--upstream", required=True, help="moto server URL")
    parser.add_argument("--enabled-regions", default="", metavar="R1,R2",
                        help="the regions DescribeRegions says are enabled (default: the 17 AWS enables)")
    args = parser.parse_args(argv)
    regions = frozenset(r for r in args.enabled_regions.split(",") if r)
    return serve_until_interrupted(DatastoreServer(args.port, args.upstream, regions))


if __name__ == "__main__":
    raise SystemExit(main())
