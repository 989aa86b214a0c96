"""Auth schemes."""

from __future__ import annotations

import base64
import itertools

import httpx
import pytest

from generator.runtime import ApiKeyAuth, AuthScheme, BasicAuth, BearerAuth

SECRET = "00Dxx0000001gPL!AQ4AQ.s3cr3t"


def request(url: str = "https://api.example.com/items?b=1&a=2&b=3") -> httpx.Request:
    return httpx.Request("GET", url)


def test_bearer_static_token() -> None:
    req = request()
    BearerAuth(SECRET).apply(req)
    assert req.headers["Authorization"] == f"Bearer {SECRET}"


def test_bearer_callable_is_called_for_every_request() -> None:
    counter = itertools.count(1)
    auth = BearerAuth(lambda: f"token-{next(counter)}")
    first, second = request(), request()
    auth.apply(first)
    auth.apply(second)
    assert first.headers["Authorization"] == "Bearer token-1"
    assert second.headers["Authorization"] == "Bearer token-2"


def test_bearer_custom_prefix_and_header() -> None:
    req = request()
    BearerAuth("abc", prefix="OAuth", header="X-Auth").apply(req)
    assert req.headers["X-Auth"] == "OAuth abc"
    assert "Authorization" not in req.headers
    bare = request()
    BearerAuth("abc", prefix="").apply(bare)
    assert bare.headers["Authorization"] == "abc"


def test_basic() -> None:
    req = request()
    BasicAuth("user@example.com", "pässword").apply(req)
    scheme, encoded = req.headers["Authorization"].split(" ")
    assert scheme == "Basic"
    assert base64.b64decode(encoded).decode() == "user@example.com:pässword"


def test_api_key_header() -> None:
    req = request()
    ApiKeyAuth("X-Api-Key", SECRET, "header").apply(req)
    assert req.headers["X-Api-Key"] == SECRET
    assert req.url == request().url


def test_api_key_query_appends_and_keeps_order() -> None:
    req = request()
    ApiKeyAuth("api key", lambda: "a/b&c", "query").apply(req)
    assert (
        str(req.url) == "https://api.example.com/items?b=1&a=2&b=3&api%20key=a%2Fb%26c"
    )
    assert req.url.params["api key"] == "a/b&c"
    no_query = request("https://api.example.com/items")
    ApiKeyAuth("key", "v", "query").apply(no_query)
    assert str(no_query.url) == "https://api.example.com/items?key=v"


def test_api_key_rejects_unknown_location() -> None:
    with pytest.raises(ValueError, match="location"):
        ApiKeyAuth("k", "v", "cookie")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "scheme",
    [
        BearerAuth(SECRET),
        BearerAuth(lambda: SECRET),
        BasicAuth("user", SECRET),
        ApiKeyAuth("X-Api-Key", SECRET, "header"),
        ApiKeyAuth("key", SECRET, "query"),
    ],
)
def test_repr_never_shows_the_secret(scheme: AuthScheme) -> None:
    assert SECRET not in repr(scheme)
    assert SECRET not in str(scheme)
    assert "***" in repr(scheme)
    assert isinstance(scheme, AuthScheme)


def test_bearer_with_an_empty_token_sends_no_header() -> None:
    request = httpx.Request("GET", "https://api.example.test/")
    BearerAuth("").apply(request)
    assert "authorization" not in request.headers
    BearerAuth(lambda: "t").apply(request)
    assert request.headers["authorization"] == "Bearer t"
