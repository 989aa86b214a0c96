"""``SyncClient``: request building, bodies, auth, retries, errors, capture, streaming."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from generator.runtime import (
    DEFAULT_TIMEOUT,
    ApiConnectionError,
    ApiError,
    ApiTimeoutError,
    BasicAuth,
    BearerAuth,
    ConflictError,
    FileContent,
    Model,
    NotFoundError,
    RateLimitError,
    RetryPolicy,
    ServerError,
    SyncClient,
)

from .helpers import BASE_URL, Replies, json_response, sync_client

OK = httpx.Response(200, json={"ok": True})


def only_request(replies: Replies) -> httpx.Request:
    assert replies.calls == 1
    return replies.requests[0]


# --- URL building -------------------------------------------------------------


def test_path_params_and_settings_fill_the_template() -> None:
    replies = Replies(OK)
    client = sync_client(replies, settings={"api_version": "62.0"})
    client.request(
        "get",
        "/services/data/v{api_version}/jobs/query/{job_id}",
        path_params={"job_id": "750R0000000zlh9IAA"},
    )
    req = only_request(replies)
    assert req.method == "GET"
    assert (
        str(req.url) == f"{BASE_URL}/services/data/v62.0/jobs/query/750R0000000zlh9IAA"
    )


def test_path_values_are_encoded_as_one_segment() -> None:
    replies = Replies(OK)
    client = sync_client(replies, settings={"version": "1/2 ?"})
    client.request("GET", "/v{version}/items/{id}", path_params={"id": "a/b c%d#e"})
    assert (
        only_request(replies).url.raw_path == b"/v1%2F2%20%3F/items/a%2Fb%20c%25d%23e"
    )


def test_path_params_win_over_settings_and_ints_are_accepted() -> None:
    replies = Replies(OK)
    client = sync_client(replies, settings={"id": "from-settings"})
    client.request("GET", "/items/{id}", path_params={"id": 42})
    assert only_request(replies).url.path == "/items/42"


def test_missing_placeholder_raises_value_error() -> None:
    replies = Replies(OK)
    client = sync_client(replies)
    with pytest.raises(ValueError, match="job_id"):
        client.request("GET", "/jobs/{job_id}")
    assert replies.calls == 0


def test_base_url_trailing_slash() -> None:
    replies = Replies(OK)
    client = sync_client(replies, base_url="https://api.example.com/root/")
    client.request("GET", "/items")
    client.request("GET", "items")
    assert [str(r.url) for r in replies.requests] == [
        "https://api.example.com/root/items",
        "https://api.example.com/root/items",
    ]
    assert client.base_url == "https://api.example.com/root/"


def test_query_pairs_keep_order_duplicates_and_skip_none() -> None:
    replies = Replies(OK)
    client = sync_client(replies)
    client.request(
        "GET",
        "/query",
        query=[
            ("q", "SELECT Id FROM Account"),
            ("flag", True),
            ("skip", None),
            ("limit", 10),
            ("flag", False),
            ("ratio", 0.5),
            ("q", "a&b=c/é"),
        ],
    )
    url = only_request(replies).url
    assert url.query == (
        b"q=SELECT%20Id%20FROM%20Account&flag=true&limit=10&flag=false"
        b"&ratio=0.5&q=a%26b=c/%C3%A9"
    )
    assert url.params.get_list("q") == ["SELECT Id FROM Account", "a&b=c/é"]


def test_query_is_appended_to_a_path_that_has_one() -> None:
    replies = Replies(OK)
    sync_client(replies).request("GET", "/items?fixed=1", query=[("a", "2")])
    assert only_request(replies).url.query == b"fixed=1&a=2"


def test_empty_query_adds_nothing() -> None:
    replies = Replies(OK)
    sync_client(replies).request("GET", "/items", query=[("a", None)])
    assert str(only_request(replies).url) == f"{BASE_URL}/items"


def test_settings_are_a_read_only_copy() -> None:
    source = {"api_version": "62.0"}
    client = sync_client(Replies(OK), settings=source)
    source["api_version"] = "changed"
    assert client.settings == {"api_version": "62.0"}
    with pytest.raises(TypeError):
        client.settings["api_version"] = "x"  # type: ignore[index]


# --- headers ------------------------------------------------------------------


def test_headers_merge_and_none_removes() -> None:
    replies = Replies(OK)
    client = sync_client(
        replies, headers={"X-Default": "d", "X-Gone": "g", "Accept": "application/json"}
    )
    client.request(
        "GET",
        "/h",
        headers={
            "x-default": "override",
            "X-Gone": None,
            "X-New": "n",
            "Accept-Encoding": None,
        },
    )
    headers = only_request(replies).headers
    assert headers["X-Default"] == "override"
    assert headers.get_list("X-Default") == ["override"]
    assert "X-Gone" not in headers
    assert "Accept-Encoding" not in headers  # an httpx default can be removed too
    assert headers["X-New"] == "n"
    assert headers["Accept"] == "application/json"
    assert headers["User-Agent"].startswith("python-httpx/")


def test_user_agent_can_be_set() -> None:
    replies = Replies(OK)
    sync_client(replies, headers={"User-Agent": "my-client/1.0"}).request("GET", "/h")
    assert only_request(replies).headers["User-Agent"] == "my-client/1.0"


# --- bodies -------------------------------------------------------------------


@dataclass(kw_only=True)
class JobCreate(Model):
    """A request body model."""

    operation: str
    query: str
    column_delimiter: str | None = field(
        default=None, metadata={"json": "columnDelimiter"}
    )


def test_json_body_is_compact_utf8_with_content_type() -> None:
    replies = Replies(OK)
    sync_client(replies).request(
        "POST",
        "/jobs/query",
        json={
            "operation": "query",
            "query": "SELECT Name FROM Contact WHERE Name = 'Zoë'",
        },
    )
    req = only_request(replies)
    assert (
        req.content
        == (
            '{"operation":"query","query":"SELECT Name FROM Contact WHERE Name = \'Zoë\'"}'
        ).encode()
    )
    assert req.headers["Content-Type"] == "application/json"
    assert req.headers["Content-Length"] == str(len(req.content))


def test_json_body_from_models_and_operation_content_type_wins() -> None:
    replies = Replies(OK)
    sync_client(replies).request(
        "POST",
        "/jobs/query",
        json=JobCreate(
            operation="query", query="SELECT Id FROM Account", column_delimiter="COMMA"
        ),
        headers={"Content-Type": "application/json; charset=UTF-8"},
    )
    req = only_request(replies)
    assert json.loads(req.content) == {
        "operation": "query",
        "query": "SELECT Id FROM Account",
        "columnDelimiter": "COMMA",
    }
    assert req.headers.get_list("Content-Type") == ["application/json; charset=UTF-8"]


def test_json_none_sends_null() -> None:
    replies = Replies(OK)
    sync_client(replies).request("POST", "/x", json=None)
    assert only_request(replies).content == b"null"


def test_no_body() -> None:
    replies = Replies(OK)
    sync_client(replies).request("GET", "/x")
    req = only_request(replies)
    assert req.content == b""
    assert "Content-Type" not in req.headers


def test_bytes_body() -> None:
    replies = Replies(OK)
    sync_client(replies).request(
        "PUT", "/batches", content=b"Id\n001\n", headers={"Content-Type": "text/csv"}
    )
    req = only_request(replies)
    assert req.content == b"Id\n001\n"
    assert req.headers["Content-Length"] == "7"
    assert req.headers["Content-Type"] == "text/csv"


def test_str_body_is_text_not_a_path(tmp_path: Path) -> None:
    existing = tmp_path / "file.csv"
    existing.write_text("file contents")
    replies = Replies(OK)
    sync_client(replies).request("PUT", "/batches", content=str(existing))
    assert only_request(replies).content == str(existing).encode()
    replies = Replies(OK)
    sync_client(replies).request("PUT", "/batches", content="Name\nZoë\n")
    assert only_request(replies).content == "Name\nZoë\n".encode()


def test_path_body_with_content_length(tmp_path: Path) -> None:
    path = tmp_path / "upload.csv"
    path.write_bytes(b"Id,Name\n" * 20_000)
    replies = Replies(OK)
    sync_client(replies).request("PUT", "/batches", content=path)
    req = only_request(replies)
    assert req.content == path.read_bytes()
    assert req.headers["Content-Length"] == str(path.stat().st_size)
    assert "Transfer-Encoding" not in req.headers


def test_missing_path_fails_before_sending(tmp_path: Path) -> None:
    replies = Replies(OK)
    with pytest.raises(FileNotFoundError):
        sync_client(replies).request(
            "PUT", "/batches", content=tmp_path / "missing.csv"
        )
    assert replies.calls == 0


def test_file_body_from_current_position() -> None:
    file = io.BytesIO(b"HEADER|payload")
    file.seek(7)
    replies = Replies(OK)
    sync_client(replies).request("PUT", "/batches", content=file)
    req = only_request(replies)
    assert req.content == b"payload"
    assert req.headers["Content-Length"] == "7"


def test_iterator_body_is_chunked() -> None:
    replies = Replies(OK)
    sync_client(replies).request("PUT", "/batches", content=iter([b"a,b\n", b"1,2\n"]))
    req = only_request(replies)
    assert req.content == b"a,b\n1,2\n"
    assert req.headers["Transfer-Encoding"] == "chunked"


def test_form_body() -> None:
    replies = Replies(OK)
    sync_client(replies).request(
        "POST",
        "/services/oauth2/token",
        form=[
            ("grant_type", "password"),
            ("username", "a@b.com"),
            ("password", "p&ss w"),
        ],
    )
    req = only_request(replies)
    assert req.content == b"grant_type=password&username=a%40b.com&password=p%26ss+w"
    assert req.headers["Content-Type"] == "application/x-www-form-urlencoded"


def test_several_bodies_are_rejected() -> None:
    client = sync_client(Replies(OK))
    with pytest.raises(ValueError, match="at most one"):
        client.request("POST", "/x", json={}, content=b"x")
    with pytest.raises(ValueError, match="at most one"):
        client.request("POST", "/x", form=[], content=b"x")


# --- auth ---------------------------------------------------------------------


def test_named_auth_scheme_is_applied() -> None:
    replies = Replies(OK)
    client = sync_client(
        replies,
        auth={"bearer": BearerAuth("tok"), "basic": BasicAuth("u", "p")},
        headers={"Authorization": "should be replaced"},
    )
    client.request("GET", "/a", auth="bearer")
    client.request("GET", "/b", auth="basic")
    client.request("GET", "/c")
    client.request("GET", "/d", auth="not-configured")
    auths = [r.headers.get("Authorization") for r in replies.requests]
    assert auths == [
        "Bearer tok",
        "Basic dTpw",
        "should be replaced",
        "should be replaced",
    ]


def test_token_function_is_called_for_each_attempt() -> None:
    tokens = iter(["expired", "fresh"])
    replies = Replies(httpx.Response(503), OK)
    client = sync_client(replies, auth={"oauth": BearerAuth(lambda: next(tokens))})
    client.request("GET", "/x", auth="oauth")
    assert [r.headers["Authorization"] for r in replies.requests] == [
        "Bearer expired",
        "Bearer fresh",
    ]


# --- errors -------------------------------------------------------------------


def test_non_2xx_raises_typed_error_with_details() -> None:
    replies = Replies(
        json_response(
            409,
            [
                {
                    "errorCode": "INVALIDJOBSTATE",
                    "message": "Aborting already Completed Job not allowed",
                }
            ],
        )
    )
    client = sync_client(replies)
    with pytest.raises(ConflictError) as info:
        client.request(
            "PATCH",
            "/jobs/query/{id}",
            path_params={"id": "750"},
            json={"state": "Aborted"},
        )
    err = info.value
    assert err.errors[0].error_code == "INVALIDJOBSTATE"
    assert str(err) == (
        f"409 Conflict: PATCH {BASE_URL}/jobs/query/750: INVALIDJOBSTATE: "
        "Aborting already Completed Job not allowed"
    )


def test_2xx_other_than_200_is_success() -> None:
    client = sync_client(Replies(httpx.Response(204)))
    assert client.request("DELETE", "/x").status_code == 204


def test_redirect_not_followed_is_an_error() -> None:
    client = sync_client(
        Replies(httpx.Response(302, headers={"Location": "/elsewhere"}))
    )
    with pytest.raises(Exception) as info:
        client.request("GET", "/x")
    assert type(info.value).__name__ == "ApiError"


# --- retries ------------------------------------------------------------------


def test_429_retry_after_is_honoured() -> None:
    sleeps: list[float] = []
    replies = Replies(httpx.Response(429, headers={"Retry-After": "7"}), OK)
    response = sync_client(replies, sleeps).request("GET", "/limits")
    assert response.json() == {"ok": True}
    assert replies.calls == 2
    assert sleeps == [7.0]


def test_503_retried_with_backoff_then_raises() -> None:
    sleeps: list[float] = []
    replies = Replies(httpx.Response(503, text="down"))
    with pytest.raises(ServerError) as info:
        sync_client(replies, sleeps, retry=RetryPolicy(max_retries=3)).request(
            "GET", "/x"
        )
    assert info.value.status_code == 503
    assert replies.calls == 4
    assert len(sleeps) == 3
    for attempt, delay in enumerate(sleeps):
        assert 0.5 * 2**attempt <= delay <= 0.5 * 2**attempt * 1.1


def test_429_after_retries_raises_rate_limit_error() -> None:
    replies = Replies(httpx.Response(429, headers={"Retry-After": "1"}))
    with pytest.raises(RateLimitError) as info:
        sync_client(replies).request("GET", "/x")
    assert info.value.retry_after == 1.0
    assert replies.calls == 3


def test_other_statuses_are_not_retried() -> None:
    replies = Replies(httpx.Response(500), OK)
    with pytest.raises(ServerError):
        sync_client(replies).request("GET", "/x")
    assert replies.calls == 1


def test_connection_errors_are_retried_then_wrapped() -> None:
    sleeps: list[float] = []
    replies = Replies(httpx.ConnectError("connection refused"))
    with pytest.raises(ApiConnectionError) as info:
        sync_client(replies, sleeps).request("GET", "/x", query=[("key", "s3cret")])
    err = info.value
    assert not isinstance(err, ApiTimeoutError)
    assert isinstance(err.__cause__, httpx.ConnectError)
    assert replies.calls == 3
    assert len(sleeps) == 2
    assert err.method == "GET"
    assert "s3cret" not in str(err)
    assert str(err) == f"GET {BASE_URL}/x: ConnectError: connection refused"


def test_connection_error_then_success() -> None:
    replies = Replies(httpx.ReadError("reset"), OK)
    assert sync_client(replies).request("DELETE", "/x").status_code == 200
    assert replies.calls == 2


def test_timeouts_raise_api_timeout_error() -> None:
    replies = Replies(httpx.ReadTimeout("timed out"))
    with pytest.raises(ApiTimeoutError) as info:
        sync_client(replies).request("GET", "/x")
    assert isinstance(info.value.__cause__, httpx.ReadTimeout)
    assert replies.calls == 3


@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_non_idempotent_not_retried_unless_enabled(method: str) -> None:
    replies = Replies(httpx.Response(503), OK)
    with pytest.raises(ServerError):
        sync_client(replies).request(method, "/x", json={})
    assert replies.calls == 1

    replies = Replies(httpx.ConnectError("refused"), OK)
    with pytest.raises(ApiConnectionError):
        sync_client(replies).request(method, "/x", json={})
    assert replies.calls == 1

    replies = Replies(httpx.Response(503), httpx.ConnectError("refused"), OK)
    policy = RetryPolicy(retry_non_idempotent=True)
    response = sync_client(replies, retry=policy).request(method, "/x", json={"a": 1})
    assert response.status_code == 200
    assert replies.bodies == [b'{"a":1}'] * 3


def test_one_shot_body_is_never_retried() -> None:
    def chunks() -> Iterator[bytes]:
        yield b"Id\n"
        yield b"001\n"

    replies = Replies(httpx.Response(503), OK)
    with pytest.raises(ServerError):
        sync_client(replies).request("PUT", "/batches", content=chunks())
    assert replies.calls == 1
    assert replies.bodies == [b"Id\n001\n"]

    class OneShotFile(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def seekable(self) -> bool:
            return False

        def readinto(self, buffer: Any) -> int:
            return 0

    replies = Replies(httpx.ConnectError("refused"), OK)
    with pytest.raises(ApiConnectionError):
        sync_client(replies).request("PUT", "/batches", content=OneShotFile())
    assert replies.calls == 1


def test_replayable_bodies_are_resent_identically(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_bytes(b"Id\n001\n002\n")
    file = io.BytesIO(b"skip|Id\n003\n")
    file.seek(5)
    cases: list[tuple[FileContent, bytes]] = [
        (path, b"Id\n001\n002\n"),
        (file, b"Id\n003\n"),
        (b"raw", b"raw"),
        ("text", b"text"),
        ([b"a", b"b"], b"ab"),
    ]
    for content, expected in cases:
        replies = Replies(httpx.Response(503), httpx.ReadError("reset"), OK)
        sync_client(replies).request("PUT", "/batches", content=content)
        assert replies.bodies == [expected] * 3, content


def test_redirect_loops_are_wrapped_and_not_retried() -> None:
    replies = Replies(httpx.Response(302, headers={"Location": "/x"}))
    client = SyncClient(
        base_url=BASE_URL,
        http_client=httpx.Client(
            transport=httpx.MockTransport(replies),
            follow_redirects=True,
            max_redirects=2,
        ),
    )
    client._sleep = lambda _: pytest.fail("must not sleep")
    with pytest.raises(ApiConnectionError) as info:
        client.request("GET", "/x")
    assert isinstance(info.value.__cause__, httpx.TooManyRedirects)
    assert replies.calls == 3


def test_default_sleep_is_time_sleep() -> None:
    import time

    assert SyncClient(base_url=BASE_URL)._sleep is time.sleep


# --- capture ------------------------------------------------------------------


def test_capture_response() -> None:
    replies = Replies(
        json_response(200, {"id": "750"}, **{"Sforce-Limit-Info": "api-usage=25/15000"})
    )
    client = sync_client(replies)
    client.request("GET", "/before")
    with client.capture_response() as captured:
        assert captured.response is None
        client.request("GET", "/jobs/750")
    client.request("GET", "/after")
    assert captured.response is not None
    assert captured.response.headers["Sforce-Limit-Info"] == "api-usage=25/15000"
    assert [str(r.url) for r in captured.responses] == [f"{BASE_URL}/jobs/750"]


def test_capture_records_retried_and_error_responses() -> None:
    replies = Replies(httpx.Response(503), httpx.Response(404))
    client = sync_client(replies)
    with client.capture_response() as captured, pytest.raises(NotFoundError):
        client.request("GET", "/x")
    assert [r.status_code for r in captured.responses] == [503, 404]
    assert captured.response is captured.responses[-1]


def test_captures_nest_and_are_per_client() -> None:
    client = sync_client(Replies(OK))
    other = sync_client(Replies(OK))
    with client.capture_response() as outer:
        client.request("GET", "/1")
        with client.capture_response() as inner:
            client.request("GET", "/2")
            other.request("GET", "/other")
        client.request("GET", "/3")
    assert [r.request.url.path for r in outer.responses] == ["/1", "/2", "/3"]
    assert [r.request.url.path for r in inner.responses] == ["/2"]


def test_capture_is_per_thread() -> None:
    client = sync_client(Replies(OK))
    started = threading.Event()
    release = threading.Event()

    def other_thread() -> None:
        started.wait()
        client.request("GET", "/from-thread")
        release.set()

    thread = threading.Thread(target=other_thread)
    thread.start()
    with client.capture_response() as captured:
        started.set()
        release.wait(5)
        client.request("GET", "/mine")
    thread.join(5)
    assert [r.request.url.path for r in captured.responses] == ["/mine"]


# --- streaming download -------------------------------------------------------


class TrackedStream(httpx.SyncByteStream):
    """A response body that records whether it was closed."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        yield from self.chunks

    def close(self) -> None:
        self.closed = True


