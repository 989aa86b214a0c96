"""Several requests with the same method and path → one OpenAPI operation.

OpenAPI has one operation per method and path; a collection may have many requests
for one endpoint (GraphQL, SOAP actions, variants of one call). The first request names
the operation; the others are listed in ``x-pmgen-variants``. Parameters are the union
(required only when every variant requires them), bodies and responses accept any
variant's schema (``anyOf``) and keep every variant's examples, servers and security
are the alternatives of all. Works on standalone operation objects (plain data).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def merge_operations(
    fragments: list[dict[str, Any]], server: dict[str, Any]
) -> dict[str, Any]:
    """One operation serving several requests of the same method and path.

    The first request names the operation; the others are listed in
    ``x-pmgen-variants``. Parameters are the union (required only when every variant
    requires them), bodies and responses accept any variant's schema (``anyOf``) and
    keep every variant's examples (defaults that differ between variants are
    examples too), servers (``server`` for a variant without its own) and security
    are the alternatives of all.
    """
    if len(fragments) == 1:
        return fragments[0]
    first = fragments[0]
    merged: dict[str, Any] = {}
    tags = _unique_list(t for f in fragments for t in f.get("tags", []))
    if tags:
        merged["tags"] = tags
    merged["summary"] = first["summary"]
    if "description" in first:
        merged["description"] = first["description"]
    merged["operationId"] = first["operationId"]
    parameters = _merge_parameters(fragments)
    if parameters:
        merged["parameters"] = parameters
    bodies = [f.get("requestBody") for f in fragments]
    if any(b is not None for b in bodies):
        merged["requestBody"] = _merge_bodies(bodies, fragments)
    merged["responses"] = _merge_responses(fragments)
    security = [f.get("security", [{}]) for f in fragments]
    if any(s != [{}] for s in security):
        merged["security"] = _unique_list(r for s in security for r in s)
    servers = [f.get("servers") for f in fragments]
    if any(s is not None for s in servers):
        merged["servers"] = _unique_list(
            entry for s in servers for entry in (s or [server])
        )
    merged["x-pmgen-variants"] = [
        {"operationId": f["operationId"], "summary": f["summary"]}
        for f in fragments[1:]
    ]
    return merged


def _merge_parameters(fragments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found: dict[tuple[str, str], dict[str, Any]] = {}
    counts: dict[tuple[str, str], int] = {}
    for fragment in fragments:
        seen: set[tuple[str, str]] = set()
        for param in fragment.get("parameters", []):
            key = parameter_key(param)
            if key in seen:
                continue
            seen.add(key)
            counts[key] = counts.get(key, 0) + 1
            if key not in found:
                found[key] = dict(param)
                continue
            if "$ref" in param:
                continue
            if param.get("required") is False:
                found[key]["required"] = False
            _merge_parameter_values(found[key], param, fragment["operationId"])
    for key, param in found.items():
        partial = counts[key] < len(fragments)
        if partial and param.get("in") != "path" and "$ref" not in param:
            param["required"] = False
    return list(found.values())


def _merge_parameter_values(
    target: dict[str, Any], param: dict[str, Any], name: str
) -> None:
    """A parameter seen again in a variant: a different default becomes an example."""
    schema = target.get("schema", {})
    other = param.get("schema", {})
    if schema == other:
        return
    if "default" in schema and schema.get("default") != other.get("default"):
        target["schema"] = {k: v for k, v in schema.items() if k != "default"}
        add_example(target, "first", schema["default"])
    if "default" in other and "default" not in target["schema"]:
        add_example(target, name, other["default"])


def add_example(entry: dict[str, Any], name: str, value: Any) -> None:
    """One more named example of a parameter (OpenAPI allows ``example`` or
    ``examples``, not both: a single ``example`` moves into ``examples``)."""
    examples: dict[str, Any] = entry.setdefault("examples", {})
    if "example" in entry:
        examples[unique("example", examples)] = {"value": entry.pop("example")}
    if all(e.get("value") != value for e in examples.values()):
        examples[unique(name, examples)] = {"value": value}


def _merge_bodies(
    bodies: list[dict[str, Any] | None], fragments: list[dict[str, Any]]
) -> dict[str, Any]:
    content: dict[str, dict[str, Any]] = {}
    for body, fragment in zip(bodies, fragments, strict=True):
        if body is None:
            continue
        for media, entry in body["content"].items():
            _merge_media(content.setdefault(media, {}), entry, fragment["operationId"])
    required = all(b is not None and b.get("required") for b in bodies)
    return {
        "required": required,
        "content": {k: _finish_media(v) for k, v in sorted(content.items())},
    }


def _merge_responses(fragments: list[dict[str, Any]]) -> dict[str, Any]:
    statuses: dict[str, list[tuple[dict[str, Any], str]]] = {}
    for fragment in fragments:
        for status, response in fragment["responses"].items():
            statuses.setdefault(status, []).append((response, fragment["operationId"]))
    merged: dict[str, Any] = {}
    for status in sorted(statuses, key=_status_order):
        variants = statuses[status]
        first = variants[0][0]
        if "$ref" in first:
            merged[status] = first
            continue
        response = {k: v for k, v in first.items() if k not in ("content", "headers")}
        headers: dict[str, Any] = {}
        for variant, _name in variants:
            for key, value in variant.get("headers", {}).items():
                headers.setdefault(key, value)
        if headers:
            response["headers"] = dict(
                sorted(headers.items(), key=lambda kv: kv[0].lower())
            )
        content: dict[str, dict[str, Any]] = {}
        for variant, name in variants:
            for media, entry in variant.get("content", {}).items():
                _merge_media(content.setdefault(media, {}), entry, name)
        if content:
            response["content"] = {
                k: _finish_media(v) for k, v in sorted(content.items())
            }
        merged[status] = response
    return merged


def _merge_media(target: dict[str, Any], entry: dict[str, Any], name: str) -> None:
    """Collect one variant's media type entry: its schema and its examples."""
    schemas = target.setdefault("schemas", [])
    schema = entry.get("schema")
    if schema is not None:
        schema = _without_defaults(schema)
    if schema is not None and schema not in schemas:
        schemas.append(schema)
    examples = target.setdefault("examples", {})
    if "example" in entry:
        examples[unique(name, examples)] = {"value": entry["example"]}
    for key, value in entry.get("examples", {}).items():
        examples[unique(key, examples)] = value


