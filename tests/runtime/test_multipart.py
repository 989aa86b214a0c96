"""multipart/form-data bodies: layout, order, omitted fields, streaming and replay."""

from __future__ import annotations

import asyncio
import email.parser
import email.policy
import io
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from generator.runtime import (
    FormField,
    MultipartBody,
    Upload,
    file_field,
    text_field,
)
from generator.runtime._files import CHUNK_SIZE

from .helpers import Replies, async_client, sync_client


def parts(
    request_body: bytes, content_type: str
) -> list[tuple[str, dict[str, str], bytes]]:
    """(name, part headers, payload) of each part, parsed by the stdlib MIME parser."""
    raw = f"Content-Type: {content_type}\r\n\r\n".encode() + request_body
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(raw)
    found = []
    for part in message.iter_parts():
        headers = {k.lower(): str(v) for k, v in part.items()}
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        found.append(
            (
                str(part.get_param("name", header="content-disposition")),
                headers,
                payload,
            )
        )
    return found


def body_of(fields: list[FormField]) -> tuple[bytes, MultipartBody]:
    body = MultipartBody(fields, boundary="BOUNDARY")
    return b"".join(body.sync()), body


def test_exact_layout_of_text_and_file_parts() -> None:
    data, body = body_of(
        [text_field("name", "Zoë"), file_field("doc", b"%PDF", ["a.pdf"])]
    )
    assert data == (
        b"--BOUNDARY\r\n"
        b'Content-Disposition: form-data; name="name"\r\n\r\n'
        b"Zo\xc3\xab\r\n"
        b"--BOUNDARY\r\n"
        b'Content-Disposition: form-data; name="doc"; filename="a.pdf"\r\n'
        b"Content-Type: application/pdf\r\n\r\n"
        b"%PDF\r\n"
        b"--BOUNDARY--\r\n"
    )
    assert body.length == len(data)
    assert body.headers() == {
        "Content-Type": "multipart/form-data; boundary=BOUNDARY",
        "Content-Length": str(len(data)),
    }


def test_order_is_kept_and_several_files_share_a_name(tmp_path: Path) -> None:
    first = tmp_path / "one.txt"
    first.write_text("1")
    data, body = body_of(
        [
            text_field("a", "x"),
            file_field(
                "files", [first, Upload(b"2", "two.csv"), b"3"], ["", "", "c.bin"]
            ),
            text_field("z", "y", "application/json"),
        ]
    )
    found = parts(data, body.content_type)
    assert [(name, payload) for name, _, payload in found] == [
        ("a", b"x"),
        ("files", b"1"),
        ("files", b"2"),
        ("files", b"3"),
        ("z", b"y"),
    ]
    assert [h.get("content-type") for _, h, _ in found] == [
        None,
        "text/plain",
        "text/csv",
        "application/octet-stream",
        "application/json",
    ]
    dispositions = [h["content-disposition"] for _, h, _ in found]
    assert 'filename="one.txt"' in dispositions[1]
    assert 'filename="two.csv"' in dispositions[2]
    assert 'filename="c.bin"' in dispositions[3]


def test_declared_type_wins_and_missing_name_falls_back_to_the_field() -> None:
    field = file_field("upload", io.BytesIO(b"x"), content_type="image/png")
    assert field.files[0].content_type == "image/png"
    assert field.files[0].filename == "upload"


def test_unset_fields_are_left_out() -> None:
    assert text_field("a", None).empty
    assert file_field("b", None).empty
    assert not text_field("c", "").empty


def test_sync_client_sends_multipart_and_leaves_out_unset_fields() -> None:
    replies = Replies(httpx.Response(200))
    client = sync_client(replies)
    client.request(
        "POST",
        "/upload",
        multipart=[
            text_field("keep", "1"),
            text_field("skip", None),
            file_field("f", None),
        ],
    )
    request = replies.requests[0]
    found = parts(replies.bodies[0], request.headers["content-type"])
    assert [name for name, _, _ in found] == ["keep"]
    assert request.headers["content-length"] == str(len(replies.bodies[0]))


def test_files_are_streamed_in_chunks(tmp_path: Path) -> None:
    path = tmp_path / "big.bin"
    path.write_bytes(b"x" * (CHUNK_SIZE * 3 + 5))
    body = MultipartBody([file_field("f", path)], boundary="B")
    sizes = [len(chunk) for chunk in body.sync()]
    assert max(sizes) <= CHUNK_SIZE
    assert sum(sizes) == body.length


def test_path_upload_is_replayed_on_retry(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_bytes(b"a,b\n1,2\n")
    replies = Replies(httpx.Response(503), httpx.Response(200))
    client = sync_client(replies)
    client.request("PUT", "/x", multipart=[file_field("f", path)])
    assert replies.calls == 2
    assert replies.bodies[0] == replies.bodies[1]
    assert b"a,b\n1,2\n" in replies.bodies[1]


def test_iterator_upload_is_not_retried() -> None:
    def chunks() -> Iterator[bytes]:
        yield b"once"

    replies = Replies(httpx.Response(503), httpx.Response(200))
    client = sync_client(replies)
    with pytest.raises(Exception, match="503"):
        client.request("PUT", "/x", multipart=[file_field("f", chunks())])
    assert replies.calls == 1


def test_missing_file_fails_before_sending(tmp_path: Path) -> None:
    replies = Replies(httpx.Response(200))
    client = sync_client(replies)
    with pytest.raises(FileNotFoundError):
        client.request("POST", "/x", multipart=[file_field("f", tmp_path / "nope")])
    assert replies.calls == 0


def test_multipart_with_another_body_is_refused() -> None:
    client = sync_client(Replies(httpx.Response(200)))
    with pytest.raises(ValueError, match="at most one"):
        client.request("POST", "/x", json={}, multipart=[text_field("a", "b")])


def test_async_client_sends_async_iterables() -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b"ab"
        yield b"cd"

    replies = Replies(httpx.Response(200))

    async def run() -> None:
        async with async_client(replies) as client:
            await client.request(
                "POST",
                "/x",
                multipart=[text_field("t", "v"), file_field("f", chunks(), ["x.txt"])],
            )

    asyncio.run(run())
    request = replies.requests[0]
    found = parts(replies.bodies[0], request.headers["content-type"])
    assert [(n, p) for n, _, p in found] == [("t", b"v"), ("f", b"abcd")]
    assert "content-length" not in request.headers  # unknown size: chunked


def test_no_field_to_send_means_no_body() -> None:
    replies = Replies(httpx.Response(200))
    client = sync_client(replies)
    client.request(
        "DELETE", "/x", multipart=[text_field("a", None), file_field("f", None)]
    )
    assert replies.bodies[0] == b""
    assert "content-type" not in replies.requests[0].headers
