"""Auth schemes that need more than one exchange: digest and OAuth 2.0 tokens.

They are ``httpx.Auth`` flows, run by the httpx client of the generated client
(sync and async alike); every request they add goes through that same client.
"""

from __future__ import annotations

import base64
import re
import time
from collections.abc import AsyncGenerator, Callable, Generator
from typing import Any, Literal

import httpx

from ._auth import TokenSource
from ._errors import ClientError, error_for_response

__all__ = ["DigestAuth", "OAuth2Auth"]

# A step of the OAuth 2.0 flow: the request to send and whether its response
# body is needed (a token response is read, the caller's response is not).
_Step = tuple[httpx.Request, bool]
_Flow = Generator[_Step, httpx.Response, None]


_FIELD = re.compile(r'(\w+)=("([^"]*)"|([^,\s]*))')
_DIGEST_ORDER = (
    "username",
    "realm",
    "nonce",
    "uri",
    "algorithm",
    "qop",
    "nc",
    "cnonce",
    "response",
    "opaque",
)


class DigestAuth(httpx.DigestAuth):
    """HTTP Digest authentication (RFC 7616): answers the server's challenge.

    Without a saved ``realm`` and ``nonce`` the request is sent without credentials
    first; on ``401`` with ``WWW-Authenticate: Digest …`` it is sent again with the
    answer (algorithms MD5, MD5-sess, SHA-256, SHA-256-sess, SHA-512; qop ``auth`` or
    none). With them (a collection that saved the server's last challenge), the first
    request already carries the answer, as Postman sends it; a new challenge is then
    answered as usual.

    Args:
        username: User name.
        password: Password.
        realm: A saved challenge's realm.
        nonce: A saved challenge's nonce.
        algorithm: A saved challenge's algorithm.
        qop: A saved challenge's qop (``auth``), or empty.
        opaque: A saved challenge's opaque value, or empty.
    """

    def __init__(
        self,
        username: str,
        password: str,
        *,
        realm: str = "",
        nonce: str = "",
        algorithm: str = "MD5",
        qop: str = "",
        opaque: str = "",
    ) -> None:
        super().__init__(username, password)
        self.username = username
        if realm and nonce:
            # httpx answers a remembered challenge up front; seed it with the saved one.
            challenge = getattr(httpx._auth, "_DigestAuthChallenge", None)
            if challenge is not None:
                self._last_challenge = challenge(
                    realm=realm.encode(),
                    nonce=nonce.encode(),
                    algorithm=algorithm or "MD5",
                    opaque=opaque.encode() or None,
                    qop=qop.encode() or None,
                )

    def _build_auth_header(self, request: httpx.Request, challenge: Any) -> str:
        # httpx computes the answer; it is laid out as Postman lays it out (its
        # field order, ``algorithm`` quoted), so both send the same header.
        built = super()._build_auth_header(request, challenge)
        fields = {
            m[1]: m[3] if m[3] is not None else m[4] for m in _FIELD.finditer(built)
        }
        parts = []
        for name in _DIGEST_ORDER:
            if name in fields:
                bare = name in ("qop", "nc")
                parts.append(
                    f"{name}={fields[name]}" if bare else f'{name}="{fields[name]}"'
                )
        return "Digest " + ", ".join(parts)

    def __repr__(self) -> str:
        return f"DigestAuth(username={self.username!r}, password=***)"


