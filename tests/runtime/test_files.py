"""Request body sources and streaming uploads of large files."""

from __future__ import annotations

import asyncio
import hashlib
import inspect
import io
import os
import tracemalloc
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from generator.runtime import AsyncClient, SyncClient, async_content, sync_content
from generator.runtime._files import CHUNK_SIZE, BodySource

from .helpers import BASE_URL

LARGE_FILE_SIZE = 50 * 1024 * 1024


async def collect(chunks: bytes | AsyncIterator[bytes]) -> bytes:
    if isinstance(chunks, bytes):
        return chunks
    return b"".join([chunk async for chunk in chunks])


def join(chunks: bytes | Iterator[bytes]) -> bytes:
    return chunks if isinstance(chunks, bytes) else b"".join(chunks)


# --- sync_content / async_content ---------------------------------------------


def test_sync_content_bytes_and_str() -> None:
    assert sync_content(b"abc") == (b"abc", True)
    assert sync_content(bytearray(b"abc")) == (b"abc", True)  # type: ignore[arg-type]
    assert sync_content("Zoë") == ("Zoë".encode(), True)


def test_sync_content_path_is_lazy_and_chunked(tmp_path: Path) -> None:
    path = tmp_path / "data.bin"
    path.write_bytes(b"x" * (CHUNK_SIZE * 2 + 10))
    content, replayable = sync_content(path)
    assert replayable
    assert not isinstance(content, bytes)
    generator: object = content
    assert inspect.isgenerator(generator)
    assert inspect.getgeneratorstate(generator) == inspect.GEN_CREATED  # not opened yet
    assert [len(c) for c in content] == [CHUNK_SIZE, CHUNK_SIZE, 10]


def test_sync_content_files() -> None:
    content, replayable = sync_content(io.BytesIO(b"seekable"))
    assert replayable
    assert join(content) == b"seekable"

    read_fd, write_fd = os.pipe()
    os.write(write_fd, b"piped")
    os.close(write_fd)
    with os.fdopen(read_fd, "rb", buffering=0) as pipe:
        content, replayable = sync_content(pipe)
        assert not replayable
        assert join(content) == b"piped"


def test_sync_content_iterables() -> None:
    generator = (chunk for chunk in [b"a", b"b"])
    content, replayable = sync_content(generator)
    assert not replayable
    assert join(content) == b"ab"

    content, replayable = sync_content([b"a", b"b"])
    assert replayable
    assert join(content) == b"ab"


def test_sync_content_rejects_async_iterables() -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b"x"

    with pytest.raises(TypeError, match="async"):
        sync_content(chunks())  # type: ignore[arg-type]


def test_async_content(tmp_path: Path) -> None:
    path = tmp_path / "data.bin"
    path.write_bytes(b"y" * (CHUNK_SIZE + 1))

    async def agen() -> AsyncIterator[bytes]:
        yield b"1"
        yield b"2"

    class Reiterable:
        def __aiter__(self) -> AsyncIterator[bytes]:
            return agen()

    async def main() -> None:
        assert async_content(b"raw") == (b"raw", True)
        assert async_content("text") == (b"text", True)
        content, replayable = async_content(path)
        assert replayable and not isinstance(content, bytes)
        assert await collect(content) == path.read_bytes()
        content, replayable = async_content(agen())
        assert not replayable
        assert await collect(content) == b"12"
        content, replayable = async_content(Reiterable())
        assert replayable
        assert await collect(content) == b"12"
        content, replayable = async_content(iter([b"a", b"b"]))
        assert not replayable
        assert await collect(content) == b"ab"
        content, replayable = async_content(io.BytesIO(b"file"))
        assert replayable
        assert await collect(content) == b"file"

    asyncio.run(main())


def test_body_source_rewinds_seekable_files() -> None:
    file = io.BytesIO(b"skip:body")
    file.seek(5)
    source = BodySource(file)
    assert source.replayable
    assert source.length == 4
    assert file.tell() == 5
    assert join(source.sync()) == b"body"
    assert join(source.sync()) == b"body"
    assert asyncio.run(collect(source.async_())) == b"body"


def test_body_source_lengths(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"12345")
    assert BodySource(path).length == 5
    assert BodySource("é").length == 2
    assert BodySource(b"abc").length == 3
    assert BodySource(iter([b"a"])).length is None
    assert not BodySource(iter([b"a"])).replayable


# --- a 50 MB upload is streamed, never read whole -----------------------------


