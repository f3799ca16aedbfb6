"""No credential reaches any output, whatever the clouds echo: a full `residency scan` as a subprocess.

Distinctive fake credentials for every provider (AWS secret key, session token and passwords in
endpoint URLs; a Google token and a password in the emulator URL; an Azure management token and
storage key). The local servers' fault injection echoes the scanner's own credentials back in
error messages (request headers, and the secret itself, as a server that knows it would), and an
unreachable S3 Control endpoint makes botocore repeat its URL. The scan writes every format and
the inventory snapshot; stdout, stderr and every file are searched for every fake value.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from scripts.localcloud.aws.moto_server import FAKE_CREDENTIALS, ProxyOptions, start_moto, start_proxy
from scripts.localcloud.aws.seed import Seeder
from scripts.localcloud.azure.faults import inject
from scripts.localcloud.azure.seed import AzureSeeder
from scripts.localcloud.gcp.seed import BucketSpec, client_for, create_bucket, fault, upload
from scripts.localcloud.services import REPO_ROOT, ServiceGroup, free_port, python_command

pytestmark = pytest.mark.integration

AWS_SECRET = "FAKE-SECRET-a1b2c3d4e5"
AWS_TOKEN = "FAKE-TOKEN-f6g7h8i9j0"
AWS_PASSWORD = "FAKE-PASS-k1l2m3"
AWS_CONTROL_PASSWORD = "FAKE-CTLPASS-n4o5p6"
GCS_PASSWORD = "FAKE-GCSPASS-q7r8s9"
GOOGLE_TOKEN = "FAKE-GTOKEN-t1u2v3w4"
AZURE_TOKEN = "FAKE-MGMTTOKEN-x5y6z7"
AZURE_KEY = base64.b64encode(b"FAKE-STORAGE-KEY-a9b8c7d6").decode()
SECRETS = (AWS_SECRET, AWS_TOKEN, AWS_PASSWORD, AWS_CONTROL_PASSWORD, GCS_PASSWORD, GOOGLE_TOKEN, AZURE_TOKEN,
           AZURE_KEY)
POLICY = """\
policies:
  - id: all-data-in-japan
    title: Everything stays in Japan
    description: Every bucket and account of every cloud is in Japan.
    severity: high
    scope:
      providers: [aws, gcp, azure]
    allowed:
      countries: [JP]
