"""``RetryPolicy`` decisions and delays."""

from __future__ import annotations

import email.utils
import time

import httpx
import pytest

from generator.runtime import RetryPolicy
from generator.runtime._retry import parse_retry_after


def test_defaults() -> None:
    policy = RetryPolicy()
    assert policy.max_retries == 2
    assert policy.backoff_factor == 0.5
    assert policy.max_backoff == 30.0
    assert policy.retry_statuses == frozenset({429, 503})
    assert policy.retry_non_idempotent is False
    with pytest.raises(AttributeError):
        policy.max_retries = 5  # type: ignore[misc]


@pytest.mark.parametrize(
    "method", ["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE", "get"]
)
def test_idempotent_methods_are_retried(method: str) -> None:
    policy = RetryPolicy()
    assert policy.should_retry_status(method, 503, 0)
    assert policy.should_retry_status(method, 429, 1)
    assert not policy.should_retry_status(method, 429, 2)
    assert not policy.should_retry_status(method, 500, 0)
    assert policy.should_retry_error(method, 0)
    assert not policy.should_retry_error(method, 2)


@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_non_idempotent_methods_only_when_enabled(method: str) -> None:
    assert not RetryPolicy().should_retry_status(method, 503, 0)
    assert not RetryPolicy().should_retry_error(method, 0)
    enabled = RetryPolicy(retry_non_idempotent=True)
    assert enabled.should_retry_status(method, 503, 0)
    assert enabled.should_retry_error(method, 0)


def test_zero_retries_and_custom_statuses() -> None:
    assert not RetryPolicy(max_retries=0).should_retry_error("GET", 0)
    policy = RetryPolicy(retry_statuses=frozenset({500}))
    assert policy.should_retry_status("GET", 500, 0)
    assert not policy.should_retry_status("GET", 503, 0)
    with pytest.raises(ValueError):
        RetryPolicy(max_retries=-1)


def test_exponential_backoff_with_jitter() -> None:
    policy = RetryPolicy(backoff_factor=0.5)
    for attempt, base in enumerate([0.5, 1.0, 2.0, 4.0]):
        delays = {policy.delay(attempt, None) for _ in range(50)}
        assert all(base <= d <= base * 1.1 for d in delays), (attempt, delays)
        assert len(delays) > 1  # jittered


def test_backoff_capped() -> None:
    assert RetryPolicy(max_backoff=3.0).delay(10, None) == 3.0


def response(headers: dict[str, str]) -> httpx.Response:
    return httpx.Response(429, headers=headers)


def test_delay_honours_retry_after_seconds() -> None:
    assert RetryPolicy().delay(0, response({"Retry-After": "7"})) == 7.0
    assert RetryPolicy().delay(0, response({"Retry-After": "1.5"})) == 1.5


def test_delay_honours_retry_after_http_date() -> None:
    when = email.utils.formatdate(time.time() + 20, usegmt=True)
    delay = RetryPolicy().delay(0, response({"Retry-After": when}))
    assert 18.0 <= delay <= 20.0


def test_retry_after_is_capped() -> None:
    assert RetryPolicy(max_backoff=10).delay(0, response({"Retry-After": "3600"})) == 10


def test_invalid_retry_after_falls_back_to_backoff() -> None:
    delay = RetryPolicy().delay(1, response({"Retry-After": "soon"}))
    assert 1.0 <= delay <= 1.1


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("garbage", None),
        ("0", 0.0),
        ("12", 12.0),
        ("-5", 0.0),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),
        ("Wed, 21 Oct 2015 07:28:00 -0000", 0.0),
    ],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value) == expected


def test_parse_retry_after_future_date_without_zone() -> None:
    future = email.utils.formatdate(time.time() + 100).replace("+0000", "-0000")
    parsed = parse_retry_after(future)
    assert parsed is not None and 95 <= parsed <= 100
