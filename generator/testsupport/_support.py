"""Test support copied into every generated package: a recording mock transport.

``Exchange`` serves one canned response (a saved example of the collection) and
keeps every request the client sent, with its body read, for the tests to inspect.
An OAuth 2.0 token endpoint given to ``sync_http``/``async_http`` answers with
``TOKEN`` instead (those requests are kept in ``token_requests``).
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import re
from typing import Any
from urllib.parse import parse_qsl, unquote

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
    order), ``headers`` (each must be present with this value, or absent where the
    value is None) and at most one of ``json`` (compared parsed), ``content`` (text,
    compared as UTF-8 bytes), ``form`` (``[name, value]`` pairs of an urlencoded
    body) or ``multipart`` (``[name, file name or None, text]`` of each part, in
    order). ``signed``, if given, is the
    prefix of parameters an auth scheme signs per request (``oauth_``): they must be
    in the query or the form, and are left out of both comparisons. A Postman
    dynamic variable (``{{$guid}}``) in an expected value matches any text.
    """
    signed = expected.get("signed")

    def unsigned(pairs: list[tuple[str, str]]) -> list[list[str]]:
        return [list(p) for p in pairs if not (signed and p[0].startswith(signed))]

    _same("method", request.method, expected["method"])
    _same("path", request.url.path, expected["path"])
    query = _raw_query(request)
    _same("query", unsigned(query), expected["query"])
    for name, value in expected["headers"].items():
        _same(f"header {name}", request.headers.get(name), value)
    if "json" in expected:
        _same("JSON body", json.loads(request.content), expected["json"])
    elif "multipart" in expected:
        _same("multipart body", multipart_parts(request), expected["multipart"])
    elif "form" in expected:
        pairs = parse_qsl(request.content.decode(), keep_blank_values=True)
        _same("form body", unsigned(pairs), expected["form"])
        query += pairs
    else:
        text = expected.get("content", "")
        if "{{$" in text:  # compared as text: dynamic variables match any value
            _same("body", request.content.decode("utf-8", "replace"), text)
        else:
            _same("body", request.content, text.encode("utf-8"))
    if signed:
        assert any(name == signed + "signature" for name, _ in query), "not signed"


def _raw_query(request: httpx.Request) -> list[tuple[str, str]]:
    """The query pairs as sent: percent-decoded, a ``+`` kept (as Postman writes it),
    a key sent alone read as an empty value."""
    pairs = []
    for item in request.url.query.decode("ascii").split("&"):
        if item:
            key, _, value = item.partition("=")
            pairs.append((unquote(key), unquote(value)))
    return pairs


def _same(what: str, actual: object, expected: object) -> None:
    # Plain asserts in this helper module are not rewritten by pytest: say what differs.
    assert _matches(actual, expected), f"{what}: sent {actual!r}, expected {expected!r}"


_DYNAMIC = re.compile(r"\\\{\\\{\\\$[A-Za-z]+\\\}\\\}")


def _matches(actual: object, expected: object) -> bool:
    """Equality, where a Postman dynamic variable (``{{$guid}}``) in an expected
    string matches any text: the client sends a fresh value in its place."""
    if isinstance(expected, str) and isinstance(actual, str) and "{{$" in expected:
        pattern = _DYNAMIC.sub(".*?", re.escape(expected))
        return re.fullmatch(pattern, actual, re.DOTALL) is not None
    if isinstance(expected, list) and isinstance(actual, list):
        return len(actual) == len(expected) and all(
            _matches(a, e) for a, e in zip(actual, expected, strict=True)
        )
    if isinstance(expected, dict) and isinstance(actual, dict):
        return actual.keys() == expected.keys() and all(
            _matches(actual[k], e) for k, e in expected.items()
        )
    return actual == expected


def multipart_parts(request: httpx.Request) -> list[list[str | None]]:
    """``[name, file name or None, text]`` of each part of a multipart request."""
    # The boundary is read from the body: a collection may set its own Content-Type.
    first = request.content.split(b"\r\n", 1)[0]
    if not first or first.endswith(b"--"):  # no body, or no part: nothing sent
        return []
    boundary = first[2:].decode("ascii")
    head = f'Content-Type: multipart/form-data; boundary="{boundary}"\r\n\r\n'.encode()
    parser = email.parser.BytesParser(policy=email.policy.HTTP)
    message = parser.parsebytes(head + request.content)
    assert message.is_multipart(), "not a multipart body"
    parts: list[list[str | None]] = []
    for part in message.iter_parts():
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        name = part.get_param("name", header="content-disposition")
        filename = part.get_filename()
        parts.append([str(name), filename, payload.decode("utf-8")])
    return parts
