"""Unusable input is refused with an ``InputError`` naming the file and the JSON path."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.errors import InputError
from generator.postman import collection_from_dict, load_collection
from generator.postman.load import V1_MESSAGE

from .helpers import collection, request_item
from .paths import FIXTURES


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def error_of(raw: Any, *, validate: bool = True) -> InputError:
    with pytest.raises(InputError) as caught:
        collection_from_dict(raw, "bad.json", validate=validate)
    return caught.value


def test_malformed_json_names_file_line_and_column(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "broken.postman_collection.json",
        '{\n  "info": {\n    "name": "x",\n  }\n}\n',
    )
    with pytest.raises(InputError) as caught:
        load_collection(path)
    error = caught.value
    assert error.file == str(path)
    assert error.json_path == "$"
    assert error.message.startswith("invalid JSON at line 4 column 3: ")
    assert "broken.postman_collection.json" in str(error)
    assert "line 4" in str(error)


def test_empty_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="invalid JSON at line 1 column 1"):
        load_collection(write(tmp_path, "empty.json", ""))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read the file"):
        load_collection(tmp_path / "nope.json")


def test_not_utf8(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not UTF-8"):
        load_collection(
            write(tmp_path, "latin1.json", '{"info": "caf\u00e9"}'.encode("latin-1"))
        )


def test_byte_order_mark_tolerated(tmp_path: Path) -> None:
    text = json.dumps(
        collection(
            request_item({"method": "GET", "url": "http://h"}),
            schema="https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        )
    )
    loaded = load_collection(
        write(tmp_path, "bom.json", b"\xef\xbb\xbf" + text.encode())
    )
    assert len(loaded.items) == 1


def test_v1_collection_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_collection(FIXTURES / "v1_collection.json")
    assert (caught.value.json_path, caught.value.message) == ("$", V1_MESSAGE)


def test_v1_request_object_refused(shared: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_collection(shared / "sf-bulk-v2-raw" / "bulk_v2__create_job.json")
    assert (caught.value.json_path, caught.value.message) == ("$", V1_MESSAGE)
    assert "bulk_v2__create_job.json" in str(caught.value)


def test_v1_schema_url_refused() -> None:
    error = error_of(
        collection(
            schema="https://schema.getpostman.com/json/collection/v1.0.0/collection.json"
        )
    )
    assert (error.json_path, error.message) == ("$.info.schema", V1_MESSAGE)


def test_environment_file_refused() -> None:
    error = error_of(json.loads((FIXTURES / "environment.json").read_text()))
    assert error.json_path == "$"
    assert "environment file, not a collection" in error.message


def test_salesforce_environment_template_refused(shared: Path) -> None:
    with pytest.raises(InputError, match="environment file, not a collection"):
        load_collection(
            shared / "sf-bulk-v2-raw" / "_salesforce_template_environment.json"
        )


@pytest.mark.parametrize("raw", [{"name": "x"}, {}, {"openapi": "3.0.0", "paths": {}}])
def test_other_objects_refused(raw: dict[str, Any]) -> None:
    error = error_of(raw)
    assert error.json_path == "$"
    assert error.message.startswith("not a Postman collection")


@pytest.mark.parametrize(
    ("raw", "found"),
    [([], "an array"), ("x", "a string"), (None, "null"), (3, "a number")],
)
def test_non_object_root(raw: Any, found: str) -> None:
    error = error_of(raw)
    assert error.json_path == "$"
    assert error.message.endswith(f"found {found}")


def test_unsupported_schema_version() -> None:
    error = error_of(
        collection(
            schema="https://schema.getpostman.com/json/collection/v3.0.0/collection.json"
        )
    )
    assert error.json_path == "$.info.schema"
    assert "v2.0.0 and v2.1.0" in error.message


def test_missing_schema_url() -> None:
    raw = collection()
    del raw["info"]["schema"]
    assert error_of(raw).json_path == "$.info.schema"


def test_item_not_a_list() -> None:
    error = error_of(collection(item={"name": "x"}))
    assert error.json_path == "$.item"
    assert (
        error.message
        == "does not match the Postman collection schema: expected an array, found an object"
    )


def test_method_not_a_string_reported_at_its_path() -> None:
    folder = {
        "name": "F",
        "item": [
            request_item({"method": "GET", "url": "http://h"}),
            request_item({"method": 5, "url": "http://h"}),
        ],
    }
    error = error_of(
        collection(request_item({"method": "GET", "url": "http://h"}), folder)
    )
    assert error.json_path == "$.item[1].item[1].request.method"
    assert error.message.endswith("expected a string, found a number")
    assert str(error).startswith("bad.json: $.item[1].item[1].request.method: ")


@pytest.mark.parametrize(
    ("request_", "where", "reason"),
    [
        (
            {"method": "GET", "url": 7},
            "$.item[0].request.url",
            "expected an object or a string, found a number",
        ),
        (
            {"method": "GET", "url": "http://h", "header": [{"key": "A"}]},
            "$.item[0].request.header[0]",
            "'value' is a required property",
        ),
        (
            # Any auth type name loads (Postman exports types its schema omits),
            # but it must be a string.
            {"method": "GET", "url": "http://h", "auth": {"type": 7}},
            "$.item[0].request.auth.type",
            "expected a string, found a number",
        ),
        (
            {
                "method": "POST",
                "url": "http://h",
                "body": {"mode": "raw", "raw": {"k": "v" * 500}},
            },
            "$.item[0].request.body.raw",
            "expected a string, found an object",
        ),
    ],
)
def test_schema_violations(request_: dict[str, Any], where: str, reason: str) -> None:
    error = error_of(collection(request_item(request_)))
    assert error.json_path == where
    assert reason in error.message
    assert "\n" not in error.message and len(error.message) < 300


def test_item_neither_request_nor_folder() -> None:
    error = error_of(collection({"name": "lost"}))
    assert error.json_path == "$.item[0]"
    assert "'request' is a required property" in error.message


def test_long_values_shortened_in_messages() -> None:
    error = error_of(
        collection(
            request_item({"method": "GET", "url": "h", "body": {"mode": "x" * 1000}})
        )
    )
    assert error.json_path == "$.item[0].request.body.mode"
    assert "xxx..." in error.message
    assert len(error.message) < 300


def test_wrapped_collection_paths_start_at_envelope() -> None:
    error = error_of(
        {"collection": collection(request_item({"method": 1, "url": "http://h"}))}
    )
    assert error.json_path == "$.collection.item[0].request.method"


@pytest.mark.parametrize(
    ("raw", "where"),
    [
        (collection(item="nope"), "$.item"),
        (
            collection(request_item({"method": "GET", "url": 7})),
            "$.item[0].request.url",
        ),
        (
            collection(request_item({"method": "GET", "url": {"host": [1]}})),
            "$.item[0].request.url.host[0]",
        ),
        (
            collection(request_item({"method": "GET", "url": "h", "header": [3]})),
            "$.item[0].request.header[0]",
        ),
        (
            collection(
                request_item({"method": "GET", "url": "h", "auth": {"type": 3}})
            ),
            "$.item[0].request.auth.type",
        ),
        (
            collection(
                request_item({"method": "GET", "url": "h"}, response=[{"code": "200"}])
            ),
            "$.item[0].response[0].code",
        ),
        (collection({"name": "lost"}), "$.item[0]"),
    ],
)
def test_without_validation_bad_shapes_still_give_input_errors(
    raw: dict[str, Any], where: str
) -> None:
    assert error_of(raw, validate=False).json_path == where


def test_deep_nesting_is_an_input_error(tmp_path: Path) -> None:
    path = write(tmp_path, "deep.json", "[" * 100_000 + "]" * 100_000)
    with pytest.raises(InputError):
        load_collection(path)
