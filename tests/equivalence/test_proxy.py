"""The recording proxy keeps what a WSGI server loses, and forwards to one path."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from .proxy import Recorded, RecordingProxy


class _Upstream(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: ClassVar[list[tuple[str, str, bytes]]] = []

    def _any(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        _Upstream.seen.append((self.command, self.path, body))
        reply = b'{"ok": true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    do_GET = do_POST = do_PUT = _any

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def proxy() -> Iterator[RecordingProxy]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Upstream)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Upstream.seen = []
    with RecordingProxy(("127.0.0.1", server.server_address[1])) as running:
        yield running
    server.shutdown()
    server.server_close()


def _exchange(port: int, raw: bytes, responses: int) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(raw)
        data = b""
        while data.count(b'{"ok": true}') < responses:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
        return data


def test_headers_keep_order_duplicates_and_underscores(proxy: RecordingProxy) -> None:
    raw = (
        b"GET /some/path?b=2&a=1 HTTP/1.1\r\nHost: x\r\nX-Dup: 1\r\n"
        b"my_header: u\r\nX-Dup: 2\r\n\r\n"
    )
    reply = _exchange(proxy.port, raw, 1)
    assert reply.startswith(b"HTTP/1.1 200")
    (recorded,) = proxy.records
    assert recorded.method == "GET"
    assert recorded.path == "/some/path"
    assert recorded.query == "b=2&a=1"
    assert recorded.headers == [
        ("Host", "x"),
        ("X-Dup", "1"),
        ("my_header", "u"),
        ("X-Dup", "2"),
    ]
    assert _Upstream.seen == [("GET", "/anything?b=2&a=1", b"")]


def test_chunked_and_sized_bodies_on_one_kept_alive_connection(
    proxy: RecordingProxy,
) -> None:
    raw = (
        b"POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n"
        b"PUT /b HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
    )
    _exchange(proxy.port, raw, 2)
    first, second = proxy.records
    assert (first.method, first.body, first.chunked) == ("POST", b"hello world", True)
    assert (second.method, second.path, second.body) == ("PUT", "/b", b"abc")
    assert [s[2] for s in _Upstream.seen] == [b"hello world", b"abc"]


def test_records_round_trip_through_json() -> None:
    recorded = Recorded(
        "POST", "/x?y=1", "HTTP/1.1", [("A", "1"), ("A", "2")], b"\x00\xff"
    )
    again = Recorded.from_json(recorded.to_json())
    assert (again.method, again.target, again.headers, again.body) == (
        "POST",
        "/x?y=1",
        [("A", "1"), ("A", "2")],
        b"\x00\xff",
    )
