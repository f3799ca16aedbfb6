"""boto3 sessions and thread-safe clients: standard credential chain, retries, custom endpoints.

One `Clients` per account. boto3 sessions are not thread-safe but clients are, so clients are
created under a lock and shared by the worker threads, one per (service, region).
`AWS_ENDPOINT_URL` and the service-specific `AWS_ENDPOINT_URL_<SERVICE>` variables are
honoured by botocore itself for every service we call.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import boto3
import botocore.session
from botocore.config import Config
from botocore.credentials import (
    AssumeRoleCredentialFetcher,
    CredentialProvider,
    Credentials,
    DeferredRefreshableCredentials,
)
from botocore.exceptions import ProfileNotFound

from residency.sources.contract import SourceError

# (event name, handler): registered on every session the adapter opens (tests, benchmarks).
Hook = tuple[str, Callable[..., Any]]

DEFAULT_RETRY_MODE = "adaptive"  # client-side rate limiting on throttling, on top of standard retries
DEFAULT_MAX_ATTEMPTS = 4
SESSION_NAME = "residency-scan"
_AWS_HOST = re.compile(r"\.amazonaws\.com(\.cn)?$|\.amazonaws-us-gov\.com$|\.c2s\.ic\.gov$|\.sc2s\.sgov\.gov$")


def client_config(max_workers: int) -> Config:
    """Retries from AWS_RETRY_MODE / AWS_MAX_ATTEMPTS when set, else adaptive with 4 attempts."""
    mode = os.environ.get("AWS_RETRY_MODE") or DEFAULT_RETRY_MODE
    attempts = int(os.environ.get("AWS_MAX_ATTEMPTS") or DEFAULT_MAX_ATTEMPTS)
    return Config(
        retries={"mode": mode, "total_max_attempts": attempts},
        max_pool_connections=max(10, max_workers),
        connect_timeout=10,
        read_timeout=30,
        user_agent_extra="residency-scan",
        parameter_validation=False,  # our parameters are fixed by the code; saves CPU on every call
    )


def open_session(profile: str | None, region: str | None, hooks: Sequence[Hook]) -> boto3.Session:
    """The standard credential chain (env, profile, SSO, container, instance role)."""
    try:
        session = boto3.Session(profile_name=profile, region_name=region)
    except ProfileNotFound as error:
        named = profile or getattr(error, "kwargs", {}).get("profile") or os.environ.get("AWS_PROFILE")
        source = "--aws-profile" if profile else "AWS_PROFILE"
        raise SourceError(f"AWS profile '{named}' ({source}) is not in the AWS config files; fix {source}") from None
    _register(session, hooks)
    return session


def assumed_session(base: boto3.Session, role_arn: str, region: str, hooks: Sequence[Hook]) -> boto3.Session:
    """A session whose credentials come from AssumeRole with `base`'s, refreshed before expiry."""
    source = base.get_credentials()
    if source is None:
        raise SourceError("no AWS credentials to assume a role with; configure the standard AWS chain")
    fetcher = AssumeRoleCredentialFetcher(
        client_creator=base._session.create_client,  # botocore's own creator, as its providers use
        source_credentials=source,
        role_arn=role_arn,
        extra_args={"RoleSessionName": SESSION_NAME},
    )
    core = botocore.session.Session()
    resolver = core.get_component("credential_provider")
    resolver.insert_before("env", _FetcherProvider(fetcher))
    session = boto3.Session(botocore_session=core, region_name=region)
    _register(session, hooks)
    return session


class _FetcherProvider(CredentialProvider):  # type: ignore[misc]
    METHOD = "assume-role"
    CANONICAL_NAME = "residency-assume-role"

    def __init__(self, fetcher: AssumeRoleCredentialFetcher) -> None:
        super().__init__()
        self._fetcher = fetcher

    def load(self) -> Credentials:
        return DeferredRefreshableCredentials(refresh_using=self._fetcher.fetch_credentials, method=self.METHOD)


def _register(session: boto3.Session, hooks: Sequence[Hook]) -> None:
    for event, handler in hooks:
        session.events.register(event, handler)


class Clients:
    """Thread-safe cache of low-level clients for one account, one per (service, region)."""

    def __init__(self, session: boto3.Session, home_region: str, config: Config) -> None:
        self.session = session
        self.home_region = home_region
        self._config = config
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, str], Any] = {}

    def get(self, service: str, region: str | None = None) -> Any:
        key = (service, region or self.home_region)
        with self._lock:
            client = self._cache.get(key)
            if client is None:
                client = self.session.client(service, region_name=key[1], config=self._config)
                if service == "s3control":
                    strip_account_host_on_custom_endpoint(client)
                self._cache[key] = client
            return client


def strip_account_host_on_custom_endpoint(client: Any) -> None:
    """s3control puts the account id in front of the host; a custom endpoint has no such host."""
    endpoint = urlsplit(str(client.meta.endpoint_url))
    host = endpoint.hostname or ""
    if _AWS_HOST.search(host):
        return

    def strip(request: Any, **_: Any) -> None:
        url = urlsplit(request.url)
        label, _dot, rest = (url.netloc or "").partition(".")
        if label.isdigit() and rest == endpoint.netloc:
            request.url = urlunsplit(url._replace(netloc=rest))

    client.meta.events.register("before-sign.s3-control", strip)
