"""Local Azure for the Azure adapter's integration tests, one set per xdist worker.

- Azurite 3.37.0 (npm, blob service only, in memory) serves the accounts named in
  `AZURITE_ACCOUNTS`: live blobs and containers.
- The project's own server (`scripts.localcloud.azure.server`) serves the management plane
  and, for every other account, the blob data plane Azurite lacks (versions, soft delete,
  legal holds, immutability). Storage account lists are paged every `PAGE_SIZE` accounts.

Tests build estates only through the real SDKs (`AzureSeeder`), each in its own
subscription with account names of its own (names are global per server).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from scripts.localcloud.azure.azurite import LocalAzure, start_local_azure
from scripts.localcloud.azure.seed import AzureSeeder
from scripts.localcloud.services import ServiceGroup

PAGE_SIZE = 3
DENIED_SUBSCRIPTION = "0000dead-0000-0000-0000-000000000000"
AZURITE_ACCOUNTS = ("uslrswest2", "usgrseast", "brgrssouth", "orreplicaeu", "ieragzrs", "euwrongkey")


@pytest.fixture(scope="session")
def local_azure(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalAzure]:
    with ServiceGroup(tmp_path_factory.mktemp("azure-logs")) as group:
        yield start_local_azure(group, AZURITE_ACCOUNTS, page_size=PAGE_SIZE, denied=[DENIED_SUBSCRIPTION])


@pytest.fixture(scope="session")
def seeder(local_azure: LocalAzure) -> Iterator[AzureSeeder]:
    seeder = AzureSeeder(local_azure.management_url)
    yield seeder
    seeder.close()


@pytest.fixture
def subscription() -> str:
    return str(uuid.uuid4())

