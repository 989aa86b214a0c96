"""Per-call overhead: a generated method against raw httpx doing the same request.

The client is generated (by the CLI, into the run's work folder) from
``collections/salesforce-bulk-v2.postman_collection.json``; the operation is
``client.bulk_v2.query.get_all_query_jobs(...)``: a GET with four query
parameters, a header, bearer auth and a JSON response decoded into the ``AllJobs``
model. The raw call is built from the request the generated method sends
(captured once): ``httpx.Client(base_url=...).request(method, path, params=...,
headers=...)`` then ``raise_for_status()`` and ``.json()``; both requests are
compared before timing (method, URL, headers, body).

Both sides use an ``httpx.Client`` of the same configuration (the generated
client gets it as ``http_client``); transports: ``httpx.MockTransport`` returning
a small JSON response, and a loopback HTTP/1.1 keep-alive server
(``bench.loopback``, its own process). Batches alternate raw/generated (ABBA...);
figures are medians over batches, the ratio the median of per-pair ratios.

Runs as ``python -m bench.calls --child PACKAGE_DIR RESULT`` (fresh process).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict

import httpx

from bench.common import (
    REPO,
    SALESFORCE,
    Table,
    fmt_ratio,
    fmt_us,
    progress,
    run_measured,
)

RESOURCE = ("bulk_v2", "query")
METHOD = "get_all_query_jobs"
KWARGS: dict[str, Any] = {
    "is_pk_chunking_enabled": True,
    "job_type": "V2Query",
    "concurrency_mode": "parallel",
    "query_locator": "01gR0000000opRTIAY-2000",
}
TOKEN = "bench-token"
RESPONSE: dict[str, Any] = {
    "done": True,
    "records": [
        {
            "id": "750R0000000zlh9IAA",
            "operation": "query",
            "object": "Account",
            "createdById": "005R0000000GiwjIAC",
            "createdDate": "2024-01-02T03:04:05.000+00:00",
            "systemModstamp": "2024-01-02T03:04:06.000+00:00",
            "state": "JobComplete",
            "concurrencyMode": "Parallel",
            "contentType": "CSV",
            "apiVersion": 58,
            "jobType": "V2Query",
            "lineEnding": "LF",
            "columnDelimiter": "COMMA",
        }
    ],
    "nextRecordsUrl": None,
}
BODY = json.dumps(RESPONSE, separators=(",", ":")).encode()

# (label, transport, warm-up calls, batches, calls per batch)
MODES: tuple[tuple[str, str, int, int, int], ...] = (
    ("MockTransport, sync", "mock", 300, 21, 200),
    ("MockTransport, async", "mock", 300, 21, 200),
    ("loopback server, sync", "loopback", 100, 15, 100),
    ("loopback server, async", "loopback", 100, 15, 100),
)


class ModeFigures(TypedDict, total=False):
    mode: str
    batches: int
    calls_per_batch: int
    raw_s: list[float]
    generated_s: list[float]
    raw_median_s: float
    generated_median_s: float
    ratio_median: float
    ratios: list[float]
    error: str


class CallsFigures(TypedDict, total=False):
    operation: str
    same_request: bool
    request_differences: list[str]
    modes: list[ModeFigures]
    error: str
    process: dict[str, Any]


# ---------------------------------------------------------------------- in child


def _handler(request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        200, headers={"Content-Type": "application/json"}, content=BODY
    )


@dataclass
class RawCall:
    """The raw httpx arguments reproducing the generated method's request."""

    method: str
    path: str
    params: list[tuple[str, str | int | float | bool | None]]
    headers: list[tuple[str, str]]
    content: bytes | None


def raw_call_for(request: httpx.Request) -> RawCall:
    """What a raw httpx call needs to send ``request`` (httpx's defaults left out)."""
    defaults = httpx.Client().headers
    automatic = {"host", "content-length"}
    headers = [
        (name, value)
        for name, value in request.headers.multi_items()
        if name.lower() not in automatic
        and defaults.get(name) != value  # httpx sends its defaults by itself
    ]
    return RawCall(
        method=request.method,
        path=request.url.path,
        params=list(request.url.params.multi_items()),
        headers=headers,
        content=request.content or None,
    )


