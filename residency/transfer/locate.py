"""FROM and TO as users write them: a manifest (path or URL) or a container to look up.

    ./reports/eu/manifest.json                      a local copy of a report
    s3://inventory-bucket/prefix/.../manifest.json  S3 Inventory manifest
    gs://inventory-bucket/path/..._manifest.json    GCS inventory report manifest
    https://ACCOUNT.blob.core.windows.net/CONTAINER/.../RULE-manifest.json[#SOURCE_CONTAINER]
    s3://bucket   gs://bucket   azure://ACCOUNT/CONTAINER   the newest report of that container
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from residency.errors import UsageError

_AZURE_HOST = re.compile(r"^([a-z0-9]{3,24})\.blob\.core\.windows\.net$")


@dataclass(frozen=True, slots=True)
class Where:
    """kind: 'file' (path), 's3', 'gs', 'azure' (account); key '' means: find the newest report."""

    kind: str
    container: str  # bucket / container holding the report (or the source container when key == "")
    key: str
    account: str = ""
    source_container: str | None = None  # Azure: which container of the account the report is for
    given: str = ""

    @property
    def is_container(self) -> bool:
        return self.kind != "file" and not self.key


def parse(text: str, option: str) -> Where:
    spec, _, fragment = text.partition("#")
    fragment_or_none = fragment or None
    if spec.startswith(("s3://", "gs://")):
        bucket, _, key = spec[5:].partition("/")
        if not bucket:
            raise UsageError(f"{option} {text}: names no bucket; write {spec[:5]}BUCKET or a manifest URL")
        return Where(spec[:2], bucket, key if key.endswith(".json") else "", given=text)
    if spec.startswith("azure://"):
        account, _, container = spec[8:].partition("/")
        if not account or not container or "/" in container.strip("/"):
            raise UsageError(f"{option} {text}: write azure://ACCOUNT/CONTAINER")
        return Where("azure", "", "", account=account, source_container=container.strip("/"), given=text)
    if spec.startswith("https://"):
        parsed = urllib.parse.urlsplit(spec)
        match = _AZURE_HOST.match(parsed.hostname or "")
        container, _, key = urllib.parse.unquote(parsed.path).lstrip("/").partition("/")
        if not match or not container or not key.endswith(".json"):
            raise UsageError(f"{option} {text}: not an Azure Blob Inventory manifest URL; write "
                             "https://ACCOUNT.blob.core.windows.net/CONTAINER/.../RULE-manifest.json")
        return Where("azure", container, key, account=match.group(1), source_container=fragment_or_none, given=text)
    if "://" in spec:
        raise UsageError(f"{option} {text}: unknown scheme; give a path, s3://, gs://, azure:// or an Azure "
                         "https:// manifest URL")
    path = Path(spec)
    if not path.is_file():
        what = "is a directory; give the manifest file in it" if path.is_dir() else "no such file"
        raise UsageError(f"{option} {text}: {what}")
    return Where("file", "", str(path), source_container=fragment_or_none, given=text)
