"""SDK clients for the Azure adapter: real Azure by default, a local endpoint for tests.

Real Azure: `DefaultAzureCredential` for the management plane (azure-mgmt-storage,
azure-mgmt-resource-subscriptions) and the blob data plane (azure-storage-blob over HTTPS).

Local testing only (never for real accounts):
- `RESIDENCY_AZURE_MANAGEMENT_ENDPOINT`: base URL of a plain-HTTP management endpoint
  (the project's `scripts.localcloud.azure.server`). The default bearer policy refuses
  non-TLS URLs, so requests carry a static bearer token instead
  (`RESIDENCY_AZURE_MANAGEMENT_TOKEN`, default `local`).
- `RESIDENCY_AZURE_STORAGE_KEY`: a shared key used for every account's blob endpoint
  (Azurite or the local server), as each account reports it in `primaryEndpoints.blob`.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit

from azure.core.credentials import AccessToken, AzureNamedKeyCredential, TokenCredential
from azure.core.exceptions import ClientAuthenticationError
from azure.core.pipeline import PipelineRequest
from azure.core.pipeline.policies import SansIOHTTPPolicy
from azure.mgmt.compute import ComputeManagementClient
from azure.mgmt.cosmosdb import CosmosDBManagementClient
from azure.mgmt.dataprotection import DataProtectionMgmtClient
from azure.mgmt.mysqlflexibleservers import MySQLManagementClient
from azure.mgmt.postgresqlflexibleservers import PostgreSQLManagementClient
from azure.mgmt.recoveryservices import RecoveryServicesClient
from azure.mgmt.recoveryservicesbackup import RecoveryServicesBackupClient
from azure.mgmt.resource.subscriptions import SubscriptionClient
from azure.mgmt.sql import SqlManagementClient
from azure.mgmt.storage import StorageManagementClient
from azure.storage.blob import BlobServiceClient

from residency.sources.azure.retries import blob_retry_policy, management_retry_policy
from residency.sources.contract import SourceError
from residency.untrusted.redact import redact, register_secret

C = TypeVar("C")

ENV_MANAGEMENT_ENDPOINT = "RESIDENCY_AZURE_MANAGEMENT_ENDPOINT"
ENV_MANAGEMENT_TOKEN = "RESIDENCY_AZURE_MANAGEMENT_TOKEN"
ENV_STORAGE_KEY = "RESIDENCY_AZURE_STORAGE_KEY"

# Fail fast on an unreachable endpoint instead of the SDK default of 10 retries.
class ReadOnlyGuard(SansIOHTTPPolicy):  # type: ignore[type-arg]
    """Refuses any request but GET/HEAD before it leaves the process.

    The scanner only reads, but azure-mgmt-core adds a policy that answers "resource provider
    not registered" by POSTing `.../providers/Microsoft.Storage/register` on the caller's
    behalf. Placed after the retry policy, this guard sees that request too and stops it.
    """

    def on_request(self, request: PipelineRequest[Any]) -> None:
        method = request.http_request.method.upper()
        if method not in ("GET", "HEAD"):
            raise PermissionError(f"residency is read-only: refused {method} {request.http_request.url}")


CONNECTION_TIMEOUT_S = 10
READ_TIMEOUT_S = 60


class StaticBearerPolicy(SansIOHTTPPolicy):  # type: ignore[type-arg]
    """Sets a fixed `Authorization: Bearer` header (local plain-HTTP endpoints only)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self._token = token

    def on_request(self, request: PipelineRequest) -> None:  # type: ignore[type-arg]
        request.http_request.headers["Authorization"] = f"Bearer {self._token}"


class LocalEndpointCredential:
    """Stands in for a token credential when a static bearer policy authenticates instead."""

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        raise ClientAuthenticationError("a local management endpoint uses a static token")


class MaskingCredential:
    """Hands out the wrapped credential's tokens, each masked in every output from then on."""

    def __init__(self, inner: TokenCredential) -> None:
        self._inner = inner

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        token = self._inner.get_token(*scopes, **kwargs)
        register_secret(token.token)
        return token


