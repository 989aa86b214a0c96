"""Challenge/response and token-fetching auth through the clients, sync and async."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest

from generator.runtime import (
    AuthenticationError,
    ClientError,
    DigestAuth,
    OAuth2Auth,
)

from .helpers import BASE_URL, async_client, sync_client

# --- a server implementing HTTP Digest (RFC 7616) ----------------------------------

_HASHES: dict[str, Callable[[bytes], Any]] = {
    "MD5": hashlib.md5,
    "MD5-SESS": hashlib.md5,
    "SHA-256": hashlib.sha256,
    "SHA-256-SESS": hashlib.sha256,
}


class DigestServer:
    """Challenges unauthenticated requests and checks the answer's ``response``."""

    def __init__(self, algorithm: str, qop: str | None = "auth") -> None:
        self.algorithm = algorithm
        self.qop = qop
        self.realm = "users@example.com"
        self.nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"
        self.opaque = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"
        self.requests: list[httpx.Request] = []
        self.sent: list[str | None] = []  # each request's Authorization when sent
        self.accepted = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        self.sent.append(request.headers.get("Authorization"))
        header = request.headers.get("Authorization", "")
        if header.startswith("Digest ") and self.valid(request, header):
            self.accepted += 1
            return httpx.Response(200, json={"ok": True})
        challenge = (
            f'Digest realm="{self.realm}", nonce="{self.nonce}", '
            f'opaque="{self.opaque}", algorithm={self.algorithm}'
        )
        if self.qop:
            challenge += f', qop="{self.qop}"'
        return httpx.Response(401, headers={"WWW-Authenticate": challenge})

    def valid(self, request: httpx.Request, header: str) -> bool:
        fields = dict(re.findall(r'(\w+)="?([^",]*)"?', header[len("Digest ") :]))
        digest = _HASHES[self.algorithm]

        def h(text: str) -> str:
            return str(digest(text.encode()).hexdigest())

        ha1 = h(f"{fields['username']}:{self.realm}:s3cret pass")
        if self.algorithm.endswith("-SESS"):
            ha1 = h(f"{ha1}:{self.nonce}:{fields['cnonce']}")
        ha2 = h(f"{request.method}:{fields['uri']}")
        if self.qop:
            expected = h(
                f"{ha1}:{self.nonce}:{fields['nc']}:{fields['cnonce']}:auth:{ha2}"
            )
        else:
            expected = h(f"{ha1}:{self.nonce}:{ha2}")
        return (
            fields["response"] == expected
            and fields["realm"] == self.realm
            and fields["opaque"] == self.opaque
            and fields["uri"] == request.url.raw_path.decode()
        )


@pytest.mark.parametrize(
    ("algorithm", "qop"),
    [("MD5", "auth"), ("MD5-SESS", "auth"), ("SHA-256", "auth"), ("MD5", None)],
)
def test_digest_answers_the_challenge_sync(algorithm: str, qop: str | None) -> None:
    server = DigestServer(algorithm, qop)
    client = sync_client(server, auth={"d": DigestAuth("ann", "s3cret pass")})
    with client.capture_response() as captured:
        response = client.request("GET", "/dir/index.html", query=[("a", 1)], auth="d")
    assert response.json() == {"ok": True}
    assert server.accepted == 1 and len(server.requests) == 2
    assert server.sent[0] is None
    assert captured.response is response


def test_digest_answers_the_challenge_async() -> None:
    server = DigestServer("SHA-256")

    async def run() -> Any:
        client = async_client(server, auth={"d": DigestAuth("ann", "s3cret pass")})
        async with client:
            response = await client.request("POST", "/x", json={"a": 1}, auth="d")
            chunks = [c async for c in client.stream("GET", "/y", auth="d")]
        return response.json(), chunks

    assert asyncio.run(run()) == ({"ok": True}, [b'{"ok":true}'])
    assert server.accepted == 2
    assert server.requests[1].content == b'{"a":1}'  # the body is sent again


def test_digest_wrong_password_raises_authentication_error() -> None:
    server = DigestServer("MD5")
    client = sync_client(server, auth={"d": DigestAuth("ann", "wrong")})
    with pytest.raises(AuthenticationError):
        client.request("GET", "/x", auth="d")
    assert len(server.requests) == 2  # one answer to the challenge, no loop
    assert "wrong" not in repr(DigestAuth("ann", "wrong"))


# --- OAuth 2.0 ------------------------------------------------------------------------

