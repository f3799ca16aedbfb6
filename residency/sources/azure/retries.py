"""Retries that never hold a scan: bounded per call, and a long Retry-After is not waited for.

azure-core's RetryPolicy sleeps for whatever `Retry-After` a server sends (an hour, if asked)
and its default call timeout is seven days; azure-storage-blob's ExponentialRetry waits 15 s,
then 18 s, then 24 s. Here a management call makes at most `RETRY_TOTAL` retries within
`CALL_TIMEOUT_S`, honours a Retry-After only up to `MAX_RETRY_AFTER_S` (a longer one fails the
call at once, with the server's own error), and blob calls back off 1, 3 and 5 s.
"""

from __future__ import annotations

from typing import Any

from azure.core.pipeline import PipelineResponse
from azure.core.pipeline.policies import RetryPolicy
from azure.storage.blob import ExponentialRetry

RETRY_TOTAL = 3
MAX_RETRY_AFTER_S = 10.0
CALL_TIMEOUT_S = 120  # all attempts of one management call
MAX_BACKOFF_S = 8.0


class BoundedRetryPolicy(RetryPolicy):  # type: ignore[type-arg]
    """azure-core's retries, except that a server asking to wait longer than a scan waits is not retried."""

    def is_retry(self, settings: dict[str, Any], response: PipelineResponse[Any, Any]) -> bool:
        retry_after = self.get_retry_after(response)
        if retry_after is not None and retry_after > MAX_RETRY_AFTER_S:
            return False
        return bool(super().is_retry(settings, response))


def management_retry_policy() -> BoundedRetryPolicy:
    return BoundedRetryPolicy(retry_total=RETRY_TOTAL, retry_backoff_factor=0.8, retry_backoff_max=MAX_BACKOFF_S,
                              timeout=CALL_TIMEOUT_S)


def blob_retry_policy() -> ExponentialRetry:
    return ExponentialRetry(initial_backoff=1, increment_base=2, retry_total=RETRY_TOTAL, random_jitter_range=1)
