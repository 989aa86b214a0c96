"""The peers of the equivalence test, installed by ``scripts/install_peers.sh`` under
``.cache/``: Newman (npm) and httpbin on gunicorn (a venv of its own)."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
CACHE = REPO_ROOT / ".cache"
NEWMAN = CACHE / "newman" / "node_modules" / ".bin" / "newman"
PEERS_PYTHON = CACHE / "peers-venv" / "bin" / "python"
INSTALL_HINT = "run `bash scripts/install_peers.sh` (scripts/test.sh does)"


def missing() -> list[str]:
    """What is not installed."""
    return [str(p) for p in (NEWMAN, PEERS_PYTHON) if not p.exists()]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[bytes], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the echo server exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the echo server did not listen on port {port}")


class EchoServer:
    """httpbin on gunicorn on a free loopback port (stopped on exit)."""

    def __init__(self, log: Path) -> None:
        self.port = free_port()
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> EchoServer:
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [
                    str(PEERS_PYTHON),
                    "-m",
                    "gunicorn",
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--workers",
                    "2",
                    "--timeout",
                    "30",
                    "httpbin:app",
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=CACHE,
            )
        wait_for_port(self.port, self.process, 30)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
