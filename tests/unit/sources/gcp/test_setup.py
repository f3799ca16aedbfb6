"""Project resolution, error descriptions and the permissions document (pure: no server)."""

# google-api-core and google-auth constructors are untyped.
# mypy: disable-error-code="no-untyped-call"

from __future__ import annotations

import pytest
import requests
from google.api_core import exceptions
from google.auth.credentials import AnonymousCredentials

from residency.inventory.model import Provider
from residency.sources.contract import SourceError
from residency.sources.gcp.errors import describe_error
from residency.sources.gcp.options import GcpOptions
from residency.sources.gcp.permissions import PERMISSIONS, permissions
from residency.sources.gcp.projects import GcpCredentials, load_credentials, resolve_projects

EMULATED = GcpCredentials(AnonymousCredentials(), None, emulator=True)


def test_explicit_projects_win_and_are_deduplicated() -> None:
    projects, gaps = resolve_projects(GcpOptions(projects=("b", "a")), EMULATED)
    assert (projects, gaps) == (["b", "a"], [])


def test_emulator_uses_the_environment_project(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORAGE_EMULATOR_HOST", "http://127.0.0.1:1")
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "env-project")
    monkeypatch.delenv("RESIDENCY_GCP_RESOURCE_MANAGER_URL", raising=False)
    creds = load_credentials()
    assert (creds.emulator, creds.project) == (True, "env-project")
    assert resolve_projects(GcpOptions(), creds) == (["env-project"], [])


def test_emulator_without_any_project_asks_for_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RESIDENCY_GCP_RESOURCE_MANAGER_URL", raising=False)
    with pytest.raises(SourceError, match="--gcp-project"):
        resolve_projects(GcpOptions(), EMULATED)


def test_unreachable_project_listing_falls_back_to_the_credentials_project(monkeypatch: pytest.MonkeyPatch) -> None:
    # Port 9 on loopback (discard) is closed: the listing fails fast with a connection error.
    monkeypatch.setenv("RESIDENCY_GCP_RESOURCE_MANAGER_URL", "http://127.0.0.1:9")
    creds = GcpCredentials(AnonymousCredentials(), "home", emulator=False)
    projects, (gap,) = resolve_projects(GcpOptions(), creds)
    assert projects == ["home"]
    assert (gap.provider, gap.account) == (Provider.GCP, "*")
    assert "scanned only home" in gap.reason and "ConnectionError" in gap.reason
    no_project = GcpCredentials(AnonymousCredentials(), None, emulator=False)
    projects, (gap,) = resolve_projects(GcpOptions(), no_project)
    assert projects == [] and "pass --gcp-project" in gap.reason


def test_describe_prefers_the_service_message_and_stays_one_line() -> None:
    error = exceptions.Forbidden("GET http://x/storage/v1/b?project=p: denied\nsecond line",
                                 errors=[{"message": "caller lacks storage.buckets.list", "reason": "forbidden"}])
    assert describe_error(error) == "HTTP 403: caller lacks storage.buckets.list"
    assert describe_error(exceptions.NotFound("GET http://x: gone\n")) == "HTTP 404: GET http://x: gone"
    assert describe_error(requests.exceptions.ConnectTimeout("timed out")) == "ConnectTimeout: timed out"
    assert len(describe_error(exceptions.InternalServerError("x" * 1000))) == 300


def test_permissions_document_lists_every_permission_and_roles() -> None:
    text = permissions()
    for name, _ in PERMISSIONS:
        assert name in text
    assert "roles/storage.objectViewer" in text and "roles/storage.bucketViewer" in text
    assert "--permissions=resourcemanager.projects.get,storage.buckets.list,storage.objects.list" in text


@pytest.mark.parametrize(("name", "value"), [
    ("RESIDENCY_GCP_RESOURCE_MANAGER_URL", "127.0.0.1:9023"),
    ("RESIDENCY_GCP_RESOURCE_MANAGER_URL", "ftp://host/"),
    ("STORAGE_EMULATOR_HOST", "http://"),
])
def test_a_bad_endpoint_variable_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch, name: str,
                                                            value: str) -> None:
    monkeypatch.setenv("STORAGE_EMULATOR_HOST", "127.0.0.1:9023")  # host:port is what the SDK accepts
    monkeypatch.setenv(name, value)
    with pytest.raises(SourceError, match=f"^{name} is .*not an http\\(s\\) URL with a host: fix or unset it$"):
        load_credentials()


def test_resolved_google_credentials_are_masked_in_every_output() -> None:
    from google.oauth2.credentials import Credentials

    from residency.sources.gcp.projects import register_credentials
    from residency.untrusted.redact import redact

    register_credentials(Credentials(token="FAKE-GCP-TOKEN-7f3a", refresh_token="FAKE-GCP-REFRESH-7f3a",
                                     client_id="id", client_secret="FAKE-GCP-CLIENT-SECRET-7f3a"))
    text = redact("denied: token FAKE-GCP-TOKEN-7f3a refresh FAKE-GCP-REFRESH-7f3a FAKE-GCP-CLIENT-SECRET-7f3a")
    assert "7f3a" not in text
