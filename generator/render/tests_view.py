"""Views of the generated package's own tests (offline, ``httpx.MockTransport``).

For every operation: call it with test values and check that the method, path,
query, headers and body are what the collection specifies. The expected path is
worked out from the collection's URL as written (not from the generated code), so a
wrong translation fails. Every saved example is served back and must parse into the
declared result, and error examples must raise their typed error.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import unquote, urlsplit

from ..naming import (
    NameScope,
    docstring_text,
    error_class,
    looks_secret,
    py_bytes,
    py_literal,
    py_string,
    snake,
)
from ..spec.infer import string_kind
from ..spec.model import (
    ApiSpec,
    AuthScheme,
    Example,
    Operation,
    Parameter,
    Resource,
)
from ..spec.variables import VAR_RE, substitute
from .imports import ImportSet
from .pyfmt import bracket, def_lines, fits, head_and_body, literal, statement
from .views import CodeBlock, module_docstring, ordered_parameters

BASE_URL = "https://api.example.test"
EXCHANGE_TOKEN = "test-access-token"  # what ``Exchange`` answers a token request with


@dataclass
class TestFunction(CodeBlock):
    """One test function's lines (unindented name line included)."""


@dataclass
class TestModuleView:
    """One ``tests/test_<module>.py``."""

    docstring: str
    imports: list[str]
    constants: list[str]
    functions: list[TestFunction] = field(default_factory=list)


@dataclass
class ClientsModuleView:
    """``tests/_clients.py``: the clients under test, wired to a recording transport."""

    docstring: str
    imports: list[str]
    sync_kwargs: list[str]
    async_kwargs: list[str]


TEST_FILE = b"Id,Name\n001,Acme\n"
"""The file content generated tests upload."""


def test_value(param: Parameter) -> Any:
    """The value a generated test passes for a required parameter."""
    if param.example not in (None, "") and not looks_secret(param.name):
        return (
            param.example
            if param.type.startswith(("str", "int", "float", "bool"))
            else None
        )
    if param.type in ("FileContent", "FormFiles | None"):
        return TEST_FILE
    return f"test-{param.name.replace('_', '-')}"


def _test_setting(name: str, url: bool) -> str:
    slug = name.replace("_", "-")
    return f"https://{slug}.example.test" if url else f"test-{slug}"


def setting_values(spec: ApiSpec) -> dict[str, str]:
    """Test values of the client's settings and credentials, by argument name."""
    values = {
        # A base URL with a path of its own would add it to every expected path.
        s.name: (
            _test_setting(s.name, s.url)
            if not s.default or (s.url and urlsplit(s.default).path.strip("/"))
            else s.default
        )
        for s in spec.settings
    }
    if "base_url" in values:
        values["base_url"] = BASE_URL
    for scheme in spec.auth:
        for credential in scheme.credentials:
            values[credential.name] = _test_setting(
                credential.name, credential.role == "token_url"
            )
        if fetches_token(scheme):
            values[token_key(scheme)] = EXCHANGE_TOKEN
    for variable in spec.body_variables:
        values.setdefault(variable.argument, _test_setting(variable.argument, False))
    return values


def fetches_token(scheme: AuthScheme) -> bool:
    """Whether ``scheme`` gets its OAuth 2.0 token from a token endpoint."""
    return scheme.kind == "oauth2" and all(
        c.role != "access_token" for c in scheme.credentials
    )


def token_key(scheme: AuthScheme) -> str:
    """Key, in the values of settings, of the token a fetching scheme sends."""
    return f"{scheme.name}.token"


def _token_urls(spec: ApiSpec, values: dict[str, str]) -> list[str]:
    urls: list[str] = []
    for scheme in spec.auth:
        if fetches_token(scheme):
            url = scheme.options.get("token_url")
            named = [c.name for c in scheme.credentials if c.role == "token_url"]
            urls.append(str(url) if url else values[named[0]])
    return urls