def _without_defaults(schema: dict[str, Any]) -> dict[str, Any]:
    """A schema without its ``default`` keywords (variants' defaults are examples)."""
    result: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "default":
            continue
        if key == "properties":
            value = {name: _without_defaults(v) for name, v in value.items()}
        elif key in ("items", "additionalProperties") and isinstance(value, dict):
            value = _without_defaults(value)
        elif key in ("anyOf", "oneOf", "allOf"):
            value = [_without_defaults(v) for v in value]
        result[key] = value
    return result


def _finish_media(collected: dict[str, Any]) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    schemas = collected.get("schemas", [])
    if len(schemas) == 1:
        entry["schema"] = schemas[0]
    elif schemas:
        entry["schema"] = {} if {} in schemas else {"anyOf": schemas}
    if collected.get("examples"):
        entry["examples"] = collected["examples"]
    return entry


def _status_order(key: str) -> tuple[int, str]:
    return (0, key.zfill(3)) if key.isdigit() else (1, key)


def parameter_key(param: dict[str, Any]) -> tuple[str, str]:
    if "$ref" in param:
        return ("$ref", str(param["$ref"]).lower())
    name = str(param["name"])
    return (str(param["in"]), name.lower() if param["in"] == "header" else name)


def unique(name: str, taken: Iterable[str]) -> str:
    existing = set(taken)
    if name not in existing:
        return name
    number = 2
    while f"{name} ({number})" in existing:
        number += 1
    return f"{name} ({number})"


def _unique_list(values: Iterable[Any]) -> list[Any]:
    found: list[Any] = []
    for value in values:
        if value not in found:
            found.append(value)
    return found
