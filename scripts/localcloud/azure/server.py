"""Local Azure server: the ARM management plane plus the blob data plane Azurite lacks.

    python -m scripts.localcloud.azure.server --port N [--azurite-url URL --azurite-accounts a,b]
        [--page-size N] [--deny-subscription SUB] [--subscription SUB[=NAME]]

Paths under `/subscriptions` are Azure Resource Manager calls (`azure_arm`); every other
path is a path-style blob request `/account/container/blob` (`azure_blob`). An account
created through ARM gets `primaryEndpoints.blob` on Azurite when its name is listed in
`--azurite-accounts` (live blobs, containers, metadata, tags), else on this server
(versions, soft delete, legal holds, immutability). `--deny-subscription` is test-only:
reads of that subscription answer 403 like a principal without a role assignment.
`POST /_residency/fault` injects one fault per call (see `azure.faults`); none by default.
Plain HTTP on 127.0.0.1, no authentication: local tests and demos only.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit
from xml.sax.saxutils import escape

from scripts.localcloud.azure import arm as azure_arm
from scripts.localcloud.azure import arm_resources
from scripts.localcloud.azure import blob as azure_blob
from scripts.localcloud.azure import faults as azure_faults
from scripts.localcloud.azure.request import Request
from scripts.localcloud.azure.store import Store, StoreError
from scripts.localcloud.services import serve_until_interrupted


class _Handler(BaseHTTPRequestHandler):
    store: Store
    faults: azure_faults.Faults
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        sys.stderr.write(f"{self.command} {self.path} -> {args[1] if len(args) > 1 else ''}\n")

    def _request(self) -> Request:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        body = {}
        if raw and "json" in headers.get("content-type", ""):
            body = json.loads(raw)
        return Request(self.command, url.path, dict(parse_qsl(url.query)), body,
                                 azure_arm.SETTINGS.own_url, headers, raw)

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("x-ms-request-id", "00000000-0000-0000-0000-000000000000")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _dispatch(self) -> None:
        request = self._request()
        if request.method == "POST" and request.path == "/_residency/fault":
            self._send(200, json.dumps(self.faults.set(request.body)).encode(), {"Content-Type": "application/json"})
            return
        if request.path.lower().startswith("/subscriptions") or request.path == "/":
            faulted = azure_faults.arm_fault(self.faults, request)
            if faulted is None:
                request = azure_faults.without_loop_token(self.faults, request)
                status, payload, headers = azure_arm.handle(self.store, request)
                faulted = status, azure_faults.altered(self.faults, request, status, payload), headers
            status, payload, headers = faulted
            self._send(status, json.dumps(payload).encode(), {"Content-Type": "application/json", **headers})
            return
        version = {"x-ms-version": request.headers.get("x-ms-version", "2026-02-06")}
        echoed = azure_faults.blob_fault(self.faults, request)
        if echoed is not None:
            self._send(echoed[0], echoed[1], {**echoed[2], **version})
            return
        try:
            status, body, headers = azure_blob.handle(self.store, request)
        except StoreError as error:
            xml = (f'<?xml version="1.0" encoding="utf-8"?><Error><Code>{error.code}</Code>'
                   f"<Message>{escape(error.message)}</Message></Error>")
            self._send(error.status, xml.encode(),
                       {"Content-Type": "application/xml", "x-ms-error-code": error.code, **version})
            return
        self._send(status, body, {**headers, **version})

    do_GET = do_PUT = do_POST = do_DELETE = do_PATCH = do_HEAD = _dispatch


def build_server(
    port: int,
    azurite_url: str | None = None,
    azurite_accounts: Sequence[str] = (),
    page_size: int = 1000,
    denied: Sequence[str] = (),
    subscriptions: Sequence[str] = (),
) -> ThreadingHTTPServer:
    store = Store(denied=frozenset(s.lower() for s in denied))
    for entry in subscriptions:
        sub, _, name = entry.partition("=")
        store.subscriptions[sub] = name or sub
    azure_arm.SETTINGS.own_url = f"http://127.0.0.1:{port}"
    azure_arm.SETTINGS.azurite_url = azurite_url.rstrip("/") if azurite_url else None
    azure_arm.SETTINGS.azurite_accounts = frozenset(azurite_accounts)
    azure_arm.SETTINGS.page_size = page_size
    arm_resources.PAGING[0] = arm_resources.Paging(f"http://127.0.0.1:{port}", page_size)
    handler = type("Handler", (_Handler,), {"store": store, "faults": azure_faults.Faults()})
    return ThreadingHTTPServer(("127.0.0.1", port), handler)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.localcloud.azure.server", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--azurite-url", help="Azurite's blob endpoint, e.g. http://127.0.0.1:10000")
    parser.add_argument("--azurite-accounts", default="", help="comma-separated account names Azurite serves")
    parser.add_argument("--page-size", type=int, default=1000, help="storage accounts per list page")
    parser.add_argument("--deny-subscription", action="append", default=[], help="test-only: reads answer 403")
    parser.add_argument("--subscription", action="append", default=[], help="SUB[=display name] to list")
    args = parser.parse_args(argv)
    accounts = [a for a in args.azurite_accounts.split(",") if a]
    server = build_server(args.port, args.azurite_url, accounts, args.page_size,
                          args.deny_subscription, args.subscription)
    return serve_until_interrupted(server)


if __name__ == "__main__":
    raise SystemExit(main())
