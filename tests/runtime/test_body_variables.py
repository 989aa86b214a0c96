"""Secret collection variables written in bodies are filled when a request is sent."""

from __future__ import annotations

import asyncio
import json
from itertools import count
from urllib.parse import parse_qsl

import httpx

from generator.runtime import text_field
from generator.runtime._variables import BodyVariables

from .helpers import Replies, async_client, sync_client


def test_text_fills_known_names_and_keeps_the_others() -> None:
    fill = BodyVariables({"password": "pw", "token": None})
    assert fill.text("<p>{{password}}</p><p>{{ password }}</p>") == "<p>pw</p><p>pw</p>"
    # No value given (None), unknown, or a dynamic variable: left as written.
    assert fill.text("{{token}} {{other}} {{$guid}}") == "{{token}} {{other}} {{$guid}}"
    assert not BodyVariables({"token": None})


def test_a_function_is_called_for_every_fill() -> None:
    calls = count(1)
    fill = BodyVariables({"token": lambda: f"t{next(calls)}"})
    assert [fill.text("{{token}}"), fill.text("{{token}}")] == ["t1", "t2"]


def test_json_form_and_multipart_values() -> None:
    fill = BodyVariables({"key": "k-1"})
    assert fill.json({"{{key}}": ["a {{key}}", 3, None]}) == {"k-1": ["a k-1", 3, None]}
    replies = Replies(httpx.Response(200))
    client = sync_client(replies, variables={"key": "k-1"})
    client.request("POST", "/f", form=[("key", "{{key}}"), ("off", None)])
    # A None value is still left out, filled or not.
    assert parse_qsl(replies.bodies[-1].decode()) == [("key", "k-1")]
    fields = [text_field("key", "{{key}}"), text_field("none", None)]
    client.request("POST", "/m", multipart=fields)
    sent = replies.bodies[-1]
    assert b"k-1" in sent and b'name="none"' not in sent
    assert [f.text for f in fields] == ["{{key}}", None]  # the caller's are kept


def test_the_client_fills_every_kind_of_body() -> None:
    replies = Replies(httpx.Response(200))
    client = sync_client(replies, variables={"password": "pw", "unset": None})
    client.request("POST", "/a", content="<p>{{password}}</p><q>{{unset}}</q>")
    client.request("POST", "/b", json={"password": "{{password}}"})
    client.request("POST", "/c", form=[("password", "{{password}}")])
    client.request("POST", "/d", multipart=[text_field("p", "x {{password}}")])
    first, second, third, fourth = replies.bodies
    assert first == b"<p>pw</p><q>{{unset}}</q>"
    assert json.loads(second) == {"password": "pw"}
    assert parse_qsl(third.decode()) == [("password", "pw")]
    assert b"x pw" in fourth


def test_a_client_without_variables_sends_them_as_written() -> None:
    replies = Replies(httpx.Response(200))
    sync_client(replies).request("POST", "/a", content="{{password}}")
    assert replies.bodies == [b"{{password}}"]


def test_the_async_client_fills_bodies_too() -> None:
    replies = Replies(httpx.Response(200))

    async def send() -> None:
        client = async_client(replies, variables={"token": lambda: "tk"})
        await client.request("POST", "/a", content="{{token}}")

    asyncio.run(send())
    assert replies.bodies == [b"tk"]
