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
    py_string,
    safe_text,
    shell_word,
)
from ..spec.model import ApiSpec, AuthScheme, Operation, Parameter, Resource
from .package_view import own_body_variables
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
    version: str
    source: str
    description: str
    constructor: str
    settings: list[str]
    auth: list[str]
    methods: list[MethodDoc]
    extend_example: list[str]  # Python lines: hooks, and a resource subclass


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
        version=comment_text(spec.version),
        source=spec.source,
        description=_first_paragraph(spec.description),
        constructor=_constructor(spec),
        settings=[f"`{s.name}`: {comment_text(s.description)}" for s in spec.settings],
        auth=[_auth_line(scheme) for scheme in spec.auth],
        methods=methods,
        extend_example=_extend_example(spec),
    )


def _auth_arg(spec: ApiSpec, resource: Resource) -> str:
    """``, auth="name"``: the scheme of the resource's first authenticated request."""
    for owner, op in spec.iter_operations():
        if op.auth and (owner is resource or owner in resource.resources):
            return f", auth={py_string(op.auth)}"
    return ""


def _extend_example(spec: ApiSpec) -> list[str]:
    """Event hooks and a client subclass swapping a resource class, as code."""
    constructor = _constructor(spec)
    resources = spec.iter_resources()
    lines = ["import os"] if "os.environ" in constructor else []
    lines += [
        "import uuid",
        "",
        "import httpx",
        "",
        f"from {spec.package} import Client",
    ]
    if resources:
        first = resources[0]
        lines.append(
            f"from {spec.package}.resources.{first.module} import {first.class_name}"
        )
    lines += [
        "",
        "",
        "def add_request_id(request: httpx.Request) -> None:",
        '    request.headers["X-Request-Id"] = str(uuid.uuid4())',
        "",
        "",
        "def log_response(response: httpx.Response) -> None:",
        "    print(response.request.method, response.request.url, response.status_code)",
        "",
        "",
    ]
    if resources:
        path = spec.call_prefixes()[first.module].removeprefix("client.").rstrip(".")
        lines += [
            f"class My{first.class_name}({first.class_name}):",
            "    def raw(self, path: str) -> httpx.Response:",
            f'        return self._client.request("GET", path{_auth_arg(spec, first)})',
            "",
            "",
            "class MyClient(Client):",
            f'    resource_classes = {{"{path}": My{first.class_name}}}',
            "",
            "",
        ]
        constructor = "My" + constructor
    hooks = "on_request=[add_request_id], on_response=[log_response]"
    lines.append(f"client = {constructor.removesuffix(')')}, {hooks})")
    if resources:
        name = path.rsplit(".", 1)[-1]
        lines += [
            f"{name} = client.{path}  # typed as the generated class",
            f"assert isinstance({name}, My{first.class_name})",
            f'{name}.raw("/status")',
        ]
    return lines


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
    # Settings without a default are required too (a secret sent in a header, a
    # host part with no value); one that is also a credential is passed once.
    passed = {c.name for _scheme, c in spec.credentials()}
    args += [
        f'{s.name}=os.environ["{s.name.upper()}"]'
        for s in spec.settings
        if s.default is None and s.name != "base_url" and s.name not in passed
    ]
    # Secrets written in bodies: optional, but what a user wants to give.
    args += [
        f'{v.argument}=os.environ["{v.argument.upper()}"]'
        for v in own_body_variables(spec)
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
    elif body is not None and body.kind in ("form", "multipart"):
        parts += _curl_fields(op)
    return " ".join(parts)


def _curl_fields(op: Operation) -> list[str]:
    """``--data-urlencode`` / ``-F`` options of a form body."""
    expected = expected_body(op)
    if "form" in expected:
        words = [f"{name}={value}" for name, value in expected["form"]]
        return [
            w
            for word in words
            for w in ("--data-urlencode", shell_word(word, expand=False))
        ]
    out: list[str] = []
    for name, filename, value in expected["multipart"]:
        word = f"{name}=@{filename}" if filename is not None else f"{name}={value}"
        out += ["-F", shell_word(word, expand=False)]
    return out
