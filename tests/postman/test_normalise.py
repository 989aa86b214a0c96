"""The two collection formats and their loose shapes come out as one normalised model."""

from __future__ import annotations

from typing import Any

import pytest

from generator.postman import (
    PmAuth,
    PmBody,
    PmFormField,
    PmKeyValue,
    PmScript,
    collection_from_dict,
)

from .helpers import (
    SCHEMA_V20,
    SCHEMA_V21,
    collection,
    load,
    only_request,
    request_item,
)

V20_AUTHS: list[tuple[dict[str, Any], dict[str, Any]]] = [
    ({"type": "bearer", "bearer": {"token": "{{token}}"}}, {"token": "{{token}}"}),
    (
        {
            "type": "basic",
            "basic": {"username": "u", "password": "p", "saveHelperData": "true"},
        },
        {"username": "u", "password": "p", "saveHelperData": "true"},
    ),
    (
        {
            "type": "apikey",
            "apikey": {"key": "api_key", "value": "{{k}}", "in": "query"},
        },
        {"key": "api_key", "value": "{{k}}", "in": "query"},
    ),
]


def as_v21(auth: dict[str, Any]) -> dict[str, Any]:
    """The same auth in the v2.1 shape: a list of {key, value, type}."""
    kind = auth["type"]
    return {
        "type": kind,
        kind: [{"key": k, "value": v, "type": "string"} for k, v in auth[kind].items()],
    }


@pytest.mark.parametrize(
    ("auth", "params"), V20_AUTHS, ids=[a["type"] for a, _ in V20_AUTHS]
)
def test_v20_and_v21_auth_shapes_give_the_same_pmauth(
    auth: dict[str, Any], params: dict[str, Any]
) -> None:
    v20 = only_request(
        {"method": "GET", "url": "http://h", "auth": auth}, schema=SCHEMA_V20
    ).auth
    v21 = only_request(
        {"method": "GET", "url": "http://h", "auth": as_v21(auth)}, schema=SCHEMA_V21
    ).auth
    expected = PmAuth(type=auth["type"], params=params, where="$.item[0].request.auth")
    assert v20 == expected
    assert v21 == expected


@pytest.mark.parametrize("auth", [{"type": "noauth"}, {"type": "noauth", "noauth": {}}])
def test_noauth(auth: dict[str, Any]) -> None:
    request = only_request({"method": "GET", "url": "http://h", "auth": auth})
    assert request.auth == PmAuth("noauth", {}, where="$.item[0].request.auth")


def test_missing_or_null_auth_inherits() -> None:
    assert only_request({"method": "GET", "url": "http://h"}).auth is None
    assert only_request({"method": "GET", "url": "http://h", "auth": None}).auth is None


def test_auth_attribute_values_kept_with_their_type() -> None:
    auth = {
        "type": "oauth2",
        "oauth2": [
            {"key": "addTokenTo", "value": "header"},
            {"key": "useBrowser", "value": False, "type": "boolean"},
        ],
    }
    request = only_request({"method": "GET", "url": "http://h", "auth": auth})
    assert request.auth is not None
    assert request.auth.params == {"addTokenTo": "header", "useBrowser": False}


def test_header_string_parsed_into_headers() -> None:
    header = "Content-Type: application/json\r\nX-Multi: a: b\n\n//X-Off: 1\nAuthorization:  Bearer {{t}} \nX-Folded: one\n two"
    request = only_request({"method": "POST", "url": "http://h", "header": header})
    where = "$.item[0].request.header"
    assert request.headers == (
        PmKeyValue("Content-Type", "application/json", where=where),
        PmKeyValue("X-Multi", "a: b", where=where),
        PmKeyValue("X-Off", "1", disabled=True, where=where),
        PmKeyValue("Authorization", "Bearer {{t}}", where=where),
        PmKeyValue("X-Folded", "one two", where=where),
    )


def test_header_list_with_disabled_and_descriptions() -> None:
    header = [
        {"key": "Accept", "value": "application/json"},
        {
            "key": "X-Trace",
            "value": "1",
            "disabled": True,
            "description": {"content": "tracing", "type": "text/plain"},
            "type": "text",
        },
    ]
    request = only_request({"method": "get", "url": "http://h", "header": header})
    assert request.method == "GET"
    assert request.headers[1] == PmKeyValue(
        "X-Trace",
        "1",
        disabled=True,
        description="tracing",
        type="text",
        where="$.item[0].request.header[1]",
    )


def test_descriptions_as_strings_objects_and_null() -> None:
    raw = collection(
        request_item(
            {
                "method": "GET",
                "url": "http://h",
                "description": {"content": "# Title", "type": "text/markdown"},
            },
            description=None,
        ),
    )
    raw["info"]["description"] = {"content": "About", "type": "text/markdown"}
    loaded = load(raw)
    assert loaded.description == "About"
    assert loaded.items[0].description == ""
    assert loaded.items[0].request is not None
    assert loaded.items[0].request.description == "# Title"


