"""Extension points of the runtime clients: event hooks and the resource factory."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Generator
from typing import Any, ClassVar

import httpx
import pytest

from generator.runtime import (
    AsyncClient,
    AsyncResource,
    BearerAuth,
    NotFoundError,
    RetryPolicy,
    ServerError,
    SyncClient,
    SyncResource,
)

from .helpers import Replies, async_client, sync_client

OK = httpx.Response(200, json={"ok": True})
UNAVAILABLE = httpx.Response(503, text="busy")


class Numbering:
    """A request hook adding an attempt number and a body signature."""

    def __init__(self) -> None:
        self.seen: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> None:
        self.seen.append(request)
        request.headers["X-Attempt"] = str(len(self.seen))
        request.headers["X-Signature"] = hashlib.sha256(request.content).hexdigest()


# --- request hooks ----------------------------------------------------------------


def test_request_hook_changes_every_attempt() -> None:
    replies = Replies(UNAVAILABLE, OK)
    hook = Numbering()
    sleeps: list[float] = []
    client = sync_client(replies, sleeps, on_request=[hook])
    client.request("GET", "/x", json={"a": 1})
    assert replies.calls == 2 and len(sleeps) == 1
    assert [r.headers["X-Attempt"] for r in replies.requests] == ["1", "2"]
    signature = hashlib.sha256(b'{"a":1}').hexdigest()
    assert {r.headers["X-Signature"] for r in replies.requests} == {signature}


def test_request_hook_sees_client_headers_and_credentials() -> None:
    seen: list[httpx.Headers] = []
    replies = Replies(OK)
    client = sync_client(
        replies,
        headers={"X-Default": "d"},
        auth={"bearer": BearerAuth("tok")},
        on_request=[lambda request: seen.append(httpx.Headers(request.headers))],
    )
    client.request("GET", "/x", auth="bearer")
    assert seen[0]["X-Default"] == "d"
    assert seen[0]["Authorization"] == "Bearer tok"


class _RecordingAuth(httpx.Auth):
    """An auth flow (like the signing schemes) recording the headers it signs."""

    def __init__(self) -> None:
        self.signed: list[str | None] = []

    def auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        self.signed.append(request.headers.get("X-Hooked"))
        yield request


def test_request_hooks_run_before_auth_flows_sign() -> None:
    flow = _RecordingAuth()
    client = sync_client(Replies(OK), auth={"signed": flow})

    @client.add_request_hook
    def mark(request: httpx.Request) -> None:
        request.headers["X-Hooked"] = "yes"

    client.request("GET", "/x", auth="signed")
    assert flow.signed == ["yes"]
    assert client.request_hooks == [mark]


def test_hooks_run_in_order_constructor_first() -> None:
    order: list[str] = []
    client = sync_client(
        Replies(OK),
        on_request=[lambda r: order.append("first")],
        on_response=[lambda r: order.append("response")],
    )
    client.add_request_hook(lambda r: order.append("second"))
    client.add_response_hook(lambda r: order.append("response 2"))
    client.request("GET", "/x")
    assert order == ["first", "second", "response", "response 2"]


def test_request_hook_error_sends_nothing() -> None:
    replies = Replies(OK)

    def refuse(request: httpx.Request) -> None:
        raise PermissionError("not today")

    with pytest.raises(PermissionError):
        sync_client(replies, on_request=[refuse]).request("GET", "/x")
    assert replies.calls == 0


def test_sync_client_rejects_async_hook() -> None:
    replies = Replies(OK)

    async def hook(request: httpx.Request) -> None:
        return None

    client = sync_client(replies, on_request=[hook])
    with pytest.raises(TypeError, match="is async"):
        client.request("GET", "/x")
    assert replies.calls == 0


# --- response hooks ---------------------------------------------------------------


def test_response_hook_sees_retried_and_error_responses() -> None:
    statuses: list[int] = []
    replies = Replies(UNAVAILABLE, httpx.Response(404, json={"message": "gone"}))
    client = sync_client(
        replies, on_response=[lambda r: statuses.append(r.status_code)]
    )
    with pytest.raises(NotFoundError):
        client.request("GET", "/x")
    assert statuses == [503, 404]


def test_response_hook_not_called_on_transport_error() -> None:
    statuses: list[int] = []
    requests: list[httpx.Request] = []
    replies = Replies(httpx.ConnectError("down"), OK)
    client = sync_client(
        replies,
        on_request=[requests.append],
        on_response=[lambda r: statuses.append(r.status_code)],
    )
    client.request("GET", "/x")
    assert len(requests) == 2 and statuses == [200]


def test_response_hook_error_propagates_and_closes_stream() -> None:
    responses: list[httpx.Response] = []

    def reject(response: httpx.Response) -> None:
        responses.append(response)
        raise ValueError("bad response")

    client = sync_client(Replies(OK), on_response=[reject])
    with pytest.raises(ValueError, match="bad response"):
        list(client.stream("GET", "/x"))
    assert responses[0].is_closed


def test_response_hook_on_stream_sees_unread_response() -> None:
    consumed: list[bool] = []
    client = sync_client(
        Replies(lambda request: httpx.Response(200, content=iter([b"a", b"bc"]))),
        on_response=[lambda r: consumed.append(r.is_stream_consumed)],
    )
    assert b"".join(client.stream("GET", "/x")) == b"abc"
    assert consumed == [False]


def test_no_retry_when_hook_rejects_retried_response() -> None:
    # A hook raising on a retryable response stops the retries.
    replies = Replies(UNAVAILABLE, OK)

    def fail_fast(response: httpx.Response) -> None:
        if response.status_code == 503:
            raise RuntimeError("503")

    with pytest.raises(RuntimeError):
        sync_client(replies, on_response=[fail_fast]).request("GET", "/x")
    assert replies.calls == 1


# --- async ------------------------------------------------------------------------


def test_async_hooks_plain_and_async_every_attempt() -> None:
    replies = Replies(UNAVAILABLE, httpx.Response(500, text="no"))
    events: list[str] = []

    async def sign(request: httpx.Request) -> None:
        await asyncio.sleep(0)
        request.headers["X-Signed"] = "1"

    async def observe(response: httpx.Response) -> None:
        events.append(f"async {response.status_code}")

    async def main() -> None:
        async with async_client(
            replies,
            retry=RetryPolicy(max_retries=1),
            on_request=[sign],
            on_response=[observe],
        ) as client:
            client.add_request_hook(lambda r: events.append(r.headers["X-Signed"]))
            client.add_response_hook(lambda r: events.append(f"plain {r.status_code}"))
            with pytest.raises(ServerError):
                await client.request("GET", "/x")

    asyncio.run(main())
    assert [r.headers["X-Signed"] for r in replies.requests] == ["1", "1"]
    assert events == ["1", "async 503", "plain 503", "1", "async 500", "plain 500"]


def test_async_response_hook_error_closes_stream() -> None:
    responses: list[httpx.Response] = []

    async def reject(response: httpx.Response) -> None:
        responses.append(response)
        raise ValueError("bad response")

    async def main() -> None:
        client = async_client(Replies(OK), on_response=[reject])
        with pytest.raises(ValueError):
            async for _chunk in client.stream("GET", "/x"):
                pass

    asyncio.run(main())
    assert responses[0].is_closed


# --- resource factory -------------------------------------------------------------


class Things(SyncResource):
    pass


class MoreThings(Things):
    def count(self) -> int:
        return 3


class AsyncThings(AsyncResource):
    pass


def test_create_resource_defaults_to_the_generated_class() -> None:
    client = sync_client(Replies(OK))
    made = client.create_resource("things", Things)
    assert type(made) is Things and made._client is client


def test_resource_classes_swap_a_resource_by_call_path() -> None:
    class Custom(SyncClient):
        resource_classes: ClassVar[dict[str, type[Any]]] = {"a.things": MoreThings}

    client = Custom(base_url="https://x.test")
    assert type(client.create_resource("a.things", Things)) is MoreThings
    assert type(client.create_resource("things", Things)) is Things
    assert SyncClient.resource_classes == {}


def test_resource_classes_must_subclass_the_generated_class() -> None:
    class Wrong(AsyncClient):
        resource_classes: ClassVar[dict[str, type[Any]]] = {"things": Things}

    with pytest.raises(TypeError, match=r"resource_classes\['things'\].*AsyncThings"):
        Wrong(base_url="https://x.test").create_resource("things", AsyncThings)
