"""A recording HTTP/1.1 reverse proxy: every request it receives becomes one JSON line.

It sits in front of the echo server (httpbin) and records at the socket level what a
client really sent: the method, the raw request target, the headers in their order with
duplicates and original spelling (a WSGI server would lose order and duplicates and
drop names containing ``_``), and the body bytes (base64). Content-Length and chunked
bodies are read; connections are kept alive. Every request is forwarded to one
upstream path (httpbin's catch-all ``/anything``) so that redirects and cookies never
change what the client sends next; the original target is what is recorded.

Run it on its own with ``python tests/equivalence/proxy.py --upstream 127.0.0.1:8001
--record requests.jsonl``, or in a thread with ``RecordingProxy(...).start()``.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

MAX_HEAD = 1 << 20
_HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-connection",
    "transfer-encoding",
    "te",
    "trailer",
    "upgrade",
}


class ProtocolError(Exception):
    """The client sent something that is not HTTP/1.1."""


@dataclass
class Recorded:
    """One request as it arrived on the socket."""

    method: str
    target: str  # the raw request target ("/a/b?x=1")
    version: str
    headers: list[tuple[str, str]]
    body: bytes
    chunked: bool = False
    trailers: list[tuple[str, str]] = field(default_factory=list)
    received: float = field(default_factory=time.time)  # when the head arrived

    @property
    def path(self) -> str:
        return (
            urlsplit(self.target).path
            if "://" in self.target
            else self.target.split("?", 1)[0]
        )

    @property
    def query(self) -> str:
        return self.target.split("?", 1)[1] if "?" in self.target else ""

    def to_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "target": self.target,
            "path": self.path,
            "query": self.query,
            "version": self.version,
            "headers": [[k, v] for k, v in self.headers],
            "body": base64.b64encode(self.body).decode("ascii"),
            "chunked": self.chunked,
            "received": self.received,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Recorded:
        return cls(
            method=data["method"],
            target=data["target"],
            version=data.get("version", "HTTP/1.1"),
            headers=[(k, v) for k, v in data["headers"]],
            body=base64.b64decode(data["body"]),
            chunked=bool(data.get("chunked", False)),
        )


async def _read_head(reader: asyncio.StreamReader) -> bytes | None:
    """The request line and headers up to the blank line; None at a clean EOF."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as exc:
        if not exc.partial.strip():
            return None
        raise ProtocolError("connection closed inside a request head") from exc
    except asyncio.LimitOverrunError as exc:
        raise ProtocolError("request head too large") from exc
    return head


def parse_head(head: bytes) -> tuple[str, str, str, list[tuple[str, str]]]:
    """Request line and headers (order, duplicates and spelling kept)."""
    lines = head.decode("latin-1").split("\r\n")
    while lines and lines[0] == "":  # tolerated empty lines before a request
        lines.pop(0)
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/"):
        raise ProtocolError(f"bad request line {lines[0]!r}")
    headers: list[tuple[str, str]] = []
    for line in lines[1:]:
        if not line:
            continue
        if line[0] in " \t" and headers:  # obsolete line folding
            name, value = headers[-1]
            headers[-1] = (name, f"{value} {line.strip()}")
            continue
        name, sep, value = line.partition(":")
        if not sep:
            raise ProtocolError(f"bad header line {line!r}")
        headers.append((name, value.strip(" \t")))
    return parts[0], parts[1], parts[2], headers


def _header(headers: list[tuple[str, str]], name: str) -> str | None:
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


async def read_body(
    reader: asyncio.StreamReader, headers: list[tuple[str, str]]
) -> tuple[bytes, bool, list[tuple[str, str]]]:
    """The body bytes (de-chunked), whether it was chunked, and any trailers."""
    encoding = _header(headers, "transfer-encoding")
    if encoding is not None and "chunked" in encoding.lower():
        chunks: list[bytes] = []
        while True:
            size_line = await reader.readuntil(b"\r\n")
            size = int(size_line.split(b";", 1)[0].strip(), 16)
            if size == 0:
                break
            chunks.append(await reader.readexactly(size))
            await reader.readexactly(2)
        trailers: list[tuple[str, str]] = []
        while True:
            line = await reader.readuntil(b"\r\n")
            if line == b"\r\n":
                break
            name, _, value = line.decode("latin-1").partition(":")
            trailers.append((name, value.strip()))
        return b"".join(chunks), True, trailers
    length = _header(headers, "content-length")
    if length is None:
        return b"", False, []
    return await reader.readexactly(int(length)), False, []