def test_scripts_exec_as_string_or_list_and_disabled_events_dropped() -> None:
    events = [
        {
            "listen": "prerequest",
            "script": {"type": "text/javascript", "exec": "a();\r\nb();"},
        },
        {"listen": "test", "script": {"exec": ["pm.test('x', () => {});", ""]}},
        {"listen": "test", "disabled": True, "script": {"exec": ["skipped();"]}},
        {"listen": "test", "script": {"type": "text/javascript", "packages": {}}},
    ]
    loaded = load(
        collection(request_item({"method": "GET", "url": "http://h"}, event=events))
    )
    assert loaded.items[0].scripts == (
        PmScript("prerequest", ("a();", "b();"), where="$.item[0].event[0]"),
        PmScript("test", ("pm.test('x', () => {});", ""), where="$.item[0].event[1]"),
        PmScript("test", (), where="$.item[0].event[3]"),
    )


def test_raw_body_with_language() -> None:
    body = {"mode": "raw", "raw": '{"a": 1}', "options": {"raw": {"language": "json"}}}
    request = only_request({"method": "POST", "url": "http://h", "body": body})
    assert request.body == PmBody(
        mode="raw", raw='{"a": 1}', language="json", where="$.item[0].request.body"
    )


def test_urlencoded_body() -> None:
    body = {
        "mode": "urlencoded",
        "urlencoded": [
            {"key": "a", "value": "1"},
            {"key": "b", "value": "2", "disabled": True, "type": "text"},
        ],
    }
    request = only_request({"method": "POST", "url": "http://h", "body": body})
    assert request.body is not None
    where = "$.item[0].request.body.urlencoded"
    assert request.body.urlencoded == (
        PmKeyValue("a", "1", where=f"{where}[0]"),
        PmKeyValue("b", "2", disabled=True, type="text", where=f"{where}[1]"),
    )


def test_formdata_file_sources_string_list_or_null() -> None:
    body = {
        "mode": "formdata",
        "formdata": [
            {"key": "name", "value": "x", "type": "text", "contentType": "text/plain"},
            {"key": "one", "src": "/tmp/a.txt", "type": "file"},
            {
                "key": "many",
                "src": ["/tmp/a.txt", "/tmp/b.txt"],
                "type": "file",
                "disabled": True,
            },
            {"key": "none", "src": None, "type": "file", "description": "pick a file"},
            {"key": "untyped", "value": "v"},
        ],
    }
    request = only_request({"method": "POST", "url": "http://h", "body": body})
    assert request.body is not None
    where = "$.item[0].request.body.formdata"
    assert request.body.formdata == (
        PmFormField(
            "name", "text", "x", content_type="text/plain", where=f"{where}[0]"
        ),
        PmFormField("one", "file", None, src=("/tmp/a.txt",), where=f"{where}[1]"),
        PmFormField(
            "many",
            "file",
            None,
            src=("/tmp/a.txt", "/tmp/b.txt"),
            disabled=True,
            where=f"{where}[2]",
        ),
        PmFormField(
            "none", "file", None, description="pick a file", where=f"{where}[3]"
        ),
        PmFormField("untyped", "text", "v", where=f"{where}[4]"),
    )


@pytest.mark.parametrize(
    ("file", "src"),
    [({"src": "/data/x.bin"}, "/data/x.bin"), ({"src": None}, None), ({}, None)],
)
def test_file_body(file: dict[str, Any], src: str | None) -> None:
    request = only_request(
        {"method": "PUT", "url": "http://h", "body": {"mode": "file", "file": file}}
    )
    assert request.body == PmBody(
        mode="file", file_src=src, where="$.item[0].request.body"
    )


def test_graphql_body() -> None:
    body = {
        "mode": "graphql",
        "graphql": {"query": "query { me { id } }", "variables": '{"a": 1}'},
    }
    request = only_request({"method": "POST", "url": "http://h", "body": body})
    assert request.body is not None
    assert (request.body.graphql_query, request.body.graphql_variables) == (
        "query { me { id } }",
        '{"a": 1}',
    )


def test_body_without_mode_and_null_body() -> None:
    assert only_request(
        {"method": "GET", "url": "http://h", "body": {}}
    ).body == PmBody(mode="none", where="$.item[0].request.body")
    assert only_request({"method": "GET", "url": "http://h", "body": None}).body is None
    disabled = only_request(
        {
            "method": "GET",
            "url": "http://h",
            "body": {"mode": "raw", "raw": "", "disabled": True},
        }
    ).body
    assert disabled is not None and disabled.disabled


