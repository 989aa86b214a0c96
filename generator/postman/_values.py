"""Small helpers about JSON values: their type names in messages, their text form."""

from __future__ import annotations

import json

_TYPE_PHRASES = {
    "null": "null",
    "boolean": "a boolean",
    "integer": "an integer",
    "number": "a number",
    "string": "a string",
    "array": "an array",
    "object": "an object",
}


def json_type(value: object) -> str:
    """The JSON Schema type name of a parsed JSON value ("integer" for whole numbers)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def type_phrase(name: str) -> str:
    """``"object"`` -> ``"an object"`` (for messages)."""
    return _TYPE_PHRASES.get(name, name)


def kind_of(value: object) -> str:
    """What a value is, for messages: ``"an object"``, ``"a string"``, ``"null"``..."""
    name = json_type(value)
    return type_phrase("number" if name == "integer" else name)


def value_text(value: object) -> str | None:
    """A variable/parameter value as text: JSON scalars written as JavaScript does."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return json.dumps(value, ensure_ascii=False)


def loose_text(value: object) -> str:
    """``value`` if it is a string, else ``""``: for keys the schema leaves unchecked
    and that carry nothing useful when they are not text (``type``, a response
    ``name``...)."""
    return value if isinstance(value, str) else ""