TOKEN_URL = "https://auth.example.com/oauth/token"


class TokenServer:
    """A token endpoint and an API that accepts only the current token."""

    def __init__(self, expires_in: int | None = 3600, refresh: bool = False) -> None:
        self.expires_in = expires_in
        self.refresh = refresh
        self.issued = 0
        self.token_requests: list[httpx.Request] = []
        self.api_requests: list[httpx.Request] = []
        self.revoked: set[str] = set()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if str(request.url) == TOKEN_URL:
            self.token_requests.append(request)
            self.issued += 1
            body: dict[str, Any] = {
                "access_token": f"tok-{self.issued}",
                "token_type": "Bearer",
            }
            if self.expires_in is not None:
                body["expires_in"] = self.expires_in
            if self.refresh:
                body["refresh_token"] = f"refresh-{self.issued}"
            return httpx.Response(200, json=body)
        self.api_requests.append(request)
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if token in self.revoked or not token.startswith("tok-"):
            return httpx.Response(401, json={"error": "invalid_token"})
        return httpx.Response(200, json={"token": token})

    def form(self, index: int) -> dict[str, str]:
        return dict(parse_qsl(self.token_requests[index].content.decode()))


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def grant(clock: Clock, **kwargs: Any) -> OAuth2Auth:
    kwargs.setdefault("client_id", "app")
    kwargs.setdefault("client_secret", "s3cret")
    return OAuth2Auth(token_url=TOKEN_URL, clock=clock, **kwargs)


def test_token_fetched_once_cached_and_refreshed_on_expiry_sync() -> None:
    server, clock = TokenServer(expires_in=3600), Clock()
    client = sync_client(server, auth={"o": grant(clock, scope="read write")})
    assert client.request("GET", "/a", auth="o").json() == {"token": "tok-1"}
    assert client.request("GET", "/b", auth="o").json() == {"token": "tok-1"}
    assert len(server.token_requests) == 1
    token_request = server.token_requests[0]
    assert token_request.method == "POST"
    assert server.form(0) == {"grant_type": "client_credentials", "scope": "read write"}
    assert token_request.headers["Authorization"] == (
        "Basic " + base64.b64encode(b"app:s3cret").decode()
    )
    clock.now += 3600 - 29  # within the 30 s margin: renewed
    assert client.request("GET", "/c", auth="o").json() == {"token": "tok-2"}
    assert len(server.token_requests) == 2
    assert str(server.api_requests[-1].url) == f"{BASE_URL}/c"


def test_token_flow_async_with_body_client_authentication() -> None:
    server, clock = TokenServer(expires_in=60), Clock()
    auth = grant(clock, client_authentication="body")

    async def run() -> list[Any]:
        async with async_client(server, auth={"o": auth}) as client:
            first = (await client.request("GET", "/a", auth="o")).json()
            second = (await client.request("GET", "/b", auth="o")).json()
            clock.now += 61
            third = (await client.request("GET", "/c", auth="o")).json()
            return [first, second, third]

    assert asyncio.run(run()) == [
        {"token": "tok-1"},
        {"token": "tok-1"},
        {"token": "tok-2"},
    ]
    assert server.form(0) == {
        "grant_type": "client_credentials",
        "client_id": "app",
        "client_secret": "s3cret",
    }
    assert "Authorization" not in server.token_requests[0].headers


def test_refreshed_once_on_401_with_the_refresh_token() -> None:
    server, clock = TokenServer(expires_in=None, refresh=True), Clock()
    client = sync_client(server, auth={"o": grant(clock)})
    client.request("GET", "/a", auth="o")
    server.revoked.add("tok-1")
    assert client.request("PUT", "/b", json={"x": 1}, auth="o").json() == {
        "token": "tok-2"
    }
    assert server.form(1) == {
        "grant_type": "refresh_token",
        "refresh_token": "refresh-1",
    }
    assert server.api_requests[-1].content == b'{"x":1}'
    # A fresh token that is refused is not fetched again: the 401 is raised.
    server.revoked.add("tok-2")
    server.revoked.add("tok-3")
    with pytest.raises(AuthenticationError):
        client.request("GET", "/c", auth="o")
    assert len(server.token_requests) == 3


