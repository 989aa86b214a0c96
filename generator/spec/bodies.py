"""Request bodies: JSON (folded into typed keyword arguments), text, file, form, GraphQL."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from ..errors import Level
from ..naming import looks_secret, parameter_name, pascal
from ..postman.model import PmBody, PmFormField, PmKeyValue, PmRequest
from .infer import Shape, shape_of
from .model import Body, FormPart, ModelDef, ModelField, Parameter
from .variables import VAR_RE, is_single_variable, variables_in

if TYPE_CHECKING:
    from .context import BuildContext
    from .operations import OperationDraft

_TOKEN = "\x00pmvar:{}\x00"
_TOKEN_RE = re.compile("\x00pmvar:(.+?)\x00")
_BARE_TOKEN_RE = re.compile(r'(?<!["\w])(\x00pmvar:.+?\x00)(?!["\w])')


def build_body(ctx: BuildContext, draft: OperationDraft, request: PmRequest) -> bool:
    """Attach the request body to the draft; False when the body cannot be expressed."""
    body = request.body
    if body is None or body.disabled or body.mode in ("", "none"):
        return True
    content_type = next(
        (
            h.value or ""
            for h in request.headers
            if h.key.lower() == "content-type" and not h.disabled
        ),
        "",
    )
    if body.mode == "raw":
        return _raw(ctx, draft, body, content_type)
    if body.mode == "file":
        _file(draft, content_type)
        return True
    if body.mode == "urlencoded":
        _form(ctx, draft, body)
        return True
    if body.mode == "graphql":
        _graphql(ctx, draft, body)
        return True
    if body.mode == "formdata":
        _multipart(ctx, draft, body)
        return True
    ctx.report(
        Level.WARNING,
        draft.op.source,
        f"request body mode {body.mode!r} is not supported yet; no method generated",
    )
    return False


def _is_json(body: PmBody, content_type: str) -> bool:
    if body.language == "json" or "json" in content_type.lower():
        return True
    if body.language or content_type:
        return False
    return body.raw.lstrip()[:1] in ("{", "[")


def _raw(
    ctx: BuildContext, draft: OperationDraft, body: PmBody, content_type: str
) -> bool:
    if not body.raw.strip():
        return True
    if _is_json(body, content_type):
        value = parse_json_template(body.raw)
        if value is not None:
            _json(ctx, draft, value[0])
            if draft.op.body is not None and not (body.language or content_type):
                # JSON by its look only: Postman sends a raw body with no language
                # as text/plain, and so does the client (the arguments stay typed).
                draft.op.body.content_type = "text/plain"
            return True
        ctx.report(
            Level.WARNING,
            draft.op.source,
            "raw body is declared as JSON but does not parse; it is sent as text",
        )
    _text(ctx, draft, body, content_type)
    return True


def parse_json_template(raw: str) -> tuple[Any] | None:
    """Parse a raw JSON body that may hold ``{{variables}}`` (also unquoted ones)."""

    def quoted(match: re.Match[str]) -> str:
        return _TOKEN.format(match.group(1))

    # Inside strings the token stays a string; a bare {{var}} becomes a string token.
    # (Each step only when it can change the text: most bodies have no variable.)
    marked = VAR_RE.sub(quoted, raw) if "{{" in raw else raw
    if "\x00" in marked:
        marked = _BARE_TOKEN_RE.sub(r'"\1"', marked).replace("\x00", "\\u0000")
    try:
        value = json.loads(marked)
    except ValueError:
        return None
    if "\\" not in marked:
        # No escape, so no string with a token or a NUL: ``_untoken`` would copy
        # the value unchanged.
        return (value,)
    return (_untoken(value),)


def _untoken(value: Any) -> Any:
    """Turn the tokens back into ``{{var}}`` text."""
    if isinstance(value, str):
        return _TOKEN_RE.sub(
            lambda m: "{{" + m.group(1) + "}}", value.replace("\\u0000", "\x00")
        )
    if isinstance(value, list):
        return [_untoken(v) for v in value]
    if isinstance(value, dict):
        return {k: _untoken(v) for k, v in value.items()}
    return value


def _json(ctx: BuildContext, draft: OperationDraft, value: Any) -> None:
    op = draft.op
    if not isinstance(value, dict) or not value:
        param = draft.add(
            _json_param(ctx, "body", "body", value, f"{pascal(op.title)}Body")
        )
        op.body = Body(kind="json", parameter=param.name, template=value)
        return
    model = ModelDef(
        name=ctx.class_name(
            f"{op.key}#request" if op.key else "", pascal(op.title) + "Request"
        ),
        module=ctx.module,
    )
    shared: dict[str, str] = {}
    by_variable: dict[str, Parameter] = {}
    for key, item in value.items():
        variable = is_single_variable(item) if isinstance(item, str) else None
        if variable is not None and variable in by_variable:
            # One variable, one argument: every field it fills sends the same value.
            param = by_variable[variable]
            name = draft.scope.claim(parameter_name(key))
            shared[name] = param.name
        else:
            hint = model.name + pascal(key, fallback="Item")
            param = draft.add(_json_param(ctx, parameter_name(key), key, item, hint))
            name = param.name
            if variable is not None:
                by_variable[variable] = param
        field = ModelField(name=name, key=key, type=param.type, required=False)
        model.fields.append(field)
        model.defaults[key] = item if variable is not None else _fill_known(ctx, item)
        ctx.later(_CopyType(field, param))
    op.body = Body(kind="json", model=model.name, template=value, shared=shared)
    ctx.request_models.append(model)


def _fill_known(ctx: BuildContext, value: Any) -> Any:
    """``value`` with known variables filled in every string, however deep."""
    if isinstance(value, str):
        return ctx.fill_body(value) if "{{" in value else value
    if isinstance(value, list):
        return [_fill_known(ctx, v) for v in value]
    if isinstance(value, dict):
        return {k: _fill_known(ctx, v) for k, v in value.items()}
    return value


class _CopyType:
    """A deferred step: the model field gets the parameter's (resolved) type.

    A slotted object, not a closure: a large collection defers one per body field,
    and a function with its cells is five times the size.
    """

    __slots__ = ("field", "param")

    def __init__(self, field: ModelField, param: Parameter) -> None:
        self.field = field
        self.param = param

    def __call__(self) -> None:
        self.field.type = self.param.type


class _ResolveParam:
    """A deferred step: a JSON body argument gets the type of its value's shape
    (slotted rather than a closure of seven cells, see ``_CopyType``).

    ``shape`` is kept for a list or dict only: a scalar's type owes nothing to the
    registry, and its shape is made again when the step runs (tens of thousands
    fewer shapes alive until then).
    """

    __slots__ = ("ctx", "hint", "module", "param", "shape", "value")

    def __init__(
        self,
        ctx: BuildContext,
        param: Parameter,
        value: Any,
        shape: Shape | None,
        hint: str,
        module: str,
    ) -> None:
        self.ctx = ctx
        self.param = param
        self.value = value
        self.shape = shape
        self.hint = hint
        self.module = module

    def __call__(self) -> None:
        value, param, module = self.value, self.param, self.module
        if isinstance(value, str):  # a literal default stays a str (no datetime)
            param.type = "str"
            return
        shape = self.shape if self.shape is not None else shape_of(value, dates=False)
        builder = self.ctx.request_models_builder(module)
        type_ = builder.type_of(shape, self.hint, module)
        nested = isinstance(value, dict | list)
        param.type = (
            f"{type_} | None" if nested and not type_.endswith("None") else type_
        )


def _json_param(
    ctx: BuildContext, name: str, key: str, value: Any, hint: str
) -> Parameter:
    """A body field as a keyword argument; the collection's value is its default."""
    variable = is_single_variable(value) if isinstance(value, str) else None
    if variable is not None:
        known = ctx.value(variable)
        return Parameter(
            name=ctx.parameter_for(variable) if name == "body" else name,
            location="body",
            key=key,
            required=not known,
            default=known or None,
            has_default=bool(known),
            description=f"Value of the collection variable ``{variable}``.",
            example=known or None,
            variable=variable,
        )
    value = _fill_known(ctx, value)
    param = Parameter(
        name=name,
        location="body",
        key=key,
        required=False,
        default=value,
        has_default=True,
        example=value,
    )
    registry = ctx.request_models_builder(ctx.module).registry
    kept: Shape | None = None
    if isinstance(value, dict | list):  # a scalar's shape registers nothing
        # A request sends back the collection's text as written: no date parsing.
        kept = shape_of(value, dates=False)
        registry.register_value_shape(kept, hint, ctx.module, pascal(key))
    ctx.later(_ResolveParam(ctx, param, value, kept, hint, ctx.module), first=True)
    return param


