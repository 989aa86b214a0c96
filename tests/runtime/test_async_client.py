"""``AsyncClient``: the same behaviour as ``SyncClient`` over ``httpx.AsyncClient``."""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from generator.runtime import (
    DEFAULT_TIMEOUT,
    ApiConnectionError,
    ApiKeyAuth,
    ApiTimeoutError,
    AsyncClient,
    BadRequestError,
    Captured,
    NotFoundError,
    RetryPolicy,
    ServerError,
)

from .helpers import BASE_URL, Replies, async_client, json_response

OK = httpx.Response(200, json={"ok": True})


def test_request_builds_url_query_headers_and_json() -> None:
    replies = Replies(OK)

    async def main() -> httpx.Response:
        async with async_client(
            replies, settings={"api_version": "62.0"}, headers={"X-Default": "d"}
        ) as client:
            return await client.request(
                "post",
                "/services/data/v{api_version}/jobs/{kind}",
                path_params={"kind": "query all"},
                query=[("b", 1), ("a", None), ("b", True)],
                headers={"X-Default": None, "X-Op": "o"},
                json={"query": "SELECT Id FROM Account"},
            )

    response = asyncio.run(main())
    assert response.json() == {"ok": True}
    req = replies.requests[0]
    assert req.method == "POST"
    assert str(req.url) == f"{BASE_URL}/services/data/v62.0/jobs/query%20all?b=1&b=true"
    assert "X-Default" not in req.headers
    assert req.headers["X-Op"] == "o"
    assert req.headers["Content-Type"] == "application/json"
    assert req.content == b'{"query":"SELECT Id FROM Account"}'


def test_bodies(tmp_path: Path) -> None:
    path = tmp_path / "batch.csv"
    path.write_bytes(b"Id\n001\n")

    async def chunks() -> AsyncIterator[bytes]:
        yield b"async "
        yield b"chunks"

    replies = Replies(OK)

    async def main() -> None:
        client = async_client(replies)
        await client.request("PUT", "/b", content=b"bytes")
        await client.request("PUT", "/s", content="texté")
        await client.request("PUT", "/p", content=path)
        await client.request("PUT", "/f", content=io.BytesIO(b"file"))
        await client.request("PUT", "/i", content=iter([b"sync ", b"iter"]))
        await client.request("PUT", "/a", content=chunks())
        await client.request("POST", "/form", form=[("a", "1"), ("a", "2")])

    asyncio.run(main())
    assert replies.bodies == [
        b"bytes",
        "texté".encode(),
        b"Id\n001\n",
        b"file",
        b"sync iter",
        b"async chunks",
        b"a=1&a=2",
    ]
    assert replies.requests[2].headers["Content-Length"] == "7"
    assert replies.requests[5].headers["Transfer-Encoding"] == "chunked"


def test_auth_is_applied() -> None:
    replies = Replies(OK)

    async def main() -> None:
        client = async_client(
            replies, auth={"key": ApiKeyAuth("api_key", lambda: "k1", "query")}
        )
        await client.request("GET", "/x", query=[("q", "1")], auth="key")

    asyncio.run(main())
    assert str(replies.requests[0].url) == f"{BASE_URL}/x?q=1&api_key=k1"


def test_retries_status_and_connection_errors_with_fake_sleep() -> None:
    sleeps: list[float] = []
    replies = Replies(
        httpx.Response(429, headers={"Retry-After": "3"}),
        httpx.ConnectError("refused"),
        OK,
    )

    async def main() -> httpx.Response:
        return await async_client(replies, sleeps).request("GET", "/x")

    assert asyncio.run(main()).status_code == 200
    assert replies.calls == 3
    assert sleeps[0] == 3.0
    assert 1.0 <= sleeps[1] <= 1.1


def test_retries_exhausted_raise() -> None:
    replies = Replies(httpx.ReadTimeout("slow"))

    async def main() -> None:
        await async_client(replies, retry=RetryPolicy(max_retries=1)).request(
            "GET", "/x"
        )

    with pytest.raises(ApiTimeoutError) as info:
        asyncio.run(main())
    assert isinstance(info.value.__cause__, httpx.ReadTimeout)
    assert replies.calls == 2

    replies = Replies(httpx.Response(503))

    async def server_error() -> None:
        await async_client(replies).request("GET", "/x")

    with pytest.raises(ServerError):
        asyncio.run(server_error())
    assert replies.calls == 3


def test_non_idempotent_and_one_shot_bodies_not_retried() -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b"once"

    replies = Replies(httpx.Response(503), OK)

    async def post() -> None:
        await async_client(replies).request("POST", "/x", json={})

    with pytest.raises(ServerError):
        asyncio.run(post())
    assert replies.calls == 1

    replies = Replies(httpx.ConnectError("refused"), OK)

    async def put_stream() -> None:
        await async_client(replies).request("PUT", "/x", content=chunks())

    with pytest.raises(ApiConnectionError):
        asyncio.run(put_stream())
    assert replies.calls == 1