class RecordingProxy:
    """The proxy; ``records`` holds every request received, in arrival order."""

    def __init__(
        self,
        upstream: tuple[str, int],
        *,
        upstream_path: str = "/anything",
        record_file: Path | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.upstream = upstream
        self.upstream_path = upstream_path
        self.record_file = record_file
        self.host = host
        self.port = port
        self.records: list[Recorded] = []
        self.on_record: Callable[[Recorded], None] | None = None
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.Server | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def _record(self, recorded: Recorded) -> None:
        with self._lock:
            self.records.append(recorded)
            if self.record_file is not None:
                with self.record_file.open("a", encoding="utf-8") as out:
                    out.write(json.dumps(recorded.to_json()) + "\n")
        if self.on_record is not None:
            self.on_record(recorded)

    def snapshot(self) -> int:
        """How many requests were recorded so far (a mark to slice ``records``)."""
        with self._lock:
            return len(self.records)

    def since(self, mark: int) -> list[Recorded]:
        with self._lock:
            return list(self.records[mark:])

    async def _forward(self, recorded: Recorded) -> bytes:
        """Send the request upstream (path rewritten) and return the raw response."""
        host, port = self.upstream
        reader, writer = await asyncio.open_connection(host, port)
        try:
            query = recorded.query
            target = self.upstream_path + (f"?{query}" if query else "")
            lines = [f"{recorded.method} {target} HTTP/1.1"]
            for name, value in recorded.headers:
                if name.lower() in _HOP_BY_HOP or name.lower() == "content-length":
                    continue
                lines.append(f"{name}: {value}")
            lines.append(f"Content-Length: {len(recorded.body)}")
            lines.append("Connection: close")
            writer.write(
                ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + recorded.body
            )
            await writer.drain()
            return await _read_response(reader, recorded.method)
        finally:
            writer.close()

    async def _handle(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        try:
            while True:
                head = await _read_head(reader)
                if head is None:
                    break
                method, target, version, headers = parse_head(head)
                body, chunked, trailers = await read_body(reader, headers)
                recorded = Recorded(
                    method, target, version, headers, body, chunked, trailers
                )
                self._record(recorded)
                if (_header(headers, "expect") or "").lower() == "100-continue":
                    pass  # the body was already read; nothing more to acknowledge
                try:
                    response = await self._forward(recorded)
                except OSError as exc:
                    message = f"upstream failed: {exc}".encode()
                    response = (
                        b"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain\r\n"
                        + f"Content-Length: {len(message)}\r\n\r\n".encode()
                        + message
                    )
                writer.write(response)
                await writer.drain()
                if (_header(headers, "connection") or "").lower() == "close":
                    break
        except (ProtocolError, asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    def start(self) -> RecordingProxy:
        """Serve in a daemon thread; returns once the socket listens."""
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the recording proxy did not start")
        return self

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        self._server = loop.run_until_complete(
            asyncio.start_server(self._handle, self.host, self.port, limit=MAX_HEAD)
        )
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        loop.run_forever()
        self._server.close()
        loop.run_until_complete(self._server.wait_closed())
        loop.close()

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)

    def __enter__(self) -> RecordingProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


async def _read_response(reader: asyncio.StreamReader, method: str) -> bytes:
    """A whole upstream response, re-framed with Content-Length (no chunking)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status_line = lines[0]
    headers: list[tuple[str, str]] = []
    for line in lines[1:]:
        if line:
            name, _, value = line.partition(":")
            headers.append((name, value.strip()))
    status = int(status_line.split(" ")[1])
    if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
        body = b""
    elif _header(headers, "transfer-encoding") or _header(headers, "content-length"):
        body, _, _ = await read_body(reader, headers)
    else:
        body = await reader.read()
    out = [status_line]
    for name, value in headers:
        if name.lower() in _HOP_BY_HOP or name.lower() == "content-length":
            continue
        out.append(f"{name}: {value}")
    if method != "HEAD":
        out.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(out) + "\r\n\r\n").encode("latin-1") + body


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--upstream", required=True, help="host:port of the echo server"
    )
    parser.add_argument("--record", type=Path, required=True, help="JSON lines file")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    host, _, port = args.upstream.rpartition(":")
    proxy = RecordingProxy((host, int(port)), record_file=args.record, port=args.port)
    proxy.start()
    print(proxy.url, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        proxy.stop()


if __name__ == "__main__":
    main()
