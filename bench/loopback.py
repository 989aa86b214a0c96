"""A tiny HTTP/1.1 keep-alive server on 127.0.0.1 for the per-call benchmark.

``python -m bench.loopback`` binds a free port, prints it on one line, and answers
every request with the same small JSON body until its standard input closes (or
``LIFETIME_S`` passes: it always stops by itself). Standard library only.
"""

from __future__ import annotations

import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LIFETIME_S = 900.0


def response_bytes(body: bytes) -> bytes:
    """A complete HTTP/1.1 200 response carrying ``body`` as JSON."""
    head = (
        "HTTP/1.1 200 OK\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n"
        "\r\n"
    )
    return head.encode("ascii") + body


def make_handler(body: bytes) -> type[BaseHTTPRequestHandler]:
    reply = response_bytes(body)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive
        disable_nagle_algorithm = True

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            self.wfile.write(reply)  # one write: head and body in one segment

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _answer

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


def serve(body: bytes) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(body))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    print(server.server_address[1], flush=True)
    stop = threading.Event()

    def wait_for_eof() -> None:
        sys.stdin.buffer.read()
        stop.set()

    threading.Thread(target=wait_for_eof, daemon=True).start()
    stop.wait(LIFETIME_S)
    server.shutdown()
    server.server_close()


if __name__ == "__main__":
    serve(sys.stdin.buffer.readline().rstrip(b"\n"))
