"""The comparison normalises only what legitimately differs between two senders."""

from __future__ import annotations

from .compare import compare, multipart_parts, normalise_signed
from .proxy import Recorded


def req(
    headers: list[tuple[str, str]] | None = None,
    body: bytes = b"",
    target: str = "/a/b?x=1",
    method: str = "GET",
) -> Recorded:
    return Recorded(method, target, "HTTP/1.1", headers or [], body)


def aspects(a: Recorded, b: Recorded) -> list[str]:
    return [d.aspect for d in compare(a, b)]


def test_client_specific_headers_and_newman_additions_are_ignored() -> None:
    newman = req(
        [
            ("User-Agent", "PostmanRuntime/7.39.1"),
            ("Accept", "*/*"),
            ("Cache-Control", "no-cache"),
            ("Postman-Token", "f58a1270"),
            ("Host", "127.0.0.1:1"),
            ("Accept-Encoding", "gzip, deflate, br"),
            ("Connection", "keep-alive"),
        ]
    )
    client = req(
        [
            ("host", "127.0.0.1:1"),
            ("accept", "*/*"),
            ("accept-encoding", "gzip, deflate"),
            ("connection", "keep-alive"),
            ("user-agent", "python-httpx/0.28"),
        ]
    )
    assert compare(newman, client) == []


def test_header_values_names_and_duplicates_count() -> None:
    base = [("X-A", "1"), ("X-A", "2")]
    assert aspects(req(base), req([("x-a", "2"), ("x-a", "1")])) == []
    assert aspects(req(base), req([("x-a", "1")])) == ["header:x-a"]
    assert aspects(req([("X_Under", "1")]), req([])) == ["header:x_under"]
    # Cache-Control is only Newman's addition when the client sends none.
    assert aspects(
        req([("Cache-Control", "no-cache")]), req([("Cache-Control", "max-age=0")])
    ) == ["header:cache-control"]


def test_path_and_query_compare_exactly_with_a_named_kind() -> None:
    assert aspects(req(target="/a?x=1&y=2"), req(target="/a?y=2&x=1")) == [
        "query order"
    ]
    assert aspects(req(target="/a?t=a:b"), req(target="/a?t=a%3Ab")) == [
        "query encoding"
    ]
    assert aspects(req(target="/a?x&y=1"), req(target="/a?y=1")) == ["query"]
    assert aspects(req(target="/a%20b"), req(target="/a b")) == ["path encoding"]
    assert aspects(req(target="/a"), req(target="/b", method="POST")) == [
        "method",
        "path",
    ]


def test_json_bodies_compare_as_values() -> None:
    ctype = [("Content-Type", "application/json")]
    assert (
        aspects(req(ctype, b'{\n  "a": 1, "b": [1]\n}'), req(ctype, b'{"b":[1],"a":1}'))
        == []
    )
    assert aspects(req(ctype, b'{"a": 1}'), req(ctype, b'{"a": "1"}')) == ["body"]
    (diff,) = compare(
        req(ctype, b'{"a": {"b": [1, "v-x"]}, "c": 1}'),
        req(ctype, b'{"a": {"b": [1, ""]}, "c": 1}'),
    )
    assert (diff.newman, diff.client) == ("$.a.b[1]='v-x'", "$.a.b[1]=''")


def test_form_bodies_compare_as_ordered_pairs() -> None:
    ctype = [("Content-Type", "application/x-www-form-urlencoded")]
    assert aspects(req(ctype, b"a=1&b=x+y"), req(ctype, b"a=1&b=x%20y")) == []
    assert aspects(req(ctype, b"a=1&b=2"), req(ctype, b"b=2&a=1")) == ["body"]


def test_multipart_bodies_compare_as_parts_whatever_the_boundary() -> None:
    def multipart(boundary: str, value: bytes) -> Recorded:
        body = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="f"\r\n\r\n'.encode()
            + value
            + f"\r\n--{boundary}--\r\n".encode()
        )
        return req(
            [("Content-Type", f"multipart/form-data; boundary={boundary}")], body
        )

    assert aspects(multipart("AAA", b"v"), multipart("BBB", b"v")) == []
    assert aspects(multipart("AAA", b"v"), multipart("BBB", b"w")) == ["body"]
    parts = multipart_parts(multipart("Q", b"x").body, "Q")
    assert parts == [(('content-disposition: form-data; name="f"',), b"x")]


def test_raw_bodies_compare_as_bytes() -> None:
    assert aspects(req(body=b"a\r\nb"), req(body=b"a\nb")) == ["body"]
    assert aspects(req(body=b"same"), req(body=b"same")) == []


def test_signed_auth_volatile_fields_are_blanked() -> None:
    one = 'OAuth oauth_consumer_key="k",oauth_nonce="abc",oauth_timestamp="1",oauth_signature="s1"'
    two = 'OAuth oauth_consumer_key="k",oauth_nonce="xyz",oauth_timestamp="2",oauth_signature="s2"'
    assert normalise_signed(one) == normalise_signed(two)
    other_key = two.replace('"k"', '"other"')
    assert normalise_signed(one) != normalise_signed(other_key)
    assert aspects(req([("Authorization", one)]), req([("Authorization", two)])) == []
    assert normalise_signed("Bearer abc") == "Bearer abc"