def _text(
    ctx: BuildContext, draft: OperationDraft, body: PmBody, content_type: str
) -> None:
    raw = body.raw
    unresolved = [
        v for v in variables_in(raw) if ctx.value(v) is None and not looks_secret(v)
    ]
    if unresolved:
        ctx.report(
            Level.INFO,
            draft.op.source,
            f"text body keeps {{{{{unresolved[0]}}}}} as written: no value is known",
        )
    text = ctx.fill_body(raw)
    param = draft.add(
        Parameter(
            name="body",
            location="body",
            key="",
            type="str",
            required=False,
            default=text,
            has_default=True,
            example=text,
        )
    )
    draft.op.body = Body(
        kind="text",
        content_type=content_type or _language_type(body.language),
        parameter=param.name,
        template=text,
    )


def _language_type(language: str) -> str:
    return {
        "xml": "application/xml",
        "html": "text/html",
        "javascript": "application/javascript",
        "json": "application/json",
    }.get(language, "text/plain")


def _file(draft: OperationDraft, content_type: str) -> None:
    param = draft.add(
        Parameter(
            name="content",
            location="body",
            key="",
            type="FileContent",
            description=(
                "The data to send: bytes, str, a path (``pathlib.Path``), a binary file"
                " object or an iterator of bytes. Files and iterators are streamed."
            ),
        )
    )
    draft.op.body = Body(
        kind="file",
        content_type=content_type or "application/octet-stream",
        parameter=param.name,
    )


