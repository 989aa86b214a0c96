"""One request of the collection → one ``Operation`` (URL, parameters, headers)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import Level
from ..naming import NameScope, parameter_name
from ..postman.model import PmItem, PmKeyValue, PmRequest, PmUrl
from .bodies import build_body
from .context import BuildContext
from .model import Header, Operation, Parameter
from .responses import build_result
from .variables import VAR_RE, is_single_variable, variables_in

_FIXED_HEADERS = {"content-type", "accept"}


@dataclass
class OperationDraft:
    """An operation while it is being built, with its parameter namespace."""

    op: Operation
    scope: NameScope = field(default_factory=NameScope)
    by_variable: dict[str, str] = field(default_factory=dict)

    def add(self, param: Parameter) -> Parameter:
        """Add a parameter under a unique name."""
        param.name = self.scope.claim(param.name)
        self.op.parameters.append(param)
        return param

    def variable_param(
        self, ctx: BuildContext, variable: str, location: str, key: str
    ) -> str:
        """The parameter for a variable (one per variable per operation)."""
        if variable in self.by_variable:
            return self.by_variable[variable]
        value = ctx.value(variable)
        param = Parameter(
            name=ctx.parameter_for(variable),
            location=location,  # type: ignore[arg-type]
            key=key,
            required=not value,
            default=value or None,
            has_default=bool(value),
            description=f"Value of the collection variable ``{variable}``.",
            example=value or None,
            variable=variable,
        )
        self.add(param)
        self.by_variable[variable] = param.name
        ctx.param_variables[(self.op.source, param.name)] = variable
        return param.name


def host_and_path(url: PmUrl) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The URL's host labels and path segments; a URL written with no host whose
    first segment is one variable (``{{endpoint}}/x``) has that variable as host."""
    if not url.host and url.path and is_single_variable(url.path[0]):
        return (url.path[0],), url.path[1:]
    return url.host, url.path


def origin_of(url: PmUrl) -> str:
    """The scheme://host:port part of a URL as written (variables kept)."""
    host = ".".join(host_and_path(url)[0])
    if not host:
        return ""
    if not url.protocol and host.startswith("{{") and not VAR_RE.sub("", host):
        return host  # variables only: the first one holds the scheme
    protocol = url.protocol or "https"
    port = f":{url.port}" if url.port else ""
    return f"{protocol}://{host}{port}"


def build_operation(
    ctx: BuildContext,
    item: PmItem,
    source: str,
    name: str,
    auth: str | None,
    profile: dict[str, Any] | None = None,
    key: str = "",
) -> Operation | None:
    """Build the operation for a request item; None (with a diagnostic) if impossible."""
    request = item.request
    assert request is not None
    op = Operation(
        name=name,
        title=item.name,
        method=request.method.upper() or "GET",
        path="",
        source=source,
        source_id=item.id,
        key=key,
        url=request.url.raw,
        description=request.description or item.description,
        auth=auth,
    )
    draft = OperationDraft(op=op, scope=NameScope(ctx.setting_names.values()))
    # Control characters (a stray newline) cannot go on the wire as they are:
    # percent-encoded, as Postman's URL encoder does.
    op.path = _CONTROL.sub(
        lambda m: f"%{ord(m.group()):02X}", _path(ctx, draft, request.url)
    )
    profile = item.protocol_profile if profile is None else profile
    if _body_pruned(op.method, profile):
        if request.body is not None and request.body.mode not in ("", "none"):
            ctx.report(
                Level.INFO,
                source,
                f"the {op.method} request's body is not sent, as in Postman"
                " (protocolProfileBehavior.disableBodyPruning is not set)",
            )
    elif not build_body(ctx, draft, request):
        return None
    _query(ctx, draft, request.url)
    _headers(ctx, draft, request)
    body = op.body
    disabled = disabled_system_headers(profile)
    # The runtime sets a multipart body's type itself: it carries the boundary.
    if (
        body
        and body.content_type
        and body.kind != "multipart"
        and "content-type" not in disabled
        and not any(h.name.lower() == "content-type" for h in op.headers)
    ):
        op.headers.insert(0, Header(name="Content-Type", value=body.content_type))
    _omit_system_headers(ctx, op, disabled)
    op.result, op.examples = build_result(ctx, op, item)
    redirects = profile.get("followRedirects")
    op.follow_redirects = redirects if isinstance(redirects, bool) else None
    return op


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

