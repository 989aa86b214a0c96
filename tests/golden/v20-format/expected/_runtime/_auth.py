"""Authentication schemes applied to each outgoing request."""

from __future__ import annotations

import base64
import urllib.parse
from collections.abc import Callable
from typing import Literal, Protocol, TypeAlias, runtime_checkable

import httpx

__all__ = [
    "ApiKeyAuth",
    "AuthScheme",
    "Authenticator",
    "BasicAuth",
    "BearerAuth",
    "TokenSource",
]

TokenSource: TypeAlias = str | Callable[[], str]
"""A secret, or a function returning it that is called for every request."""


@runtime_checkable
class AuthScheme(Protocol):
    """Anything that can authenticate a built request in place."""

    def apply(self, request: httpx.Request) -> None:
        """Add credentials to ``request`` (headers or URL)."""


Authenticator: TypeAlias = AuthScheme | httpx.Auth
"""What a client's named auth can be: a scheme that sets credentials on the built
request (``apply``), or an ``httpx.Auth`` flow (digest, OAuth 2.0 token fetching, or
any third-party httpx auth such as NTLM) that the httpx client runs around the send."""


def _resolve(token: TokenSource) -> str:
    return token() if callable(token) else token


class BearerAuth:
    """``Authorization: Bearer <token>`` (prefix and header name configurable).

    Args:
        token: The token or a function returning a fresh one.
        prefix: Text before the token; empty sends the bare token.
        header: Header to set.
    """

    def __init__(
        self, token: TokenSource, prefix: str = "Bearer", header: str = "Authorization"
    ) -> None:
        self._token = token
        self.prefix = prefix
        self.header = header

    def apply(self, request: httpx.Request) -> None:
        """Set the header on ``request``."""
        token = _resolve(self._token)
        if not token:  # as Postman: an empty token sends no header at all
            return
        request.headers[self.header] = (
            f"{self.prefix} {token}" if self.prefix else token
        )

    def __repr__(self) -> str:
        return f"BearerAuth(prefix={self.prefix!r}, header={self.header!r}, token=***)"


class BasicAuth:
    """HTTP Basic authentication.

    Args:
        username: User name.
        password: Password.
    """

    def __init__(self, username: str, password: str) -> None:
        self.username = username
        self._password = password

    def apply(self, request: httpx.Request) -> None:
        """Set ``Authorization: Basic …`` on ``request``."""
        pair = f"{self.username}:{self._password}".encode()
        request.headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()

    def __repr__(self) -> str:
        return f"BasicAuth(username={self.username!r}, password=***)"


class ApiKeyAuth:
    """An API key sent as a header or a query parameter.

    Args:
        name: Header or query parameter name.
        value: The key or a function returning it.
        location: ``"header"`` or ``"query"``.
    """

    def __init__(
        self, name: str, value: TokenSource, location: Literal["header", "query"]
    ) -> None:
        if location not in ("header", "query"):
            raise ValueError(f"location must be 'header' or 'query', not {location!r}")
        self.name = name
        self._value = value
        self.location = location

    def apply(self, request: httpx.Request) -> None:
        """Set the header or query parameter on ``request``."""
        value = _resolve(self._value)
        if self.location == "header":
            request.headers[self.name] = value
        else:
            request.url = _append_query(request.url, self.name, value)

    def __repr__(self) -> str:
        return f"ApiKeyAuth(name={self.name!r}, location={self.location!r}, value=***)"


def _append_query(url: httpx.URL, name: str, value: str) -> httpx.URL:
    # Appended to the raw query: re-encoding it through httpx would regroup
    # repeated parameter names and so change their order.
    pair = urllib.parse.urlencode([(name, value)], quote_via=urllib.parse.quote)
    query = url.query + b"&" + pair.encode() if url.query else pair.encode()
    return url.copy_with(query=query)
