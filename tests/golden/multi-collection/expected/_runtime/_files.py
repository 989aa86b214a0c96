"""Request bodies from bytes, text, paths, files or chunk iterators.

Paths and files are streamed in 64 KiB chunks and never read whole into memory.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from typing import IO, Any, Final, cast

from ._types import AsyncFileContent, FileContent

__all__ = ["CHUNK_SIZE", "BodySource", "async_content", "sync_content"]

CHUNK_SIZE: Final = 64 * 1024


def sync_content(value: FileContent) -> tuple[bytes | Iterator[bytes], bool]:
    """Return what to pass as ``httpx.Request(content=…)`` and whether it can be
    sent again (by calling this again; a seekable file must be rewound first).
    """
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value), True
    if isinstance(value, str):
        return value.encode(), True
    if isinstance(value, os.PathLike):
        return _read_path(value), True
    if _is_file(value):
        file = cast("IO[Any]", value)
        return _read_file(file), _is_seekable(file)
    if isinstance(value, AsyncIterable):
        raise TypeError("an async iterable body needs the async client")
    return iter(value), not isinstance(value, Iterator)


def async_content(value: AsyncFileContent) -> tuple[bytes | AsyncIterator[bytes], bool]:
    """Like ``sync_content`` for the async client; sync sources become async iterators."""
    if isinstance(value, AsyncIterable):
        return _forward(value), not isinstance(value, AsyncIterator)
    content, replayable = sync_content(value)
    if isinstance(content, bytes):
        return content, replayable
    return _to_async(content), replayable


class BodySource:
    """A request body that is produced afresh for every attempt.

    A seekable file is rewound to where it stood when the source was created.

    Attributes:
        length: Body size in bytes when known up front (for ``Content-Length``).
        replayable: Whether the body can be sent more than once.
    """

    def __init__(self, value: AsyncFileContent) -> None:
        self._value: AsyncFileContent = (
            value.encode() if isinstance(value, str) else value
        )
        self._file = cast("IO[Any]", value) if _is_sync_file(value) else None
        self._start = _position(self._file) if self._file is not None else None
        self.length = self._length()
        self.replayable = self._is_replayable()

    def sync(self) -> bytes | Iterator[bytes]:
        """Content for a sync ``httpx`` request."""
        self._rewind()
        return sync_content(cast("FileContent", self._value))[0]

    def async_(self) -> bytes | AsyncIterator[bytes]:
        """Content for an async ``httpx`` request."""
        self._rewind()
        return async_content(self._value)[0]

    def _rewind(self) -> None:
        if self._file is not None and self._start is not None:
            self._file.seek(self._start)

    def _length(self) -> int | None:
        value = self._value
        if isinstance(value, bytes | bytearray | memoryview):
            return len(value)
        if isinstance(value, os.PathLike):
            # Stat now so a missing file fails before anything is sent.
            return os.stat(value).st_size
        if self._file is not None and self._start is not None:
            end = self._file.seek(0, os.SEEK_END)
            self._file.seek(self._start)
            return max(0, end - self._start)
        return None

    def _is_replayable(self) -> bool:
        value = self._value
        if self._file is not None:
            return self._start is not None
        if isinstance(value, AsyncIterable):
            return not isinstance(value, AsyncIterator)
        return not isinstance(value, Iterator)


def _is_file(value: object) -> bool:
    return callable(getattr(value, "read", None))


def _is_sync_file(value: object) -> bool:
    return _is_file(value) and not isinstance(value, AsyncIterable)


def _is_seekable(file: IO[Any]) -> bool:
    return _position(file) is not None


def _position(file: IO[Any]) -> int | None:
    """The current offset of a seekable file, else ``None``."""
    try:
        if not file.seekable():
            return None
        return file.tell()
    except (AttributeError, OSError, ValueError):
        return None


def _read_path(path: os.PathLike[str]) -> Iterator[bytes]:
    # A generator: the file is opened only when the body is actually sent.
    with open(path, "rb") as file:
        yield from _read_file(file)


def _read_file(file: IO[Any]) -> Iterator[bytes]:
    while chunk := file.read(CHUNK_SIZE):
        yield chunk.encode() if isinstance(chunk, str) else bytes(chunk)


async def _forward(chunks: AsyncIterable[bytes]) -> AsyncIterator[bytes]:
    async for chunk in chunks:
        yield chunk


async def _to_async(chunks: Iterable[bytes]) -> AsyncIterator[bytes]:
    # Reads happen on the event loop: 64 KiB local reads are short, and a thread
    # hop per chunk would cost more than it saves.
    for chunk in chunks:
        yield chunk