def test_refresh_on_401_async() -> None:
    server, clock = TokenServer(expires_in=None), Clock()

    async def run() -> Any:
        async with async_client(server, auth={"o": grant(clock)}) as client:
            await client.request("GET", "/a", auth="o")
            server.revoked.add("tok-1")
            return (await client.request("GET", "/b", auth="o")).json()

    assert asyncio.run(run()) == {"token": "tok-2"}
    assert server.form(1)["grant_type"] == "client_credentials"


def test_password_grant_fields() -> None:
    server, clock = TokenServer(), Clock()
    auth = grant(clock, grant_type="password", username="ann", password="pw")
    sync_client(server, auth={"o": auth}).request("GET", "/a", auth="o")
    assert server.form(0) == {
        "grant_type": "password",
        "username": "ann",
        "password": "pw",
    }


def test_token_endpoint_errors_are_typed() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if str(request.url) == TOKEN_URL:
            return httpx.Response(401, json={"error": "invalid_client"})
        return httpx.Response(200)

    client = sync_client(handler, auth={"o": grant(Clock())})
    with pytest.raises(AuthenticationError) as raised:
        client.request("GET", "/a", auth="o")
    assert raised.value.errors[0].error_code == "invalid_client"

    def no_token(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"token_type": "Bearer"})

    with pytest.raises(ClientError, match="without an access_token"):
        sync_client(no_token, auth={"o": grant(Clock())}).request("GET", "/a", auth="o")


def test_given_token_prefix_and_query_placement() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200)

    client = sync_client(
        handler,
        auth={
            "h": OAuth2Auth("abc", header_prefix="Token"),
            "q": OAuth2Auth(lambda: "a/b", add_token_to="query"),
        },
    )
    client.request("GET", "/x", auth="h")
    client.request("GET", "/y", query=[("p", 1)], auth="q")
    assert seen[0].headers["Authorization"] == "Token abc"
    assert seen[1].url.params.multi_items() == [("p", "1"), ("access_token", "a/b")]
    assert "Authorization" not in seen[1].headers
    assert "abc" not in repr(OAuth2Auth("abc"))
    with pytest.raises(ValueError, match="access_token or a token_url"):
        OAuth2Auth()


def test_any_httpx_auth_is_run_by_the_client() -> None:
    """An unsupported protocol: the user passes their own ``httpx.Auth``."""

    class Custom(httpx.Auth):
        def auth_flow(self, request: httpx.Request) -> Any:
            request.headers["X-Custom"] = "yes"
            yield request

    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200)

    client = sync_client(handler, auth={"c": Custom()})
    client.request("GET", "/x", auth="c")
    client.request("GET", "/y")
    assert seen[0].headers["X-Custom"] == "yes"
    assert "X-Custom" not in seen[1].headers


def test_postman_produced_digest_answer() -> None:
    """Postman Echo's saved example: the same challenge gives the same response."""
    challenge = 'Digest realm="Users", nonce="ni1LiL0O37PRRhofWdCLmwFsnEtH1lew"'
    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        header = request.headers.get("Authorization")
        if header is None:
            return httpx.Response(401, headers={"WWW-Authenticate": challenge})
        sent.append(header)
        return httpx.Response(200, json={"authenticated": True})

    client = sync_client(
        handler,
        base_url="https://postman-echo.com",
        auth={"d": DigestAuth("postman", "password")},
    )
    assert client.request("GET", "/digest-auth", auth="d").json() == {
        "authenticated": True
    }
    [header] = sent
    assert header == (  # laid out as Postman lays it out
        'Digest username="postman", realm="Users", '
        'nonce="ni1LiL0O37PRRhofWdCLmwFsnEtH1lew", uri="/digest-auth", '
        'algorithm="MD5", response="254679099562cf07df9b6f5d8d15db44"'
    )


def test_digest_with_a_saved_challenge_answers_up_front() -> None:
    from generator.runtime import DigestAuth

    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200)

    auth = DigestAuth(
        "postman",
        "password",
        realm="Users",
        nonce="ni1LiL0O37PRRhofWdCLmwFsnEtH1lew",
        qop="auth",
    )
    with httpx.Client(transport=httpx.MockTransport(handler)) as http:
        http.get("https://echo.example.test/digest-auth", auth=auth)
    assert len(seen) == 1  # no challenge round trip
    header = seen[0].headers["authorization"]
    assert header.startswith('Digest username="postman", realm="Users"')
    assert 'nonce="ni1LiL0O37PRRhofWdCLmwFsnEtH1lew"' in header and "qop=auth" in header
    assert repr(auth) == "DigestAuth(username='postman', password=***)"