@dataclass
class AzureClients:
    management_endpoint: str | None = None
    management_token: str = "local"
    storage_key: str | None = None
    read_only: bool = True  # the scanner's clients refuse writes; only local seeding turns this off
    _credential: TokenCredential | None = None
    _storage: dict[str, StorageManagementClient] = field(default_factory=dict)
    _services: dict[tuple[Callable[..., Any], str], Any] = field(default_factory=dict)  # (client class, subscription)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        register_secret(self.storage_key)
        register_secret(self.management_token)
        if self.management_endpoint:
            _check_endpoint(ENV_MANAGEMENT_ENDPOINT, self.management_endpoint)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> AzureClients:
        env = os.environ if environ is None else environ
        return cls(
            management_endpoint=env.get(ENV_MANAGEMENT_ENDPOINT) or None,
            management_token=env.get(ENV_MANAGEMENT_TOKEN) or "local",
            storage_key=env.get(ENV_STORAGE_KEY) or None,
        )

    @property
    def credential(self) -> TokenCredential:
        with self._lock:
            if self._credential is None:
                if self.management_endpoint:
                    self._credential = LocalEndpointCredential()
                else:
                    from azure.identity import DefaultAzureCredential

                    # The adapter reports a missing credential in one line; the SDK's multi-line
                    # warning about every credential it tried would only repeat it.
                    logging.getLogger("azure.identity").setLevel(logging.ERROR)
                    self._credential = MaskingCredential(DefaultAzureCredential())
            return self._credential

    def _options(self) -> dict[str, Any]:
        options: dict[str, Any] = {"connection_timeout": CONNECTION_TIMEOUT_S, "read_timeout": READ_TIMEOUT_S}
        if self.read_only:
            options["per_retry_policies"] = [ReadOnlyGuard()]
        return options

    def management_kwargs(self) -> dict[str, Any]:
        """Client options for one more management client (local seeding builds its own)."""
        return self._management_kwargs()

    def _management_kwargs(self) -> dict[str, Any]:
        kwargs = {**self._options(), "retry_policy": management_retry_policy()}
        if self.management_endpoint:
            kwargs["base_url"] = self.management_endpoint.rstrip("/")
            kwargs["authentication_policy"] = StaticBearerPolicy(self.management_token)
        return kwargs

    def subscriptions(self) -> SubscriptionClient:
        return SubscriptionClient(self.credential, **self._management_kwargs())

    def storage(self, subscription_id: str) -> StorageManagementClient:
        """One client per subscription, shared by the worker threads (the SDK clients are thread-safe)."""
        credential = self.credential
        with self._lock:
            client = self._storage.get(subscription_id)
            if client is None:
                client = StorageManagementClient(credential, subscription_id, **self._management_kwargs())
                self._storage[subscription_id] = client
            return client

    def _service(self, cls: Callable[..., C], subscription_id: str) -> C:
        """One client of each service per subscription, shared by the worker threads."""
        credential = self.credential
        with self._lock:
            client = self._services.get((cls, subscription_id))
            if client is None:
                client = cls(credential, subscription_id, **self._management_kwargs())
                self._services[(cls, subscription_id)] = client
            return client

    def sql(self, subscription_id: str) -> SqlManagementClient:
        return self._service(SqlManagementClient, subscription_id)

    def cosmosdb(self, subscription_id: str) -> CosmosDBManagementClient:
        return self._service(CosmosDBManagementClient, subscription_id)

    def compute(self, subscription_id: str) -> ComputeManagementClient:
        return self._service(ComputeManagementClient, subscription_id)

    def recovery_services(self, subscription_id: str) -> RecoveryServicesClient:
        return self._service(RecoveryServicesClient, subscription_id)

    def recovery_services_backup(self, subscription_id: str) -> RecoveryServicesBackupClient:
        return self._service(RecoveryServicesBackupClient, subscription_id)

    def data_protection(self, subscription_id: str) -> DataProtectionMgmtClient:
        return self._service(DataProtectionMgmtClient, subscription_id)

    def postgresql(self, subscription_id: str) -> PostgreSQLManagementClient:
        return self._service(PostgreSQLManagementClient, subscription_id)

    def mysql(self, subscription_id: str) -> MySQLManagementClient:
        return self._service(MySQLManagementClient, subscription_id)

    def blob_service(self, account_url: str, account_name: str) -> BlobServiceClient:
        credential: Any = self.credential
        if self.storage_key:
            credential = AzureNamedKeyCredential(account_name, self.storage_key)
        return BlobServiceClient(account_url, credential=credential, retry_policy=blob_retry_policy(),
                                 **self._options())

    def close(self) -> None:
        with self._lock:
            for client in [*self._storage.values(), *self._services.values()]:
                client.close()
            self._storage.clear()
            self._services.clear()


def _check_endpoint(name: str, value: str) -> None:
    try:
        url = urlsplit(value)
        valid = url.scheme in ("http", "https") and bool(url.hostname) and (url.port or 1) > 0
    except ValueError:
        valid = False
    if not valid:
        raise SourceError(f"{name} is {redact(value)[:80]!r}, not an http(s) URL with a host: fix or unset it")
