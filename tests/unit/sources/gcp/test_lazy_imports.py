"""A scan imports a Google service's client library only when it scans that service."""

from __future__ import annotations

import subprocess
import sys

LIBRARIES = ("googleapiclient", "google.cloud.spanner_admin", "google.cloud.bigquery", "google.cloud.bigtable_admin",
             "google.cloud.firestore_admin", "google.cloud.compute_v1")
SCRIPT = """
import sys
from residency.catalog import load_catalog
from residency.sources.contract import CollectEverything
from residency.sources.gcp.services import scan
from google.auth.credentials import AnonymousCredentials

class NoKinds(CollectEverything):
    def wants_kind(self, provider, account, kind):
        return False

from concurrent.futures import ThreadPoolExecutor
from residency.sources.contract import NullProgress
with ThreadPoolExecutor(2) as pool:
    resources, gaps = scan.collect(["p"], NoKinds(), AnonymousCredentials(), load_catalog(), pool, NullProgress())
assert resources == [] and gaps == [], (resources, gaps)
print(",".join(sorted(m for m in sys.modules if m.startswith(%r))))
"""


def test_no_client_library_is_imported_for_services_no_kind_needs() -> None:
    result = subprocess.run([sys.executable, "-c", SCRIPT % (LIBRARIES,)], capture_output=True, text=True,
                            check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
