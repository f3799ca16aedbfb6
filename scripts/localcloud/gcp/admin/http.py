"""A small JSON-over-HTTP framework for the local admin API servers.

Each service is a list of `Route`s: HTTP method, path pattern, the API method id of the discovery
document (`sqladmin.instances.list`), and a handler. Every request a client sends is recorded with
its method id (tests check that a scan only reads and that `residency permissions` grants each).
Enum fields are rendered as names (the discovery documents' shape) or, when the client asks with
`$alt=json;enum-encoding=int` (the generated REST clients do), as their numbers.
"""

from __future__ import annotations

import json
import re
import socket
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from scripts.localcloud.gcp.admin.store import AdminState

JsonDict = dict[str, Any]


class ApiError(Exception):
    """An error the API answers with: HTTP status, canonical status, message."""

    STATUS: ClassVar[dict[int, str]] = {400: "INVALID_ARGUMENT", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
                                        409: "ALREADY_EXISTS", 412: "FAILED_PRECONDITION"}

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def body(self) -> JsonDict:
        status = self.STATUS.get(self.code, "UNKNOWN")
        return {"error": {"code": self.code, "message": self.message, "status": status,
                          "errors": [{"message": self.message, "domain": "global", "reason": status.lower()}]}}


class Enum(str):
    """An enum value: its name in JSON, its number under `enum-encoding=int`."""

    number: int

    def __new__(cls, name: str, number: int) -> Enum:
        value = super().__new__(cls, name)
        value.number = number
        return value


def enum(table: dict[str, int], value: Any, field: str) -> Enum:
    """An enum from a request (name or number, as clients send either) or from the server's own state."""
    if isinstance(value, int) and not isinstance(value, bool):
        names = {number: name for name, number in table.items()}
        if value not in names:
            raise ApiError(400, f"Invalid value {value} for enum field {field}")
        return Enum(names[value], value)
    if isinstance(value, str) and value in table:
        return Enum(value, table[value])
    raise ApiError(400, f"Invalid value {value!r} for enum field {field}")


def as_numbers(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.number
    if isinstance(value, dict):
        return {k: as_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_numbers(v) for v in value]
    return value


@dataclass
class Request:
    service: AdminState  # the state every local admin API shares
    match: re.Match[str]
    params: dict[str, str]
    body: bytes
    base_url: str

    def arg(self, name: str) -> str:
        return urllib.parse.unquote(self.match.group(name))

    def json(self) -> JsonDict:
        if not self.body:
            return {}
        try:
            value = json.loads(self.body)
        except ValueError as error:
            raise ApiError(400, f"Invalid JSON payload received. {error}") from None
        if not isinstance(value, dict):
            raise ApiError(400, "Invalid JSON payload received: expected an object")
        return value


Handler = Callable[[Request], JsonDict]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    method_id: str  # as in the discovery document
    handler: Handler


def route(method: str, path: str, method_id: str, handler: Handler) -> Route:
    """`path` with `{name}` for one segment and `{name*}` for the rest (e.g. an object name)."""
    regex = re.sub(r"\{(\w+)\*\}", r"(?P<\1>.+)", path)
    regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", regex)
    return Route(method, re.compile(regex), method_id, handler)


class ApiServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, name: str, routes: list[Route], state: AdminState, verbose: bool = False) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.api_name = name
        self.routes = routes
        self.state = state
        self.verbose = verbose


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: ApiServer

    def setup(self) -> None:
        super().setup()
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
        numbers = "enum-encoding=int" in params.get("$alt", "")
        try:
            status, reply = 200, self._route(url.path.rstrip("/") or "/", params, body, f"http://{host}")
        except ApiError as error:
            status, reply = error.code, error.body()
        payload = json.dumps(as_numbers(reply) if numbers else reply).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _route(self, path: str, params: dict[str, str], body: bytes, base_url: str) -> JsonDict:
        state = self.server.state
        for route_ in self.server.routes:
            match = route_.pattern.fullmatch(path)
            if match and route_.method == self.command:
                if not route_.method_id.startswith("_residency"):
                    state.record(self.server.api_name, self.command, route_.method_id, path)
                return route_.handler(Request(state, match, params, body, base_url))
        if path == "/":
            return {"service": f"residency local {self.server.api_name}"}
        raise ApiError(404, f"Not Found: {self.command} {path}")

    do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = _dispatch


def page(items: list[JsonDict], params: dict[str, str], size_param: str = "pageSize",
         token_param: str = "pageToken", default_size: int = 100) -> tuple[list[JsonDict], str | None]:
    """Offset paging: the token is the index of the next item."""
    size = int(params.get(size_param) or default_size) or default_size
    start = int(params.get(token_param) or 0)
    chunk = items[start:start + size]
    following = start + size
    return chunk, (str(following) if following < len(items) else None)