def test_stream_yields_chunks_and_closes() -> None:
    body = TrackedStream([b"Id,Name\n", b"001,Acme\n" * 10])
    client = sync_client(lambda request: httpx.Response(200, stream=body))
    chunks = list(
        client.stream(
            "GET", "/jobs/{id}/results", path_params={"id": "750"}, chunk_size=16
        )
    )
    assert b"".join(chunks) == b"Id,Name\n" + b"001,Acme\n" * 10
    assert all(len(c) == 16 for c in chunks[:-1])
    assert body.closed


def test_stream_closed_early_closes_connection() -> None:
    body = TrackedStream([b"a" * 100, b"b" * 100])
    client = sync_client(lambda request: httpx.Response(200, stream=body))
    iterator = client.stream("GET", "/x", chunk_size=10)
    assert next(iterator) == b"a" * 10
    assert not body.closed
    iterator.close()
    assert body.closed


def test_stream_raises_typed_error_with_body() -> None:
    body = TrackedStream([b'[{"errorCode":"NOT_FOUND","message":"gone"}]'])
    client = sync_client(lambda request: httpx.Response(404, stream=body))
    with pytest.raises(NotFoundError) as info:
        list(client.stream("GET", "/x"))
    assert info.value.errors[0].message == "gone"
    assert body.closed


