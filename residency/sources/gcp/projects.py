"""Credentials and the projects to scan.

Credentials come from Application Default Credentials with read-only scopes. With
`STORAGE_EMULATOR_HOST` set, google-cloud-storage talks to that server anonymously, and so
does this module.

Projects: `--gcp-project` (repeatable), else every ACTIVE project the credentials can list
through Resource Manager v1 `projects.list`. When listing is not possible (the API is off,
or the caller lacks `resourcemanager.projects.list`), the project of the ADC credentials is
scanned and the scan records that the others could not be seen (an `AccountGap`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import google.auth
from google.api_core import exceptions as api_exceptions
from google.auth import credentials as auth_credentials
from google.auth.exceptions import DefaultCredentialsError
from google.auth.transport.requests import AuthorizedSession

from residency.inventory.model import AccountGap, Provider
from residency.sources.contract import SourceError
from residency.sources.gcp.calls import MAX_PROJECT_PAGES, REQUEST_TIMEOUT
from residency.sources.gcp.errors import CLOUD_ERRORS, describe_error
from residency.sources.gcp.options import GcpOptions
from residency.sources.paging import PageGuard
from residency.untrusted.redact import clip, redact, register_secret

READ_ONLY_SCOPES = (
    "https://www.googleapis.com/auth/devstorage.read_only",
    "https://www.googleapis.com/auth/cloud-platform.read-only",
)
RESOURCE_MANAGER_URL = "https://cloudresourcemanager.googleapis.com"
# Where to send projects.list instead (a local server serving the same v1 shape).
RESOURCE_MANAGER_ENV = "RESIDENCY_GCP_RESOURCE_MANAGER_URL"
EMULATOR_ENV = "STORAGE_EMULATOR_HOST"
ALL_PROJECTS = "*"


@dataclass(frozen=True)
class GcpCredentials:
    credentials: auth_credentials.Credentials
    project: str | None  # the project ADC names (GOOGLE_CLOUD_PROJECT, gcloud config, key file)
    emulator: bool


def load_credentials() -> GcpCredentials:
    for name in (EMULATOR_ENV, RESOURCE_MANAGER_ENV):
        if os.environ.get(name):
            check_endpoint(name, os.environ[name])
    if os.environ.get(EMULATOR_ENV):
        anonymous = auth_credentials.AnonymousCredentials()  # type: ignore[no-untyped-call]
        return GcpCredentials(anonymous, os.environ.get("GOOGLE_CLOUD_PROJECT"), emulator=True)
    try:
        credentials, project = google.auth.default(scopes=list(READ_ONLY_SCOPES))
    except DefaultCredentialsError as error:
        why = clip((str(error).splitlines() or [""])[0], 200)
        raise SourceError(
            f"no usable Google Application Default Credentials ({why}): "
            "run `gcloud auth application-default login` or set GOOGLE_APPLICATION_CREDENTIALS to a service "
            "account key file"
        ) from None
    register_credentials(credentials)
    return GcpCredentials(credentials, project, emulator=False)


def resolve_projects(options: GcpOptions, creds: GcpCredentials) -> tuple[list[str], list[AccountGap]]:
    """The projects to scan, and a gap when the list may be incomplete."""
    if options.projects:
        return list(dict.fromkeys(options.projects)), []
    endpoint = os.environ.get(RESOURCE_MANAGER_ENV)
    if creds.emulator and not endpoint:
        if creds.project:
            return [creds.project], []
        raise SourceError(f"with {EMULATOR_ENV} set, name the projects: --gcp-project PROJECT "
                            "(or set GOOGLE_CLOUD_PROJECT)")
    try:
        return list_projects(creds.credentials, endpoint or RESOURCE_MANAGER_URL)
    except CLOUD_ERRORS as error:
        reason = describe_error(error)
    if creds.project:
        return [creds.project], [AccountGap(
            Provider.GCP, ALL_PROJECTS,
            f"could not list projects ({reason}); scanned only {creds.project}, the credentials' project; "
            "grant resourcemanager.projects.list or pass --gcp-project",
        )]
    return [], [AccountGap(Provider.GCP, ALL_PROJECTS,
                           f"could not list projects ({reason}) and the credentials name no project; "
                           "pass --gcp-project")]


def list_projects(credentials: auth_credentials.Credentials, endpoint: str) -> tuple[list[str], list[AccountGap]]:
    """Resource Manager v1 projects.list, every page (boundedly), ACTIVE projects only; an entry
    without a project id, or a listing cut short, is a gap (projects that could not be seen)."""
    session = AuthorizedSession(credentials)  # type: ignore[no-untyped-call]
    projects: list[str] = []
    gaps: list[AccountGap] = []
    guard = PageGuard("projects.list", MAX_PROJECT_PAGES)
    params: dict[str, Any] = {"filter": "lifecycleState:ACTIVE", "pageSize": 500}
    try:
        while True:
            response = session.get(f"{endpoint.rstrip('/')}/v1/projects", params=params, timeout=REQUEST_TIMEOUT)
            if response.status_code >= 400:
                raise api_exceptions.from_http_response(response)  # type: ignore[no-untyped-call]
            body = response.json()
            if not isinstance(body, dict) or not isinstance(body.get("projects") or [], list):
                raise api_exceptions.GoogleAPIError("projects.list answered something that is not a project list")
            for entry in body.get("projects") or []:
                project = entry.get("projectId") if isinstance(entry, dict) else None
                if not isinstance(project, str) or not project:
                    gaps.append(AccountGap(Provider.GCP, ALL_PROJECTS, "projects.list answered an entry without "
                                           "a projectId: that project could not be scanned"))
                elif entry.get("lifecycleState", "ACTIVE") == "ACTIVE":
                    projects.append(project)
            token = body.get("nextPageToken")
            if not guard.follow(token):
                if guard.cut_short:
                    gaps.append(AccountGap(Provider.GCP, ALL_PROJECTS,
                                           f"{guard.cut_short}: projects after it were not scanned"))
                return list(dict.fromkeys(projects)), gaps
            params["pageToken"] = token
    finally:
        session.close()  # type: ignore[no-untyped-call]


def register_credentials(credentials: auth_credentials.Credentials) -> None:
    """Mask the access token (and a user credential's refresh token and client secret) in every output."""
    for attribute in ("token", "refresh_token", "client_secret"):
        value = getattr(credentials, attribute, None)
        register_secret(value if isinstance(value, str) else None)


def check_endpoint(name: str, value: str) -> None:
    """A local endpoint variable must be an http(s) URL with a host (or, for the emulator, host:port)."""
    url = urlsplit(value if "://" in value or name != EMULATOR_ENV else f"http://{value}")
    try:
        valid = url.scheme in ("http", "https") and bool(url.hostname) and (url.port or 1) > 0
    except ValueError:
        valid = False
    if not valid:
        raise SourceError(f"{name} is {redact(value)[:80]!r}, not an http(s) URL with a host: fix or unset it")
