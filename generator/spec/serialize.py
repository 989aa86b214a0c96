"""The spec as plain data: to/from dicts, to/from YAML, and its JSON Schema.

Everything is derived from the dataclass annotations in ``spec.model``, so the YAML
format, its loader and its schema cannot drift apart. The schema ships as
``spec.schema.json`` (a test checks the file equals what the types give).
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

import yaml

from ..config import yaml_problem
from ..errors import InputError
from . import model
from .model import SPEC_FORMAT, ApiSpec

SCHEMA_PATH = Path(__file__).with_name("spec.schema.json")


def to_data(value: Any) -> Any:
    """A spec object as plain JSON-like data (dataclass fields in declaration order)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)
        }
    if isinstance(value, list):
        return [to_data(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_data(v) for k, v in value.items()}
    return value


def from_data(cls: type[Any], data: Any) -> Any:
    """Rebuild a spec dataclass from plain data (already schema-checked)."""
    hints = get_type_hints(cls, vars(model))
    kwargs = {}
    for f in dataclasses.fields(cls):
        if f.name in data:
            kwargs[f.name] = _convert(hints[f.name], data[f.name])
    return cls(**kwargs)


def _convert(tp: Any, value: Any) -> Any:
    origin = get_origin(tp)
    if dataclasses.is_dataclass(tp) and isinstance(value, dict):
        return from_data(typing.cast(type[Any], tp), value)
    if origin is list:
        return [_convert(get_args(tp)[0], v) for v in value]
    if origin in (Union, types.UnionType):
        for arg in get_args(tp):
            if arg is not type(None) and value is not None:
                return _convert(arg, value)
        return value
    return value


def dump_yaml(spec: ApiSpec) -> str:
    """The spec as YAML text (stable key order, unicode kept)."""
    header = (
        f"# pmgen intermediate spec (format {SPEC_FORMAT}) of {spec.source}.\n"
        "# Edit it, then: pmgen generate --spec THIS_FILE\n"
    )
    body = yaml.safe_dump(
        to_data(spec),
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    return header + body


def load_yaml(path: Path) -> ApiSpec:
    """Read and validate a spec YAML file; problems raise ``InputError``."""
    file = str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(file, "$", f"cannot read: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise InputError(file, "$", yaml_problem(exc)) from None
    import jsonschema  # only a spec file read back needs it (slow to import)

    validator = jsonschema.Draft202012Validator(spec_schema())
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if error is not None:
        where = "$" + "".join(
            f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path
        )
        raise InputError(file, where, error.message[:300])
    result: ApiSpec = from_data(ApiSpec, data)
    return result


def spec_schema() -> dict[str, Any]:
    """The JSON Schema of the spec, as shipped."""
    loaded: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return loaded


def make_schema() -> dict[str, Any]:
    """Derive the JSON Schema of ``ApiSpec`` from the dataclass annotations."""
    definitions: dict[str, Any] = {}
    root = _schema_for(ApiSpec, definitions)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://pmgen.invalid/spec.schema.json",
        "title": "pmgen intermediate spec",
        **root,
        "$defs": dict(sorted(definitions.items())),
    }


def _schema_for(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    origin = get_origin(tp)
    if dataclasses.is_dataclass(tp):
        name = typing.cast(type[Any], tp).__name__
        if name not in defs and tp is not ApiSpec:
            defs[name] = {}
            defs[name] = _object_schema(tp, defs)
        return (
            _object_schema(tp, defs) if tp is ApiSpec else {"$ref": f"#/$defs/{name}"}
        )
    if origin is list:
        return {"type": "array", "items": _schema_for(get_args(tp)[0], defs)}
    if origin is dict:
        return {
            "type": "object",
            "additionalProperties": _schema_for(get_args(tp)[1], defs),
        }
    if origin in (Union, types.UnionType):
        return {"anyOf": [_schema_for(a, defs) for a in get_args(tp)]}
    if origin is Literal:
        return {"enum": list(get_args(tp))}
    simple = {str: "string", int: "integer", bool: "boolean", float: "number"}
    if tp is type(None):
        return {"type": "null"}
    if tp in simple:
        return {"type": simple[tp]}
    return {}  # Any


def _object_schema(cls: Any, defs: dict[str, Any]) -> dict[str, Any]:
    hints = get_type_hints(cls, vars(model))
    fields = dataclasses.fields(cls)
    required = [
        f.name
        for f in fields
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    ]
    return {
        "type": "object",
        "properties": {f.name: _schema_for(hints[f.name], defs) for f in fields},
        "required": required,
        "additionalProperties": False,
    }
