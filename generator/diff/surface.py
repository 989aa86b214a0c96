"""The public surface of a client, as plain JSON-like data (kept in lock files)."""

from __future__ import annotations

import json
from typing import Any

from ..spec.lock import spec_keys
from ..spec.model import ApiSpec, Operation


def surface(spec: ApiSpec) -> dict[str, Any]:
    """What callers of the client see: operations by stable key, and models."""
    prefixes = spec.call_prefixes()
    operations: dict[str, Any] = {}
    for (resource, op), key in zip(
        spec.iter_operations(), spec_keys(spec), strict=True
    ):
        prefix = prefixes[resource.module].removeprefix("client.")
        operations[key] = _operation(op, prefix)
    models = {
        model.name: {f.name: encode_field(f.type, f.required) for f in model.fields}
        for model in spec.models
    }
    return {
        "version": spec.version,
        "operations": dict(sorted(operations.items())),
        "models": dict(sorted(models.items())),
    }


def _operation(op: Operation, prefix: str) -> dict[str, Any]:
    params = {
        p.name: encode_parameter(
            p.location,
            p.type,
            p.required and not p.has_default,
            p.has_default,
            p.default,
        )
        for p in op.parameters
    }
    body = op.body
    errors = sorted({e.status for e in op.examples if e.status >= 400})
    return {
        "call": prefix + op.name,
        "title": op.title,
        "method": op.method,
        "path": op.path,
        "parameters": params,
        "body": f"{body.kind}:{body.model or ''}" if body is not None else "",
        "result": op.result.type + (" | None" if op.result.optional else ""),
        "errors": errors,
        "aliases": sorted(prefix + a for a in op.aliases),
    }


# A surface is kept in lock files, one line per parameter and field (a large
# collection has thousands): ``"query: int = 10"``, ``"path: str (required)"``,
# ``"str | None (optional)"``.
_REQUIRED = " (required)"
_OPTIONAL = " (optional)"


def encode_parameter(
    location: str, type_: str, required: bool, has_default: bool, default: Any
) -> str:
    """One parameter as text: location, type, and required or its default."""
    text = f"{location}: {type_}"
    if required:
        return text + _REQUIRED
    if has_default:
        return f"{text} = {json.dumps(default, sort_keys=True, ensure_ascii=False)}"
    return text


def decode_parameter(text: str) -> dict[str, Any]:
    """The parts of ``encode_parameter``'s text."""
    location, _sep, rest = text.partition(": ")
    entry: dict[str, Any] = {"location": location, "required": False}
    if rest.endswith(_REQUIRED):
        entry.update(type=rest.removesuffix(_REQUIRED), required=True)
    elif " = " in rest:
        type_, _sep, default = rest.partition(" = ")
        entry.update(type=type_, default=json.loads(default))
    else:
        entry["type"] = rest
    return entry


def encode_field(type_: str, required: bool) -> str:
    """A model field as text: its type, marked when it may be missing."""
    return type_ if required else type_ + _OPTIONAL


def decode_field(text: str) -> dict[str, Any]:
    """The parts of ``encode_field``'s text."""
    if text.endswith(_OPTIONAL):
        return {"type": text.removesuffix(_OPTIONAL), "required": False}
    return {"type": text, "required": True}
