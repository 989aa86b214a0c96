"""URL strings are split the way Postman splits them; URL objects are read as given."""

from __future__ import annotations

import pytest

from generator.postman import PmKeyValue, PmUrl

from .helpers import only_request


def url_of(url: object) -> PmUrl:
    return only_request({"method": "GET", "url": url}).url


def test_full_url_string() -> None:
    raw = "https://user:pw@api.example.com:8443/v1/items/:id?b=2&a=1&flag&empty=#top"
    url = only_request({"method": "GET", "url": raw}).url
    assert url.raw == raw
    assert url.protocol == "https"
    assert url.host == ("api", "example", "com")
    assert url.port == "8443"
    assert url.path == ("v1", "items", ":id")
    assert [(q.key, q.value) for q in url.query] == [
        ("b", "2"),
        ("a", "1"),
        ("flag", None),
        ("empty", ""),
    ]
    assert url.hash == "top"
    assert [v.key for v in url.variables] == ["id"]


@pytest.mark.parametrize(
    ("raw", "host", "path"),
    [
        ("{{baseUrl}}/v1/users", ("{{baseUrl}}",), ("v1", "users")),
        (
            "{{base.url}}/a",
            ("{{base.url}}",),
            ("a",),
        ),  # a dot inside a variable splits nothing
        ("https://{{host}}.example.com/x", ("{{host}}", "example", "com"), ("x",)),
        (
            "{{baseUrl}}/files/{{path/with/slashes}}",
            ("{{baseUrl}}",),
            ("files", "{{path/with/slashes}}"),
        ),
        ("http://example.com/", ("example", "com"), ("",)),
        ("http://example.com/a/b/", ("example", "com"), ("a", "b", "")),
        ("http://example.com", ("example", "com"), ()),
        ("example.com/a", ("example", "com"), ("a",)),
        ("  https://example.com/a", ("example", "com"), ("a",)),
        ("", (), ()),
    ],
)
def test_host_and_path_split(
    raw: str, host: tuple[str, ...], path: tuple[str, ...]
) -> None:
    url = url_of(raw)
    assert (url.host, url.path) == (host, path)


def test_variables_in_query_and_port_kept_whole() -> None:
    url = url_of("{{scheme}}://localhost:{{port}}/q?filter={{a&b}}&x={{y}}#{{frag}}")
    assert url.protocol == "{{scheme}}"
    assert url.host == ("localhost",)
    assert url.port == "{{port}}"
    assert [(q.key, q.value) for q in url.query] == [
        ("filter", "{{a&b}}"),
        ("x", "{{y}}"),
    ]
    assert url.hash == "{{frag}}"


def test_query_keeps_order_duplicates_and_first_equals() -> None:
    url = url_of("http://h/p?a=1&a=2&expr=x=y&&z")
    assert [(q.key, q.value) for q in url.query] == [
        ("a", "1"),
        ("a", "2"),
        ("expr", "x=y"),
        ("z", None),
    ]


def test_path_variables_listed_once() -> None:
    url = url_of("http://h/:org/repos/:repo/:org")
    assert [v.key for v in url.variables] == ["org", "repo"]


def test_ipv6_host_has_no_port() -> None:
    url = url_of("http://[::1]/x")
    assert url.port == ""
    assert url.path == ("x",)


def test_url_object_read_as_given() -> None:
    url = url_of(
        {
            "raw": "{{baseUrl}}/v1/items/:id?limit=10",
            "host": ["{{baseUrl}}"],
            "path": ["v1", "items", ":id"],
            "query": [
                {"key": "limit", "value": "10"},
                {
                    "key": "expand",
                    "value": None,
                    "disabled": True,
                    "description": "more",
                },
            ],
            "variable": [
                {"key": "id", "value": "42", "description": {"content": "The id"}}
            ],
        }
    )
    assert url.raw == "{{baseUrl}}/v1/items/:id?limit=10"
    assert url.host == ("{{baseUrl}}",)
    assert url.query[1] == PmKeyValue(
        key="expand",
        value=None,
        disabled=True,
        description="more",
        where="$.item[0].request.url.query[1]",
    )
    assert url.variables == (
        PmKeyValue(
            key="id",
            value="42",
            description="The id",
            where="$.item[0].request.url.variable[0]",
        ),
    )


def test_url_object_with_string_host_and_path_and_no_raw() -> None:
    url = url_of(
        {
            "protocol": "https",
            "host": "{{base_url}}",
            "path": "/v3/user",
            "query": [
                {"key": "a", "value": "1"},
                {"key": "b", "value": "2", "disabled": True},
            ],
        }
    )
    assert url.host == ("{{base_url}}",)
    assert url.path == ("v3", "user")
    assert url.raw == "https://{{base_url}}/v3/user?a=1"


def test_url_object_path_segment_objects_and_missing_variables() -> None:
    url = url_of(
        {"raw": "", "host": ["h"], "path": ["a", {"type": "string", "value": ":b"}]}
    )
    assert url.path == ("a", ":b")
    assert [v.key for v in url.variables] == ["b"]


def test_url_object_with_only_raw_is_parsed() -> None:
    url = url_of({"raw": "https://example.com/a?x=1"})
    assert url.host == ("example", "com")
    assert url.path == ("a",)
    assert [(q.key, q.value) for q in url.query] == [("x", "1")]


def test_request_as_string_is_a_get() -> None:
    request = only_request("https://example.com/ping?x=1")
    assert request.method == "GET"
    assert request.url.path == ("ping",)
    assert request.where == "$.item[0].request"
    assert request.url.where == "$.item[0].request"
