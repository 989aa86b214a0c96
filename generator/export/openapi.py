"""The intermediate spec → an OpenAPI 3.1 document.

A stage beside ``render``: it reads only ``generator.spec`` objects, never the
collection. What maps to what:

- ``info`` from the spec's title, description and version; ``servers`` from the
  ``base_url`` setting (a server variable when it has no default); a request served
  elsewhere (``Operation.base_url``) gets operation-level ``servers``.
- ``paths``: one path item per path template; every ``{name}`` placeholder is a path
  parameter, a client setting in the path (``v{api_version}``) too, with the setting's
  default. Query and header parameters keep their types, required flags, defaults and
  descriptions; ``operationId`` is the method's call path (``bulk_v2.query.get_job_info``
  for ``client.bulk_v2.query.get_job_info()``); tags are the folders.
- request bodies: JSON (schema of the request model), text, file (binary), form
  (``application/x-www-form-urlencoded``) and GraphQL (a JSON query/variables object).
- responses: one per status of the saved examples (examples included), the success
  status with the schema of the inferred result type (``components/schemas`` + ``$ref``);
  error statuses name the error class the client raises (``x-pmgen-error``); every
  operation has a ``default`` response for other errors.
- ``components/securitySchemes`` from the auth schemes (bearer, basic, API key in a
  header or the query; other kinds map to the closest scheme) and from credentials the
  client sends in a client-wide header.

OpenAPI has one operation per method and path; when a collection has several requests
for the same method and path (GraphQL, SOAP, variants of one endpoint), they become one
operation whose body and responses accept each variant (``anyOf``), with each variant's
examples, and ``x-pmgen-variants`` lists the other methods (``export.merge``). Auth
schemes are mapped in ``export.security``, types in ``export.schemas``. Output is
deterministic:
mappings whose order means nothing are sorted, the rest follow the collection.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import Any

import yaml

from ..naming import error_class
from ..spec.model import (
    ApiSpec,
    Body,
    Example,
    Header,
    ModelDef,
    Operation,
    Parameter,
    Resource,
    Setting,
)
from .merge import add_example, merge_operations, parameter_key, unique
from .schemas import TypeSchemas, value_schema
from .security import security_scheme

OPENAPI_VERSION = "3.1.0"
SCHEMA_REF = "#/components/schemas/"
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_PLACEHOLDER_RE = re.compile(r"\{([^{}]+)\}")
_DOUBLE_RE = re.compile(r"\{\{([^{}]+)\}\}")
_COMPONENT_KEY_RE = re.compile(r"[^A-Za-z0-9._-]")
# Headers OpenAPI describes elsewhere: a header parameter with one of these names is
# ignored by the standard (Content-Type is the body's media type, Accept the
# responses', Authorization the security scheme's).
_NOT_PARAMETERS = frozenset({"accept", "content-type", "authorization"})
DEFAULT_RESPONSE = "Error"


def to_openapi(spec: ApiSpec) -> dict[str, Any]:
    """The OpenAPI 3.1 document of ``spec`` as plain data (JSON/YAML-ready)."""
    return _Exporter(spec).document()


def dump_openapi(document: dict[str, Any], output_format: str = "yaml") -> str:
    """The document as YAML (default) or JSON text, ending with a newline."""
    if output_format == "json":
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    text: str = yaml.safe_dump(
        document,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    return text


@dataclass
class _Call:
    """One operation with what the export needs to know about where it lives."""

    op: Operation
    resource: Resource
    operation_id: str


class _Exporter:
    def __init__(self, spec: ApiSpec) -> None:
        self.spec = spec
        self.models = {m.name: m for m in spec.models}
        self.types = TypeSchemas(set(self.models), SCHEMA_REF)
        self.settings = {s.name: s for s in spec.settings}
        self.by_variable = {s.variable: s for s in spec.settings if s.variable}
        self.request_models = _request_models(spec)
        self.security_schemes: dict[str, dict[str, Any]] = {}
        self.scheme_keys: dict[str, str] = {}
        self.header_security: list[str] = []
        self.header_parameters: dict[str, dict[str, Any]] = {}

    # -- the document ----------------------------------------------------------------

    def document(self) -> dict[str, Any]:
        spec = self.spec
        self._security()
        self._default_headers()
        info: dict[str, Any] = {"title": spec.title or spec.package}
        if spec.description:
            info["description"] = spec.description
        info["version"] = spec.version
        document: dict[str, Any] = {
            "openapi": OPENAPI_VERSION,
            "info": info,
            "servers": [self._main_server()],
        }
        tags = self._tags()
        if tags:
            document["tags"] = tags
        document["paths"] = self._paths()
        components: dict[str, Any] = {}
        schemas = self._schemas()
        if schemas:
            components["schemas"] = schemas
        components["responses"] = {
            DEFAULT_RESPONSE: {
                "description": "Any other non-2xx status: the client raises ApiError"
                " (or its subclass for the status)."
            }
        }
        if self.header_parameters:
            components["parameters"] = dict(sorted(self.header_parameters.items()))
        if self.security_schemes:
            components["securitySchemes"] = dict(sorted(self.security_schemes.items()))
        document["components"] = components
        document["x-pmgen"] = {"package": spec.package, "source": spec.source}
        return document

    # -- servers ---------------------------------------------------------------------

    def _main_server(self) -> dict[str, Any]:
        base = self.settings.get("base_url")
        if base is not None and base.default and not base.secret:
            return {"url": base.default.rstrip("/") or "/"}
        return self._server("{base_url}")

    def _server(self, url: str) -> dict[str, Any]:
        """A server for a URL template; each ``{name}`` is a server variable."""
        url = _DOUBLE_RE.sub(r"{\1}", url).rstrip("/") or "/"
        server: dict[str, Any] = {"url": url}
        variables: dict[str, Any] = {}
        for name in _PLACEHOLDER_RE.findall(url):
            setting = self.settings.get(name) or self.by_variable.get(name)
            default = setting.default if setting and not setting.secret else None
            variables[name] = {"default": (default or "").rstrip("/")}
            if setting is not None:
                variables[name]["description"] = _setting_text(setting)
        if variables:
            server["variables"] = dict(sorted(variables.items()))
        return server

    # -- tags ------------------------------------------------------------------------

    def _tags(self) -> list[dict[str, Any]]:
        tags: list[dict[str, Any]] = []
        seen: set[str] = set()
        prefixes = self.spec.call_prefixes()
        for resource in self.spec.iter_resources():
            if resource.source in seen or not resource.source:
                continue
            seen.add(resource.source)
            tag: dict[str, Any] = {"name": resource.source}
            if resource.description:
                tag["description"] = resource.description
            tag["x-pmgen-attribute"] = prefixes[resource.module].rstrip(".")
            tags.append(tag)
        return tags

    # -- components ------------------------------------------------------------------

    def _schemas(self) -> dict[str, Any]:
        return {
            name: self._model_schema(self.models[name]) for name in sorted(self.models)
        }

    def _model_schema(self, model: ModelDef) -> dict[str, Any]:
        is_request = model.name in self.request_models
        schema: dict[str, Any] = {"type": "object"}
        if model.description:
            schema["description"] = model.description
        properties: dict[str, Any] = {}
        for field in model.fields:
            prop = self.types.schema(field.type, nullable=not is_request)
            if field.description:
                prop = _described(prop, field.description)
            if field.key in model.defaults:
                prop = _with(prop, "default", model.defaults[field.key])
            if field.name != field.key:
                prop = _with(prop, "x-python-name", field.name)
            properties[field.key] = prop
        if properties:
            schema["properties"] = properties
        required = [f.key for f in model.fields if f.required]
        if required:
            schema["required"] = required
        schema["x-python-class"] = model.name
        return schema

    def _security(self) -> None:
        for scheme in self.spec.auth:
            key = _component_key(scheme.name, self.security_schemes)
            self.scheme_keys[scheme.name] = key
            self.security_schemes[key] = security_scheme(scheme)

    def _default_headers(self) -> None:
        """Client-wide headers: credentials become API-key schemes, the rest
        reusable header parameters every operation references."""
        secret = {s.name for s in self.spec.settings if s.secret}
        secret |= {c.name for a in self.spec.auth for c in a.credentials}
        for header in self.spec.default_headers:
            names = _PLACEHOLDER_RE.findall(_undouble_braces(header.value, keep=True))
            credential = [n for n in names if n in secret]
            if credential:
                key = _component_key(f"{credential[0]}_header", self.security_schemes)
                self.security_schemes[key] = {
                    "type": "apiKey",
                    "in": "header",
                    "name": header.name,
                    "description": f"The client sends ``{header.name}:"
                    f" {_undouble_braces(header.value)}`` on every call.",
                }
                self.header_security.append(key)
                continue
            if header.name.lower() in _NOT_PARAMETERS:
                continue
            key = _component_key(header.name, self.header_parameters)
            self.header_parameters[key] = self._default_header(header, names)

    def _default_header(self, header: Header, names: list[str]) -> dict[str, Any]:
        template = _undouble_braces(header.value)
        schema: dict[str, Any] = {"type": "string"}
        values = {n: self.settings[n].default for n in names if n in self.settings}
        if all(values.get(n) for n in names):
            schema["default"] = (
                _PLACEHOLDER_RE.sub(
                    lambda m: str(values[m.group(1)]),
                    _undouble_braces(header.value, True),
                )
                .replace("\x00", "{")
                .replace("\x01", "}")
            )
        text = f"Sent by the client on every call: ``{template}``."
        if names:
            text += " Filled from the client settings " + ", ".join(
                f"``{n}``" for n in names
            )
            text += "."
        return {
            "name": header.name,
            "in": "header",
            "required": False,
            "description": text,
            "schema": schema,
        }

    # -- paths -----------------------------------------------------------------------

    def _paths(self) -> dict[str, Any]:
        groups: dict[tuple[str, str], list[_Call]] = {}
        templates: dict[str, str] = {}
        prefixes = self.spec.call_prefixes()
        for resource, op in self.spec.iter_operations():
            path = _path_of(op)
            shape = _PLACEHOLDER_RE.sub("{}", path)
            template = templates.setdefault(shape, path)
            attribute = prefixes[resource.module].removeprefix("client.")
            call = _Call(op, resource, attribute + op.name)
            groups.setdefault((template, op.method.lower()), []).append(call)
        paths: dict[str, dict[str, Any]] = {}
        for (template, method), calls in groups.items():
            fragments = [self._operation(c, template) for c in calls]
            operation = merge_operations(fragments, self._main_server())
            item = paths.setdefault(template, {})
            if method in _METHODS:
                item[method] = operation
            else:  # not an OpenAPI method: kept the way OpenAPI 3.2 writes it
                extra = item.setdefault("x-additionalOperations", {})
                extra[method.upper()] = operation
        return {
            template: {
                key: item[key] for key in sorted(item, key=_method_order) if key in item
            }
            for template, item in sorted(paths.items())
        }

    def _operation(self, call: _Call, template: str) -> dict[str, Any]:
        op = call.op
        operation: dict[str, Any] = {}
        if call.resource.source:
            operation["tags"] = [call.resource.source]
        operation["summary"] = op.title.strip() or op.name
        if op.description:
            operation["description"] = op.description
        operation["operationId"] = call.operation_id
        parameters = self._parameters(op, template)
        if parameters:
            operation["parameters"] = parameters
        body = self._request_body(op)
        if body is not None:
            operation["requestBody"] = body
        operation["responses"] = self._responses(op)
        security = self._operation_security(op)
        if security is not None:
            operation["security"] = security
        if op.base_url:
            operation["servers"] = [self._server(op.base_url)]
        return operation

    def _operation_security(self, op: Operation) -> list[dict[str, list[str]]] | None:
        requirement: dict[str, list[str]] = {k: [] for k in self.header_security}
        if op.auth is not None and op.auth in self.scheme_keys:
            requirement[self.scheme_keys[op.auth]] = []
        if not requirement:
            return None
        return [dict(sorted(requirement.items()))]

    def _parameters(self, op: Operation, template: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        path_params = {p.name: p for p in op.parameters if p.location == "path"}
        own = _PLACEHOLDER_RE.findall(_path_of(op))
        shared = _PLACEHOLDER_RE.findall(template)
        for own_name, name in zip(own, shared, strict=True):
            if any(p["in"] == "path" and p["name"] == name for p in found):
                continue
            param = path_params.get(own_name)
            if param is not None:
                found.append(self._parameter(param, "path", name))
            else:
                found.append(self._setting_parameter(own_name, name))
        for param in op.parameters:
            if param.location in ("query", "header"):
                _add_parameter(found, self._parameter(param, param.location, param.key))
        for header in op.headers:
            if header.name.lower() in _NOT_PARAMETERS:
                continue
            _add_parameter(
                found,
                {
                    "name": header.name,
                    "in": "header",
                    "required": False,
                    "description": f"The client always sends ``{header.value}``.",
                    "schema": {"type": "string", "default": header.value},
                },
            )
        found += [
            {"$ref": "#/components/parameters/" + key}
            for key in self.header_parameters
            if self.header_parameters[key]["name"].lower()
            not in {name.lower() for name in op.omit_headers}
            and not any(
                p.get("in") == "header"
                and str(p.get("name", "")).lower()
                == self.header_parameters[key]["name"].lower()
                for p in found
            )
        ]
        return found

    def _parameter(self, param: Parameter, where: str, name: str) -> dict[str, Any]:
        schema = self.types.schema(param.type, nullable=False)
        if param.has_default and param.default is not None:
            schema = _with(schema, "default", param.default)
        entry: dict[str, Any] = {
            "name": name,
            "in": where,
            "required": where == "path" or (param.required and not param.has_default),
        }
        text = _parameter_text(param)
        if text:
            entry["description"] = text
        entry["schema"] = schema
        if param.example not in (None, "", param.default):
            entry["example"] = param.example
        if param.name != name:
            entry["x-python-name"] = param.name
        return entry

    def _setting_parameter(self, own_name: str, name: str) -> dict[str, Any]:
        """A placeholder of the path filled by the client from a setting."""
        setting = self.settings.get(own_name)
        schema: dict[str, Any] = {"type": "string"}
        if setting is not None and setting.default and not setting.secret:
            schema["default"] = setting.default
        entry: dict[str, Any] = {"name": name, "in": "path", "required": True}
        if setting is not None:
            entry["description"] = _setting_text(setting)
            entry["x-pmgen-setting"] = setting.name
        entry["schema"] = schema
        return entry

    # -- request bodies --------------------------------------------------------------

    def _request_body(self, op: Operation) -> dict[str, Any] | None:
        body = op.body
        if body is None:
            return None
        fields = [p for p in op.parameters if p.location == "body"]
        media = _body_media_type(op, body)
        required = True
        schema: dict[str, Any]
        example: Any = body.template
        if body.kind == "json" and body.model:
            schema = {"$ref": SCHEMA_REF + body.model}
        elif body.kind in ("form", "graphql"):
            schema = self._fields_schema(fields)
            example = {
                p.key: p.default
                for p in fields
                if p.has_default and p.default is not None
            }
        elif body.kind == "file":
            schema = {"type": "string", "format": "binary"}
        else:
            param = next((p for p in fields if p.name == body.parameter), None)
            schema = (
                self.types.schema(param.type, nullable=False)
                if param is not None
                else {}
            )
            if param is not None and param.has_default and param.default is not None:
                schema = _with(schema, "default", param.default)
            required = param is None or (param.required and not param.has_default)
        content: dict[str, Any] = {"schema": schema}
        if example not in (None, "", {}):
            content["example"] = example
        return {"required": required, "content": {media: content}}

    def _fields_schema(self, fields: list[Parameter]) -> dict[str, Any]:
        properties: dict[str, Any] = {}
        for param in fields:
            prop = self.types.schema(param.type, nullable=False)
            if param.has_default and param.default is not None:
                prop = _with(prop, "default", param.default)
            text = _parameter_text(param)
            if text:
                prop = _described(prop, text)
            if param.key in properties:  # a repeated form key: a list of values
                if properties[param.key].get("type") != "array":
                    properties[param.key] = {
                        "type": "array",
                        "items": properties[param.key],
                    }
                continue
            properties[param.key] = prop
        schema: dict[str, Any] = {"type": "object"}
        if properties:
            schema["properties"] = properties
        required = sorted({p.key for p in fields if p.required and not p.has_default})
        if required:
            schema["required"] = required
        return schema

    # -- responses -------------------------------------------------------------------

    def _responses(self, op: Operation) -> dict[str, Any]:
        by_status: dict[int, list[Example]] = {}
        for example in op.examples:
            if 100 <= example.status <= 599:  # what an OpenAPI response key can say
                by_status.setdefault(example.status, []).append(example)
        statuses = {*by_status, op.result.status}
        responses: dict[str, Any] = {}
        for status in sorted(statuses):
            responses[str(status)] = self._response(
                op, status, by_status.get(status, [])
            )
        responses["default"] = {"$ref": "#/components/responses/" + DEFAULT_RESPONSE}
        return responses

    def _response(
        self, op: Operation, status: int, examples: list[Example]
    ) -> dict[str, Any]:
        response: dict[str, Any] = {"description": _status_text(status)}
        if not 200 <= status < 300:
            response["x-pmgen-error"] = error_class(status)
        headers = _response_headers(examples)
        if headers:
            response["headers"] = headers
        content: dict[str, dict[str, Any]] = {}
        result = op.result if status == op.result.status else None
        for example in examples:
            if not (example.body or "").strip():
                continue
            media, value = _example_value(example)
            entry = content.setdefault(media, {})
            if result is None:
                entry.setdefault(
                    "schema",
                    value_schema(value) if media_is_json(media) else {"type": "string"},
                )
            named = entry.setdefault("examples", {})
            key = unique(example.name or "example", named)
            named[key] = (
                {"summary": example.name, "value": value}
                if example.name
                else {"value": value}
            )
        if result is not None:
            self._result_content(op, content)
        if content:
            response["content"] = {
                k: _ordered_media(v) for k, v in sorted(content.items())
            }
        return response

    def _result_content(
        self, op: Operation, content: dict[str, dict[str, Any]]
    ) -> None:
        result = op.result
        if result.kind in ("model", "json"):
            schema = self.types.schema(result.type)
            json_media = [m for m in content if media_is_json(m)]
            for media in json_media or ["application/json"]:
                content.setdefault(media, {})["schema"] = schema
            for media in content:
                content[media].setdefault("schema", {"type": "string"})
        elif result.kind == "text":
            accept = _header(op, "accept")
            if not content:
                content[_media_type(accept) if accept else "text/plain"] = {}
            for media in content:
                content[media]["schema"] = {"type": "string"}
        elif result.kind == "auto":
            for media in content:
                content[media].setdefault("schema", {})
        # "empty": the examples' bodies (if any) are kept as they are


# -- helpers -------------------------------------------------------------------------


def _request_models(spec: ApiSpec) -> set[str]:
    """Models reachable from request bodies (their ``None`` means "not sent")."""
    models = {m.name: m for m in spec.models}
    pending = [
        op.body.model for _r, op in spec.iter_operations() if op.body and op.body.model
    ]
    found: set[str] = set()
    while pending:
        name = pending.pop()
        if name in found or name not in models:
            continue
        found.add(name)
        for field in models[name].fields:
            pending += [
                n
                for n in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", field.type)
                if n in models
            ]
    return found


def _path_of(op: Operation) -> str:
    path = op.path or "/"
    return path if path.startswith("/") else "/" + path


def _method_order(key: str) -> tuple[int, str]:
    return (_METHODS.index(key), key) if key in _METHODS else (len(_METHODS), key)


def _add_parameter(found: list[dict[str, Any]], param: dict[str, Any]) -> None:
    """Add a parameter unless one with the same name and location is there already
    (a header twice with other values: the first one stays, the others' values are
    examples)."""
    key = parameter_key(param)
    for existing in found:
        if parameter_key(existing) != key:
            continue
        value = param.get("schema", {}).get("default", param.get("example"))
        if value is not None:
            add_example(existing, str(param.get("x-python-name", param["name"])), value)
        return
    found.append(param)


def _parameter_text(param: Parameter) -> str:
    parts = [param.description.strip(), param.provenance.strip()]
    return " ".join(p for p in parts if p)


def _setting_text(setting: Setting) -> str:
    text = f"Client setting ``{setting.name}``"
    return f"{text}: {setting.description}" if setting.description else text + "."


def _body_media_type(op: Operation, body: Body) -> str:
    declared = body.content_type or _header(op, "content-type")
    if body.kind in ("json", "graphql"):
        if declared and media_is_json(_media_type(declared)):
            return _media_type(declared)
        return "application/json"
    if body.kind == "form":
        return "application/x-www-form-urlencoded"
    if declared:
        return _media_type(declared)
    return "application/octet-stream" if body.kind == "file" else "text/plain"


def _header(op: Operation, name: str) -> str:
    return next((h.value for h in op.headers if h.name.lower() == name), "")


def _media_type(content_type: str) -> str:
    """``application/json;charset=UTF-8`` → ``application/json``."""
    media = content_type.split(";", 1)[0].strip().lower()
    return (
        media
        if re.fullmatch(r"[\w.+*-]+/[\w.+*-]+", media)
        else "application/octet-stream"
    )


def media_is_json(media: str) -> bool:
    """Whether a media type carries JSON (``application/json``, ``*+json``)."""
    return media == "application/json" or media.endswith("+json") or "json" in media


def _example_value(example: Example) -> tuple[str, Any]:
    body = example.body or ""
    media = _media_type(example.content_type) if example.content_type else ""
    if not media or media == "text/plain" or media_is_json(media):
        try:
            return (
                media if media_is_json(media) else "application/json",
                json.loads(body),
            )
        except ValueError:
            pass
    return (media or "text/plain", body)


def _response_headers(examples: list[Example]) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    for example in examples:
        for header in example.headers:
            if header.name.lower() == "content-type":
                continue
            if any(k.lower() == header.name.lower() for k in headers):
                continue
            headers[header.name] = {
                "schema": {"type": "string"},
                "example": header.value,
            }
    return dict(sorted(headers.items(), key=lambda kv: kv[0].lower()))


def _status_text(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"Status {status}"


def _ordered_media(entry: dict[str, Any]) -> dict[str, Any]:
    return {k: entry[k] for k in ("schema", "example", "examples") if k in entry}


def _component_key(name: str, taken: Iterable[str]) -> str:
    key = _COMPONENT_KEY_RE.sub("_", name) or "scheme"
    return unique(key, taken).replace(" (", "_").replace(")", "")


def _with(schema: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    """``schema`` with one more keyword (a ``$ref`` gets it beside, as 3.1 allows)."""
    return {**schema, key: value}


def _described(schema: dict[str, Any], text: str) -> dict[str, Any]:
    return {**schema, "description": text}


def _undouble_braces(value: str, keep: bool = False) -> str:
    """A header template's text: ``{{`` → ``{``; with ``keep`` the literal braces
    become markers so that ``{name}`` placeholders can still be found."""
    if keep:
        return value.replace("{{", "\x00").replace("}}", "\x01")
    return value.replace("{{", "{").replace("}}", "}")


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder, so a
    reader never sees half a document and a failed run leaves the old file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