def test_example_responses_loose_shapes() -> None:
    responses = [
        {
            "name": "ok",
            "code": 200,
            "status": "OK",
            "header": [{"key": "Content-Type", "value": "application/json"}],
            "body": "{}",
            "_postman_previewlanguage": "json",
        },
        {"name": "no code", "header": "X-A: 1\nX-B: 2", "body": None},
        {"name": "string headers", "code": 404, "header": ["X-C: 3"], "body": "nope"},
        {"name": "null headers", "code": 500, "header": None},
    ]
    loaded = load(
        collection(
            request_item({"method": "GET", "url": "http://h"}, response=responses)
        )
    )
    ok, no_code, strings, nulls = loaded.items[0].responses
    assert (ok.code, ok.status, ok.body, ok.preview_language) == (
        200,
        "OK",
        "{}",
        "json",
    )
    assert ok.headers == (
        PmKeyValue(
            "Content-Type", "application/json", where="$.item[0].response[0].header[0]"
        ),
    )
    assert (no_code.code, no_code.body, [h.key for h in no_code.headers]) == (
        None,
        None,
        ["X-A", "X-B"],
    )
    assert strings.headers == (
        PmKeyValue("X-C", "3", where="$.item[0].response[2].header[0]"),
    )
    assert (nulls.headers, nulls.body, nulls.where) == (
        (),
        None,
        "$.item[0].response[3]",
    )


def test_folders_with_auth_variables_events_and_profile() -> None:
    folder = {
        "name": "Folder",
        "_postman_id": "f1",
        "description": "Things",
        "auth": {"type": "basic", "basic": [{"key": "username", "value": "u"}]},
        "variable": [
            {"key": "v", "value": "1", "type": "string"},
            {"id": "only-id", "value": True},
        ],
        "event": [{"listen": "prerequest", "script": {"exec": ["x()"]}}],
        "protocolProfileBehavior": {"disableBodyPruning": True},
        "item": [
            {"name": "Inner", "item": []},
            request_item(
                {"method": "DELETE", "url": "http://h/x"},
                name="Leaf",
                id="r1",
                protocolProfileBehavior={"followRedirects": False},
            ),
        ],
    }
    loaded = load(
        collection(
            folder,
            variable=[{"key": "base", "value": "http://h"}],
            auth={"type": "bearer", "bearer": [{"key": "token", "value": "t"}]},
        )
    )
    top = loaded.items[0]
    assert (top.is_folder, top.name, top.id, top.description) == (
        True,
        "Folder",
        "f1",
        "Things",
    )
    assert top.auth == PmAuth("basic", {"username": "u"}, where="$.item[0].auth")
    assert top.variables == (
        PmKeyValue("v", "1", type="string", where="$.item[0].variable[0]"),
        PmKeyValue("only-id", "true", where="$.item[0].variable[1]"),
    )
    assert top.scripts == (
        PmScript("prerequest", ("x()",), where="$.item[0].event[0]"),
    )
    assert top.protocol_profile == {"disableBodyPruning": True}
    inner, leaf = top.items
    assert (inner.is_folder, inner.items, inner.where) == (
        True,
        (),
        "$.item[0].item[0]",
    )
    assert (leaf.is_folder, leaf.id, leaf.where) == (False, "r1", "$.item[0].item[1]")
    assert (
        leaf.request is not None and leaf.request.where == "$.item[0].item[1].request"
    )
    assert leaf.request.url.where == "$.item[0].item[1].request.url"
    assert leaf.protocol_profile == {"followRedirects": False}
    assert loaded.auth == PmAuth("bearer", {"token": "t"}, where="$.auth")
    assert loaded.variables == (PmKeyValue("base", "http://h", where="$.variable[0]"),)


def test_collection_level_fields() -> None:
    raw = collection(
        event=[{"listen": "test", "script": {"exec": "done()"}}],
        protocolProfileBehavior={"strictSSL": False},
    )
    raw["info"]["_postman_id"] = "abc"
    loaded = collection_from_dict(raw, "mem.json")
    assert (loaded.id, loaded.source, loaded.schema_version) == (
        "abc",
        "mem.json",
        "2.1.0",
    )
    assert loaded.scripts == (PmScript("test", ("done()",), where="$.event[0]"),)
    assert loaded.protocol_profile == {"strictSSL": False}
    assert (loaded.items, loaded.auth) == ((), None)


def test_postman_api_envelope_is_unwrapped() -> None:
    raw = {"collection": collection(request_item({"method": "GET", "url": "http://h"}))}
    loaded = load(raw)
    assert loaded.items[0].where == "$.collection.item[0]"


def test_v2_0_schema_url_variants_recognised() -> None:
    old_style = (
        "http://schema.getpostman.com/json/draft-07/collection/v2.1.0/collection.json"
    )
    assert load(collection(schema=old_style)).schema_version == "2.1.0"
    assert load(collection(schema=SCHEMA_V20)).schema_version == "2.0.0"
