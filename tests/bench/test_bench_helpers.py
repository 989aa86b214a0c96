"""The benchmark's pure helpers (the benchmark itself prints figures; no timing here)."""

from __future__ import annotations

import copy
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

if str(Path(__file__).resolve().parents[2]) not in sys.path:  # the repository root
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.calls import differences, raw_call_for
from bench.common import Table, tree_diff
from bench.importing import DUMMY, DUMMY_URL, constructor_arguments, timed_script
from bench.regen import edit_one_request, iter_requests, package_for


def _request(name: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "request": {
            "method": "GET",
            "header": [{"key": "Accept", "value": "application/json"}],
            "url": {
                "raw": "{{baseUrl}}/things?limit=10",
                "host": ["{{baseUrl}}"],
                "path": ["things"],
                "query": [{"key": "limit", "value": "10"}],
            },
            **extra,
        },
    }


COLLECTION: dict[str, Any] = {
    "info": {"name": "Demo"},
    "item": [
        {"name": "A", "item": [_request("one"), _request("two")]},
        _request("three", description="Third."),
    ],
}


def test_iter_requests_walks_folders_depth_first() -> None:
    assert [name for name, _ in iter_requests(COLLECTION["item"])] == [
        "A/one",
        "A/two",
        "three",
    ]


def test_edit_query_changes_only_the_middle_request() -> None:
    original = copy.deepcopy(COLLECTION)
    edited, what = edit_one_request(COLLECTION, "query")
    assert original == COLLECTION  # the input is left alone
    before = dict(iter_requests(original["item"]))
    after = dict(iter_requests(edited["item"]))
    assert [name for name in before if before[name] != after[name]] == ["A/two"]
    url = after["A/two"]["request"]["url"]
    assert url["query"][-1] == {"key": "bench_probe", "value": "1"}
    assert url["raw"] == "{{baseUrl}}/things?limit=10&bench_probe=1"
    assert "request 2/3 'A/two'" in what


def test_edit_query_on_a_string_url() -> None:
    collection = {"item": [{"name": "x", "request": "https://h/p"}]}
    edited, _ = edit_one_request(collection, "query")
    assert edited["item"][0]["request"]["url"] == "https://h/p?bench_probe=1"


def test_edit_header_and_description() -> None:
    edited, _ = edit_one_request(COLLECTION, "header")
    header = dict(iter_requests(edited["item"]))["A/two"]["request"]["header"]
    assert header == [{"key": "Accept", "value": "application/json-changed"}]
    edited, _ = edit_one_request(COLLECTION, "description")
    request = dict(iter_requests(edited["item"]))["A/two"]["request"]
    assert request["description"] == "Changed by the benchmark."


def test_edit_needs_a_request() -> None:
    with pytest.raises(ValueError, match="no request"):
        edit_one_request({"item": []}, "query")


def test_package_for() -> None:
    assert package_for("synthetic-10000") == "synthetic_10000"
    assert package_for("sabre-booking-management-api-v2026-04") == (
        "sabre_booking_management_api_v2026_04"
    )
    assert package_for("1x") == "p_1x"


def test_tree_diff() -> None:
    found = tree_diff({"a": "1", "b": "2", "c": "3"}, {"a": "1", "b": "9", "d": "4"})
    assert (found.added, found.removed, found.modified) == (("d",), ("c",), ("b",))
    assert found.count == 3
    assert found.describe(limit=2) == "+d, -c, ... (+1)"


def test_constructor_arguments_read_from_client_py(tmp_path: Path) -> None:
    client = tmp_path / "client.py"
    client.write_text(
        "class AsyncClient:\n"
        "    def __init__(self, other: str, *, secret: str) -> None: ...\n"
        "class Client:\n"
        "    def __init__(self, base_url: str, region: str, version: str = '1', *,"
        " access_token: str, api_version: str = '58.0', headers=None) -> None: ...\n",
        encoding="utf-8",
    )
    assert constructor_arguments(client) == (
        [DUMMY_URL, DUMMY],
        {"access_token": DUMMY},
    )


def test_timed_script_reaches_the_method() -> None:
    script = timed_script("pkg", [DUMMY_URL], {"token": DUMMY}, ["a", "b"], "get")
    compile(script, "<timed>", "exec")
    assert "import pkg\n" in script
    assert "resource = client.a.b\nmethod = resource.get\n" in script


def test_raw_call_sends_the_same_request() -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={})

    original = httpx.Client().build_request(  # with httpx's default headers
        "GET",
        "https://h.example/v1/things?limit=10&flag=true&flag=false",
        headers={
            "Authorization": "Bearer t",
            "Content-Type": "application/json",
            "User-Agent": "custom/1",
        },
    )
    spec = raw_call_for(original)
    assert ("accept", "*/*") not in [(k.lower(), v) for k, v in spec.headers]
    with httpx.Client(
        base_url="https://h.example", transport=httpx.MockTransport(handler)
    ) as client:
        client.request(
            spec.method,
            spec.path,
            params=spec.params,
            headers=spec.headers,
            content=spec.content,
        )
    assert differences(original, sent[0]) == []
    other = httpx.Request("POST", "https://h.example/v1/things", content=b"x")
    assert len(differences(original, other)) == 4


def test_table_aligns_and_prints_notes() -> None:
    table = Table(["name", "n"])
    table.add(["a", "1"], ["note"])
    table.add(["bbb", "22"])
    assert table.render().splitlines() == [
        "name   n",
        "----  --",
        "a      1",
        "      note",
        "bbb   22",
    ]
    with pytest.raises(ValueError):
        table.add(["only one"])
