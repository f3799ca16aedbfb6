"""`residency doctor` for Google Cloud: which credentials, which projects, and one bucket listing."""

from __future__ import annotations

from google.cloud import storage

from residency.inventory.model import Provider
from residency.sources.contract import Check, CommonOptions, Diagnosis, ProviderOptions, SourceError
from residency.sources.endpoints import overridden_endpoints
from residency.sources.gcp.errors import describe_error
from residency.sources.gcp.options import GcpOptions
from residency.sources.gcp.projects import load_credentials, resolve_projects


def diagnose(common: CommonOptions, options: ProviderOptions) -> Diagnosis:
    del common
    if not isinstance(options, GcpOptions):
        raise SourceError(f"Google Cloud options expected, got {type(options).__name__}")
    endpoints = overridden_endpoints(Provider.GCP)
    try:
        creds = load_credentials()
    except SourceError as error:
        return Diagnosis(Provider.GCP, None, endpoints, (Check("credentials", False, str(error)),))
    identity = ("anonymous (local emulator)" if creds.emulator
                else getattr(creds.credentials, "service_account_email", None) or type(creds.credentials).__name__)
    projects, gaps = resolve_projects(options, creds)
    checks = [Check("credentials", True, f"{identity}; project {creds.project or 'not set'}")]
    checks.append(Check("projects (resourcemanager.projects.get)", not gaps,
                        "; ".join(g.reason for g in gaps) or f"{len(projects)} project(s): {', '.join(projects[:5])}"))
    for project in projects[:3]:
        client = storage.Client(project=project, credentials=creds.credentials)
        try:
            next(iter(client.list_buckets(project=project, max_results=1)), None)
            checks.append(Check(f"storage.buckets.list in {project}", True, "allowed"))
        except Exception as error:  # any SDK failure is the probe's answer
            checks.append(Check(f"storage.buckets.list in {project}", False, describe_error(error)))
        finally:
            client.close()
    return Diagnosis(Provider.GCP, identity, endpoints, tuple(checks))
