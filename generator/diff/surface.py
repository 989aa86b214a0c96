"""The public surface of a client, as plain JSON-like data (kept in lock files)."""

from __future__ import annotations

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
        model.name: {
            f.name: {"type": f.type, "required": f.required} for f in model.fields
        }
        for model in spec.models
    }
    return {
        "version": spec.version,
        "operations": dict(sorted(operations.items())),
        "models": dict(sorted(models.items())),
    }


def _operation(op: Operation, prefix: str) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for param in op.parameters:
        entry: dict[str, Any] = {
            "location": param.location,
            "type": param.type,
            "required": param.required and not param.has_default,
        }
        if param.has_default:
            entry["default"] = param.default
        params[param.name] = entry
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
