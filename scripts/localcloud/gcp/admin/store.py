"""The state every local admin API shares: resources by service, denied projects, requests served."""

from __future__ import annotations

import datetime as dt
import itertools
import threading
from dataclasses import dataclass, field

from scripts.localcloud.gcp.admin.http import ApiError, JsonDict

_IDS = itertools.count(1_000_001)


def now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def next_id() -> str:
    return str(next(_IDS))


@dataclass
class AdminState:
    """One lock: requests are short and the estates small."""

    lock: threading.RLock = field(default_factory=threading.RLock)
    # service -> resource name -> resource JSON (as the API renders it; enums as `Enum`)
    resources: dict[str, dict[str, JsonDict]] = field(default_factory=dict)
    denied: set[tuple[str, str]] = field(default_factory=set)  # (api, project)
    requests: list[tuple[str, str, str, str]] = field(default_factory=list)  # (api, method, method id, path)

    def record(self, api: str, method: str, method_id: str, path: str) -> None:
        with self.lock:
            self.requests.append((api, method, method_id, path))

    def table(self, service: str) -> dict[str, JsonDict]:
        return self.resources.setdefault(service, {})

    def check(self, api: str, project: str, permission: str) -> None:
        if (api, project) in self.denied or ("*", project) in self.denied:
            raise ApiError(403, f"Permission '{permission}' denied on resource 'projects/{project}' "
                                "(or it may not exist).")

    def add(self, service: str, name: str, resource: JsonDict) -> JsonDict:
        with self.lock:
            table = self.table(service)
            if name in table:
                raise ApiError(409, f"Resource already exists: {name}")
            table[name] = resource
            return resource

    def get(self, service: str, name: str) -> JsonDict:
        with self.lock:
            found = self.table(service).get(name)
        if found is None:
            raise ApiError(404, f"Resource not found: {name}")
        return found

    def under(self, service: str, prefix: str) -> list[JsonDict]:
        """Resources whose name starts with `prefix`, in name order."""
        with self.lock:
            return [r for name, r in sorted(self.table(service).items()) if name.startswith(prefix)]


def lro(name: str, response: JsonDict, response_type: str, metadata_type: str) -> JsonDict:
    """A long-running operation that is already done (the local create calls finish at once)."""
    return {
        "name": name, "done": True,
        "metadata": {"@type": f"type.googleapis.com/{metadata_type}"},
        "response": {"@type": f"type.googleapis.com/{response_type}", **response},
    }


