"""The local clouds for `residency transfer`: moto's S3, the project's GCS server, Azurite with
the project's Azure management server. One set per xdist worker; reports are written into them
the way the clouds would (scripts/localcloud/inventory_seed.py) and read back through the SDKs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from scripts.localcloud.aws.moto_server import client_env, start_moto
from scripts.localcloud.azure.azurite import LocalAzure, start_local_azure
from scripts.localcloud.services import ServiceGroup, free_port, python_command

AZURE_ACCOUNTS = ("eusource", "usdest", "inventoryeu", "inventoryus")


@dataclass(frozen=True)
class Clouds:
    aws: dict[str, str]
    gcs_url: str
    azure: LocalAzure


@pytest.fixture(scope="session")
def clouds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Clouds]:
    with ServiceGroup(tmp_path_factory.mktemp("transfer-logs")) as group:
        moto = start_moto(group, name="transfer-moto")
        port = free_port()
        gcs = group.start("transfer-gcs", python_command("-m", "scripts.localcloud.gcp.server", "--port", str(port)),
                          port)
        azure = start_local_azure(group, AZURE_ACCOUNTS, name="transfer-azure")
        yield Clouds(client_env(moto.url), gcs.url, azure)


@pytest.fixture
def cloud_env(clouds: Clouds, monkeypatch: pytest.MonkeyPatch) -> Clouds:
    for key, value in {**clouds.aws, **clouds.azure.scanner_env(), "STORAGE_EMULATOR_HOST": clouds.gcs_url,
                       "RESIDENCY_GCP_STORAGE_INSIGHTS_URL": clouds.gcs_url,
                       "GOOGLE_CLOUD_PROJECT": "clipwave-data"}.items():
        monkeypatch.setenv(key, value)
    return clouds
