"""Test support copied into every generated package: a recording mock transport.

``Exchange`` serves one canned response (a saved example of the collection) and
keeps every request the client sent, with its body read, for the tests to inspect.
An OAuth 2.0 token endpoint given to ``sync_http``/``async_http`` answers with
``TOKEN`` instead (those requests are kept in ``token_requests``).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

import httpx

TOKEN = "test-access-token"


class Exchange:
    """A canned response and the requests received (sync and async alike)."""

    def __init__(self, status: int, body: str = "", *, content_type: str = "") -> None:
        self.status = status
        self.body = body.encode("utf-8")
        self.headers = {"Content-Type": content_type} if content_type else {}
        self.requests: list[httpx.Request] = []
        self.token_requests: list[httpx.Request] = []
        self.token_urls: set[str] = set()

    @property
    def last(self) -> httpx.Request:
        """The last request received."""
        assert self.requests, "the client sent no request"
        return self.requests[-1]

    def _respond(self, request: httpx.Request) -> httpx.Response:
        if str(request.url.copy_with(query=None)) in self.token_urls:
            self.token_requests.append(request)
            token = {"access_token": TOKEN, "token_type": "Bearer", "expires_in": 3600}
            return httpx.Response(200, json=token)
        self.requests.append(request)
        return httpx.Response(self.status, content=self.body, headers=self.headers)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        request.read()
        return self._respond(request)

    async def _handle_async(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        return self._respond(request)

    def sync_http(self, *token_urls: str) -> httpx.Client:
        """An httpx client whose transport is this exchange (and token endpoints)."""
        self.token_urls.update(token_urls)
        return httpx.Client(transport=httpx.MockTransport(self._handle))

    def async_http(self, *token_urls: str) -> httpx.AsyncClient:
        """An async httpx client whose transport is this exchange (and token endpoints)."""
        self.token_urls.update(token_urls)
        return httpx.AsyncClient(transport=httpx.MockTransport(self._handle_async))


def check_request(request: httpx.Request, expected: dict[str, Any]) -> None:
    """Assert that ``request`` is what the collection specifies.

    ``expected`` has ``method``, ``path``, ``query`` (``[name, value]`` pairs in
    order), ``headers`` (each must be present with this value) and at most one of
    ``json`` (compared parsed), ``content`` (text, compared as UTF-8 bytes) or ``form``
    (``[name, value]`` pairs of an urlencoded body). ``signed``, if given, is the
    prefix of parameters an auth scheme signs per request (``oauth_``): they must be
    in the query or the form, and are left out of both comparisons.
    """
    signed = expected.get("signed")

    def unsigned(pairs: list[tuple[str, str]]) -> list[list[str]]:
        return [list(p) for p in pairs if not (signed and p[0].startswith(signed))]

    assert request.method == expected["method"]
    assert request.url.path == expected["path"]
    query = request.url.params.multi_items()
    assert unsigned(query) == expected["query"]
    for name, value in expected["headers"].items():
        assert request.headers.get(name) == value, f"header {name}"
    if "json" in expected:
        assert json.loads(request.content) == expected["json"]
    elif "form" in expected:
        pairs = parse_qsl(request.content.decode(), keep_blank_values=True)
        assert unsigned(pairs) == expected["form"]
        query += pairs
    else:
        assert request.content == expected.get("content", "").encode("utf-8")
    if signed:
        assert any(name == signed + "signature" for name, _ in query), "not signed"
