"""What clients keep between calls (path plans, parsed URLs, merged headers, model
decoding plans) never changes what is sent or decoded."""

from __future__ import annotations

import asyncio
import operator
import string
import urllib.parse
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from generator.runtime import FLAG, Model, decode
from generator.runtime._client import (
    _CACHE_SIZE,
    _KEY_SAFE,
    _LONE_PERCENT,
    _VALUE_SAFE,
    _quote_query,
    _quote_segment,
    _with_query,
)

from .helpers import BASE_URL, Replies, async_client, sync_client

OK = httpx.Response(200, json={"ok": True})


def sent(request: httpx.Request) -> tuple[str, str, list[tuple[bytes, bytes]], bytes]:
    """Everything a request puts on the wire, comparable."""
    return request.method, str(request.url), request.headers.raw, request.content


def call(client: Any, **extra: Any) -> Any:
    return client.request(
        "POST",
        "/v{version}/items/{item_id}",
        path_params={"item_id": "a b"},
        query=[("limit", 25), ("q", "x y"), ("on", True), ("flag", FLAG)],
        headers={"Accept": "application/json"},
        json={"name": "n"},
        **extra,
    )


def test_repeated_calls_send_the_same_request_as_the_first() -> None:
    replies = Replies(OK)
    client = sync_client(replies, settings={"version": "2"}, headers={"X-App": "a"})
    for _ in range(3):
        call(client)
    first, *later = (sent(request) for request in replies.requests)
    assert first == (
        "POST",
        f"{BASE_URL}/v2/items/a%20b?limit=25&q=x%20y&on=true&flag",
        first[2],
        b'{"name":"n"}',
    )
    headers = {name.lower(): value for name, value in first[2]}
    assert headers[b"x-app"] == b"a"
    assert headers[b"content-type"] == headers[b"accept"] == b"application/json"
    assert later == [first, first]


def test_async_client_sends_what_the_sync_client_sends() -> None:
    sync_replies, async_replies = Replies(OK), Replies(OK)
    settings = {"version": "2"}
    sync = sync_client(sync_replies, settings=settings, headers={"X-App": "a"})
    asynchronous = async_client(
        async_replies, settings=settings, headers={"X-App": "a"}
    )

    async def twice() -> None:
        await call(asynchronous)
        await call(asynchronous)

    call(sync)
    call(sync)
    asyncio.run(twice())
    assert [sent(r) for r in async_replies.requests] == [
        sent(r) for r in sync_replies.requests
    ]


def test_kept_headers_follow_the_values_of_each_call() -> None:
    replies = Replies(OK)
    client = sync_client(replies, headers={"X-App": "a"})
    for value in ("1", "2", None, "1", None):
        client.request("GET", "/h", headers={"X-Value": value, "Accept": None})
    seen = [
        (r.headers.get("X-Value"), r.headers.get("Accept"), r.headers["X-App"])
        for r in replies.requests
    ]
    assert seen == [
        ("1", None, "a"),
        ("2", None, "a"),
        (None, None, "a"),
        ("1", None, "a"),
        (None, None, "a"),
    ]


def test_changes_made_by_hooks_do_not_leak_into_later_calls() -> None:
    replies = Replies(OK)
    client = sync_client(replies, headers={"X-App": "a"})

    @client.add_request_hook
    def meddle(request: httpx.Request) -> None:
        if replies.calls == 0:
            request.headers["X-App"] = "changed"
            request.headers["X-Hook"] = "1"
            request.url = request.url.copy_add_param("hooked", "1")

    for _ in range(2):
        client.request("GET", "/items", headers={"Accept": "text/plain"})
        client.request("GET", "/items")
    assert [(r.headers["X-App"], "X-Hook" in r.headers) for r in replies.requests] == [
        ("changed", True),
        ("a", False),
        ("a", False),
        ("a", False),
    ]
    assert [str(r.url) for r in replies.requests] == [
        f"{BASE_URL}/items?hooked=1",
        *[f"{BASE_URL}/items"] * 3,
    ]


