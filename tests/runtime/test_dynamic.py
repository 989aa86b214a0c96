"""Postman dynamic variables get a fresh value in everything a client sends."""

from __future__ import annotations

import json
import re
import uuid

import httpx

from generator.runtime import text_field
from generator.runtime._dynamic import (
    DYNAMIC_VARIABLES,
    expand_dynamic,
    expand_dynamic_json,
)

from .helpers import Replies, sync_client


def test_known_names_get_fresh_values() -> None:
    first, second = expand_dynamic("{{$guid}}"), expand_dynamic("{{ $guid }}")
    assert uuid.UUID(first) and uuid.UUID(second) and first != second
    assert expand_dynamic("{{$timestamp}}").isdigit()
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", expand_dynamic("{{$isoTimestamp}}")
    )
    assert 0 <= int(expand_dynamic("{{$randomInt}}")) <= 1000
    assert all(make() for make in DYNAMIC_VARIABLES.values())


def test_unknown_names_and_plain_variables_stay() -> None:
    assert expand_dynamic("{{$notAThing}}") == "{{$notAThing}}"
    assert expand_dynamic("{{name}} {x}") == "{{name}} {x}"
    assert expand_dynamic("{{$randomBitcoinAddress}}") != "{{$randomBitcoinAddress}}"


def test_json_values_are_expanded_deeply() -> None:
    value = expand_dynamic_json(
        {"a": ["id-{{$guid}}", 1, None], "b": {"c": "{{$randomInt}}"}}
    )
    assert value["a"][0].startswith("id-") and "{{" not in value["a"][0]
    assert value["a"][1:] == [1, None]
    assert value["b"]["c"].isdigit()


def test_client_expands_path_query_headers_and_bodies() -> None:
    replies = Replies(httpx.Response(200))
    client = sync_client(replies, headers={"X-Trace": "{{$guid}}"})
    client.request(
        "POST",
        "/items/{{$randomInt}}",
        query=[("at", "{{$timestamp}}")],
        headers={"X-Request": "r-{{$guid}}"},
        json={"code": "Dept-{{$guid}}"},
    )
    request = replies.requests[0]
    assert re.fullmatch(r"/items/\d+", request.url.path)
    assert request.url.params["at"].isdigit()
    assert uuid.UUID(request.headers["x-trace"])
    assert uuid.UUID(request.headers["x-request"][2:])
    assert uuid.UUID(json.loads(request.content)["code"][5:])
    client.request("POST", "/f", form=[("k", "{{$randomInt}}")])
    assert replies.bodies[-1].decode().split("=")[1].isdigit()
    client.request("POST", "/m", multipart=[text_field("k", "{{$guid}}")])
    assert b"{{$guid}}" not in replies.bodies[-1]
    client.request("POST", "/t", content="t-{{$timestamp}}")
    assert replies.bodies[-1][2:].isdigit()
