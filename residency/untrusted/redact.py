"""Secrets never reach output, whatever an SDK or a server puts in its error messages.

One redaction step for every text that comes from outside: SDK error messages, server answers,
endpoint URLs. It removes URL userinfo (`http://user:pass@host`) and query strings (SAS tokens,
presigned signatures), masks inline credentials (`AccountKey=...`, `sig=...`, `Bearer ...`) and
masks the value of every credential in use: those the environment holds (AWS, Azure, Google
variables and anything named like a secret) and those a source registers when it resolves them
(a profile's secret key, a storage account key). Cloud resource names and tags keep their text;
only secret values are masked in them.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Mapping

MASK = "***"
MIN_SECRET_LENGTH = 6  # shorter values ("local", "true") would mask ordinary words
SECRET_VARIABLES = frozenset({
    "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_BEARER_TOKEN_BEDROCK",
    "AZURE_CLIENT_SECRET", "AZURE_CLIENT_CERTIFICATE_PASSWORD", "AZURE_PASSWORD", "AZURE_STORAGE_KEY",
    "AZURE_STORAGE_ACCOUNT_KEY", "AZURE_STORAGE_CONNECTION_STRING", "AZURE_STORAGE_SAS_TOKEN",
    "RESIDENCY_AZURE_MANAGEMENT_TOKEN", "RESIDENCY_AZURE_STORAGE_KEY", "GOOGLE_OAUTH_ACCESS_TOKEN",
    "CLOUDSDK_AUTH_ACCESS_TOKEN", "GOOGLE_CLOUD_ACCESS_TOKEN",
})
_SECRET_NAME = re.compile(r"SECRET|TOKEN|PASSWORD|PASSWD|CREDENTIAL|CONNECTION_STRING|_KEY$|SAS", re.IGNORECASE)
_URL_USERINFO = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)[^/@\s?#]+@")
_URL_QUERY = re.compile(r"(?P<url>[A-Za-z][A-Za-z0-9+.-]*://[^\s?#'\"<>]+)\?[^\s#'\"<>]*")
_INLINE = re.compile(
    r"(?P<name>AccountKey|SharedAccessSignature|SharedAccessKey|sig|X-Amz-Signature|X-Amz-Security-Token"
    r"|X-Amz-Credential|access_token|client_secret|password)=(?P<value>[^;&\s'\"]+)",
    re.IGNORECASE,
)
_BEARER = re.compile(r"(?P<name>Bearer|SharedKey|Basic)\s+[A-Za-z0-9._~+/=:-]{6,}", re.IGNORECASE)


class _Secrets:
    def __init__(self) -> None:
        self._values: set[str] = set()
        self._pattern: re.Pattern[str] | None = None
        self._lock = threading.Lock()

    def add(self, value: str | None) -> None:
        if not value or len(value) < MIN_SECRET_LENGTH:
            return
        with self._lock:
            if value not in self._values:
                self._values.add(value)
                self._pattern = None

    def pattern(self) -> re.Pattern[str] | None:
        with self._lock:
            if self._pattern is None and self._values:
                alternatives = sorted(self._values, key=len, reverse=True)
                self._pattern = re.compile("|".join(re.escape(value) for value in alternatives))
            return self._pattern


_SECRETS = _Secrets()


def register_secret(value: str | None) -> None:
    """A credential value in use (resolved from a profile, a key file, a local endpoint ...)."""
    _SECRETS.add(value)
    if value and "://" in value:
        _register_url(value)


def register_environment(environ: Mapping[str, str] | None = None) -> None:
    """Every credential the environment holds, and the userinfo of every URL in it."""
    for name, value in (os.environ if environ is None else environ).items():
        if name in SECRET_VARIABLES or _SECRET_NAME.search(name):
            _SECRETS.add(value)
            for part in re.split(r"[;&]", value):  # connection strings: AccountKey=...;SharedAccessSignature=...
                _SECRETS.add(part.partition("=")[2])
        if "://" in value:
            _register_url(value)


def _register_url(value: str) -> None:
    for match in re.finditer(r"://(?P<userinfo>[^/@\s?#]+)@", value):
        user, _, password = match["userinfo"].partition(":")
        _SECRETS.add(password)
        _SECRETS.add(user)


def mask_secrets(text: str) -> str:
    """Only the values of known secrets: for names and tags, whose text is otherwise kept."""
    pattern = _SECRETS.pattern()
    return pattern.sub(MASK, text) if pattern is not None else text


def redact(text: str) -> str:
    """Free text from outside (error messages, reasons, notes): URLs, inline credentials, secrets."""
    if "://" in text:
        text = _URL_USERINFO.sub(lambda m: f"{m['scheme']}{MASK}@", text)
        text = _URL_QUERY.sub(lambda m: f"{m['url']}?{MASK}", text)
    if "=" in text:
        text = _INLINE.sub(lambda m: f"{m['name']}={MASK}", text)
    if " " in text:
        text = _BEARER.sub(lambda m: f"{m['name']} {MASK}", text)
    return mask_secrets(text)


def clip(text: str, limit: int) -> str:
    """`text` redacted, then cut to `limit` characters: never cut first, or the cut could leave part of
    a secret that redaction no longer recognises."""
    return redact(text)[:limit]
