"""Retry policy: which failures are retried and how long to wait in between."""

from __future__ import annotations

import datetime
import email.utils
import random
import time
from dataclasses import dataclass

import httpx

__all__ = ["RetryPolicy", "parse_retry_after"]

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})


def parse_retry_after(value: str | None) -> float | None:
    """Parse a ``Retry-After`` header (seconds or an HTTP date) into seconds.

    Returns ``None`` when the header is missing or unparseable; never negative.
    """
    if value is None or not value.strip():
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        # "-0000" yields a naive datetime; HTTP dates are always UTC.
        when = when.replace(tzinfo=datetime.timezone.utc)
    return max(0.0, when.timestamp() - time.time())


@dataclass(frozen=True)
class RetryPolicy:
    """When and how often a request is sent again.

    Attributes:
        max_retries: Retries after the first attempt (0 disables retrying).
        backoff_factor: Base delay; attempt ``n`` waits ``backoff_factor * 2**n``
            plus up to 10% jitter.
        max_backoff: Upper bound for any delay, including ``Retry-After``.
        retry_statuses: Response statuses that are retried.
        retry_non_idempotent: Also retry methods such as POST and PATCH.
    """

    max_retries: int = 2
    backoff_factor: float = 0.5
    max_backoff: float = 30.0
    retry_statuses: frozenset[int] = frozenset({429, 503})
    retry_non_idempotent: bool = False

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError("max_retries must be >= 0")

    def allows_method(self, method: str) -> bool:
        """Whether requests with ``method`` may be retried at all."""
        return self.retry_non_idempotent or method.upper() in IDEMPOTENT_METHODS

    def should_retry_status(self, method: str, status: int, attempt: int) -> bool:
        """Whether to retry after attempt number ``attempt`` (0-based) got ``status``."""
        return (
            attempt < self.max_retries
            and status in self.retry_statuses
            and self.allows_method(method)
        )

    def should_retry_error(self, method: str, attempt: int) -> bool:
        """Whether to retry after attempt number ``attempt`` hit a transport error."""
        return attempt < self.max_retries and self.allows_method(method)

    def delay(self, attempt: int, response: httpx.Response | None) -> float:
        """Seconds to wait before the retry following attempt number ``attempt``."""
        if response is not None:
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            if retry_after is not None:
                return min(retry_after, self.max_backoff)
        backoff = self.backoff_factor * 2.0**attempt
        # Jitter spreads out clients that failed together so they do not retry in lockstep.
        return min(backoff * (1 + random.uniform(0, 0.1)), self.max_backoff)
