"""Environment variables that point an SDK somewhere else than the cloud (`residency doctor` shows them)."""

from __future__ import annotations

import os
from collections.abc import Mapping

from residency.inventory.model import Provider

_OVERRIDES: dict[Provider, tuple[str, ...]] = {
    Provider.AWS: ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_"),
    Provider.GCP: ("STORAGE_EMULATOR_HOST", "RESIDENCY_GCP_", "CLOUDSDK_API_ENDPOINT_OVERRIDES_"),
    Provider.AZURE: ("RESIDENCY_AZURE_MANAGEMENT_ENDPOINT", "AZURE_AUTHORITY_HOST"),
}


def overridden_endpoints(provider: Provider, environ: Mapping[str, str] | None = None) -> tuple[tuple[str, str], ...]:
    env = os.environ if environ is None else environ
    prefixes = _OVERRIDES[provider]
    return tuple(sorted((name, value) for name, value in env.items()
                        if any(name == p or (p.endswith("_") and name.startswith(p)) for p in prefixes)))