class ChunkRecorder:
    """Consumes a request body chunk by chunk, as a real transport would."""

    def __init__(self) -> None:
        self.chunk_sizes: list[int] = []
        self.digest = hashlib.sha256()
        self.headers = httpx.Headers()
        self.peak_memory = 0

    def consume(self, request: httpx.Request, chunk: bytes) -> None:
        self.headers = request.headers
        self.chunk_sizes.append(len(chunk))
        self.digest.update(chunk)

    def finish(self, request: httpx.Request) -> httpx.Response:
        with pytest.raises(httpx.RequestNotRead):
            _ = request.content  # the body was never buffered on the request
        self.peak_memory = tracemalloc.get_traced_memory()[1]
        return httpx.Response(201)


class SyncStreamingTransport(httpx.BaseTransport):
    """Unlike MockTransport, does not call ``request.read()``."""

    def __init__(self) -> None:
        self.recorder = ChunkRecorder()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.SyncByteStream)
        for chunk in request.stream:
            self.recorder.consume(request, chunk)
        return self.recorder.finish(request)


class AsyncStreamingTransport(httpx.AsyncBaseTransport):
    """Unlike MockTransport, does not call ``request.aread()``."""

    def __init__(self) -> None:
        self.recorder = ChunkRecorder()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.AsyncByteStream)
        async for chunk in request.stream:
            self.recorder.consume(request, chunk)
        return self.recorder.finish(request)


@pytest.fixture(scope="module")
def large_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    path = tmp_path_factory.mktemp("upload") / "large.csv"
    block = os.urandom(1024 * 1024)
    digest = hashlib.sha256()
    with path.open("wb") as file:
        for index in range(LARGE_FILE_SIZE // len(block)):
            data = index.to_bytes(4, "big") + block[4:]
            file.write(data)
            digest.update(data)
    assert path.stat().st_size == LARGE_FILE_SIZE
    return path, digest.hexdigest()


def check_streamed(recorder: ChunkRecorder, digest: str, baseline: int) -> None:
    assert recorder.digest.hexdigest() == digest
    assert sum(recorder.chunk_sizes) == LARGE_FILE_SIZE
    assert max(recorder.chunk_sizes) <= 64 * 1024
    assert len(recorder.chunk_sizes) >= LARGE_FILE_SIZE // (64 * 1024)
    assert recorder.headers["Content-Length"] == str(LARGE_FILE_SIZE)
    assert "Transfer-Encoding" not in recorder.headers
    # Peak memory while sending stays a tiny fraction of the file size.
    assert recorder.peak_memory - baseline < 2 * 1024 * 1024


@pytest.mark.parametrize("as_file", [False, True], ids=["path", "open-file"])
def test_large_upload_is_streamed_sync(
    large_file: tuple[Path, str], as_file: bool
) -> None:
    path, digest = large_file
    transport = SyncStreamingTransport()
    client = SyncClient(
        base_url=BASE_URL, http_client=httpx.Client(transport=transport)
    )
    tracemalloc.start()
    try:
        baseline = tracemalloc.get_traced_memory()[0]
        if as_file:
            with path.open("rb") as file:
                response = client.request(
                    "PUT",
                    "/jobs/ingest/{id}/batches",
                    path_params={"id": "750"},
                    content=file,
                )
        else:
            response = client.request(
                "PUT",
                "/jobs/ingest/{id}/batches",
                path_params={"id": "750"},
                content=path,
            )
    finally:
        tracemalloc.stop()
    assert response.status_code == 201
    check_streamed(transport.recorder, digest, baseline)


@pytest.mark.parametrize("as_file", [False, True], ids=["path", "open-file"])
def test_large_upload_is_streamed_async(
    large_file: tuple[Path, str], as_file: bool
) -> None:
    path, digest = large_file
    transport = AsyncStreamingTransport()

    async def main() -> tuple[int, int]:
        client = AsyncClient(
            base_url=BASE_URL, http_client=httpx.AsyncClient(transport=transport)
        )
        baseline = tracemalloc.get_traced_memory()[0]
        if as_file:
            with path.open("rb") as file:
                response = await client.request("PUT", "/batches", content=file)
        else:
            response = await client.request("PUT", "/batches", content=path)
        return response.status_code, baseline

    tracemalloc.start()
    try:
        status, baseline = asyncio.run(main())
    finally:
        tracemalloc.stop()
    assert status == 201
    check_streamed(transport.recorder, digest, baseline)
