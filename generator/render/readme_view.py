"""The generated package's README: per method a Python snippet, a curl command and
the collection item it came from."""

from __future__ import annotations

import json
from dataclasses import dataclass

from ..naming import (
    comment_text,
    looks_secret,
    py_bytes,
    py_literal,
    safe_text,
    shell_word,
)
from ..spec.model import ApiSpec, Operation, Parameter
from .tests_view import expected_headers, expected_query, test_value
from .views import ordered_parameters


@dataclass
class MethodDoc:
    """One method's section."""

    heading: str
    call: str
    source: str
    python: str
    curl: str
    returns: str


@dataclass
class ReadmeView:
    """The whole README."""

    title: str
    package: str
    source: str
    description: str
    constructor: str
    settings: list[str]
    methods: list[MethodDoc]


def readme(spec: ApiSpec) -> ReadmeView:
    """The README view."""
    values = _placeholders(spec)
    prefixes = spec.call_prefixes()
    methods = [
        _method(spec, prefixes[resource.module] + op.name, op, values)
        for resource, op in spec.iter_operations()
    ]
    return ReadmeView(
        title=comment_text(spec.title),
        package=spec.package,
        source=spec.source,
        description=_first_paragraph(spec.description),
        constructor=_constructor(spec),
        settings=[f"`{s.name}`: {comment_text(s.description)}" for s in spec.settings],
        methods=methods,
    )


def _first_paragraph(text: str) -> str:
    return safe_text(text.strip().split("\n\n", 1)[0].strip()) if text else ""


def _placeholders(spec: ApiSpec) -> dict[str, str]:
    values = {s.name: s.default or f"${s.name.upper()}" for s in spec.settings}
    values["base_url"] = "$BASE_URL"
    for scheme in spec.auth:
        for credential in scheme.credentials:
            values[credential.name] = f"${credential.name.upper()}"
    return values


def _constructor(spec: ApiSpec) -> str:
    args = ['"https://api.example.com"']
    for _scheme, credential in spec.credentials():
        args.append(f'{credential.name}=os.environ["{credential.name.upper()}"]')
    return f"Client({', '.join(args)})"


def _method(
    spec: ApiSpec, call: str, op: Operation, values: dict[str, str]
) -> MethodDoc:
    required, _optional = ordered_parameters(op)
    args = ", ".join(_snippet_value(p) for p in required)
    target = "" if op.result.kind == "empty" else "result = "
    return MethodDoc(
        heading=comment_text(op.title),
        call=call,
        source=comment_text(op.source),
        python=f"{target}{call}({args})",
        curl=_curl(spec, op, values),
        returns=op.result.type,
    )


def _snippet_value(param: Parameter) -> str:
    if param.type == "FileContent":
        return 'Path("data.csv")'
    if looks_secret(param.name):
        return param.name
    value = test_value(param)
    return py_bytes(value) if isinstance(value, bytes) else py_literal(value)


def _curl(spec: ApiSpec, op: Operation, values: dict[str, str]) -> str:
    path = op.path
    for param in op.parameters:
        if param.location == "path":
            path = path.replace("{" + param.name + "}", str(test_value(param)))
    for name, value in values.items():
        path = path.replace("{" + name + "}", value)
    query = "&".join(f"{k}={v}" for k, v in expected_query(op))
    url = f"{op.base_url or '$BASE_URL'}{path}" + (f"?{query}" if query else "")
    parts = ["curl", "-X", op.method, shell_word(url)]
    for name, value in expected_headers(spec, op, values):
        parts += ["-H", shell_word(f"{name}: {value}")]
    body = op.body
    if (
        body is not None
        and body.kind in ("json", "graphql")
        and body.template is not None
    ):
        parts += [
            "-d",
            shell_word(json.dumps(body.template, separators=(",", ":")), expand=False),
        ]
    elif body is not None and body.kind == "text":
        parts += ["--data-binary", shell_word(str(body.template), expand=False)]
    elif body is not None and body.kind == "file":
        parts += ["--data-binary", "@data.csv"]
    return " ".join(parts)
