"""GCS servers for the GCP adapter's integration tests, one set per xdist worker.

- `own_gcs`: the project's local GCS JSON API server (`scripts.localcloud.gcp.server`).
- `third_party_gcs`: gcp-storage-emulator (PyPI), for the cases it can serve.

Both run as real processes on free loopback ports; tests drive them only through the
google-cloud-storage client over HTTP. Bucket names are global per server, so every test
takes a unique prefix from `uid`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from scripts.localcloud.services import ServiceGroup, free_port, python_command
from tests.integration.gcp.admin_estate import admin_estate  # noqa: F401  (a session fixture)

_COUNTER = itertools.count()


@dataclass(frozen=True)
class GcsServer:
    url: str
    own: bool  # our server (placement, projects, deny controls) or the third-party emulator


@pytest.fixture(scope="session")
def gcs_services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, GcsServer]]:
    with ServiceGroup(tmp_path_factory.mktemp("gcs-logs")) as group:
        own_port, third_port = free_port(), free_port()
        own = group.start("gcs-server", python_command("-m", "scripts.localcloud.gcp.server",
                                                       "--port", str(own_port)), own_port)
        third = group.start("gcp-storage-emulator", python_command(
            "-m", "gcp_storage_emulator", "start", "--port", str(third_port), "--in-memory", "--quiet"),
            third_port)
        yield {"own": GcsServer(own.url, True), "third": GcsServer(third.url, False)}


def _use(server: GcsServer, monkeypatch: pytest.MonkeyPatch) -> GcsServer:
    monkeypatch.setenv("STORAGE_EMULATOR_HOST", server.url)
    if server.own:
        monkeypatch.setenv("RESIDENCY_GCP_RESOURCE_MANAGER_URL", server.url)
    else:
        monkeypatch.delenv("RESIDENCY_GCP_RESOURCE_MANAGER_URL", raising=False)
    monkeypatch.delenv("GOOGLE_CLOUD_PROJECT", raising=False)
    return server


@pytest.fixture
def own_gcs(gcs_services: dict[str, GcsServer], monkeypatch: pytest.MonkeyPatch) -> GcsServer:
    return _use(gcs_services["own"], monkeypatch)


@pytest.fixture
def third_party_gcs(gcs_services: dict[str, GcsServer], monkeypatch: pytest.MonkeyPatch) -> GcsServer:
    return _use(gcs_services["third"], monkeypatch)


@pytest.fixture
def uid(worker_id: str) -> str:
    """A prefix unique to this test on this worker: bucket names are global per server."""
    return f"t{worker_id.replace('gw', '')}-{next(_COUNTER)}"