def test_dynamic_variables_get_a_new_value_on_every_call() -> None:
    replies = Replies(OK)
    client = sync_client(replies, headers={"X-Trace": "{{$guid}}"})
    for _ in range(2):
        client.request("GET", "/items/{{$guid}}", headers={"X-Request": "{{$guid}}"})
        client.request(
            "GET", "/plain", headers={"X-Request": "{{$guid}}", "Accept": "x/y"}
        )
    values = [
        (r.url.path, r.headers["X-Trace"], r.headers["X-Request"])
        for r in replies.requests
    ]
    paths = {path for path, _, _ in values if path != "/plain"}
    assert len(paths) == 2
    assert len({trace for _, trace, _ in values}) == 4
    assert len({request for _, _, request in values}) == 4
    assert not any("{{" in "".join(v) for v in values)


def test_what_clients_keep_is_bounded() -> None:
    replies = Replies(OK)
    client = sync_client(replies)
    count = 3 * _CACHE_SIZE + 1
    for number in range(count):
        client.request("GET", f"/items/{number}", headers={"X-N": str(number)})
    assert [r.url.path for r in replies.requests] == [
        f"/items/{number}" for number in range(count)
    ]
    assert [r.headers["X-N"] for r in replies.requests] == [
        str(number) for number in range(count)
    ]
    assert len(client._paths) <= _CACHE_SIZE
    assert len(client._parsed_urls) <= _CACHE_SIZE
    assert len(client._merged_headers) <= _CACHE_SIZE


def test_default_headers_httpx_refuses_fail_the_call_not_the_client() -> None:
    replies = Replies(OK)
    client = sync_client(replies, headers={"X-Name": "é"})
    with pytest.raises(UnicodeEncodeError):
        client.request("GET", "/items")
    not_text = sync_client(replies, headers={"X-Count": 3})  # type: ignore[dict-item]
    with pytest.raises(TypeError):
        not_text.request("GET", "/items")
    assert replies.calls == 0


def reference_quote(text: str, safe: str) -> str:
    return urllib.parse.quote(_LONE_PERCENT.sub("%25", text), safe=safe)


TEXTS = [
    "",
    string.ascii_letters + string.digits,
    *string.printable,
    "a b",
    "%41",
    "%4",
    "100%",
    "x=y&z",
    "é ü 日本",
    "[a]:b/c?d@e$f!g(h)*i+j,k;l~m_n.o-p",
    "\x00\x7f",
]


@pytest.mark.parametrize("safe", [_KEY_SAFE, _VALUE_SAFE])
def test_query_text_is_encoded_as_urllib_encodes_it(safe: str) -> None:
    assert [_quote_query(text, safe) for text in TEXTS] == [
        reference_quote(text, safe) for text in TEXTS
    ]


def test_path_values_are_encoded_as_urllib_encodes_them() -> None:
    values: list[object] = [*TEXTS, 0, -12, 3.5, True]
    assert [_quote_segment(value) for value in values] == [
        urllib.parse.quote(str(value), safe="") for value in values
    ]


def test_settings_in_paths_are_encoded_and_path_params_win() -> None:
    replies = Replies(OK)
    client = sync_client(replies, settings={"v": "1/2", "id": "s"})
    client.request("GET", "/v{v}/{id}")
    client.request("GET", "/v{v}/{id}", path_params={"id": "p q"})
    client.request("GET", "/v{v}/{id}", path_params={"id": None})  # type: ignore[dict-item]
    with pytest.raises(ValueError, match=r"placeholder \{other\}"):
        client.request("GET", "/v{v}/{other}")
    assert [r.url.raw_path for r in replies.requests] == [
        b"/v1%2F2/s",
        b"/v1%2F2/p%20q",
        b"/v1%2F2/s",
    ]


def test_query_values_of_every_type() -> None:
    url = _with_query(
        "u",
        [
            ("i", -5),
            ("big", 10**20),
            ("t", True),
            ("f", False),
            ("x", 1.5),
            ("n", None),
            ("k=", "v=&"),
            ("flag", FLAG),
        ],
    )
    assert (
        url == "u?i=-5&big=100000000000000000000&t=true&f=false&x=1.5&k%3D=v=%26&flag"
    )


# --- models ------------------------------------------------------------------


@dataclass(kw_only=True)
class Leaf(Model):
    when: datetime | None = None


@dataclass(kw_only=True)
class Tree(Model):
    name: str
    tags: list[str] = field(default_factory=list)
    counts: dict[str, float] = field(default_factory=dict)
    leaves: list[Leaf | None] = field(default_factory=list)
    either: list[str] | int | None = None


