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
from collections.abc import Callable, Mapping, Sequence
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
from botocore.exceptions import BotoCoreError, ProfileNotFound

from residency.sources.contract import SourceError
from residency.untrusted.redact import redact, register_secret

# (event name, handler): registered on every session the adapter opens (tests, benchmarks).
Hook = tuple[str, Callable[..., Any]]

DEFAULT_RETRY_MODE = "adaptive"  # client-side rate limiting on throttling, on top of standard retries
RETRY_MODES = ("legacy", "standard", "adaptive")
DEFAULT_MAX_ATTEMPTS = 4
# botocore ignores Retry-After and backs off at most 20 s between attempts: 10 attempts bound one
# call to about three minutes of waiting, whatever AWS_MAX_ATTEMPTS asks for.
MAX_ATTEMPTS_CAP = 10
CONNECT_TIMEOUT_S = 10
READ_TIMEOUT_S = 30
SESSION_NAME = "residency-scan"
_AWS_HOST = re.compile(r"\.amazonaws\.com(\.cn)?$|\.amazonaws-us-gov\.com$|\.c2s\.ic\.gov$|\.sc2s\.sgov\.gov$")


def client_config(max_workers: int, environ: Mapping[str, str] | None = None) -> Config:
    """Retries from AWS_RETRY_MODE / AWS_MAX_ATTEMPTS when set, else adaptive with 4 attempts.
    Raises SourceError for a retry setting or endpoint URL botocore would refuse mid-scan."""
    env = os.environ if environ is None else environ
    mode, attempts = retry_settings(env)
    check_endpoints(env)
    return Config(
        retries={"mode": mode, "total_max_attempts": attempts},
        max_pool_connections=max(10, max_workers),
        connect_timeout=CONNECT_TIMEOUT_S,
        read_timeout=READ_TIMEOUT_S,
        user_agent_extra="residency-scan",
        parameter_validation=False,  # our parameters are fixed by the code; saves CPU on every call
    )


def retry_settings(env: Mapping[str, str]) -> tuple[str, int]:
    mode = (env.get("AWS_RETRY_MODE") or DEFAULT_RETRY_MODE).strip()
    if mode not in RETRY_MODES:
        raise SourceError(f"AWS_RETRY_MODE is {mode[:40]!r}: set it to legacy, standard or adaptive, or unset it")
    raw = (env.get("AWS_MAX_ATTEMPTS") or "").strip()
    if not raw:
        return mode, DEFAULT_MAX_ATTEMPTS
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        raise SourceError(f"AWS_MAX_ATTEMPTS is {raw[:40]!r}: set it to a whole number from 1 to "
                          f"{MAX_ATTEMPTS_CAP}, or unset it")
    return mode, min(int(raw), MAX_ATTEMPTS_CAP)


def check_endpoints(env: Mapping[str, str]) -> None:
    """AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> must be http(s) URLs with a host."""
    for name, value in sorted(env.items()):
        if name == "AWS_ENDPOINT_URL" or name.startswith("AWS_ENDPOINT_URL_"):
            try:
                url = urlsplit(value.strip())
                valid = url.scheme in ("http", "https") and bool(url.hostname) and (url.port or 1) > 0
            except ValueError:
                valid = False
            if not valid:
                raise SourceError(f"{name} is {redact(value)[:80]!r}, not an http(s) URL with a host: "
                                  "fix or unset it")


def register_credentials(session: boto3.Session) -> None:
    """Mask the session's secret key and token in every output, whatever an endpoint echoes."""
    try:
        credentials = session.get_credentials()
        frozen = credentials.get_frozen_credentials() if credentials is not None else None
    except BotoCoreError:
        return  # the first call reports it, as a configuration error
    if frozen is not None:
        register_secret(frozen.secret_key)
        register_secret(frozen.token)


def open_session(profile: str | None, region: str | None, hooks: Sequence[Hook]) -> boto3.Session:
    """The standard credential chain (env, profile, SSO, container, instance role)."""
    try:
        session = boto3.Session(profile_name=profile, region_name=region)
    except ProfileNotFound as error:
        named = profile or getattr(error, "kwargs", {}).get("profile") or os.environ.get("AWS_PROFILE")
        source = "--aws-profile" if profile else "AWS_PROFILE"
        raise SourceError(f"AWS profile '{named}' ({source}) is not in the AWS config files; fix {source}") from None
    _register(session, hooks)
    register_credentials(session)
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
        return DeferredRefreshableCredentials(refresh_using=self._fetch, method=self.METHOD)

    def _fetch(self) -> dict[str, Any]:
        """The role's temporary credentials, masked in every output from the moment they exist."""
        values: dict[str, Any] = self._fetcher.fetch_credentials()
        register_secret(values.get("secret_key"))
        register_secret(values.get("token"))
        return values


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