class OAuth2Auth(httpx.Auth):
    """An OAuth 2.0 access token, given or fetched from a token endpoint.

    With ``token_url`` (and no ``access_token``) the token is fetched with the
    client's own httpx client (``client_credentials``, ``password`` or
    ``refresh_token`` grant), cached until it expires, fetched again when it has
    expired and, once, when a request using a cached token gets ``401``.

    Args:
        access_token: A token (or a function returning one) to send as it is.
        token_url: The token endpoint.
        grant_type: ``client_credentials``, ``password`` or ``refresh_token``.
        client_id: Client id.
        client_secret: Client secret.
        scope: Space-separated scopes to ask for (``""``: none).
        username: Resource owner (``password`` grant).
        password: Resource owner's password (``password`` grant).
        refresh_token: A refresh token to start from (``refresh_token`` grant).
        client_authentication: ``header`` (HTTP Basic) or ``body`` (form fields).
        header_prefix: Text before the token in ``Authorization``.
        add_token_to: ``header`` or ``query`` (as ``access_token=``).
        clock: Source of the current time (seconds).
        expiry_margin: Seconds before the announced expiry a token is renewed.
    """

    def __init__(
        self,
        access_token: TokenSource | None = None,
        *,
        token_url: str = "",
        grant_type: Literal[
            "client_credentials", "password", "refresh_token"
        ] = "client_credentials",
        client_id: str = "",
        client_secret: str = "",
        scope: str = "",
        username: str = "",
        password: str = "",
        refresh_token: str = "",
        client_authentication: Literal["header", "body"] = "header",
        header_prefix: str = "Bearer",
        add_token_to: Literal["header", "query"] = "header",
        clock: Callable[[], float] = time.time,
        expiry_margin: float = 30.0,
    ) -> None:
        if access_token is None and not token_url:
            raise ValueError("OAuth2Auth needs an access_token or a token_url")
        if grant_type not in ("client_credentials", "password", "refresh_token"):
            raise ValueError(f"unsupported OAuth 2.0 grant type {grant_type!r}")
        if add_token_to not in ("header", "query"):
            raise ValueError(
                f"add_token_to must be header or query, not {add_token_to!r}"
            )
        self._access_token = access_token
        self.token_url = token_url
        self.grant_type = grant_type
        self.client_id = client_id
        self._client_secret = client_secret
        self.scope = scope
        self.username = username
        self._password = password
        self._refresh_token = refresh_token
        self.client_authentication = client_authentication
        self.header_prefix = header_prefix
        self.add_token_to = add_token_to
        self._clock = clock
        self.expiry_margin = expiry_margin
        self._token: str | None = None
        self._expires_at: float | None = None

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        flow = self._flow(request)
        outgoing, read = next(flow)
        while True:
            response = yield outgoing
            if read:
                response.read()
            try:
                outgoing, read = flow.send(response)
            except StopIteration:
                return

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        flow = self._flow(request)
        outgoing, read = next(flow)
        while True:
            response = yield outgoing
            if read:
                await response.aread()
            try:
                outgoing, read = flow.send(response)
            except StopIteration:
                return

    def _flow(self, request: httpx.Request) -> _Flow:
        if self._access_token is not None:
            token = self._access_token
            self._authorize(request, token() if callable(token) else token)
            yield request, False
            return
        fresh = False
        if self._token is None or self._expired():
            self._store((yield self._token_request(), True))
            fresh = True
        url = request.url
        assert self._token is not None
        self._authorize(request, self._token)
        response = yield request, False
        if response.status_code == 401 and not fresh:
            self._store((yield self._token_request(), True))
            request.url = url
            self._authorize(request, self._token)
            yield request, False

    def _expired(self) -> bool:
        return (
            self._expires_at is not None
            and self._clock() >= self._expires_at - self.expiry_margin
        )

    def _token_request(self) -> httpx.Request:
        if self._refresh_token:
            form = [
                ("grant_type", "refresh_token"),
                ("refresh_token", self._refresh_token),
            ]
        elif self.grant_type == "password":
            form = [
                ("grant_type", "password"),
                ("username", self.username),
                ("password", self._password),
            ]
        else:
            form = [("grant_type", "client_credentials")]
        if self.scope:
            form.append(("scope", self.scope))
        headers = {"Accept": "application/json"}
        if self.client_authentication == "body":
            form += [
                ("client_id", self.client_id),
                ("client_secret", self._client_secret),
            ]
        else:
            pair = f"{self.client_id}:{self._client_secret}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
        return httpx.Request("POST", self.token_url, data=dict(form), headers=headers)

    def _store(self, response: httpx.Response) -> None:
        if not response.is_success:
            raise error_for_response(response)
        try:
            data = response.json()
        except ValueError:
            data = None
        token = data.get("access_token") if isinstance(data, dict) else None
        if not isinstance(token, str) or not token:
            raise ClientError(
                f"the token endpoint {self.token_url} answered without an access_token"
            )
        self._token = token
        refresh = data.get("refresh_token")
        if isinstance(refresh, str) and refresh:
            self._refresh_token = refresh
        expires_in = data.get("expires_in")
        try:
            seconds = float(expires_in) if expires_in is not None else None
        except (TypeError, ValueError):
            seconds = None
        self._expires_at = None if seconds is None else self._clock() + seconds

    def _authorize(self, request: httpx.Request, token: str) -> None:
        if self.add_token_to == "query":
            pair = httpx.QueryParams({"access_token": token})
            query = request.url.query
            request.url = request.url.copy_with(
                query=(query + b"&" if query else b"") + str(pair).encode()
            )
        else:
            request.headers["Authorization"] = (
                f"{self.header_prefix} {token}" if self.header_prefix else token
            )

    def __repr__(self) -> str:
        where = (
            f"token_url={self.token_url!r}" if self.token_url else "access_token=***"
        )
        return f"OAuth2Auth({where}, client_id={self.client_id!r}, client_secret=***)"