def clients_module(spec: ApiSpec) -> ClientsModuleView:
    """The view of ``tests/_clients.py``."""
    values = setting_values(spec)
    imports = ImportSet(package=spec.package)
    imports.add("__future__", "annotations")
    external = {
        c.name for a in spec.auth if a.kind == "external" for c in a.credentials
    }
    kwargs = [
        # A no-op httpx.Auth stands for the one the user supplies.
        f"{name}=httpx.Auth()" if name in external else f"{name}={py_string(value)}"
        for name, value in values.items()
        if "." not in name
    ]
    if external:
        imports.add("httpx")
    imports.add(f"{spec.package}", "AsyncClient", "Client")
    imports.add("._support", "Exchange")
    urls = ", ".join(py_string(url) for url in _token_urls(spec, values))
    return ClientsModuleView(
        docstring=module_docstring(
            "Clients under test, on a recording transport.", spec.source
        ),
        imports=imports.lines(),
        sync_kwargs=[*kwargs, f"http_client=exchange.sync_http({urls})"],
        async_kwargs=[*kwargs, f"http_client=exchange.async_http({urls})"],
    )


def test_module(spec: ApiSpec, resource: Resource, call_prefix: str) -> TestModuleView:
    """The tests of one resource's operations."""
    imports = ImportSet(package=spec.package)
    imports.add("__future__", "annotations")
    imports.add("asyncio")
    imports.add("httpx")
    imports.add("._clients", "async_client", "sync_client")
    imports.add("._support", "Exchange")
    view = TestModuleView(
        docstring=module_docstring(
            f"Offline tests of {resource.source or 'the top-level requests'!r}.",
            spec.source,
        ),
        imports=[],
        constants=[],
    )
    names = NameScope()
    values = setting_values(spec)
    for op in resource.operations:
        _operation_tests(
            spec, op, f"{call_prefix}{op.name}", values, imports, view, names
        )
    view.imports = imports.lines()
    return view


def _operation_tests(
    spec: ApiSpec,
    op: Operation,
    call: str,
    values: dict[str, str],
    imports: ImportSet,
    view: TestModuleView,
    names: NameScope,
) -> None:
    args = _call_args(op)
    check = names.claim(f"_check_{op.name}")
    view.functions.append(
        TestFunction(_check_function(spec, op, check, values, imports))
    )
    success = [e for e in op.examples if 200 <= e.status < 300]
    served = _served_example(op, success)
    test = names.claim(f"test_{op.name}")
    view.functions.append(
        TestFunction(_call_test(op, test, call, args, check, served, imports, False))
    )
    view.functions.append(
        TestFunction(
            _call_test(
                op,
                names.claim(test + "_async"),
                call,
                args,
                check,
                served,
                imports,
                True,
            )
        )
    )
    if op.result.stream:
        for is_async in (False, True):
            name = names.claim(test + ("_stream_async" if is_async else "_stream"))
            view.functions.append(
                TestFunction(
                    _stream_test(op, name, call, args, check, served, is_async)
                )
            )
    for example in (
        op.examples[1:] if success and op.examples[0] is served else op.examples
    ):
        if example is served:
            continue
        label = snake(example.name, fallback="example")
        name = names.claim(f"test_{op.name}_example_{label}"[:72].rstrip("_"))
        if example.status >= 400:
            view.functions.append(
                TestFunction(_error_test(op, name, call, args, example, imports))
            )
        elif 200 <= example.status < 300:
            view.functions.append(
                TestFunction(
                    _call_test(op, name, call, args, check, example, imports, False)
                )
            )


def call_lines(head: str, call: str, args: list[str], indent: int) -> list[str]:
    """``head call(args)`` laid out as black would (a call without arguments cannot
    be split, so black wraps it in parentheses when that makes it fit)."""
    pad = " " * indent
    bare = not head.strip() or head.strip() == "await"
    if args:
        lines = bracket(f"{head}{call}(", args, "", indent)
        if bare or fits(lines[0]):
            return lines
        # black wraps the call in parentheses when its first line then fits
        target, awaited = _target(head)
        inner = bracket(f"{awaited}{call}(", args, "", indent + 4)
        if not fits(inner[0]):
            return lines
        return [f"{pad}{target}(", *inner, f"{pad})"]
    line = f"{pad}{head}{call}()"
    if bare or fits(line):
        return [line]
    wrapped = statement(head, f"{call}()", indent)
    if len(wrapped) > 1:
        return wrapped
    # An assigned or returned call without arguments: black always wraps it.
    target, awaited = _target(head)
    return [f"{pad}{target}(", f"{pad}    {awaited}{call}()", f"{pad})"]


def _target(head: str) -> tuple[str, str]:
    """``head`` split into what is assigned or returned and an ``await``."""
    if head.endswith("await "):
        return head.removesuffix("await "), "await "
    return head, ""


