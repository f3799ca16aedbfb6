"""The Azure clients' settings: api-versions the SDK agrees with, bounded retries, configuration errors."""

from __future__ import annotations

import pytest
from azure.mgmt.resource.subscriptions._configuration import SubscriptionClientConfiguration
from azure.mgmt.storage._configuration import StorageManagementClientConfiguration

from residency.sources.azure.arm import STORAGE_API_VERSION, SUBSCRIPTIONS_API_VERSION
from residency.sources.azure.clients import AzureClients, LocalEndpointCredential
from residency.sources.azure.retries import CALL_TIMEOUT_S, MAX_RETRY_AFTER_S, RETRY_TOTAL, management_retry_policy
from residency.sources.contract import SourceError
from residency.untrusted.redact import redact


def test_the_raw_arm_lists_use_the_api_versions_of_the_installed_sdks() -> None:
    credential = LocalEndpointCredential()
    assert StorageManagementClientConfiguration(credential, "s").api_version == STORAGE_API_VERSION
    assert SubscriptionClientConfiguration(credential).api_version == SUBSCRIPTIONS_API_VERSION


def test_management_retries_are_bounded() -> None:
    policy = management_retry_policy()
    assert (policy.total_retries, policy.timeout, policy.backoff_max) == (RETRY_TOTAL, CALL_TIMEOUT_S, 8.0)
    assert (RETRY_TOTAL, MAX_RETRY_AFTER_S, CALL_TIMEOUT_S) == (3, 10.0, 120)


@pytest.mark.parametrize("endpoint", ["127.0.0.1:8080", "ftp://host", "http://"])
def test_a_bad_management_endpoint_is_a_configuration_error(endpoint: str) -> None:
    with pytest.raises(SourceError, match=r"^RESIDENCY_AZURE_MANAGEMENT_ENDPOINT is .*not an http"):
        AzureClients.from_env({"RESIDENCY_AZURE_MANAGEMENT_ENDPOINT": endpoint})


def test_the_keys_and_tokens_the_clients_use_are_masked() -> None:
    AzureClients.from_env({"RESIDENCY_AZURE_MANAGEMENT_ENDPOINT": "http://127.0.0.1:1",
                           "RESIDENCY_AZURE_MANAGEMENT_TOKEN": "FAKE-MGMT-TOKEN-9c1d",
                           "RESIDENCY_AZURE_STORAGE_KEY": "RkFLRS1TVE9SQUdFLUtFWS05YzFk"})
    assert "9c1d" not in redact("token FAKE-MGMT-TOKEN-9c1d") and "RkFLRS1" not in redact(
        "key RkFLRS1TVE9SQUdFLUtFWS05YzFk")
