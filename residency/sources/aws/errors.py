"""Turning botocore exceptions into short, credential-free reasons for gaps."""

from __future__ import annotations

from botocore.exceptions import BotoCoreError, ClientError
from botocore.parsers import ResponseParserError

from residency.untrusted.redact import clip


class MalformedAnswer(Exception):
    """An answer botocore parsed whose content is not the API's shape (an entry without its
    required field, a tag without a value ...): recorded as a gap on what that answer was for."""


# Every exception a read against AWS can raise that we record as data instead of raising
# (ResponseParserError: an endpoint answered something that is not the API's XML or JSON).
AWS_ERRORS: tuple[type[Exception], ...] = (ClientError, BotoCoreError, ResponseParserError, MalformedAnswer)

ACCESS_DENIED_CODES = frozenset({"AccessDenied", "AccessDeniedException", "403", "Forbidden"})
NOT_FOUND_CODES = frozenset({"NoSuchBucket", "404", "NotFound"})
THROTTLING_CODES = frozenset({
    "SlowDown", "Throttling", "ThrottlingException", "ThrottledException", "RequestLimitExceeded",
    "TooManyRequestsException", "RequestThrottled", "RequestThrottledException", "503",
})


def error_code(error: Exception) -> str | None:
    if isinstance(error, ClientError):
        return str(error.response.get("Error", {}).get("Code", "")) or None
    return None


def http_status(error: Exception) -> int | None:
    if isinstance(error, ClientError):
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        return int(status) if status is not None else None
    return None


def response_header(error: Exception, name: str) -> str | None:
    """A header of the failed response (HeadBucket's 403 can still carry the region)."""
    if isinstance(error, ClientError):
        headers = error.response.get("ResponseMetadata", {}).get("HTTPHeaders", {})
        value = headers.get(name)
        return str(value) if value else None
    return None


def describe_error(error: Exception) -> str:
    """E.g. "AccessDenied: Access Denied (HTTP 403)" or "ReadTimeoutError: ...". One line, no secrets."""
    if isinstance(error, ClientError):
        code = error_code(error) or "Error"
        message = str(error.response.get("Error", {}).get("Message", "")).strip()
        status = http_status(error)
        text = f"{code}: {message}" if message and message != code else code
        attempts = error.response.get("ResponseMetadata", {}).get("RetryAttempts")
        if attempts:
            text += f" after {attempts} retries"
        return f"{text} (HTTP {status})" if status else text
    if isinstance(error, MalformedAnswer):
        return clip(f"unexpected answer: {error}", 300)
    first_line = str(error).splitlines()[0] if str(error) else ""
    return clip(f"{type(error).__name__}: {first_line}", 300)


def is_access_denied(error: Exception) -> bool:
    return error_code(error) in ACCESS_DENIED_CODES or http_status(error) == 403


def is_not_found(error: Exception) -> bool:
    return error_code(error) in NOT_FOUND_CODES


def is_throttled(error: Exception) -> bool:
    """Still throttled after botocore's retries: asking the same bucket again only adds load."""
    return error_code(error) in THROTTLING_CODES or http_status(error) in (429, 503)
