"""Shared test helpers: mock transports and clients with a fake sleep."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from generator.runtime import AsyncClient, RetryPolicy, SyncClient

BASE_URL = "https://example.my.salesforce.com"

Handler = Callable[[httpx.Request], httpx.Response]


class Replies:
    """A transport handler that records requests and answers from a script.

    Each script item is a response, an exception to raise, or a callable
    building the response from the request. The last item repeats.
    """

    def __init__(self, *script: httpx.Response | Exception | Handler) -> None:
        self.script = list(script)
        self.requests: list[httpx.Request] = []
        self.bodies: list[bytes] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        self.bodies.append(request.content)
        item = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        if isinstance(item, Exception):
            raise item
        if isinstance(item, httpx.Response):
            return httpx.Response(
                item.status_code, headers=item.headers, content=item.content
            )
        return item(request)

    @property
    def calls(self) -> int:
        return len(self.requests)


def sync_client(
    handler: Replies | Handler, sleeps: list[float] | None = None, **kwargs: Any
) -> SyncClient:
    """A SyncClient over a MockTransport whose sleeps are recorded, not waited."""
    kwargs.setdefault("retry", RetryPolicy())
    client = SyncClient(
        base_url=kwargs.pop("base_url", BASE_URL),
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
        **kwargs,
    )
    client._sleep = (sleeps if sleeps is not None else []).append
    return client


def async_client(
    handler: Replies | Handler, sleeps: list[float] | None = None, **kwargs: Any
) -> AsyncClient:
    """An AsyncClient over a MockTransport whose sleeps are recorded, not waited."""
    recorded = sleeps if sleeps is not None else []

    async def fake_sleep(seconds: float) -> None:
        recorded.append(seconds)

    client = AsyncClient(
        base_url=kwargs.pop("base_url", BASE_URL),
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler)),
        **kwargs,
    )
    client._sleep = fake_sleep
    return client


def json_response(status: int, data: Any, **headers: str) -> httpx.Response:
    """A response with a JSON body."""
    return httpx.Response(status, json=data, headers=headers)