def test_stream_retries_before_the_first_byte() -> None:
    sleeps: list[float] = []
    replies = Replies(
        httpx.Response(429, headers={"Retry-After": "2"}),
        httpx.Response(200, content=b"data"),
    )
    client = sync_client(replies, sleeps)
    assert b"".join(client.stream("GET", "/x")) == b"data"
    assert sleeps == [2.0]


def test_stream_read_error_is_wrapped() -> None:
    class Broken(httpx.SyncByteStream):
        def __iter__(self) -> Iterator[bytes]:
            yield b"partial"
            raise httpx.ReadError("connection reset")

    client = sync_client(lambda request: httpx.Response(200, stream=Broken()))
    received: list[bytes] = []
    with pytest.raises(ApiConnectionError) as info:
        for chunk in client.stream("GET", "/x", chunk_size=7):
            received.append(chunk)
    assert received == [b"partial"]
    assert isinstance(info.value.__cause__, httpx.ReadError)


def test_stream_is_captured() -> None:
    client = sync_client(Replies(httpx.Response(200, content=b"x")))
    with client.capture_response() as captured:
        list(client.stream("GET", "/x"))
    assert captured.response is not None and captured.response.status_code == 200


# --- httpx client ownership and timeouts -------------------------------------


def test_owned_client_is_configured_and_closed() -> None:
    with SyncClient(base_url=BASE_URL) as client:
        http = client._http
        assert http.timeout == DEFAULT_TIMEOUT
        assert http.follow_redirects is True
    assert http.is_closed
    custom = SyncClient(base_url=BASE_URL, timeout=5.0, follow_redirects=False)
    assert custom._http.timeout == httpx.Timeout(5.0)
    assert custom._http.follow_redirects is False
    custom.close()