def _served_example(op: Operation, success: list[Example]) -> Example | None:
    """The saved example the mock serves: of the result's status and, for a JSON
    result, one whose body is JSON (an example may have been saved empty)."""
    fitting = [e for e in success if e.status == op.result.status] or success
    if op.result.kind in ("model", "json"):
        for example in fitting:
            if _parsed(example.body or "") is not _NOT_JSON:
                return example
    return fitting[0] if fitting else None


def _call_args(op: Operation) -> list[str]:
    required, optional = ordered_parameters(op)
    out = []
    for param in required:
        value = test_value(param)
        out.append(py_bytes(value) if isinstance(value, bytes) else py_literal(value))
    # File fields are optional (as in Postman); the test sends one to check its part.
    out += [f"{p.name}={py_bytes(TEST_FILE)}" for p in optional if _is_file_field(p)]
    return out


def _is_file_field(param: Parameter) -> bool:
    return param.location == "body" and param.type == "FormFiles | None"


def _exchange(example: Example | None, op: Operation) -> list[str]:
    if example is None:
        status = 204 if op.result.kind == "empty" else 200
        body = "" if op.result.kind in ("empty", "text") else "{}"
        ctype = "application/json" if body else ""
    else:
        status, body, ctype = example.status, example.body or "", example.content_type
    args = [str(status), py_string(body)]
    if ctype:
        args.append(f"content_type={py_string(ctype)}")
    return bracket("exchange = Exchange(", args, "", 4)


def _call_test(
    op: Operation,
    name: str,
    call: str,
    args: list[str],
    check: str,
    example: Example | None,
    imports: ImportSet,
    is_async: bool,
) -> list[str]:
    title = f"{op.title!r}" + (" (async)" if is_async else "")
    lines = [
        *def_lines(f"def {name}(", [], "None", 0),
        f'    """{_doc_safe(f"Calls {title}; checks the request.")}"""',
    ]
    lines += _exchange(example, op)
    returns = _result_type(op, imports)
    target = "" if returns == "None" else "result = "
    if is_async:
        lines += [
            "",
            f"    async def run() -> {returns}:",
            "        async with async_client(exchange) as client:",
            *call_lines(f"{'return ' if target else ''}await ", call, args, 12),
            "",
            f"    {target}asyncio.run(run())",
        ]
    else:
        lines.append("    with sync_client(exchange) as client:")
        lines += call_lines(target, call, args, 8)
    lines += head_and_body(f"{check}(", "exchange.last", ")", 4)
    lines += _result_asserts(op, example, imports)
    return lines


def _result_type(op: Operation, imports: ImportSet) -> str:
    """The annotation of ``run()`` in async tests (what the method returns)."""
    result = op.result
    if result.kind == "empty":
        return "None"
    if result.kind == "text":
        return "str"
    if result.kind == "model":
        return "object"
    imports.add("typing", "Any")
    return "Any"


def _stream_test(
    op: Operation,
    name: str,
    call: str,
    args: list[str],
    check: str,
    example: Example | None,
    is_async: bool,
) -> list[str]:
    lines = [
        *def_lines(f"def {name}(", [], "None", 0),
        f'    """{_doc_safe(f"Streams {op.title!r}; the chunks make up the body.")}"""',
    ]
    lines += _exchange(example, op)
    expected = py_bytes(((example.body or "") if example else "").encode("utf-8"))
    if is_async:
        lines += [
            "",
            "    async def run() -> bytes:",
            "        async with async_client(exchange) as client:",
            *call_lines("stream = ", f"{call}_stream", args, 12),
            '            return b"".join([chunk async for chunk in stream])',
            "",
            "    result = asyncio.run(run())",
        ]
    else:
        lines += [
            "    with sync_client(exchange) as client:",
            *call_lines("stream = ", f"{call}_stream", args, 8),
            '        result = b"".join(stream)',
        ]
    lines += head_and_body(f"{check}(", "exchange.last", ")", 4)
    lines += statement("expected = ", expected, 4)
    lines.append("    assert result == expected")
    return lines