def test_decoded_containers_are_new_objects_with_converted_items() -> None:
    data: dict[str, Any] = {
        "name": "t",
        "tags": ["a"],
        "counts": {"x": 1, "y": None},
        "leaves": [{"when": "2020-01-01T00:00:00Z"}, None],
        "either": ["b"],
    }
    tree = Tree.from_dict(data)
    assert tree.tags == ["a"] and tree.tags is not data["tags"]
    assert tree.counts == {"x": 1.0, "y": None}
    assert isinstance(tree.counts["x"], float)
    assert tree.leaves == [Leaf(when=datetime(2020, 1, 1, tzinfo=UTC)), None]
    assert tree.either == ["b"] and tree.either is not data["either"]
    assert Tree.from_dict({"name": "t", "either": 3}).either == 3
    assert Tree.from_dict({"name": "t", "tags": "kept"}).tags == "kept"


def test_decoding_the_same_annotation_again_gives_the_same_result() -> None:
    data = [{"name": "t", "leaves": [{"when": "2020-01-01"}]}]
    first = decode(data, list[Tree])
    assert decode(data, list[Tree]) == first
    assert first[0].leaves[0].when == datetime(2020, 1, 1)
    assert Tree.from_dict({"name": "t", "either": None}).to_dict() == {
        "name": "t",
        "tags": [],
        "counts": {},
        "leaves": [],
        "either": None,
    }


@dataclass(kw_only=True)
class PlainBase:
    additional_properties: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(kw_only=True)
class Plain(PlainBase):
    """What ``@dataclass`` writes itself: the reference."""

    a: Any = None
    b: Any = field(default=None, compare=False)
    c: Any = field(default=None, repr=False)


@dataclass(kw_only=True, repr=False, eq=False)
class Lean(Model):
    """A model as generated: repr and == inherited from ``Model``."""

    a: Any = None
    b: Any = field(default=None, compare=False)
    c: Any = field(default=None, repr=False)


class Odd:
    """Equal to any ``Odd`` with a value that is not a bool."""

    __hash__ = None  # type: ignore[assignment]

    def __eq__(self, other: object) -> Any:
        return "yes" if isinstance(other, Odd) else 0


def outcome(compare: Any, left: object, right: object) -> tuple[str, object]:
    """What ``compare(left, right)`` gives: its value, or the exception it raises."""
    try:
        return "value", compare(left, right)
    except Exception as exc:
        return "raised", type(exc).__name__


def test_models_compare_and_show_as_dataclass_does() -> None:
    nan = float("nan")
    values: list[Any] = [1, nan, "x", [1], None, Odd(), Odd(), 0.0, -0.0]
    mismatches = []
    for a in values:
        for b in values:
            for other_a in (a, 1, nan):
                for extra in ({}, {"k": 1}):
                    plain = Plain(a=a, b=b, c=b, additional_properties=extra)
                    lean = Lean(a=a, b=b, c=b, additional_properties=extra)
                    pairs = [
                        (plain, Plain(a=other_a, c=b), lean, Lean(a=other_a, c=b)),
                        (plain, plain, lean, lean),
                    ]
                    for compare in (operator.eq, operator.ne):
                        for x, y, x2, y2 in pairs:
                            if outcome(compare, x, y) != outcome(compare, x2, y2):
                                mismatches.append((a, b, other_a, compare))
                    if repr(plain)[5:] != repr(lean)[4:]:
                        mismatches.append((repr(plain), repr(lean)))
    assert mismatches == []
    assert (Plain() == 1) is (Lean() == 1) is False
    # Another class, even a subclass, is never equal (dataclass's rule).
    assert (Plain() == type("Sub", (Plain,), {})()) is False
    assert (Lean() == type("Sub", (Lean,), {})()) is False
    assert Lean.__hash__ is None and Plain.__hash__ is None


def test_a_model_holding_itself_shows_dots() -> None:
    lean = Lean()
    lean.a = lean
    assert repr(lean) == "Lean(a=..., b=None)"
    assert repr(Tree(name="t", leaves=[Leaf()])) == (
        "Tree(name='t', tags=[], counts={}, leaves=[Leaf(when=None)], either=None)"
    )