def test_injected_client_is_not_closed_nor_reconfigured() -> None:
    http = httpx.Client(transport=httpx.MockTransport(Replies(OK)), timeout=3.0)
    with SyncClient(base_url=BASE_URL, http_client=http, timeout=99.0) as client:
        client.request("GET", "/x")
    assert not http.is_closed
    assert http.timeout == httpx.Timeout(3.0)
    assert http.follow_redirects is False
    http.close()


def test_per_request_timeout() -> None:
    replies = Replies(OK)
    client = sync_client(replies)
    client.request("GET", "/default")
    client.request("GET", "/custom", timeout=1.5)
    client.request("GET", "/none", timeout=None)
    timeouts = [r.extensions["timeout"] for r in replies.requests]
    assert timeouts[0] == httpx.Timeout(5.0).as_dict()  # httpx.Client's default
    assert timeouts[1] == httpx.Timeout(1.5).as_dict()
    assert timeouts[2] == httpx.Timeout(None).as_dict()


def test_follow_redirects_per_request() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/old":
            return httpx.Response(302, headers={"Location": "/new"})
        return httpx.Response(200, text="moved")

    client = SyncClient(
        base_url="https://api.example.test",
        http_client=httpx.Client(
            transport=httpx.MockTransport(handler), follow_redirects=True
        ),
    )
    assert client.request("GET", "/old").text == "moved"  # the httpx client's default
    with pytest.raises(ApiError) as caught:  # a 302 is not a 2xx: raised as it is
        client.request("GET", "/old", follow_redirects=False)
    assert caught.value.status_code == 302


