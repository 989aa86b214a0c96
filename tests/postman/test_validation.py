"""The schema check: compiled fast path, explained failures, equivalence of the rewrite."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from generator.errors import InputError
from generator.postman import _validate, collection_from_dict, load_collection
from generator.postman._validate import (
    bundled_schema,
    exclusive_one_of_as_any_of,
    fast_validator,
    json_path,
)

from .helpers import collection, request_item


def test_valid_file_never_reaches_the_explaining_validator(
    shared: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def forbidden(*args: Any) -> None:
        raise AssertionError("jsonschema used for a valid collection")

    monkeypatch.setattr(_validate, "explain", forbidden)
    monkeypatch.setattr(_validate, "explaining_validator", forbidden)
    monkeypatch.setattr(jsonschema.Draft7Validator, "iter_errors", forbidden)
    collection_ = load_collection(
        shared / "bench" / "synthetic-1000.postman_collection.json"
    )
    assert collection_.schema_version == "2.1.0"


def test_validators_built_once_per_version() -> None:
    assert fast_validator("2.1.0") is fast_validator("2.1.0")
    assert fast_validator("2.0.0") is not fast_validator("2.1.0")
    assert _validate.explaining_validator("2.0.0") is _validate.explaining_validator(
        "2.0.0"
    )


def test_fast_validator_does_not_fill_in_defaults() -> None:
    raw = collection(
        request_item(
            {"method": "GET", "url": "http://h", "header": [{"key": "a", "value": "b"}]}
        )
    )
    before = copy.deepcopy(raw)
    fast_validator("2.1.0")(raw)
    assert raw == before


@pytest.mark.parametrize("version", ["2.0.0", "2.1.0"])
def test_bundled_schemas_are_valid_draft7(version: str) -> None:
    jsonschema.Draft7Validator.check_schema(bundled_schema(version))
    jsonschema.Draft7Validator.check_schema(
        exclusive_one_of_as_any_of(bundled_schema(version))
    )


def test_rewrite_only_touches_type_disjoint_one_of() -> None:
    schema = {
        "definitions": {"thing": {"type": "object"}, "other": {"type": "object"}},
        "properties": {
            "a": {
                "oneOf": [
                    {"type": "string"},
                    {"$ref": "#/definitions/thing"},
                    {"type": "null"},
                ]
            },
            "b": {
                "oneOf": [
                    {"$ref": "#/definitions/thing"},
                    {"$ref": "#/definitions/other"},
                ]
            },
            "c": {"oneOf": [{"type": "integer"}, {"type": "number"}]},
            "d": {"oneOf": [{"type": "string"}, {"enum": [1, 2]}]},
        },
    }
    rewritten = exclusive_one_of_as_any_of(schema)["properties"]
    assert "anyOf" in rewritten["a"] and "oneOf" not in rewritten["a"]
    assert all("oneOf" in rewritten[key] for key in ("b", "c", "d"))


MUTATIONS: list[tuple[str, Any]] = [
    ("method", 3),
    ("method", None),
    ("url", 3),
    ("url", {"host": 3}),
    ("url", {"path": [3]}),
    ("url", {"query": [{"key": 1}]}),
    ("header", 3),
    ("header", [{"key": "a"}]),
    ("header", ["a: b"]),
    ("description", 3),
    ("description", {"content": 3}),
    ("body", {"mode": "xml"}),
    (
        "body",
        {"mode": "formdata", "formdata": [{"key": "k", "type": "file", "src": 3}]},
    ),
    ("auth", {"type": "bearer", "bearer": "x"}),
    ("auth", None),
]


@pytest.mark.parametrize("version", ["2.0.0", "2.1.0"])
@pytest.mark.parametrize(
    ("key", "value"), MUTATIONS, ids=[f"{k}={json.dumps(v)}" for k, v in MUTATIONS]
)
def test_fast_and_reference_validators_agree(
    version: str, key: str, value: Any
) -> None:
    raw = collection(request_item({"method": "GET", "url": "http://h", key: value}))
    reference = jsonschema.Draft7Validator(bundled_schema(version)).is_valid(raw)
    try:
        fast_validator(version)(raw)
        fast = True
    except Exception:
        fast = False
    assert fast == reference


def test_fast_path_refusal_the_reference_accepts_is_not_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import fastjsonschema

    def refuse(data: Any) -> None:
        raise fastjsonschema.JsonSchemaValueException(
            "data.item[0] is wrong", name="data.item[0]"
        )

    monkeypatch.setattr(_validate, "fast_validator", lambda version: refuse)
    loaded = collection_from_dict(
        collection(request_item({"method": "GET", "url": "http://h"})), "x.json"
    )
    assert len(loaded.items) == 1


def test_error_deep_in_a_large_file_is_explained_at_its_path(shared: Path) -> None:
    path = shared / "bench" / "synthetic-1000.postman_collection.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    node = raw["item"][-1]
    where = f"$.item[{len(raw['item']) - 1}]"
    while "item" in node:
        where += f".item[{len(node['item']) - 1}]"
        node = node["item"][-1]
    node["request"]["header"] = [{"key": "X"}]
    with pytest.raises(InputError) as caught:
        collection_from_dict(raw, str(path))
    assert caught.value.json_path == f"{where}.request.header[0]"


@pytest.mark.parametrize(
    ("parts", "text"),
    [
        ((), "$"),
        (("item", 3, "request", "url"), "$.item[3].request.url"),
        (("info", "_postman_id"), "$.info._postman_id"),
        (("variable", 0, "weird key"), '$.variable[0]["weird key"]'),
    ],
)
def test_json_path(parts: tuple[str | int, ...], text: str) -> None:
    assert json_path("$", parts) == text