def _result_asserts(
    op: Operation, example: Example | None, imports: ImportSet
) -> list[str]:
    result = op.result
    expected = (example.body or "") if example else ""
    if result.kind == "empty":
        return []  # the method returns None (mypy checks that)
    if result.optional and example is not None and not expected.strip():
        return ["    assert result is None"]
    if result.kind == "text":
        return [
            *statement("expected = ", py_string(expected), 4),
            "    assert result == expected",
        ]
    if result.kind == "model" and example is not None and example.body:
        return _model_asserts(result.type, example, imports)
    if result.kind == "auto" and example and "json" not in example.content_type:
        # Decoded as the runtime decodes a body of unknown type: text, or None.
        if not expected:
            return ["    assert result is None"]
        return ['    assert result == exchange.body.decode("utf-8")']
    if result.kind in ("json", "auto") and "date" not in result.type:
        # What was served, decoded as JSON (no conversion changes plain JSON values).
        imports.add("json")
        return ["    assert result == json.loads(exchange.body)"]
    return ["    assert result is not None"]


def _model_asserts(type_: str, example: Example, imports: ImportSet) -> list[str]:
    data = _parsed(example.body or "")
    if data is _NOT_JSON:
        return []
    if type_.startswith("list["):
        return [
            "    assert isinstance(result, list)",
            f"    assert len(result) == {len(data)}",
        ]
    model = type_.split(" ")[0]
    imports.add(f"{imports.package}.models", model)
    lines = [f"    assert isinstance(result, {model})"]
    for key, value in (data.items() if isinstance(data, dict) else []):
        # A date or time comes back as a datetime (re-serialised differently).
        if isinstance(value, str) and value and string_kind(value) == "str":
            lines += statement("expected = ", py_string(value), 4)
            lines.append(f"    assert result.to_dict()[{py_string(key)}] == expected")
            break
    return lines


def _error_test(
    op: Operation,
    name: str,
    call: str,
    args: list[str],
    example: Example,
    imports: ImportSet,
) -> list[str]:
    error = error_class(example.status)
    imports.add("pytest")
    imports.add(imports.package, error)
    lines = [
        *def_lines(f"def {name}(", [], "None", 0),
        f'    """{_doc_safe("The saved example " + repr(example.name) + " raises " + error + ".")}"""',
    ]
    lines += _exchange(example, op)
    lines.append(
        "    with sync_client(exchange) as client, pytest.raises("
        + error
        + ") as caught:"
    )
    lines += call_lines("", call, args, 8)
    lines.append(f"    assert caught.value.status_code == {example.status}")
    code = _first_error_code(example.body)
    if code:
        lines += statement("expected = ", py_string(code), 4)
        lines.append("    assert caught.value.errors[0].error_code == expected")
    return lines


def _first_error_code(body: str | None) -> str | None:
    data = _parsed(body or "")
    if isinstance(data, list) and data and isinstance(data[0], dict):
        code = data[0].get("errorCode")
        return code if isinstance(code, str) else None
    return None


_NOT_JSON = object()


@lru_cache(maxsize=64)
def _parsed(body: str) -> Any:
    """An example's body as JSON (``_NOT_JSON`` when it is not); cached: the
    example a test serves is read again by each test checking its result. Never
    mutated by its readers."""
    try:
        return json.loads(body)
    except ValueError:
        return _NOT_JSON


def _doc_safe(text: str) -> str:
    return docstring_text(text)


def _check_function(
    spec: ApiSpec, op: Operation, name: str, values: dict[str, str], imports: ImportSet
) -> list[str]:
    imports.add("._support", "check_request")
    headers: dict[str, str | None] = dict(expected_headers(spec, op, values))
    sent = {header.lower() for header in headers}
    # A header the request leaves out must be absent (None).
    headers.update({n: None for n in op.omit_headers if n.lower() not in sent})
    expected: dict[str, Any] = {
        "method": op.method,
        "path": expected_path(spec, op, values),
        "query": [
            [k, v] for k, v in [*expected_query(op), *auth_query(spec, op, values)]
        ],
        "headers": headers,
    }
    filled = {v.variable: values[v.argument] for v in spec.body_variables}
    expected.update(_filled(expected_body(op), filled))
    scheme = next((a for a in spec.auth if a.name == op.auth), None)
    if (
        scheme is not None
        and scheme.kind == "oauth1"
        and not scheme.options.get("add_params_to_header")
    ):
        # Signed per request (nonce, time): sent in the query or the form body.
        expected["signed"] = "oauth_"
    return [
        *def_lines(f"def {name}(", ["request: httpx.Request"], "None", 0),
        *literal(expected, 4, "expected = "),
        "    check_request(request, expected)",
    ]


