"""The scanner's Azure clients refuse any write before it leaves the process."""

from __future__ import annotations

import pytest
from azure.core.pipeline import PipelineContext, PipelineRequest
from azure.core.rest import HttpRequest

from residency.sources.azure.clients import AzureClients, ReadOnlyGuard


def _request(method: str) -> PipelineRequest[HttpRequest]:
    return PipelineRequest(HttpRequest(method, "https://management.azure.com/x"), PipelineContext(None))


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_reads_pass(method: str) -> None:
    ReadOnlyGuard().on_request(_request(method))


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_writes_are_refused(method: str) -> None:
    # e.g. azure-mgmt-core's automatic POST .../providers/Microsoft.Storage/register
    with pytest.raises(PermissionError, match=f"read-only: refused {method}"):
        ReadOnlyGuard().on_request(_request(method))


def test_scanner_clients_carry_the_guard_and_seeding_clients_do_not() -> None:
    scanner = AzureClients("http://127.0.0.1:9", "t", "a2V5")
    seeder = AzureClients("http://127.0.0.1:9", "t", "a2V5", read_only=False)
    assert any(isinstance(p, ReadOnlyGuard) for p in scanner._management_kwargs()["per_retry_policies"])
    assert "per_retry_policies" not in seeder._management_kwargs()


@pytest.mark.parametrize("make", ["sql", "cosmosdb", "compute", "recovery_services", "recovery_services_backup",
                                  "data_protection"])
def test_every_data_store_client_refuses_a_write_before_sending_it(make: str) -> None:
    """The clients of the new services are built with the same guard: a create never leaves."""
    clients = AzureClients("http://127.0.0.1:9", "t", "a2V5")
    client = getattr(clients, make)("00000000-0000-0000-0000-000000000001")
    request = HttpRequest("PUT", "http://127.0.0.1:9/subscriptions/x/resourceGroups/g/providers/P/t/n")
    with pytest.raises(PermissionError, match="read-only: refused PUT"):
        client._client.send_request(request)
    clients.close()