def differences(a: httpx.Request, b: httpx.Request) -> list[str]:
    """How two requests differ on the wire (method, URL, headers, body)."""
    found: list[str] = []
    if a.method != b.method:
        found.append(f"method {a.method} != {b.method}")
    if str(a.url) != str(b.url):
        found.append(f"url {a.url} != {b.url}")
    headers_a = sorted((k.lower(), v) for k, v in a.headers.multi_items())
    headers_b = sorted((k.lower(), v) for k, v in b.headers.multi_items())
    if headers_a != headers_b:
        found.append(f"headers {headers_a} != {headers_b}")
    if a.content != b.content:
        found.append(f"body {a.content!r} != {b.content!r}")
    return found


def _resource(client: Any) -> Any:
    obj = client
    for name in RESOURCE:
        obj = getattr(obj, name)
    return obj


def _batch(fn: Callable[[], object], calls: int) -> float:
    started = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - started) / calls


async def _abatch(fn: Callable[[], Awaitable[object]], calls: int) -> float:
    started = time.perf_counter()
    for _ in range(calls):
        await fn()
    return (time.perf_counter() - started) / calls


def _summary(
    mode: str, raw: list[float], generated: list[float], calls: int
) -> ModeFigures:
    ratios = [g / r for g, r in zip(generated, raw, strict=True)]
    return ModeFigures(
        mode=mode,
        batches=len(raw),
        calls_per_batch=calls,
        raw_s=raw,
        generated_s=generated,
        raw_median_s=statistics.median(raw),
        generated_median_s=statistics.median(generated),
        ratios=ratios,
        ratio_median=statistics.median(ratios),
    )


