"""Behaviour of the committed Salesforce Bulk API 2.0 client through its public API,
offline (``httpx.MockTransport``): what goes on the wire, what comes back."""

from __future__ import annotations

import asyncio
import io
import json
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import GENERATED_SALESFORCE, SALESFORCE_COLLECTION, tree_bytes

if str(GENERATED_SALESFORCE.parent) not in sys.path:
    sys.path.insert(0, str(GENERATED_SALESFORCE.parent))

import salesforce_bulk_v2 as sf
from salesforce_bulk_v2.models import JobInfo

BASE = "https://acme.my.salesforce.test"
TOKEN = "00D-test-token"
CHUNK = 64 * 1024

JOB = {
    "id": "750x",
    "operation": "query",
    "object": "Account",
    "createdById": "005x",
    "createdDate": "2025-03-04T10:15:22.000+0000",
    "systemModstamp": "2025-03-04T10:15:23.000+0000",
    "state": "Aborted",
    "concurrencyMode": "Parallel",
    "contentType": "CSV",
    "apiVersion": 58.0,
}


class StreamingMockTransport(httpx.MockTransport):
    """``httpx.MockTransport`` without its up-front ``request.read()``: the handler
    sees the request body stream exactly as the client produced it."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self.handler(request)  # type: ignore[return-value]

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self.handler(request)  # type: ignore[no-any-return,misc]


class Recorder:
    """A mock transport handler answering from a list, recording each request and
    the chunks its body arrived in (read from the request stream as sent)."""

    def __init__(self, *responses: httpx.Response) -> None:
        self.responses = list(responses)
        self.requests: list[httpx.Request] = []
        self.chunks: list[list[bytes]] = []
        self.streamed: list[bool] = []

    def _next(self, request: httpx.Request, chunks: list[bytes]) -> httpx.Response:
        self.requests.append(request)
        self.chunks.append(chunks)
        response = (
            self.responses.pop(0) if len(self.responses) > 1 else self.responses[0]
        )
        return httpx.Response(
            response.status_code, headers=response.headers, content=response.content
        )

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.streamed.append(not isinstance(request.stream, httpx.ByteStream))
        chunks = list(request.stream)  # type: ignore[arg-type]
        return self._next(request, chunks)

    async def handle_async(self, request: httpx.Request) -> httpx.Response:
        self.streamed.append(not isinstance(request.stream, httpx.ByteStream))
        chunks = [chunk async for chunk in request.stream]  # type: ignore[union-attr]
        return self._next(request, chunks)

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]

    def body(self, index: int = -1) -> bytes:
        return b"".join(self.chunks[index])


def json_response(status: int, data: Any, **headers: str) -> httpx.Response:
    return httpx.Response(
        status,
        content=json.dumps(data).encode(),
        headers={"Content-Type": "application/json;charset=UTF-8", **headers},
    )


@pytest.fixture
def make_client() -> Iterator[Callable[..., tuple[sf.Client, Recorder]]]:
    clients: list[sf.Client] = []

    def make(*responses: httpx.Response, **options: Any) -> tuple[sf.Client, Recorder]:
        recorder = Recorder(*(responses or (json_response(200, JOB),)))
        http = httpx.Client(transport=StreamingMockTransport(recorder))
        options.setdefault("access_token", TOKEN)
        client = sf.Client(BASE, http_client=http, **options)
        client._sleep = lambda _seconds: None  # documented test hook: no waiting
        clients.append(client)
        return client, recorder

    yield make
    for client in clients:
        client.close()


# --- requests ----------------------------------------------------------------------


def test_abort_a_job_query_sends_exactly_the_abort(make_client: Any) -> None:
    client, recorder = make_client()
    result = client.bulk_v2.query.abort_a_job_query("750x")
    request = recorder.last
    assert len(recorder.requests) == 1
    assert request.method == "PATCH"
    assert str(request.url) == f"{BASE}/services/data/v58.0/jobs/query/750x"
    assert recorder.body() == b'{"state":"Aborted"}'
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["Sforce-Call-Options"] == "client=postman"
    assert isinstance(result, JobInfo)
    assert result.state == "Aborted"


def test_abort_state_can_be_overridden(make_client: Any) -> None:
    client, recorder = make_client()
    client.bulk_v2.query.abort_a_job_query("750x", state="UploadComplete")
    assert json.loads(recorder.body()) == {"state": "UploadComplete"}


def test_path_values_are_encoded_as_one_segment(make_client: Any) -> None:
    client, recorder = make_client()
    client.bulk_v2.get_job_info("750/../x y")
    assert recorder.last.url.raw_path == (
        b"/services/data/v58.0/jobs/ingest/750%2F..%2Fx%20y"
    )


ALL_JOBS = {"done": True, "records": [JOB], "nextRecordsUrl": None}


def test_api_version_setting(make_client: Any) -> None:
    client, recorder = make_client(json_response(200, ALL_JOBS), api_version="61.0")
    client.bulk_v2.get_all_jobs()
    assert recorder.last.url.path == "/services/data/v61.0/jobs/ingest"


def test_query_parameters_left_out_when_none(make_client: Any) -> None:
    client, recorder = make_client(httpx.Response(200, text="Id\n001\n"))
    text = client.bulk_v2.query.get_job_query_result("750x", max_records="500")
    assert text == "Id\n001\n"
    assert recorder.last.url.params.multi_items() == [("maxRecords", "500")]


def test_access_token_may_be_a_callable(make_client: Any) -> None:
    tokens = iter(["first", "second"])
    client, recorder = make_client(
        json_response(200, ALL_JOBS), access_token=lambda: next(tokens)
    )
    client.bulk_v2.get_all_jobs()
    client.bulk_v2.get_all_jobs()
    assert [r.headers["Authorization"] for r in recorder.requests] == [
        "Bearer first",
        "Bearer second",
    ]


# --- upload_job_data: streamed bodies ----------------------------------------------


def test_upload_streams_a_file_path(make_client: Any, tmp_path: Path) -> None:
    data = b"Id,Name\n" + b"".join(b"%06d,Acme %d\n" % (i, i) for i in range(30000))
    assert len(data) > 5 * CHUNK
    path = tmp_path / "accounts.csv"
    path.write_bytes(data)
    client, recorder = make_client(httpx.Response(201))
    assert client.bulk_v2.upload_job_data("750x", path) is None
    request = recorder.last
    assert request.method == "PUT"
    assert request.url.path == "/services/data/v58.0/jobs/ingest/750x/batches"
    assert request.headers["Content-Type"] == "text/csv"
    assert recorder.streamed == [True], "the file was read into memory first"
    chunks = recorder.chunks[-1]
    assert len(chunks) >= 5
    assert max(len(c) for c in chunks) <= CHUNK
    assert recorder.body() == data
    assert request.headers.get("Content-Length") == str(len(data))


def test_upload_does_not_read_the_file_whole(
    make_client: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * (3 * CHUNK + 5))
    reads: list[int] = []
    real_open = open

    class Spy(io.BufferedReader):
        def read(self, size: int | None = -1) -> bytes:
            reads.append(-1 if size is None else size)
            return super().read(size)

    def spy_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        handle = real_open(file, mode, *args, **kwargs)
        if Path(file) == path and "b" in mode:
            return Spy(handle.detach())
        return handle

    monkeypatch.setattr("builtins.open", spy_open)
    client, recorder = make_client(httpx.Response(201))
    client.bulk_v2.upload_job_data("750x", path)
    monkeypatch.undo()
    assert reads, "the file was not read through open()"
    assert all(0 < size <= CHUNK for size in reads), reads
    assert len(recorder.body()) == 3 * CHUNK + 5


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"Id\n001\n", b"Id\n001\n"),
        ("Id,Name\n001,Zoë\n", "Id,Name\n001,Zoë\n".encode()),
        (io.BytesIO(b"from a file object\n"), b"from a file object\n"),
        (iter([b"Id\n", b"001\n", b"002\n"]), b"Id\n001\n002\n"),
        ([b"a,b\n", b"1,2\n"], b"a,b\n1,2\n"),
    ],
    ids=["bytes", "str", "file-object", "iterator", "list-of-chunks"],
)
def test_upload_accepts_every_content_kind(
    make_client: Any, content: Any, expected: bytes
) -> None:
    client, recorder = make_client(httpx.Response(201))
    client.bulk_v2.upload_job_data("750x", content)
    assert recorder.body() == expected
    assert recorder.last.headers["Content-Type"] == "text/csv"


def test_async_upload_of_a_path_and_an_async_iterator(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(b"z" * (2 * CHUNK + 1))
    recorder = Recorder(httpx.Response(201))

    async def chunks() -> AsyncIterator[bytes]:
        for part in (b"Id\n", b"001\n"):
            yield part

    async def run() -> None:
        transport = StreamingMockTransport(recorder.handle_async)
        async with sf.AsyncClient(
            BASE, access_token=TOKEN, http_client=httpx.AsyncClient(transport=transport)
        ) as client:
            await client.bulk_v2.upload_job_data("750x", path)
            await client.bulk_v2.upload_job_data("750x", chunks())

    asyncio.run(run())
    assert max(len(c) for c in recorder.chunks[0]) <= CHUNK
    assert recorder.body(0) == b"z" * (2 * CHUNK + 1)
    assert recorder.body(1) == b"Id\n001\n"


# --- responses ---------------------------------------------------------------------


def test_capture_response_gives_status_and_headers(make_client: Any) -> None:
    client, _recorder = make_client(
        json_response(200, JOB, **{"Sforce-Limit-Info": "api-usage=25/15000"})
    )
    with client.capture_response() as captured:
        info = client.bulk_v2.get_job_info("750x")
    assert isinstance(info, JobInfo)
    assert captured.response is not None
    assert captured.response.status_code == 200
    assert captured.response.headers["Sforce-Limit-Info"] == "api-usage=25/15000"
    assert len(captured.responses) == 1


def test_not_found_example_raises_not_found_error(make_client: Any) -> None:
    body = [
        {"errorCode": "NOT_FOUND", "message": "The requested resource does not exist"}
    ]
    client, _recorder = make_client(json_response(404, body))
    with (
        client.capture_response() as captured,
        pytest.raises(sf.NotFoundError) as raised,
    ):
        client.bulk_v2.get_job_info("750missing")
    error = raised.value
    assert isinstance(error, sf.ApiError) and isinstance(error, sf.ClientError)
    assert error.status_code == 404
    assert error.errors[0].error_code == "NOT_FOUND"
    assert error.errors[0].message == "The requested resource does not exist"
    assert "NOT_FOUND" in str(error) and "750missing" in str(error)
    assert captured.response is not None and captured.response.status_code == 404


def test_other_errors_map_to_their_classes(make_client: Any) -> None:
    cases = [
        (400, sf.BadRequestError),
        (401, sf.AuthenticationError),
        (403, sf.PermissionDeniedError),
        (409, sf.ConflictError),
        (500, sf.ServerError),
    ]
    for status, error_class in cases:
        client, _recorder = make_client(
            json_response(status, [{"errorCode": "X", "message": "m"}])
        )
        with pytest.raises(error_class) as raised:
            client.bulk_v2.delete_job("750x")
        assert raised.value.status_code == status


def test_get_is_retried_on_503(make_client: Any) -> None:
    client, recorder = make_client(
        httpx.Response(503, text="busy"), json_response(200, JOB)
    )
    with client.capture_response() as captured:
        info = client.bulk_v2.get_job_info("750x")
    assert info.id == "750x"
    assert [r.method for r in recorder.requests] == ["GET", "GET"]
    assert [r.status_code for r in captured.responses] == [503, 200]


def test_post_is_not_retried_on_503(make_client: Any) -> None:
    client, recorder = make_client(
        httpx.Response(503, text="busy"), json_response(200, JOB)
    )
    with pytest.raises(sf.ServerError) as raised:
        client.bulk_v2.create_job()
    assert raised.value.status_code == 503
    assert len(recorder.requests) == 1


def test_retries_stop_after_max_retries(make_client: Any) -> None:
    client, recorder = make_client(
        httpx.Response(503, text="busy"), retry=sf.RetryPolicy(max_retries=2)
    )
    assert client.bulk_v2 is client.bulk_v2  # resources are created once
    with pytest.raises(sf.ServerError):
        client.bulk_v2.get_all_jobs()
    assert len(recorder.requests) == 3


def test_async_client_sends_the_same_request() -> None:
    recorder = Recorder(json_response(200, JOB))

    async def run() -> JobInfo:
        transport = StreamingMockTransport(recorder.handle_async)
        async with sf.AsyncClient(
            BASE, access_token=TOKEN, http_client=httpx.AsyncClient(transport=transport)
        ) as client:
            return await client.bulk_v2.query.abort_a_job_query("750x")

    result = asyncio.run(run())
    assert result.id == "750x"
    assert recorder.last.method == "PATCH"
    assert recorder.body() == b'{"state":"Aborted"}'


# --- models ------------------------------------------------------------------------


def test_job_info_keeps_unknown_keys_and_parses_datetimes() -> None:
    data = {**JOB, "numberRecordsProcessed": 42, "brandNewField": {"nested": [1, 2]}}
    info = JobInfo.from_dict(data)
    assert info.created_date == datetime(2025, 3, 4, 10, 15, 22, tzinfo=timezone.utc)
    assert info.created_date.utcoffset() == timedelta(0)
    assert info.number_records_processed == 42
    assert info.additional_properties == {"brandNewField": {"nested": [1, 2]}}
    dumped = info.to_dict()
    assert dumped["brandNewField"] == {"nested": [1, 2]}
    assert dumped["createdById"] == "005x"
    assert datetime.fromisoformat(dumped["createdDate"]) == info.created_date


def test_job_info_missing_required_key() -> None:
    data = dict(JOB)
    del data["id"]
    with pytest.raises(sf.ResponseValidationError) as raised:
        JobInfo.from_dict(data)
    assert "JobInfo" in str(raised.value) and "id" in str(raised.value)


def test_placeholder_examples_still_parse() -> None:
    info = JobInfo.from_dict({**JOB, "createdDate": "<datetime>"})
    assert info.created_date == "<datetime>"  # kept as received (lenient)


# --- secrets -----------------------------------------------------------------------


SECRET = "00DSECRET!AQ4AQHk9s3cr3tT0k3nValue-do-not-leak"


def test_access_token_never_reaches_generated_files(
    tmp_path: Path, pmgen: Callable[..., Any]
) -> None:
    environment = tmp_path / "prod.postman_environment.json"
    environment.write_text(
        json.dumps(
            {
                "id": "e1",
                "name": "Production",
                "values": [
                    {"key": "_accessToken", "value": SECRET, "enabled": True},
                    {"key": "_endpoint", "value": BASE, "enabled": True},
                    {"key": "version", "value": "61.0", "enabled": True},
                ],
                "_postman_variable_scope": "environment",
            }
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out" / "salesforce_bulk_v2"
    result = pmgen(
        "generate",
        SALESFORCE_COLLECTION,
        "--environment",
        environment,
        "-o",
        out,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    files = tree_bytes(out)
    # The environment was used (so the test would see the token if it leaked) ...
    assert b'api_version: str = "61.0"' in files["client.py"]
    assert BASE.encode() in files["client.py"]
    # ... but the token itself is nowhere, in no form.
    for secret in (SECRET, "s3cr3tT0k3n"):
        leaking = [path for path, data in files.items() if secret.encode() in data]
        assert not leaking, f"access token written to {leaking}"
    assert SECRET not in result.stderr + result.stdout
    spec = pmgen(
        "spec", SALESFORCE_COLLECTION, "--environment", environment, cwd=tmp_path
    )
    assert spec.returncode == 0
    assert SECRET not in spec.stdout and "s3cr3tT0k3n" not in spec.stdout
