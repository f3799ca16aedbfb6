"""moto's server, the project's datastore server and the proxy, the estate seeded through boto3, and
the scans the tests share (one full scan of the estate, one scan whose only policy names a kind).

Every call of the scans goes through the read-only recorder of the bucket tests; every answer the
datastore server wrote (to the seeding and to the scans) is kept, to be checked against botocore's
service model.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from residency.catalog import load_catalog
from residency.engine.needs import PolicyNeeds
from residency.inventory.model import Inventory
from residency.policy.model import Policy
from residency.sources.aws.adapter import AwsAdapter
from residency.sources.aws.options import AwsOptions
from residency.sources.aws.session import Hook
from residency.sources.contract import CommonOptions
from scripts.localcloud.aws.datastores.server import RENDERED_HEADER
from scripts.localcloud.aws.moto_server import ProxyOptions, client_env, start_datastores, start_moto, start_proxy
from scripts.localcloud.aws.seed import Identities, identity_setup_actions
from scripts.localcloud.services import ServiceGroup
from tests.integration.aws.conftest import CallRecorder, CountingProgress, environment
from tests.integration.aws.datastores import estate

pytestmark = pytest.mark.integration


@dataclass
class Rendered:
    """A botocore `before-parse` hook: keeps every answer the datastore server wrote."""

    answers: list[tuple[Any, int, bytes]] = field(default_factory=list)  # (operation model, status, body)

    def __call__(self, operation_model: Any, response_dict: dict[str, Any], **_: Any) -> None:
        headers = {k.lower(): v for k, v in (response_dict.get("headers") or {}).items()}
        if headers.get(RENDERED_HEADER.lower()):
            self.answers.append((operation_model, int(response_dict["status_code"]), bytes(response_dict["body"])))


@dataclass(frozen=True)
class DatastoreCloud:
    endpoint: str
    identities: Identities
    ids: dict[str, str]
    seeding: Rendered


@dataclass(frozen=True)
class DatastoreScan:
    inventory: Inventory
    calls: list[tuple[str, str, str | None]]
    refused: list[str]
    rendered: Rendered
    progress: CountingProgress


@pytest.fixture(scope="session")
def datastore_cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatastoreCloud]:
    with ServiceGroup(tmp_path_factory.mktemp("aws-datastores-logs")) as group:
        moto = start_moto(group, name="moto-datastores", no_auth_actions=identity_setup_actions(0))
        datastores = start_datastores(group, moto)
        proxy = start_proxy(group, moto, ProxyOptions(bucket_region=True, datastores=datastores.url),
                            name="aws-proxy-datastores")
        seeding = Rendered()
        identities, ids = estate.seed(proxy.url, datastores.url, [("before-parse", seeding)])
        yield DatastoreCloud(proxy.url, identities, ids, seeding)


def scan(cloud: DatastoreCloud, policies: list[Policy]) -> DatastoreScan:
    recorder, rendered, progress = CallRecorder(), Rendered(), CountingProgress()
    with environment(client_env(cloud.endpoint, credentials=cloud.identities.scanner)):
        hooks: list[Hook] = [("before-parameter-build", recorder), ("before-parse", rendered)]
        adapter = AwsAdapter(CommonOptions(max_workers=16), AwsOptions(), hooks)
        inventory = adapter.collect(PolicyNeeds(policies, load_catalog()), progress)
    return DatastoreScan(inventory, recorder.calls, recorder.refused, rendered, progress)


@pytest.fixture(scope="session")
def full_scan(datastore_cloud: DatastoreCloud) -> DatastoreScan:
    return scan(datastore_cloud, estate.policies())


@pytest.fixture(scope="session")
def kinds_scan(datastore_cloud: DatastoreCloud) -> DatastoreScan:
    """The only policy names DynamoDB tables: no other service of the account is called."""
    return scan(datastore_cloud, [p for p in estate.policies() if p.id == "orders-in-us"])