# Methods whose body Postman drops unless ``disableBodyPruning`` is true.
_PRUNED = frozenset({"GET", "HEAD", "COPY", "PURGE", "UNLOCK"})


def _body_pruned(method: str, profile: dict[str, Any]) -> bool:
    return method in _PRUNED and profile.get("disableBodyPruning") is not True


# ``protocolProfileBehavior`` settings the client does not reproduce per request,
# with Postman's default (a setting left at it changes nothing) and what to do.
_PROFILE_NOT_REPRODUCED: dict[str, tuple[object, str]] = {
    "strictSSL": (
        True,
        "certificates are checked; pass http_client=httpx.Client(verify=False)"
        " to skip the check",
    ),
    "maxRedirects": (10, "pass an http_client with max_redirects set"),
    "followOriginalHttpMethod": (
        False,
        "httpx follows a 301/302 redirect of a POST with a GET",
    ),
    "followAuthorizationHeader": (
        False,
        "httpx drops the Authorization header on a redirect to another host",
    ),
    "disableCookies": (False, "pass an http_client that keeps no cookies"),
    "disableUrlEncoding": (False, "the client encodes URLs as Postman does"),
    "insecureHTTPParser": (False, "httpx parses responses strictly"),
}
_PROFILE_REPRODUCED = frozenset(
    {"followRedirects", "disableBodyPruning", "disabledSystemHeaders"}
)


def report_profile(ctx: BuildContext, where: str, profile: dict[str, Any]) -> None:
    """A diagnostic for each ``protocolProfileBehavior`` setting of ``where`` (a
    collection, folder or request) that the client does not reproduce."""
    for key, value in profile.items():
        if key in _PROFILE_REPRODUCED:
            continue
        default, hint = _PROFILE_NOT_REPRODUCED.get(
            key, (None, "the generated client has no such setting")
        )
        if value != default:
            shown = json.dumps(value, ensure_ascii=False)
            shown = shown if len(shown) <= 40 else shown[:37] + "..."
            ctx.report(
                Level.WARNING,
                where,
                f"protocolProfileBehavior.{key} = {shown} is not reproduced: {hint}",
            )


# Headers Postman adds by itself that ``disabledSystemHeaders`` turns off and that
# the client (httpx) would send too: the request leaves them out. Postman's others
# are ``cache-control`` and ``postman-token`` (the client never sends them), and
# ``host`` and ``content-length`` (HTTP needs them: the client always sends them).
SYSTEM_HEADERS = {
    "content-type": "Content-Type",
    "accept": "Accept",
    "user-agent": "User-Agent",
    "accept-encoding": "Accept-Encoding",
    "connection": "Connection",
}
_REQUIRED_SYSTEM_HEADERS = ("host", "content-length")


def disabled_system_headers(profile: dict[str, Any]) -> list[str]:
    """The lower-case names ``protocolProfileBehavior.disabledSystemHeaders`` turns
    off (``{"content-type": true}``), in the order it lists them."""
    given = profile.get("disabledSystemHeaders")
    if not isinstance(given, dict):
        return []
    return [str(k).lower() for k, v in given.items() if v is True]


def _omit_system_headers(ctx: BuildContext, op: Operation, disabled: list[str]) -> None:
    """Leave out the system headers the request turns off, unless it sets the
    header itself (Postman then sends the request's own value)."""
    own = {h.name.lower() for h in op.headers}
    own |= {p.key.lower() for p in op.parameters if p.location == "header"}
    for name in disabled:
        if name in own:
            continue
        if name in SYSTEM_HEADERS:
            op.omit_headers.append(SYSTEM_HEADERS[name])
        elif name in _REQUIRED_SYSTEM_HEADERS:
            ctx.report(
                Level.INFO,
                op.source,
                f"the {name} header is sent anyway: HTTP needs it"
                " (protocolProfileBehavior.disabledSystemHeaders)",
            )


def _path(ctx: BuildContext, draft: OperationDraft, url: PmUrl) -> str:
    segments = [_segment(ctx, draft, url, s) for s in host_and_path(url)[1]]
    return "/" + "/".join(segments) if segments else ""