"""


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str
    out: Path


def _with_password(url: str, user: str, password: str) -> str:
    return url.replace("http://", f"http://{user}:{password}@", 1)


@pytest.fixture(scope="module")
def secrets_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    work = tmp_path_factory.mktemp("secrets")
    with ServiceGroup(work / "logs") as group:
        env = {**_aws(group), **_gcp(group), **_azure(group)}
        (work / "policy.yaml").write_text(POLICY)
        out = work / "reports"
        command = [sys.executable, "-m", "residency", "scan", "--policy", "policy.yaml", "--provider", "aws",
                   "--provider", "gcp", "--provider", "azure", "--gcp-project", "leaky-project",
                   "--azure-subscription", env.pop("SUB_ECHO"), "--azure-subscription", env.pop("SUB_BLOB"),
                   "--collect-all", "--output-dir", str(out), "--inventory-out", str(out / "inventory.json")]
        clean = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "AZURE_", "GOOGLE_", "RESIDENCY_"))}
        done = subprocess.run(command, cwd=work, env={**clean, "PYTHONPATH": str(REPO_ROOT), **env},
                              capture_output=True, text=True, timeout=300, check=False)
        yield Run(done.returncode, done.stdout, done.stderr, out)


def _aws(group: ServiceGroup) -> dict[str, str]:
    moto = start_moto(group, name="moto-secrets")
    inner = start_proxy(group, moto, ProxyOptions(bucket_region=True), name="aws-secrets-inner")
    echo = start_proxy(group, inner, ProxyOptions(echo_credentials=True, echo_text=f"(key {AWS_SECRET})"),
                       name="aws-secrets-echo")
    Seeder(inner.url, dict(FAKE_CREDENTIALS)).bucket("leaky-bucket", "eu-west-1", {"data-class": "x"})
    return {
        "AWS_ENDPOINT_URL": _with_password(echo.url, "scanner", AWS_PASSWORD),
        # Nothing listens there: botocore's connection error repeats the URL, password and all.
        "AWS_ENDPOINT_URL_S3_CONTROL": _with_password(f"http://127.0.0.1:{free_port()}", "ctl", AWS_CONTROL_PASSWORD),
        "AWS_ACCESS_KEY_ID": "AKIAFAKESECRETSTEST1", "AWS_SECRET_ACCESS_KEY": AWS_SECRET,
        "AWS_SESSION_TOKEN": AWS_TOKEN, "AWS_DEFAULT_REGION": "us-east-1", "AWS_MAX_ATTEMPTS": "1",
        "AWS_EC2_METADATA_DISABLED": "true", "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
    }


def _gcp(group: ServiceGroup) -> dict[str, str]:
    port = free_port()
    gcs = group.start("gcs-secrets", python_command("-m", "scripts.localcloud.gcp.server", "--port", str(port)), port)
    bucket = create_bucket(client_for(gcs.url, "leaky-project"), "leaky-project",
                           BucketSpec("leaky-gcs-bucket", "europe-west1", {"data-class": "x"}))
    upload(bucket, ["a"])
    fault(gcs.url, kind="echo", bucket="leaky-gcs-bucket", text=f"(token {GOOGLE_TOKEN})")
    return {"STORAGE_EMULATOR_HOST": _with_password(gcs.url, "gcs", GCS_PASSWORD),
            "GOOGLE_OAUTH_ACCESS_TOKEN": GOOGLE_TOKEN}


def _azure(group: ServiceGroup) -> dict[str, str]:
    port = free_port()
    server = group.start("azure-secrets", python_command("-m", "scripts.localcloud.azure.server", "--port",
                                                         str(port)), port)
    echo_sub, blob_sub = str(uuid.uuid4()), str(uuid.uuid4())
    seeder = AzureSeeder(server.url)
    seeder.account(echo_sub, "leakyarm", "westeurope", "Standard_LRS")
    seeder.account(blob_sub, "leakyblob", "westeurope", "Standard_GRS")
    seeder.close()
    inject(server.url, kind="echo", subscription=echo_sub, text=f"(key {AZURE_KEY})")
    inject(server.url, kind="echo", account="leakyblob", text=f"(key {AZURE_KEY})")
    return {"RESIDENCY_AZURE_MANAGEMENT_ENDPOINT": server.url, "RESIDENCY_AZURE_MANAGEMENT_TOKEN": AZURE_TOKEN,
            "RESIDENCY_AZURE_STORAGE_KEY": AZURE_KEY, "SUB_ECHO": echo_sub, "SUB_BLOB": blob_sub}


def test_the_scan_ran_every_provider_and_wrote_every_format(secrets_run: Run) -> None:
    from residency.formats import FORMATS

    assert secrets_run.code in (1, 3), secrets_run.stderr
    written = {p.name for p in secrets_run.out.iterdir()}
    assert {f"residency.{f.extension}" for f in FORMATS.values()} | {"inventory.json"} <= written


def test_the_echoed_credentials_did_reach_the_reports_masked(secrets_run: Run) -> None:
    """The faults fired (else the search below could not fail): their messages are in the snapshot."""
    snapshot = (secrets_run.out / "inventory.json").read_text()
    for masked in ("Access Denied (key ***) for request X-Amz-Security-Token=***",
                   "Access denied (token ***) for request Authorization=Basic ***",
                   "This request is not authorized (key ***): Authorization=Bearer ***",
                   "This request is not authorized (key ***): Authorization=SharedKey ***",
                   'Could not connect to the endpoint URL: \\"http://***@127.0.0.1:'):
        assert masked in snapshot, masked


def test_no_fake_credential_appears_in_any_output(secrets_run: Run) -> None:
    outputs = {"stdout": secrets_run.stdout, "stderr": secrets_run.stderr}
    outputs |= {path.name: path.read_text(errors="replace") for path in secrets_run.out.iterdir() if path.is_file()}
    leaks = {(name, secret) for name, text in outputs.items() for secret in SECRETS if secret in text}
    assert not leaks
