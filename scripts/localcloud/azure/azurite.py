"""Start Azurite's blob service (npm package pinned in package.json) and our local Azure server.

Azurite is started with node directly (not npx) so the recorded PID is the server's, blob
only, in memory, on a free 127.0.0.1 port. Every local account shares `LOCAL_ACCOUNT_KEY`
(local testing only; never a real key). Azurite only knows the accounts named at start
(`AZURITE_ACCOUNTS`), so the ARM server is told which names live there.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from scripts.localcloud.services import REPO_ROOT, Service, ServiceGroup, free_port, python_command

LOCAL_ACCOUNT_KEY = base64.b64encode(b"residency-local-azure-test-key-not-a-secret!!").decode()
LOCAL_MANAGEMENT_TOKEN = "residency-local-token"
AZURITE_BLOB_ENTRY = REPO_ROOT / "node_modules" / "azurite" / "dist" / "src" / "blob" / "main.js"


@dataclass(frozen=True)
class LocalAzure:
    """Where the local management plane and blob services answer, and the env the scanner needs."""

    management_url: str
    azurite_url: str
    azurite_accounts: tuple[str, ...]
    server_log: Path  # one line per request: "METHOD path -> status"

    def scanner_env(self) -> dict[str, str]:
        return {
            "RESIDENCY_AZURE_MANAGEMENT_ENDPOINT": self.management_url,
            "RESIDENCY_AZURE_MANAGEMENT_TOKEN": LOCAL_MANAGEMENT_TOKEN,
            "RESIDENCY_AZURE_STORAGE_KEY": LOCAL_ACCOUNT_KEY,
        }


def start_azurite(group: ServiceGroup, accounts: Sequence[str], name: str = "azurite") -> Service:
    if not AZURITE_BLOB_ENTRY.exists():
        raise FileNotFoundError(f"{AZURITE_BLOB_ENTRY} is missing: run `npm ci` (or `make install-test`)")
    port = free_port()
    command = [
        "node", str(AZURITE_BLOB_ENTRY), "--blobHost", "127.0.0.1", "--blobPort", str(port),
        "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry", "--loose", "--silent",
    ]
    # Without AZURITE_ACCOUNTS Azurite serves only its well-known development account.
    env = {"AZURITE_ACCOUNTS": ";".join(f"{account}:{LOCAL_ACCOUNT_KEY}" for account in accounts)} if accounts else {}
    return group.start(name, command, port, env=env, timeout=60.0)


def start_local_azure(
    group: ServiceGroup,
    azurite_accounts: Sequence[str],
    page_size: int = 1000,
    denied: Sequence[str] = (),
    name: str = "azure",
) -> LocalAzure:
    """Start Azurite (for `azurite_accounts`) and the ARM + blob-extras server."""
    azurite = start_azurite(group, azurite_accounts, name=f"{name}-azurite")
    port = free_port()
    command = python_command(
        "-m", "scripts.localcloud.azure.server", "--port", str(port), "--azurite-url", azurite.url,
        "--azurite-accounts", ",".join(azurite_accounts), "--page-size", str(page_size),
        *(arg for sub in denied for arg in ("--deny-subscription", sub)),
    )
    server = group.start(f"{name}-server", command, port)
    return LocalAzure(server.url, azurite.url, tuple(azurite_accounts), server.log_path)


def log_dir_default() -> Path:
    return REPO_ROOT / ".localcloud-logs"
