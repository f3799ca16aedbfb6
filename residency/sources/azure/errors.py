"""Small helpers of the Azure adapter: ARM resource ids, one-line error reasons, SKUs."""

from __future__ import annotations

import re
from dataclasses import dataclass

from azure.core.exceptions import AzureError, HttpResponseError

_ACCOUNT_ID = re.compile(
    r"/subscriptions/(?P<sub>[^/]+)/resourceGroups/(?P<rg>[^/]+)/providers/Microsoft\.Storage/"
    r"storageAccounts/(?P<name>[^/]+)/?",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class AccountRef:
    subscription: str
    resource_group: str
    name: str


def parse_account_id(resource_id: str) -> AccountRef | None:
    match = _ACCOUNT_ID.fullmatch(resource_id.strip())
    if match is None:
        return None
    return AccountRef(match["sub"], match["rg"], match["name"])


def text(value: object) -> str:
    """SDK enums (`SkuName.STANDARD_GRS`) as their wire value (`Standard_GRS`)."""
    return str(getattr(value, "value", value))


def redundancy(sku_name: object) -> str:
    """`Standard_RAGZRS` -> `RAGZRS`; `StandardV2_GRS` -> `GRS`."""
    return text(sku_name or "").split("_", 1)[-1].upper()



def describe_error(error: Exception) -> str:
    """A one-line reason for a Gap: the service's error code and HTTP status, no secrets."""
    if isinstance(error, HttpResponseError):
        code = error.error.code if error.error is not None and error.error.code else error.reason
        status = error.status_code
        message = (error.error.message if error.error is not None else None) or error.message or ""
        first = message.strip().splitlines()[0] if message.strip() else ""
        line = f"{code}: {first}" if code and first and first != code else str(first or code or "no detail")
        return f"{line} (HTTP {status})" if status else line
    if isinstance(error, AzureError):
        lines = str(error).strip().splitlines()
        return f"{type(error).__name__}: {lines[0] if lines else 'no detail'}"
    return f"{type(error).__name__}: {error}"
