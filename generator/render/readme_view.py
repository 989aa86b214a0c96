"""The generated package's README: per method a Python snippet, a curl command and
the collection item it came from."""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass

from ..naming import comment_text, looks_secret, py_bytes, py_literal, safe_text
from ..spec.model import ApiSpec, AuthScheme, Operation, Parameter
from .tests_view import (
    expected_body,
    expected_headers,
    expected_query,
    fetches_token,
    test_value,
    token_key,
)
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
    auth: list[str]
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
        auth=[_auth_line(scheme) for scheme in spec.auth],
        methods=methods,
    )


def _auth_line(scheme: AuthScheme) -> str:
    """What an auth scheme sends, and the constructor arguments it takes."""
    options = scheme.options
    args = ", ".join(f"`{c.name}`" for c in scheme.credentials)
    if scheme.kind == "external":
        return (
            f"`{scheme.name}`: the collection's `{comment_text(scheme.protocol)}` auth is"
            f" not reproduced by pmgen; pass an `httpx.Auth` for it as {args}"
        )
    what = {
        "bearer": "`Authorization: Bearer` token",
        "basic": "HTTP Basic",
        "api_key": f"API key in the {scheme.location} `{comment_text(scheme.key_name)}`",
        "digest": "HTTP Digest, answering the server's challenge",
        "oauth1": f"OAuth 1.0 signature ({options.get('signature_method', 'HMAC-SHA1')})",
        "oauth2": (
            f"OAuth 2.0 token fetched from `{options['token_url']}` and cached"
            if fetches_token(scheme)
            else "OAuth 2.0 access token"
        ),
        "hawk": f"Hawk ({options.get('algorithm', 'sha256')})",
        "aws_sigv4": (
            f"AWS Signature v4 (region `{options.get('region', 'us-east-1')}`,"
            f" service `{options.get('service', 'execute-api')}`)"
        ),
    }[scheme.kind]
    return f"`{scheme.name}`: {comment_text(str(what))}; arguments {args}"


def _first_paragraph(text: str) -> str:
    return safe_text(text.strip().split("\n\n", 1)[0].strip()) if text else ""


def _placeholders(spec: ApiSpec) -> dict[str, str]:
    values = {s.name: s.default or f"${s.name.upper()}" for s in spec.settings}
    values["base_url"] = "$BASE_URL"
    for scheme in spec.auth:
        for credential in scheme.credentials:
            values[credential.name] = f"${credential.name.upper()}"
        if fetches_token(scheme):
            values[token_key(scheme)] = "$ACCESS_TOKEN"
    return values


def _constructor(spec: ApiSpec) -> str:
    # Without a base_url (several APIs served apart), each has its URL setting.
    has_base = any(s.name == "base_url" for s in spec.settings)
    args = ['"https://api.example.com"'] if has_base else []
    for scheme, credential in spec.credentials():
        if scheme.kind == "external":
            args.append(f"{credential.name}=...")  # an httpx.Auth of the user's
        else:
            args.append(f'{credential.name}=os.environ["{credential.name.upper()}"]')
    # Secrets sent in a header are required settings too.
    args += [
        f'{s.name}=os.environ["{s.name.upper()}"]'
        for s in spec.settings
        if s.secret and s.default is None and s.name != "base_url"
    ]
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


def _shell_word(text: str) -> str:
    """A shell word: double quotes (so ``$VARS`` expand) when ``text`` uses one."""
    if "$" in text:
        escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`")
        return f'"{escaped}"'
    return shlex.quote(text)


def _curl(spec: ApiSpec, op: Operation, values: dict[str, str]) -> str:
    path = op.path
    for param in op.parameters:
        if param.location == "path":
            path = path.replace("{" + param.name + "}", str(test_value(param)))
    for name, value in values.items():
        path = path.replace("{" + name + "}", value)
    query = "&".join(f"{k}={v}" for k, v in expected_query(op))
    url = f"{op.base_url or '$BASE_URL'}{path}" + (f"?{query}" if query else "")
    parts = ["curl", "-X", op.method, _shell_word(url)]
    for name, value in expected_headers(spec, op, values):
        parts += ["-H", _shell_word(f"{name}: {value}")]
    body = op.body
    if (
        body is not None
        and body.kind in ("json", "graphql")
        and body.template is not None
    ):
        parts += ["-d", shlex.quote(json.dumps(body.template, separators=(",", ":")))]
    elif body is not None and body.kind == "text":
        parts += ["--data-binary", shlex.quote(str(body.template))]
    elif body is not None and body.kind == "file":
        parts += ["--data-binary", "@data.csv"]
    elif body is not None and body.kind in ("form", "multipart"):
        parts += _curl_fields(op)
    return " ".join(parts)


def _curl_fields(op: Operation) -> list[str]:
    """``--data-urlencode`` / ``-F`` options of a form body."""
    expected = expected_body(op)
    if "form" in expected:
        words = [f"{name}={value}" for name, value in expected["form"]]
        return [w for word in words for w in ("--data-urlencode", shlex.quote(word))]
    out: list[str] = []
    for name, filename, value in expected["multipart"]:
        word = f"{name}=@{filename}" if filename is not None else f"{name}={value}"
        out += ["-F", shlex.quote(word)]
    return out