def _segment(ctx: BuildContext, draft: OperationDraft, url: PmUrl, segment: str) -> str:
    if segment.startswith(":") and len(segment) > 1 and "{{" not in segment:
        return "{" + _colon_param(draft, url, segment[1:]) + "}"
    text = segment.replace("{", "%7B").replace("}", "%7D")
    for variable in variables_in(segment):
        token = "%7B%7B" + variable + "%7D%7D"
        role = ctx.role(variable)
        if role == "setting":
            text = text.replace(token, "{" + ctx.setting_for(variable) + "}")
        elif role == "constant":
            text = text.replace(token, (ctx.value(variable) or "").replace("{", "%7B"))
        else:
            name = draft.variable_param(ctx, variable, "path", variable)
            text = text.replace(token, "{" + name + "}")
    return text


def _colon_param(draft: OperationDraft, url: PmUrl, key: str) -> str:
    described = next((v for v in url.variables if v.key == key), None)
    param = draft.add(
        Parameter(
            name=parameter_name(key),
            location="path",
            key=key,
            description=described.description if described else "",
            example=(described.value or None) if described else None,
        )
    )
    return param.name


def _query(ctx: BuildContext, draft: OperationDraft, url: PmUrl) -> None:
    for entry in url.query:
        if not entry.key:
            continue
        _value_param(ctx, draft, entry, "query")


def _value_param(
    ctx: BuildContext, draft: OperationDraft, entry: PmKeyValue, location: str
) -> None:
    """A query or header entry as a parameter with its collection value as default."""
    raw = entry.value
    variable = is_single_variable(raw) if raw else None
    if variable and not entry.disabled and ctx.role(variable) == "parameter":
        name = draft.variable_param(ctx, variable, location, entry.key)
        _describe(draft, name, entry)
        return
    value = ctx.fill(raw) if raw else raw
    # Header values are text on the wire and in the runtime's header mapping.
    typed, type_ = typed_value(value) if location != "header" else (value, "str")
    enabled = not entry.disabled and value is not None
    # An enabled query key without a value: Postman sends the key alone (?key).
    flag = location == "query" and not entry.disabled and value is None
    draft.add(
        Parameter(
            name=parameter_name(entry.key),
            location=location,  # type: ignore[arg-type]
            key=entry.key,
            type=(
                "str | Flag | None" if flag else type_ if enabled else f"{type_} | None"
            ),
            required=False,
            default=typed if enabled else None,
            has_default=True,
            description=entry.description,
            example=typed,
            flag=flag,
        )
    )


def _describe(draft: OperationDraft, name: str, entry: PmKeyValue) -> None:
    if entry.description:
        for param in draft.op.parameters:
            if param.name == name:
                param.description = entry.description


def typed_value(value: str | None) -> tuple[object, str]:
    """A query/header string as the typed default a Python caller would pass."""
    if value is None:
        return None, "str"
    if value in ("true", "false"):
        return value == "true", "bool"
    if (
        value.isdigit()
        and (value == "0" or not value.startswith("0"))
        and len(value) < 16
    ):
        return int(value), "int"
    return value, "str"


def _headers(ctx: BuildContext, draft: OperationDraft, request: PmRequest) -> None:
    enabled = {h.key.lower() for h in request.headers if h.key and not h.disabled}
    for entry in request.headers:
        if not entry.key:
            continue
        lower = entry.key.lower()
        if entry.disabled and lower in enabled:
            # A disabled alternative of a header the request sends (Postman lists
            # both, sends the enabled one): one header, one argument.
            continue
        body = draft.op.body
        if (
            lower == "content-type"
            and body is not None
            and body.kind == "multipart"
            and "boundary=" not in (entry.value or "")
        ):
            continue  # the client sends it with the boundary, as Postman does
        if lower in _FIXED_HEADERS:
            if not entry.disabled and entry.value:
                value = ctx.fill(entry.value)
                draft.op.headers.append(Header(name=entry.key, value=value))
            continue
        if lower == "authorization" and draft.op.auth:
            if not entry.disabled:
                ctx.report(
                    Level.INFO,
                    draft.op.source,
                    "Authorization header left out: the client's auth scheme sets it",
                )
            continue
        if lower in ctx.client_headers:
            continue  # the client sends it on every call (a default header)
        if any(
            ctx.role(v) in ("credential", "setting") for v in variables_in(entry.value)
        ):
            continue  # a client-wide header, made from constructor arguments by build.py
        _value_param(ctx, draft, entry, "header")