def _form(ctx: BuildContext, draft: OperationDraft, body: PmBody) -> None:
    for entry in body.urlencoded:
        if entry.key:
            _text_field(ctx, draft, entry.key, entry.value, entry)
    draft.op.body = Body(kind="form", content_type="application/x-www-form-urlencoded")


def _text_field(
    ctx: BuildContext,
    draft: OperationDraft,
    key: str,
    value: str | None,
    entry: PmKeyValue | PmFormField,
) -> str:
    """A form field as a keyword argument; a disabled one is None (left out) by default."""
    if value is not None and variables_in(value):
        single = is_single_variable(value)
        # A disabled field is left out by default (as Postman leaves it out), so
        # it never becomes the argument of its variable.
        if (
            single is not None
            and ctx.role(single) == "parameter"
            and not entry.disabled
        ):
            return draft.variable_param(ctx, single, "body", key)
        # Only a field that is sent makes the client fill its secret variables.
        value = ctx.fill(value) if entry.disabled else ctx.fill_body(value)
    enabled = not entry.disabled
    return draft.add(
        Parameter(
            name=parameter_name(key),
            location="body",
            key=key,
            type="str" if enabled else "str | None",
            required=False,
            default=value if enabled else None,
            has_default=True,
            description=entry.description,
            example=value,
        )
    ).name


def _multipart(ctx: BuildContext, draft: OperationDraft, body: PmBody) -> None:
    parts: list[FormPart] = []
    for entry in body.formdata:
        if not entry.key:
            continue
        if entry.kind == "file":
            parts.append(_file_part(draft, entry))
            continue
        # Postman sends a text field with no value as an empty string.
        name = _text_field(ctx, draft, entry.key, entry.value or "", entry)
        parts.append(FormPart(entry.key, name, content_type=entry.content_type))
    draft.op.body = Body(
        kind="multipart", content_type="multipart/form-data", parts=parts
    )


def _file_part(draft: OperationDraft, entry: PmFormField) -> FormPart:
    # Optional like in Postman, which leaves out a file field with no file chosen.
    param = draft.add(
        Parameter(
            name=parameter_name(entry.key),
            location="body",
            key=entry.key,
            type="FormFiles | None",
            required=False,
            default=None,
            has_default=True,
            description=entry.description
            or "One file or a list of files (bytes, text, a path, a binary file,"
            " chunks, or an ``Upload`` naming the file).",
        )
    )
    names = [re.split(r"[\\/]", src)[-1] for src in entry.src if not entry.disabled]
    return FormPart(
        entry.key,
        param.name,
        file=True,
        content_type=entry.content_type,
        filenames=names,
    )


def _graphql(ctx: BuildContext, draft: OperationDraft, body: PmBody) -> None:
    query = _fill_known(ctx, body.graphql_query)
    draft.add(
        Parameter(
            name="query",
            location="body",
            key="query",
            type="str",
            required=False,
            default=query,
            has_default=True,
            example=query,
        )
    )
    # Variables are JSON that may hold {{variables}}: filled like any JSON body.
    parsed = (
        parse_json_template(body.graphql_variables)
        if body.graphql_variables.strip()
        else None
    )
    variables = _fill_known(ctx, parsed[0]) if parsed is not None else None
    draft.add(
        Parameter(
            name="variables",
            location="body",
            key="variables",
            type="dict[str, Any] | None",
            required=False,
            default=variables,
            has_default=True,
            example=variables,
        )
    )
    draft.op.body = Body(kind="graphql", content_type="application/json")
