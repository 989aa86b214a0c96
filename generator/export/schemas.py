"""JSON Schemas (OpenAPI 3.1 dialect) for the spec's types and for example values.

The spec writes types as Python type expressions (``"list[JobInfo] | None"``); this
module parses them with a tiny grammar (names, ``[...]`` arguments, ``|`` unions) and
maps each part to a schema. A model name becomes a ``$ref`` into
``components/schemas``. A type it cannot read is not dropped: its schema is empty
(any value) and names the type in ``x-python-type``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

Schema = dict[str, Any]

_TOKEN_RE = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_.]*|[\[\],|])")
_SCALARS: dict[str, Schema] = {
    "str": {"type": "string"},
    "int": {"type": "integer"},
    "float": {"type": "number"},
    "bool": {"type": "boolean"},
    "bytes": {"type": "string", "format": "binary"},
    "date": {"type": "string", "format": "date"},
    "datetime": {"type": "string", "format": "date-time"},
    "FileContent": {"type": "string", "format": "binary"},
    "AsyncFileContent": {"type": "string", "format": "binary"},
    "Any": {},
    "object": {},
}
_ARRAYS = frozenset({"list", "tuple", "set", "frozenset", "Sequence", "Iterable"})
_MAPPINGS = frozenset({"dict", "Mapping"})


@dataclass
class TypeNode:
    """One parsed type: a name with arguments (``list[...]``), or a union."""

    name: str
    args: list[TypeNode] = field(default_factory=list)


def parse_type(text: str) -> TypeNode | None:
    """Parse a Python type expression; None when it is not one this grammar reads."""
    tokens: list[str] = []
    position = 0
    stripped = text.strip()
    while position < len(stripped):
        match = _TOKEN_RE.match(stripped, position)
        if match is None:
            return None
        tokens.append(match.group(1))
        position = match.end()
    parser = _Parser(tokens)
    node = parser.union()
    if node is None or parser.position != len(tokens):
        return None
    return node


class _Parser:
    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.position = 0

    def peek(self) -> str:
        return self.tokens[self.position] if self.position < len(self.tokens) else ""

    def union(self) -> TypeNode | None:
        members = [self.atom()]
        while self.peek() == "|":
            self.position += 1
            members.append(self.atom())
        if any(m is None for m in members):
            return None
        found = [m for m in members if m is not None]
        return found[0] if len(found) == 1 else TypeNode("|", found)

    def atom(self) -> TypeNode | None:
        name = self.peek()
        if not name or not (name[0].isalpha() or name[0] == "_"):
            return None
        self.position += 1
        node = TypeNode(name.rsplit(".", 1)[-1])
        if self.peek() != "[":
            return node
        self.position += 1
        while True:
            arg = self.union()
            if arg is None:
                return None
            node.args.append(arg)
            if self.peek() == ",":
                self.position += 1
                continue
            if self.peek() == "]":
                self.position += 1
                return node
            return None


class TypeSchemas:
    """Schemas of type expressions, given the model names (→ ``$ref``)."""

    def __init__(self, models: set[str], ref_prefix: str) -> None:
        self.models = models
        self.ref_prefix = ref_prefix

    def schema(self, text: str, *, nullable: bool = True) -> Schema:
        """The schema of a type; ``nullable=False`` drops ``None`` from a union
        (an optional argument left out when ``None`` is not a null on the wire)."""
        node = parse_type(text)
        if node is None:
            return {"x-python-type": text}
        if not nullable:
            node = without_none(node)
        return self._node(node, text)

    def _node(self, node: TypeNode, text: str) -> Schema:
        if node.name == "|":
            return self._union(node.args, text)
        if node.name == "None":
            return {"type": "null"}
        if node.name in self.models and not node.args:
            return {"$ref": self.ref_prefix + node.name}
        if node.name in _SCALARS and not node.args:
            return dict(_SCALARS[node.name])
        if node.name in _ARRAYS and len(node.args) <= 1:
            items = self._node(node.args[0], text) if node.args else {}
            return {"type": "array", "items": items} if items else {"type": "array"}
        if node.name in _MAPPINGS and len(node.args) in (0, 2):
            values = self._node(node.args[1], text) if node.args else {}
            if values:
                return {"type": "object", "additionalProperties": values}
            return {"type": "object"}
        if node.name == "Optional" and len(node.args) == 1:
            return self._union([node.args[0], TypeNode("None")], text)
        return {"x-python-type": text}

    def _union(self, members: list[TypeNode], text: str) -> Schema:
        schemas: list[Schema] = []
        for member in members:
            schema = self._node(member, text)
            if schema not in schemas:
                schemas.append(schema)
        if not all(schemas):  # Any in a union: any value
            return {}
        plain = [s for s in schemas if set(s) <= {"type", "format"}]
        formats = {s.get("format") for s in plain if s.get("type") != "null"}
        if len(plain) == len(schemas) and len(formats) == 1:
            types = [s["type"] for s in plain]
            merged: Schema = {"type": types if len(types) > 1 else types[0]}
            (format_,) = formats
            if format_:
                merged["format"] = format_
            return merged
        return {"anyOf": schemas}


def without_none(node: TypeNode) -> TypeNode:
    """The type with ``None`` taken out of a top-level union."""
    if node.name != "|":
        return node
    kept = [m for m in node.args if m.name != "None"]
    if not kept:
        return node
    return kept[0] if len(kept) == 1 else TypeNode("|", kept)


def value_schema(value: Any) -> Schema:
    """A schema describing one JSON value's structure (for error bodies and the like)."""
    if value is None:
        return {"type": "null"}
    if isinstance(value, bool):
        return {"type": "boolean"}
    if isinstance(value, int):
        return {"type": "integer"}
    if isinstance(value, float):
        return {"type": "number"}
    if isinstance(value, str):
        return {"type": "string"}
    if isinstance(value, list):
        if not value:
            return {"type": "array"}
        return {"type": "array", "items": value_schema(value[0])}
    if isinstance(value, dict):
        if not value:
            return {"type": "object"}
        return {
            "type": "object",
            "properties": {str(k): value_schema(v) for k, v in value.items()},
        }
    return {}
