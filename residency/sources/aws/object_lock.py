"""Object Lock: the bucket's default retention and, on a sample of versions, retention and legal holds.

GetObjectRetention and GetObjectLegalHold need no read access to object data. An answer that does
not say what the API reference promises (a retention without its mode, a hold without ON/OFF, a
configuration that does not say whether Object Lock is on) never reads as "no lock".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from residency.inventory.model import RetentionLock
from residency.sources.aws.answers import text
from residency.sources.aws.errors import AWS_ERRORS, MalformedAnswer, error_code

_NO_LOCK_CODES = frozenset({"ObjectLockConfigurationNotFoundError", "NoSuchObjectLockConfiguration"})
_NO_OBJECT_LOCK_VALUE = frozenset({"NoSuchObjectLockConfiguration", "InvalidRequest"})
_LOCK_MODES = frozenset({"GOVERNANCE", "COMPLIANCE"})


def default_retention(s3: Any, name: str) -> tuple[bool, RetentionLock | None]:
    """(Object Lock enabled, the default-retention lock if any)."""
    try:
        config = s3.get_object_lock_configuration(Bucket=name).get("ObjectLockConfiguration", {})
    except AWS_ERRORS as error:
        if error_code(error) in _NO_LOCK_CODES:
            return False, None
        raise
    return retention_from_config(config)


def retention_from_config(config: Any) -> tuple[bool, RetentionLock | None]:
    """A GetObjectLockConfiguration answer: what it does not say never reads as "no lock"."""
    if not isinstance(config, Mapping):
        raise MalformedAnswer("GetObjectLockConfiguration answered no ObjectLockConfiguration object")
    if config.get("ObjectLockEnabled") is None:
        # A configuration that does not say whether Object Lock is on: read the versions' locks anyway.
        return True, None
    if config.get("ObjectLockEnabled") != "Enabled":
        return False, None
    rule = config.get("Rule")
    retention = rule.get("DefaultRetention") if isinstance(rule, Mapping) else None
    if not retention:
        return True, None
    if not isinstance(retention, Mapping):
        raise MalformedAnswer("GetObjectLockConfiguration answered a DefaultRetention that is not an object")
    mode = (text(retention, "Mode") or "").upper()
    period = f"{retention['Days']} days" if retention.get("Days") else f"{retention.get('Years', '?')} years"
    if mode not in _LOCK_MODES:  # a retention whose mode is unknown may be COMPLIANCE: it blocks
        detail = f"Object Lock default retention for {period}, mode not reported ({mode or 'none'})"
        return True, RetentionLock("object-lock-unknown-mode", detail, None, blocks_deletion=True)
    detail = f"Object Lock default retention: {mode} for {period} from each version's creation"
    return True, RetentionLock(f"object-lock-{mode.lower()}", detail, None, blocks_deletion=mode == "COMPLIANCE")


def version_locks(s3: Any, name: str, sample: list[tuple[str, str]], now: dt.datetime) -> list[RetentionLock]:
    retained: dict[str, list[dt.datetime | None]] = {}  # None: retained, until an unknown date
    held = 0
    for key, version in sample:
        mode, until = _retention(s3, name, key, version)
        if mode and (until is None or until > now):
            retained.setdefault(mode, []).append(until)
        held += _legal_hold(s3, name, key, version)
    locks = [
        RetentionLock(
            f"object-lock-{mode.lower()}",
            f"{len(untils)} object version(s) retained in {mode} mode",
            None if None in untils else max(u for u in untils if u is not None).isoformat(),
            blocks_deletion=mode == "COMPLIANCE",
        )
        for mode, untils in sorted(retained.items())
    ]
    if held:
        locks.append(RetentionLock("legal-hold", f"{held} object version(s) under legal hold", None))
    return locks


def _retention(s3: Any, name: str, key: str, version: str) -> tuple[str | None, dt.datetime | None]:
    try:
        retention = s3.get_object_retention(Bucket=name, Key=key, VersionId=version).get("Retention", {})
    except AWS_ERRORS as error:
        if error_code(error) in _NO_OBJECT_LOCK_VALUE:
            return None, None
        raise
    return retention_of(retention)


def retention_of(retention: Any) -> tuple[str | None, dt.datetime | None]:
    """(mode, retain-until) of a GetObjectRetention answer; an unknown mode is malformed."""
    if not isinstance(retention, Mapping):
        raise MalformedAnswer("GetObjectRetention answered a Retention that is not an object")
    mode, until = (text(retention, "Mode") or "").upper() or None, retention.get("RetainUntilDate")
    if mode is not None and mode not in _LOCK_MODES:
        raise MalformedAnswer(f"GetObjectRetention answered an unknown retention mode '{mode[:40]}'")
    return mode, until if isinstance(until, dt.datetime) else None


def _legal_hold(s3: Any, name: str, key: str, version: str) -> int:
    try:
        hold = s3.get_object_legal_hold(Bucket=name, Key=key, VersionId=version).get("LegalHold", {})
    except AWS_ERRORS as error:
        if error_code(error) in _NO_OBJECT_LOCK_VALUE:
            return 0
        raise
    return legal_hold_of(hold)


def legal_hold_of(hold: Any) -> int:
    """1 for a hold that is ON; a hold whose status is not reported may be on: malformed."""
    status = text(hold, "Status") if isinstance(hold, Mapping) else None
    if status not in ("ON", "OFF"):  # an answer that does not say: the hold may be on
        raise MalformedAnswer("GetObjectLegalHold answered no ON/OFF status")
    return 1 if status == "ON" else 0