def child(package_dir: Path) -> CallsFigures:
    """Every mode, in this fresh process."""
    sys.path.insert(0, str(package_dir.parent))
    package = importlib.import_module(package_dir.name)
    figures = CallsFigures(operation=f"client.{'.'.join(RESOURCE)}.{METHOD}(...)")

    # The request the generated method sends, and raw httpx's copy of it.
    sent: list[httpx.Request] = []

    def capture(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return _handler(request)

    base = "https://bench.example.invalid"
    with package.Client(
        base,
        access_token=TOKEN,
        http_client=httpx.Client(transport=httpx.MockTransport(capture)),
    ) as generated:
        getattr(_resource(generated), METHOD)(**KWARGS)
    spec = raw_call_for(sent[-1])
    with httpx.Client(
        base_url=base, transport=httpx.MockTransport(capture)
    ) as raw_client:
        raw_client.request(
            spec.method,
            spec.path,
            params=spec.params,
            headers=spec.headers,
            content=spec.content,
        )
    found = differences(sent[-2], sent[-1])
    figures["same_request"] = not found
    figures["request_differences"] = found

    server: subprocess.Popen[bytes] | None = None
    modes: list[ModeFigures] = []
    try:
        for mode, transport, warmup, batches, calls in MODES:
            if transport == "loopback" and server is None:
                server = subprocess.Popen(
                    [sys.executable, "-m", "bench.loopback"],
                    cwd=REPO,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                )
                assert server.stdin is not None and server.stdout is not None
                server.stdin.write(BODY + b"\n")
                server.stdin.flush()
                port = int(server.stdout.readline())
            url = base if transport == "mock" else f"http://127.0.0.1:{port}"
            print(f"calls: {mode}", file=sys.stderr, flush=True)
            try:
                if "async" in mode:
                    result = asyncio.run(
                        _async_mode(
                            package, mode, transport, url, spec, warmup, batches, calls
                        )
                    )
                else:
                    result = _sync_mode(
                        package, mode, transport, url, spec, warmup, batches, calls
                    )
            except Exception as exc:  # one mode failing leaves the others
                result = ModeFigures(mode=mode, error=f"{type(exc).__name__}: {exc}")
            modes.append(result)
    finally:
        if server is not None:
            assert server.stdin is not None
            server.stdin.close()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    figures["modes"] = modes
    return figures


def _sync_mode(
    package: Any,
    mode: str,
    transport: str,
    url: str,
    spec: RawCall,
    warmup: int,
    batches: int,
    calls: int,
) -> ModeFigures:
    def http() -> httpx.Client:
        if transport == "mock":
            return httpx.Client(transport=httpx.MockTransport(_handler))
        return httpx.Client()

    with (
        package.Client(url, access_token=TOKEN, http_client=http()) as client,
        httpx.Client(
            base_url=url,
            transport=httpx.MockTransport(_handler) if transport == "mock" else None,
        ) as raw_client,
    ):
        method = getattr(_resource(client), METHOD)

        def generated() -> object:
            return method(**KWARGS)

        def raw() -> object:
            response = raw_client.request(
                spec.method,
                spec.path,
                params=spec.params,
                headers=spec.headers,
                content=spec.content,
            )
            response.raise_for_status()
            return response.json()

        _batch(raw, warmup)
        _batch(generated, warmup)
        raw_s: list[float] = []
        gen_s: list[float] = []
        for index in range(batches):
            if index % 2 == 0:
                raw_s.append(_batch(raw, calls))
                gen_s.append(_batch(generated, calls))
            else:
                gen_s.append(_batch(generated, calls))
                raw_s.append(_batch(raw, calls))
    return _summary(mode, raw_s, gen_s, calls)


async def _async_mode(
    package: Any,
    mode: str,
    transport: str,
    url: str,
    spec: RawCall,
    warmup: int,
    batches: int,
    calls: int,
) -> ModeFigures:
    def http() -> httpx.AsyncClient:
        if transport == "mock":
            return httpx.AsyncClient(transport=httpx.MockTransport(_handler))
        return httpx.AsyncClient()

    async with (
        package.AsyncClient(url, access_token=TOKEN, http_client=http()) as client,
        httpx.AsyncClient(
            base_url=url,
            transport=httpx.MockTransport(_handler) if transport == "mock" else None,
        ) as raw_client,
    ):
        method = getattr(_resource(client), METHOD)

        async def generated() -> object:
            return await method(**KWARGS)

        async def raw() -> object:
            response = await raw_client.request(
                spec.method,
                spec.path,
                params=spec.params,
                headers=spec.headers,
                content=spec.content,
            )
            response.raise_for_status()
            return response.json()

        await _abatch(raw, warmup)
        await _abatch(generated, warmup)
        raw_s: list[float] = []
        gen_s: list[float] = []
        for index in range(batches):
            if index % 2 == 0:
                raw_s.append(await _abatch(raw, calls))
                gen_s.append(await _abatch(generated, calls))
            else:
                gen_s.append(await _abatch(generated, calls))
                raw_s.append(await _abatch(raw, calls))
    return _summary(mode, raw_s, gen_s, calls)


# --------------------------------------------------------------------- in parent


def measure(workdir: Path, timeout: float | None) -> CallsFigures:
    """Generate the Salesforce client with the CLI, then time calls in a child."""
    where = workdir / "calls"
    where.mkdir(parents=True, exist_ok=True)
    package_dir = where / "salesforce_bulk_v2"
    progress("calls: generating the Salesforce Bulk client")
    made = run_measured(
        [
            sys.executable,
            "-m",
            "generator",
            "generate",
            str(SALESFORCE),
            "-o",
            str(package_dir),
            "--package-name",
            package_dir.name,
        ],
        cwd=where,
        timeout=timeout,
    )
    if not made.ok:
        return CallsFigures(error=f"generation failed: {made.reason()}")
    result = where / "calls.json"
    progress("calls: timing (generated vs raw httpx, interleaved batches)")
    done = run_measured(
        [sys.executable, "-m", "bench.calls", "--child", str(package_dir), str(result)],
        cwd=REPO,
        timeout=timeout,
    )
    if not done.ok or not result.is_file():
        return CallsFigures(error=done.reason(), process=dict(done.figures))
    loaded: CallsFigures = json.loads(result.read_text(encoding="utf-8"))
    return loaded


def table(figures: CallsFigures) -> str:
    if "error" in figures:
        return f"ERROR: {figures['error']}"
    out = Table(
        ["mode", "raw µs/call", "generated µs/call", "generated/raw", "batches"]
    )
    for mode in figures.get("modes", []):
        if "error" in mode:
            out.add([mode["mode"], "-", "-", "-", "-"], [f"ERROR: {mode['error']}"])
            continue
        out.add(
            [
                mode["mode"],
                fmt_us(mode["raw_median_s"]),
                fmt_us(mode["generated_median_s"]),
                fmt_ratio(mode["ratio_median"], 3),
                f"{mode['batches']}x{mode['calls_per_batch']}",
            ]
        )
    lines = [f"operation: {figures.get('operation')}", out.render()]
    if not figures.get("same_request", False):
        lines.append(
            "WARNING: raw and generated requests differ: "
            + "; ".join(figures.get("request_differences", []))
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--child", type=Path, required=True)
    parser.add_argument("result", type=Path)
    args = parser.parse_args(argv)
    args.result.write_text(json.dumps(child(args.child)), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
