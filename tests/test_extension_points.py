"""Extension points of a generated client, used as its README says, without editing
any generated file: subclassing the client and its resources, and event hooks."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import sys
from functools import cached_property
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pytest
from conftest import GENERATED_SALESFORCE, GOLDEN_CASES, GOLDEN_DIR, run_python

if str(GENERATED_SALESFORCE.parent) not in sys.path:
    sys.path.insert(0, str(GENERATED_SALESFORCE.parent))

import salesforce_bulk_v2 as sf
from salesforce_bulk_v2.resources.bulk_v2 import BulkV2
from salesforce_bulk_v2.resources.bulk_v2_query import BulkV2Query

BASE = "https://acme.my.salesforce.test"
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


def handler(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json=JOB if request.method != "DELETE" else None)


class Query(BulkV2Query):
    """A user resource adding a method of its own."""

    def job_ids(self) -> list[str]:
        response = self._client.request(
            "GET", "/services/data/v{api_version}/jobs/query", auth="bearer"
        )
        return [str(response.json()["id"])]


class Bulk(BulkV2):
    def ping(self) -> str:
        return "pong"


class MyClient(sf.Client):
    """A subclass that swaps resource classes and signs every request."""

    resource_classes: ClassVar[dict[str, type[Any]]] = {
        "bulk_v2": Bulk,
        "bulk_v2.query": Query,
    }

    def __init__(self, *args: Any, secret: bytes, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.secret = secret
        self.add_request_hook(self.sign)

    def sign(self, request: httpx.Request) -> None:
        message = request.method.encode() + request.url.raw_path + request.content
        digest = hmac.new(self.secret, message, hashlib.sha256).hexdigest()
        request.headers["X-Signature"] = digest


def test_subclass_swaps_nested_resources_and_signs() -> None:
    sent: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return handler(request)

    with MyClient(
        BASE,
        access_token="tok",
        secret=b"k",
        http_client=httpx.Client(transport=httpx.MockTransport(record)),
    ) as client:
        assert isinstance(client.bulk_v2, Bulk) and client.bulk_v2.ping() == "pong"
        assert client.bulk_v2.query.job_ids() == ["750x"]
        # generated methods of the swapped classes still work
        assert client.bulk_v2.query.get_job_info_query("750x").id == "750x"
    first = sent[0]
    expected = hmac.new(b"k", b"GET" + first.url.raw_path, hashlib.sha256).hexdigest()
    assert first.headers["X-Signature"] == expected
    assert first.headers["Authorization"] == "Bearer tok"
    assert all("X-Signature" in r.headers for r in sent)


def test_overriding_a_resource_property_also_works() -> None:
    class Plain(sf.Client):
        @cached_property
        def bulk_v2(self) -> BulkV2:
            return Bulk(self)

    client = Plain(BASE, access_token="tok")
    assert isinstance(client.bulk_v2, Bulk)
    assert type(client.bulk_v2.query) is BulkV2Query


def test_wrong_resource_class_is_a_clear_error() -> None:
    class Wrong(sf.AsyncClient):
        resource_classes: ClassVar[dict[str, type[Any]]] = {"bulk_v2": Bulk}

    with pytest.raises(TypeError, match="subclass of AsyncBulkV2"):
        _ = Wrong(BASE, access_token="tok").bulk_v2


def test_hooks_passed_to_generated_constructors() -> None:
    seen: list[str] = []

    def mark(request: httpx.Request) -> None:
        request.headers["X-Trace"] = "t-1"

    client = sf.Client(
        BASE,
        access_token="tok",
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
        on_request=[mark],
        on_response=[lambda r: seen.append(r.request.headers["X-Trace"])],
    )
    client.bulk_v2.get_job_info("750x")
    assert seen == ["t-1"]

    async def observe(response: httpx.Response) -> None:
        seen.append(f"async {response.status_code}")

    async def main() -> None:
        async with sf.AsyncClient(
            BASE,
            access_token="tok",
            http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler)),
            on_request=[mark],
            on_response=[observe],
        ) as aclient:
            await aclient.bulk_v2.query.get_job_info_query("750x")

    asyncio.run(main())
    assert seen == ["t-1", "async 200"]


def _extend_snippet(readme: Path) -> str:
    text = readme.read_text(encoding="utf-8")
    section = text.split("\n## Extend\n", 1)[1].split("\n## ", 1)[0]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


def test_readme_extend_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[httpx.Request] = []

    def transport(self: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={})

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", transport)
    monkeypatch.setenv("ACCESS_TOKEN", "tok")
    code = _extend_snippet(GENERATED_SALESFORCE / "README.md")
    namespace: dict[str, Any] = {"__name__": "readme_example"}
    exec(compile(code, "README.md", "exec"), namespace)
    client = namespace["client"]
    assert type(client.bulk_v2).__name__ == "MyBulkV2"
    (request,) = sent
    assert str(request.url) == "https://api.example.com/status"
    assert request.headers["Authorization"] == "Bearer tok"
    assert len(request.headers["X-Request-Id"]) == 36


@pytest.mark.parametrize("case", GOLDEN_CASES)
def test_golden_readme_extend_examples_compile(case: str) -> None:
    code = _extend_snippet(GOLDEN_DIR / case / "expected" / "README.md")
    compile(code, f"{case}/README.md", "exec")
    assert "on_request=[add_request_id]" in code


TYPED_SUBCLASS = """\
from __future__ import annotations

import httpx

from salesforce_bulk_v2 import AsyncClient, Client


class SigningClient(Client):
    def __init__(self, *, token: str) -> None:
        super().__init__("https://x.test", access_token=token)

        @self.add_request_hook
        def sign(request: httpx.Request) -> None:
            request.headers["X-Signature"] = "..."


async def observe(response: httpx.Response) -> None:
    print(response.status_code)


client = AsyncClient("https://x.test", access_token="t", on_response=[observe])
client.add_response_hook(observe)
"""


def test_extension_code_is_mypy_strict_clean(tmp_path: Path) -> None:
    (tmp_path / "example.py").write_text(
        _extend_snippet(GENERATED_SALESFORCE / "README.md"), encoding="utf-8"
    )
    (tmp_path / "subclass.py").write_text(TYPED_SUBCLASS, encoding="utf-8")
    result = run_python(
        [
            "-m",
            "mypy",
            "--strict",
            "--cache-dir",
            str(tmp_path / "cache"),
            "--no-color-output",
            "example.py",
            "subclass.py",
        ],
        cwd=tmp_path,
        env={"MYPYPATH": str(GENERATED_SALESFORCE.parent)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
