"""Bases of generated resource classes, and decoding of responses with no model."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from ._client import AsyncClient, SyncClient


class SyncResource:
    """A group of operations bound to a ``SyncClient``."""

    def __init__(self, client: SyncClient) -> None:
        self._client = client


class AsyncResource:
    """A group of operations bound to an ``AsyncClient``."""

    def __init__(self, client: AsyncClient) -> None:
        self._client = client


def decode_auto(response: httpx.Response) -> Any:
    """The body as JSON when the response says it is JSON, else as text (None if empty)."""
    if not response.content:
        return None
    content_type = response.headers.get("content-type", "").lower()
    if "json" in content_type:
        return response.json()
    return response.text