def _without_origin(url: str) -> str:
    """The path part of a URL as the collection writes it (scheme and host cut
    off before any variable is replaced, so a host variable cannot leak in)."""
    if "://" in url:
        rest = url.split("://", 1)[1]
        return "/" + rest.split("/", 1)[1] if "/" in rest else ""
    if url.startswith("{{"):
        # Every leading variable is part of the origin: "{{url}}{{site}}/x".
        rest = re.sub(r"^(\{\{[^{}]*\}\})+", "", url)
        return rest if rest.startswith("/") or not rest else "/" + rest
    if "/" in url and not url.startswith("/"):
        return "/" + url.split("/", 1)[1]  # a host written without a scheme
    return url


def expected_path(spec: ApiSpec, op: Operation, values: dict[str, str]) -> str:
    """The request path the collection's URL gives with the test values."""
    raw = _without_origin(op.url.split("?", 1)[0].split("#", 1)[0])
    by_variable = {p.variable: p for p in op.parameters if p.variable}
    by_key = {p.key: p for p in op.parameters if p.location == "path"}
    # Two settings may replace one variable name (collections combined into one
    # client): the one the operation's path names wins.
    target = (op.base_url or "") + op.path
    settings = {
        s.variable: s
        for s in sorted(spec.settings, key=lambda s: "{" + s.name + "}" in target)
        if s.variable
    }

    def var(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in by_variable:
            return str(test_value(by_variable[name]))
        if name in settings:
            return values.get(settings[name].name, "")
        return match.group(0)

    text = VAR_RE.sub(var, raw)
    segments = [
        str(test_value(by_key[s[1:]])) if s.startswith(":") and s[1:] in by_key else s
        for s in text.split("/")
    ]
    return unquote("/".join(segments)) or "/"  # httpx sends an empty path as "/"


def expected_query(op: Operation) -> list[tuple[str, str]]:
    """The query pairs sent by a call with default arguments."""
    pairs = []
    for param in op.parameters:
        if param.location != "query":
            continue
        if param.flag:  # the key alone: read back as an empty value
            pairs.append((param.key, ""))
            continue
        value = param.default if param.has_default else test_value(param)
        if value is None:
            continue
        pairs.append(
            (
                param.key,
                "true" if value is True else "false" if value is False else str(value),
            )
        )
    return pairs


def auth_query(
    spec: ApiSpec, op: Operation, values: dict[str, str]
) -> list[tuple[str, str]]:
    """The query parameter an API-key scheme adds (it comes after the others)."""
    scheme = next((a for a in spec.auth if a.name == op.auth), None)
    query_token = scheme is not None and scheme.options.get("add_token_to") == "query"
    if scheme is not None and scheme.kind == "oauth2" and query_token:
        return [("access_token", _oauth2_token(scheme, values))]
    if scheme is None or scheme.kind != "api_key" or scheme.location != "query":
        return []
    return [(scheme.key_name, values[scheme.credentials[0].name])]


def _oauth2_token(scheme: AuthScheme, values: dict[str, str]) -> str:
    named = [c.name for c in scheme.credentials if c.role == "access_token"]
    return values[named[0]] if named else values[token_key(scheme)]


def expected_headers(
    spec: ApiSpec, op: Operation, values: dict[str, str]
) -> list[tuple[str, str]]:
    """Headers the request must carry (later entries win over earlier ones)."""
    found: dict[str, tuple[str, str]] = {}
    for header in spec.default_headers:
        found[header.name.lower()] = (header.name, _fill(header.value, values))
    for name in op.omit_headers:
        found.pop(name.lower(), None)
    for header in op.headers:
        found[header.name.lower()] = (header.name, header.value)
    for param in op.parameters:
        if param.location == "header" and (
            param.default is not None or not param.has_default
        ):
            value = param.default if param.has_default else test_value(param)
            found[param.key.lower()] = (param.key, str(value))
        elif param.location == "header":  # left out: None removes a client header
            found.pop(param.key.lower(), None)
    scheme = next((a for a in spec.auth if a.name == op.auth), None)
    if scheme is not None and scheme.kind == "bearer":
        found["authorization"] = (
            "Authorization",
            f"Bearer {values[scheme.credentials[0].name]}",
        )
    if scheme is not None and scheme.kind == "basic":
        # The auth scheme wins over an Authorization header the request sets itself.
        user, password = (values[c.name] for c in scheme.credentials[:2])
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        found["authorization"] = ("Authorization", f"Basic {token}")
    if (
        scheme is not None
        and scheme.kind == "oauth2"
        and scheme.options.get("add_token_to", "header") == "header"
    ):
        prefix = str(scheme.options.get("header_prefix", "Bearer"))
        token = _oauth2_token(scheme, values)
        found["authorization"] = (
            "Authorization",
            f"{prefix} {token}" if prefix else token,
        )
    if scheme is not None and scheme.kind == "api_key" and scheme.location == "header":
        found[scheme.key_name.lower()] = (
            scheme.key_name,
            values[scheme.credentials[0].name],
        )
    if scheme is not None and (
        scheme.kind in ("hawk", "aws_sigv4")
        or (scheme.kind == "oauth1" and scheme.options.get("add_params_to_header"))
    ):
        # Signed per request (nonce, time): replaces a client-wide Authorization
        # header (one of another sub-client, in a client of several collections).
        found.pop("authorization", None)
    return list(found.values())


def _fill(template: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        template = template.replace("{" + name + "}", value)
    return template.replace("{{", "{").replace("}}", "}")


def expected_body(op: Operation) -> dict[str, Any]:
    body = op.body
    if body is None:
        return {}
    if body.kind in ("json", "graphql"):
        return {"json": _json_expected(op)}
    if body.kind == "text":
        return {"content": str(body.template or "")}
    if body.kind == "file":
        return {"content": TEST_FILE.decode()}
    if body.kind == "multipart":
        return {"multipart": _multipart_expected(op)}
    pairs = [
        [p.key, str(p.default if p.has_default else test_value(p))]
        for p in op.parameters
        if p.location == "body" and (p.default is not None or not p.has_default)
    ]
    return {"form": pairs}


def _filled(expected: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    """An expected body with the client's body variables filled, as it sends it."""
    if not values:
        return expected

    def fill(value: Any) -> Any:
        if isinstance(value, str):
            return substitute(value, values)
        if isinstance(value, list):
            return [fill(v) for v in value]
        if isinstance(value, dict):
            return {fill(k): fill(v) for k, v in value.items()}
        return value

    if "form" in expected:
        return {"form": [[k, fill(v)] for k, v in expected["form"]]}
    if "multipart" in expected:
        parts = expected["multipart"]
        return {"multipart": [[k, f, t if f else fill(t)] for k, f, t in parts]}
    return {key: fill(value) for key, value in expected.items()}


def _multipart_expected(op: Operation) -> list[list[str | None]]:
    """[name, file name (None for text), content] of each part sent, in order."""
    body = op.body
    assert body is not None
    params = {p.name: p for p in op.parameters}
    parts: list[list[str | None]] = []
    for part in body.parts:
        param = params[part.parameter]
        if part.file:
            filename = part.filenames[0] if part.filenames else part.key
            parts.append([part.key, filename, TEST_FILE.decode()])
        elif param.default is not None or not param.has_default:
            value = param.default if param.has_default else test_value(param)
            parts.append([part.key, None, str(value)])
    return parts


def _json_expected(op: Operation) -> Any:
    body = op.body
    assert body is not None
    params = {p.variable: p for p in op.parameters if p.variable}
    if body.kind == "graphql":
        return {p.key: p.default for p in op.parameters if p.location == "body"}
    fields = [p for p in op.parameters if p.location == "body"]
    if body.model and isinstance(body.template, dict):
        # What the call sends: each field's argument (its default, or the test value).
        by_key = {p.key: p for p in fields}
        out = {}
        for key, item in body.template.items():
            param = by_key.get(key)
            if param is None:  # fills the field with another's argument
                match = VAR_RE.fullmatch(item) if isinstance(item, str) else None
                if match is None or match.group(1) not in params:
                    continue
                param = params[match.group(1)]
            out[key] = param.default if param.has_default else test_value(param)
        return out
    if not body.model and len(fields) == 1 and fields[0].default is not None:
        return fields[0].default

    def fill(value: Any) -> Any:
        if isinstance(value, str):
            match = VAR_RE.fullmatch(value)
            if match and match.group(1) in params:
                param = params[match.group(1)]
                return param.default if param.has_default else test_value(param)
            return value
        if isinstance(value, list):
            return [fill(v) for v in value]
        if isinstance(value, dict):
            return {k: fill(v) for k, v in value.items()}
        return value

    return fill(body.template)
