"""``generator.postman._validate``: type-disjoint ``anyOf`` branches merged into one."""

from __future__ import annotations

from typing import Any

import fastjsonschema
import jsonschema
import pytest

from generator.postman._validate import (
    bundled_schema,
    exclusive_one_of_as_any_of,
    type_branches_merged,
)

_OBJECT = {"type": "object", "properties": {"a": {"type": "string"}}}


def test_branches_about_their_own_types_become_one() -> None:
    schema = {"title": "T", "anyOf": [_OBJECT, {"type": "string"}, {"type": "null"}]}
    assert type_branches_merged(schema) == {
        "title": "T",
        "anyOf": [
            {
                "properties": {"a": {"type": "string"}},
                "type": ["object", "string", "null"],
            }
        ],
    }


def test_nested_branches_are_merged_too() -> None:
    inner = {"anyOf": [{"type": "string"}, {"type": "array", "items": {}}]}
    merged = type_branches_merged({"properties": {"x": inner}})
    assert merged["properties"]["x"]["anyOf"] == [
        {"items": {}, "type": ["string", "array"]}
    ]


@pytest.mark.parametrize(
    "branches",
    [
        [{"type": "integer"}, {"type": "number"}],  # overlapping types
        [{"type": "string"}, {"type": "string", "minLength": 2}],  # a shared type
        [{"type": "string"}, {"$ref": "#/definitions/x"}],  # a reference
        [{"type": "string", "enum": ["a"]}, {"type": "null"}],  # about every type
        [{"type": "string", "properties": {}}, _OBJECT],  # a keyword twice
        [{"type": "string", "items": {}}, {"type": "array"}],  # not its own type's
        [{"required": ["id"]}, {"required": ["key"]}],  # no type
        [{"type": "string"}],  # one branch
    ],
)
def test_other_branches_are_kept(branches: list[Any]) -> None:
    schema = {"anyOf": branches}
    assert type_branches_merged(schema) == schema


_VALUES: list[Any] = [
    None,
    True,
    3,
    2.5,
    "",
    "text",
    [],
    ["a", "b"],
    ["a", 3],
    [{"type": "string", "value": "v"}],
    [{"value": 3}],
    {},
    {"content": "c"},
    {"content": 3},
    {"raw": "http://h", "host": ["h"], "path": ["p", {"value": "v"}]},
    {"raw": 3},
    {"host": 3},
]


@pytest.mark.parametrize("version", ["2.0.0", "2.1.0"])
@pytest.mark.parametrize("definition", ["description", "url"])
def test_merged_schema_accepts_what_the_published_one_accepts(
    version: str, definition: str
) -> None:
    published = bundled_schema(version)
    merged = type_branches_merged(exclusive_one_of_as_any_of(published))
    reference = jsonschema.Draft7Validator(
        {**published, "$ref": f"#/definitions/{definition}"}
    )
    fast = fastjsonschema.compile(
        {**merged, "$ref": f"#/definitions/{definition}"}, use_default=False
    )
    for value in _VALUES:
        try:
            fast(value)
            accepted = True
        except fastjsonschema.JsonSchemaException:
            accepted = False
        assert accepted == reference.is_valid(value), value
