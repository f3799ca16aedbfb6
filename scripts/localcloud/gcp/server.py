"""A small local Cloud Storage JSON API server, for tests, `make demo` and benchmarks.

    python -m scripts.localcloud.gcp.server --port 9023 [--deny-project p]

Point google-cloud-storage at it with `STORAGE_EMULATOR_HOST=http://127.0.0.1:9023`.
It serves what the packaged emulators lack (bucket placement, soft-deleted buckets,
noncurrent generations, projects) in the shape of the public JSON API reference.

Also served, beside the storage API:
- `GET /v1/projects` - Resource Manager v1 projects.list over the projects it knows.
- Test-only controls under `/_residency/`, a path the real API never uses:
  `POST /_residency/deny?project=P` (or `?bucket=B`) makes every storage call on that
  project (bucket) answer 403; `POST /_residency/allow?...` undoes it;
  `POST /_residency/projects?project=P` registers an (empty) project;
  `GET /_residency/requests?since=N` lists the (method, path) of every request served
  after the first N (tests check that a scan only reads);
  `POST /_residency/fault` injects one fault (looping page tokens, 503 with Retry-After,
  malformed records, echoed credentials: see `gcp.faults`).
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import sys
import urllib.parse
from collections.abc import Callable, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from scripts.localcloud.gcp import buckets, faults, insights, objects
from scripts.localcloud.gcp.model import ApiError, Store, project_number
from scripts.localcloud.gcp.resources import JsonDict, error_body, rfc3339, select_fields
from scripts.localcloud.services import serve_until_interrupted

Route = tuple[str, re.Pattern[str], Callable[["Request"], "Reply"]]
Reply = JsonDict | tuple[bytes, str] | None


class Request:
    def __init__(self, store: Store, match: re.Match[str], params: dict[str, str], body: bytes,
                 content_type: str, base_url: str) -> None:
        self.store, self.match, self.params = store, match, params
        self.body, self.content_type, self.base_url = body, content_type, base_url

    def arg(self, name: str) -> str:
        return urllib.parse.unquote(self.match.group(name))

    def json(self) -> JsonDict:
        value = objects.body_json(self.body)
        if not isinstance(value, dict):
            raise ApiError(400, "parseError", "Parse Error: expected a JSON object")
        return value


def _projects(req: Request) -> JsonDict:
    with req.store.lock:
        known = sorted(req.store.projects.items())
    page, token = buckets.paginate(known, {"maxResults": req.params.get("pageSize", "500"),
                                           "pageToken": req.params.get("pageToken", "")}, lambda p: p[0])
    result: JsonDict = {"projects": [
        {"projectNumber": project_number(pid), "projectId": pid, "name": pid,
         "lifecycleState": "ACTIVE", "createTime": rfc3339(created)} for pid, created in page
    ]}
    if token:
        result["nextPageToken"] = token
    return result


def _requests(req: Request) -> JsonDict:
    since = int(req.params.get("since") or 0)
    with req.store.lock:
        served = req.store.requests[since:]
        return {"count": since + len(served), "requests": [list(r) for r in served]}


def _control(action: str) -> Callable[[Request], Reply]:
    def handle(req: Request) -> Reply:
        project, bucket = req.params.get("project"), req.params.get("bucket")
        with req.store.lock:
            if action == "projects" and project:
                req.store.register_project(project)
            for name, denied in ((project, req.store.denied_projects), (bucket, req.store.denied_buckets)):
                if name and action == "deny":
                    denied.add(name)
                elif name and action == "allow":
                    denied.discard(name)
        return {"ok": True}
    return handle


_B = r"/storage/v1/b/(?P<bucket>[^/]+)"
_INSIGHTS = r"/v1/projects/(?P<project>[^/]+)/locations/(?P<location>[^/]+)/reportConfigs"
_O = _B + r"/o/(?P<object>.+)"
ROUTES: list[Route] = [
    ("GET", re.compile(r"/storage/v1/b"), lambda r: buckets.list_buckets(r.store, r.params, r.base_url)),
    ("POST", re.compile(r"/storage/v1/b"),
     lambda r: buckets.insert_bucket(r.store, r.params, r.json(), r.base_url)),
    ("GET", re.compile(_B), lambda r: buckets.get_bucket(r.store, r.arg("bucket"), r.params, r.base_url)),
    ("PATCH", re.compile(_B), lambda r: buckets.patch_bucket(r.store, r.arg("bucket"), r.json(), r.base_url)),
    ("DELETE", re.compile(_B), lambda r: buckets.delete_bucket(r.store, r.arg("bucket"))),
    ("POST", re.compile(_B + r"/lockRetentionPolicy"),
     lambda r: buckets.lock_retention_policy(r.store, r.arg("bucket"), r.params, r.base_url)),
    ("GET", re.compile(_B + r"/o"), lambda r: objects.list_objects(r.store, r.arg("bucket"), r.params, r.base_url)),
    ("GET", re.compile(_O), lambda r: _get_object(r)),
    ("PATCH", re.compile(_O), lambda r: objects.patch_object(
        r.store, r.arg("bucket"), r.arg("object"), r.params, r.json(), r.base_url)),
    ("DELETE", re.compile(_O), lambda r: objects.delete_object(r.store, r.arg("bucket"), r.arg("object"), r.params)),
    ("POST", re.compile(r"/upload/storage/v1/b/(?P<bucket>[^/]+)/o"), lambda r: objects.upload(
        r.store, r.arg("bucket"), r.params, r.content_type, r.body, r.base_url)),
    ("GET", re.compile(r"/download/storage/v1/b/(?P<bucket>[^/]+)/o/(?P<object>.+)"),
     lambda r: objects.download(r.store, r.arg("bucket"), r.arg("object"), r.params)),
    ("GET", re.compile(r"/v1/projects"), _projects),
    ("POST", re.compile(_INSIGHTS), lambda r: insights.create_config(r.store, r.arg("project"), r.arg("location"),
                                                                     r.json())),
    ("GET", re.compile(_INSIGHTS), lambda r: insights.list_configs(r.store, r.arg("project"), r.arg("location"))),
    ("GET", re.compile(_INSIGHTS + r"/(?P<config>[^/]+)/reportDetails"),
     lambda r: insights.list_details(r.store, r.arg("project"), r.arg("location"), r.arg("config"))),
    ("GET", re.compile(r"/_residency/requests"), _requests),
    ("GET", re.compile(r"/"), lambda r: {"service": "residency local GCS JSON API"}),
    *[("POST", re.compile(rf"/_residency/{action}"), _control(action)) for action in ("deny", "allow", "projects")],
]


def _get_object(req: Request) -> Reply:
    if req.params.get("alt") == "media":
        return objects.download(req.store, req.arg("bucket"), req.arg("object"), req.params)
    return objects.get_object(req.store, req.arg("bucket"), req.arg("object"), req.params, req.base_url)


class GcsHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: the SDK's session reuses connections
    server: GcsHttpServer

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes: without NODELAY, Nagle plus delayed ACK
        # adds ~40 ms to every keep-alive request.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            super().log_message(format, *args)

    def _dispatch(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        params = {k: v[-1] for k, v in urllib.parse.parse_qs(url.query, keep_blank_values=True).items()}
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        host = self.headers.get("Host") or f"127.0.0.1:{self.server.server_address[1]}"
        if not url.path.startswith("/_residency/"):
            with self.server.store.lock:
                self.server.store.requests.append((self.command, url.path))
        listing = faults.listing_of(self.command, url.path.rstrip("/"), params)
        blocked = faults.before(self.server.faults, listing, dict(self.headers.items()), self.path)
        if blocked is not None:
            status, message, retry_after = blocked
            extra = {"Retry-After": str(retry_after)} if retry_after else {}
            reason = "backendError" if status >= 500 else "forbidden"
            self._send_json(status, error_body(status, reason, message), extra)
            return
        if faults.carries_loop(self.server.faults, listing, params):
            params.pop("pageToken")  # the first page again: a listing that never ends
        try:
            if self.command == "POST" and url.path == "/_residency/fault":
                reply: Reply = self.server.faults.set(objects.body_json(body))
            else:
                reply = self._route(url.path, params, body, f"http://{host}")
            if isinstance(reply, dict):
                reply = faults.after(self.server.faults, listing, reply)
        except ApiError as exc:
            self._send_json(exc.code, error_body(exc.code, exc.reason, exc.message))
            return
        except (ValueError, KeyError) as exc:
            self._send_json(400, error_body(400, "invalid", f"Invalid request: {exc}"))
            return
        if reply is None:
            self._send(204, b"", "application/json")
        elif isinstance(reply, tuple):
            self._send(200, reply[0], reply[1])
        else:
            self._send_json(200, select_fields(reply, params.get("fields")))

    def _route(self, path: str, params: dict[str, str], body: bytes, base_url: str) -> Reply:
        path = path.rstrip("/") or "/"
        for method, pattern, handler in ROUTES:
            match = pattern.fullmatch(path)
            if match and method == self.command:
                content_type = self.headers.get("Content-Type", "")
                return handler(Request(self.server.store, match, params, body, content_type, base_url))
        raise ApiError(404, "notFound", f"Not Found: {self.command} {path}")

    def _send_json(self, status: int, payload: JsonDict, headers: dict[str, str] | None = None) -> None:
        self._send(status, json.dumps(payload).encode(), "application/json; charset=UTF-8", headers)

    def _send(self, status: int, payload: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = _dispatch


class GcsHttpServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, store: Store, verbose: bool = False) -> None:
        super().__init__(("127.0.0.1", port), GcsHandler)
        self.store = store
        self.verbose = verbose
        self.faults = faults.Faults()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--deny-project", action="append", default=[],
                        help="answer 403 to every storage call on this project (test-only)")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    store = Store(denied_projects=set(args.deny_project))
    server = GcsHttpServer(args.port, store, args.verbose)
    print(f"local GCS JSON API on http://127.0.0.1:{args.port}", flush=True)
    return serve_until_interrupted(server)


if __name__ == "__main__":
    sys.exit(main())
