"""Serve the local Google Cloud admin APIs, each on its own loopback port, from one process.

    python -m scripts.localcloud.gcp.admin.server --sqladmin 9101 --spanner 9102 --bigquery 9103 \
        --datatransfer 9104 --firestore 9105 --bigtable 9106 --compute 9107

Point each client library at its port (`client_options={"api_endpoint": "http://127.0.0.1:9102"}`)
with anonymous credentials; the scanner reads `RESIDENCY_GCP_<SERVICE>_URL`.

Test-only controls on every port, under `/_residency/`, a path the real APIs never use:
`POST /_residency/deny?project=P[&api=A]` makes every call on P (to API A only, when given) answer
403; `POST /_residency/allow?...` undoes it; `GET /_residency/requests?since=N` lists every request
served after the first N as (api, method, API method id, path).
"""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Sequence

from scripts.localcloud.gcp.admin import bigquery, bigtable, compute, firestore, spanner, sqladmin
from scripts.localcloud.gcp.admin.http import ApiServer, Handler, JsonDict, Request, Route, route
from scripts.localcloud.gcp.admin.store import AdminState
from scripts.localcloud.services import serve_until_interrupted

# The RESIDENCY_GCP_<SERVICE>_URL suffix -> the routes that service answers.
SERVICES: dict[str, list[Route]] = {
    "sqladmin": sqladmin.ROUTES,
    "spanner": spanner.ROUTES,
    "bigquery": bigquery.ROUTES,
    "datatransfer": bigquery.TRANSFER_ROUTES,
    "firestore": firestore.ROUTES,
    "bigtable": bigtable.ROUTES,
    "compute": compute.ROUTES,
}


def _deny(allow: bool) -> Handler:
    def handle(req: Request) -> JsonDict:
        key = (req.params.get("api", "*"), req.params.get("project", ""))
        with req.service.lock:
            if allow:
                req.service.denied.discard(key)
            else:
                req.service.denied.add(key)
        return {"ok": True}
    return handle


def _requests(req: Request) -> JsonDict:
    since = int(req.params.get("since") or 0)
    with req.service.lock:
        served = req.service.requests[since:]
        return {"count": since + len(served), "requests": [list(r) for r in served]}


CONTROLS: list[Route] = [
    route("POST", "/_residency/deny", "_residency.deny", _deny(False)),
    route("POST", "/_residency/allow", "_residency.allow", _deny(True)),
    route("GET", "/_residency/requests", "_residency.requests", _requests),
]


def build(ports: dict[str, int], state: AdminState | None = None, verbose: bool = False) -> list[ApiServer]:
    shared = state or AdminState()
    return [ApiServer(port, name, SERVICES[name] + CONTROLS, shared, verbose) for name, port in ports.items()]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    for name in SERVICES:
        parser.add_argument(f"--{name}", type=int, required=True, metavar="PORT")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    servers = build({name: getattr(args, name) for name in SERVICES}, verbose=args.verbose)
    for server in servers[1:]:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    print("local Google Cloud admin APIs on " + ", ".join(
        f"{s.api_name} http://127.0.0.1:{s.server_address[1]}" for s in servers), flush=True)
    try:
        return serve_until_interrupted(servers[0])
    finally:
        for server in servers[1:]:
            server.shutdown()
            server.server_close()


if __name__ == "__main__":
    sys.exit(main())