def test_origin_made_of_several_settings_is_filled_as_written() -> None:
    replies = Replies(httpx.Response(200))
    client = sync_client(
        replies, settings={"url": "https://login.example.test", "site": "/community"}
    )
    client.request("POST", "{url}{site}/services/oauth2/token")
    assert str(replies.requests[0].url) == (
        "https://login.example.test/community/services/oauth2/token"
    )
    client = sync_client(
        replies, settings={"url": "https://login.example.test", "site": ""}
    )
    client.request("POST", "{url}{site}/services/oauth2/token")
    assert (
        str(replies.requests[1].url)
        == "https://login.example.test/services/oauth2/token"
    )


def test_query_is_encoded_as_postman_encodes_it() -> None:
    replies = Replies(httpx.Response(200))
    client = sync_client(replies)
    client.request(
        "GET",
        "/q",
        query=[
            ("scope[type]", "a:b,c/d?e@f$g+h;i"),
            ("sp", "a b"),
            ("pct", "100%"),
            ("encoded", "a%20b"),
            ("q'", "it's #1 <x>"),
            ("k=", "v"),
        ],
    )
    assert only_request(replies).url.query == (
        b"scope[type]=a:b,c/d?e@f$g+h;i&sp=a%20b&pct=100%25&encoded=a%20b"
        b"&q%27=it%27s%20%231%20%3Cx%3E&k%3D=v"
    )


def test_flag_sends_the_query_key_alone() -> None:
    from generator.runtime import FLAG

    replies = Replies(httpx.Response(200))
    client = sync_client(replies)
    client.request("GET", "/q", query=[("foo1", FLAG), ("a", "1"), ("foo2", FLAG)])
    assert only_request(replies).url.query == b"foo1&a=1&foo2"
    assert repr(FLAG) == "FLAG"