def test_replayable_file_is_resent(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_bytes(b"Id\n001\n")
    file = io.BytesIO(b"Id\n002\n")
    replies = Replies(httpx.Response(503), OK)
    replies_file = Replies(httpx.Response(503), OK)

    async def main() -> None:
        await async_client(replies).request("PUT", "/x", content=path)
        await async_client(replies_file).request("PUT", "/x", content=file)

    asyncio.run(main())
    assert replies.bodies == [b"Id\n001\n"] * 2
    assert replies_file.bodies == [b"Id\n002\n"] * 2


def test_error_response_raises_typed_error() -> None:
    replies = Replies(
        json_response(400, [{"errorCode": "INVALIDJOB", "message": "bad"}])
    )

    async def main() -> None:
        await async_client(replies).request("POST", "/jobs", json={})

    with pytest.raises(BadRequestError) as info:
        asyncio.run(main())
    assert str(info.value) == f"400 Bad Request: POST {BASE_URL}/jobs: INVALIDJOB: bad"


def test_capture_response_per_task() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"X-Path": request.url.path})

    async def capture(client: AsyncClient, path: str) -> Captured:
        with client.capture_response() as captured:
            await asyncio.sleep(0)
            await client.request("GET", path)
            await asyncio.sleep(0)
        return captured

    async def main() -> list[Captured]:
        client = async_client(handler)
        return list(await asyncio.gather(*(capture(client, f"/{i}") for i in range(5))))

    for index, captured in enumerate(asyncio.run(main())):
        assert [r.headers["X-Path"] for r in captured.responses] == [f"/{index}"]


def test_capture_includes_tasks_started_inside_the_block() -> None:
    async def main() -> Captured:
        client = async_client(Replies(OK))
        with client.capture_response() as captured:
            await asyncio.gather(
                client.request("GET", "/a"), client.request("GET", "/b")
            )
        return captured

    captured = asyncio.run(main())
    assert sorted(r.request.url.path for r in captured.responses) == ["/a", "/b"]


class TrackedAsyncStream(httpx.AsyncByteStream):
    """An async response body that records whether it was closed."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks
        self.closed = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            yield chunk

    async def aclose(self) -> None:
        self.closed = True


def test_stream_download() -> None:
    body = TrackedAsyncStream([b"Id\n", b"001\n" * 100])

    async def main() -> list[bytes]:
        client = async_client(lambda request: httpx.Response(200, stream=body))
        return [
            chunk async for chunk in client.stream("GET", "/results", chunk_size=100)
        ]

    chunks = asyncio.run(main())
    assert b"".join(chunks) == b"Id\n" + b"001\n" * 100
    assert max(len(c) for c in chunks) == 100
    assert body.closed


def test_stream_error_and_early_close() -> None:
    error_body = TrackedAsyncStream([b'{"errorCode":"NOT_FOUND","message":"no job"}'])
    body = TrackedAsyncStream([b"x" * 1000])

    async def main() -> None:
        client = async_client(lambda request: httpx.Response(404, stream=error_body))
        with pytest.raises(NotFoundError) as info:
            async for _ in client.stream("GET", "/x"):
                pass
        assert info.value.errors[0].message == "no job"

        client = async_client(lambda request: httpx.Response(200, stream=body))
        iterator = client.stream("GET", "/x", chunk_size=10)
        assert await iterator.__anext__() == b"x" * 10
        assert not body.closed
        await iterator.aclose()

    asyncio.run(main())
    assert error_body.closed
    assert body.closed


def test_stream_read_error_is_wrapped() -> None:
    class Broken(httpx.AsyncByteStream):
        async def __aiter__(self) -> AsyncIterator[bytes]:
            yield b"part"
            raise httpx.ReadError("reset")

    async def main() -> None:
        client = async_client(lambda request: httpx.Response(200, stream=Broken()))
        async for _ in client.stream("GET", "/x", chunk_size=4):
            pass

    with pytest.raises(ApiConnectionError) as info:
        asyncio.run(main())
    assert isinstance(info.value.__cause__, httpx.ReadError)


def test_ownership_and_defaults() -> None:
    async def main() -> None:
        owned = AsyncClient(base_url=BASE_URL)
        assert owned._http.timeout == DEFAULT_TIMEOUT
        assert owned._http.follow_redirects is True
        assert owned._sleep is asyncio.sleep
        async with owned:
            pass
        assert owned._http.is_closed

        http = httpx.AsyncClient(transport=httpx.MockTransport(Replies(OK)))
        async with AsyncClient(base_url=BASE_URL, http_client=http) as injected:
            await injected.request("GET", "/x")
        assert not http.is_closed
        await http.aclose()

    asyncio.run(main())


def test_json_body_of_models_and_dates() -> None:
    from datetime import date

    replies = Replies(OK)

    async def main() -> None:
        await async_client(replies).request(
            "POST", "/x", json={"day": date(2024, 1, 2), "items": (1, 2)}
        )

    asyncio.run(main())
    assert json.loads(replies.bodies[0]) == {"day": "2024-01-02", "items": [1, 2]}
