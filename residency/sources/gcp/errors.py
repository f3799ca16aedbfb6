"""Cloud errors the GCP adapter records as data (gaps), and how they read in a report."""

from __future__ import annotations

import requests
from google.api_core import exceptions as api_exceptions
from google.auth import exceptions as auth_exceptions

from residency.untrusted.redact import clip

# API errors (403, 404, 429, 5xx, retry deadline), credential refresh failures, transport errors.
CLOUD_ERRORS: tuple[type[BaseException], ...] = (
    api_exceptions.GoogleAPIError,
    auth_exceptions.GoogleAuthError,
    requests.exceptions.RequestException,
)


def describe_error(error: BaseException) -> str:
    """One line naming the HTTP status and the service's message (never a token or header)."""
    if isinstance(error, api_exceptions.GoogleAPICallError):
        status = f"HTTP {error.code}" if error.code else type(error).__name__
        # The service's own message; `error.message` repeats the method and URL before it.
        details = [e.get("message") for e in error.errors if isinstance(e, dict) and e.get("message")]
        text = f"{status}: {details[0] if details else error.message}"
    elif isinstance(error, auth_exceptions.GoogleAuthError):
        text = f"credentials could not be used ({type(error).__name__}: {error})"
    else:
        text = f"{type(error).__name__}: {error}"
    return clip(" ".join(text.split()), 300)
