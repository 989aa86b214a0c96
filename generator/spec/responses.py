"""Saved example responses → the operation's result type and its examples."""

from __future__ import annotations

import json
import re
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from ..naming import pascal, words
from ..postman.model import PmItem, PmResponse
from .infer import ARRAY, NULL, OBJECT, Shape, add_value
from .model import Example, Header, Operation, Result

if TYPE_CHECKING:
    from .context import BuildContext

_VERBS = frozenset(
    {
        "get",
        "fetch",
        "retrieve",
        "read",
        "show",
        "list",
        "create",
        "add",
        "new",
        "post",
        "update",
        "patch",
        "put",
        "set",
        "delete",
        "remove",
        "abort",
        "close",
        "cancel",
        "find",
        "search",
        "query",
        "upload",
        "download",
        "a",
        "an",
        "the",
        "of",
        "or",
        "and",
    }
)
_STREAM_TYPES = ("text/csv", "application/octet-stream", "application/x-ndjson")
_KEPT_HEADERS = frozenset({"content-type", "location", "retry-after"})


def content_type_of(response: PmResponse) -> str:
    """The example's Content-Type (or one implied by its preview language)."""
    for header in response.headers:
        if header.key.lower() == "content-type" and header.value:
            return header.value
    return {
        "json": "application/json",
        "xml": "application/xml",
        "html": "text/html",
        "text": "text/plain",
    }.get(response.preview_language, "")


def parse_json_body(response: PmResponse) -> tuple[Any] | None:
    """The example body as JSON, or None when it is not JSON."""
    body = response.body
    if not body or not body.strip():
        return None
    ctype = content_type_of(response).lower()
    if ctype and "json" not in ctype and ctype != "text/plain":
        return None
    try:
        return (json.loads(body),)
    except ValueError:
        return None


_REASONS = {s.phrase.lower(): s.value for s in HTTPStatus}
_LEADING_CODE = re.compile(r"^\s*([1-5]\d\d)\b")


def status_of(response: PmResponse) -> int:
    """The example's status: its code; without one, the code its status text or its
    name gives ("Unprocessable Entity", "422 - Too soon"); else 200."""
    if response.code is not None:
        return response.code
    reason = _REASONS.get(response.status.strip().lower())
    if reason is not None:
        return reason
    match = _LEADING_CODE.match(response.name)
    return int(match.group(1)) if match else 200


def model_name_hint(op: Operation, folder_words: list[str]) -> str:
    """A model name from an operation title: verbs, articles and folder words dropped."""
    title = [w for w in words(op.title)]
    while title and title[0] in _VERBS:
        title.pop(0)
    trimmed = [w for w in title if w not in _VERBS]
    if (
        folder_words
        and trimmed[-len(folder_words) :] == folder_words
        and len(trimmed) > len(folder_words)
    ):
        trimmed = trimmed[: -len(folder_words)]
    if (
        folder_words
        and trimmed[: len(folder_words)] == folder_words
        and len(trimmed) > len(folder_words)
    ):
        trimmed = trimmed[len(folder_words) :]
    return pascal(" ".join(trimmed or words(op.title)), fallback="Response")


def build_result(
    ctx: BuildContext, op: Operation, item: PmItem
) -> tuple[Result, list[Example]]:
    """The result of a successful call and the examples to test against."""
    examples = [_example(r) for r in item.responses]
    success = sorted(
        (r for r in item.responses if 200 <= status_of(r) < 300),
        key=status_of,
    )
    if not success:
        return _result_without_examples(op), examples
    status = status_of(success[0])
    chosen = [r for r in success if status_of(r) == status]
    # Every 2xx JSON example shapes the result: a call may get any of them.
    json_bodies = [b[0] for b in (parse_json_body(r) for r in success) if b is not None]
    if json_bodies:
        result = _json_result(ctx, op, json_bodies, status)
        result.optional = any(not (r.body or "").strip() for r in success)
        return result, examples
    if any((r.body or "").strip() for r in chosen):
        ctype = content_type_of(chosen[0]).lower()
        return (
            Result(
                kind="text",
                type="str",
                status=status,
                stream=any(t in ctype for t in _STREAM_TYPES),
            ),
            examples,
        )
    return Result(kind="empty", type="None", status=status), examples


def _example(response: PmResponse) -> Example:
    headers = [
        Header(name=h.key, value=h.value or "")
        for h in response.headers
        if h.key.lower() in _KEPT_HEADERS or h.key.lower().startswith(("x-", "sforce-"))
    ]
    return Example(
        name=response.name,
        status=status_of(response),
        content_type=content_type_of(response),
        body=response.body,
        headers=headers,
    )


def _result_without_examples(op: Operation) -> Result:
    accept = next(
        (h.value.lower() for h in op.headers if h.name.lower() == "accept"), ""
    )
    if accept and "json" not in accept and "*" not in accept:
        return Result(
            kind="text", type="str", stream=any(t in accept for t in _STREAM_TYPES)
        )
    return Result(kind="auto", type="Any")


def _json_result(
    ctx: BuildContext, op: Operation, bodies: list[Any], status: int
) -> Result:
    shape = Shape()
    for body in bodies:
        add_value(shape, body)
    kinds = shape.kinds & ~NULL
    result = Result(kind="json", type="Any", status=status)
    folder_words = words(op.source.rsplit("/", 2)[-2]) if "/" in op.source else []
    hint = model_name_hint(op, folder_words)
    module = ctx.module
    ctx.registry.origin = op.key
    if kinds == OBJECT and shape.fields:
        preference = (
            0
            if op.method == "GET" and op.path.endswith("}")
            else (1 if op.method == "GET" else 2)
        )
        ctx.registry.add(shape, hint, module, preference)
        result.kind = "model"
    elif kinds == ARRAY and shape.items is not None and shape.items.kinds & OBJECT:
        ctx.registry.register_value_shape(shape, hint, module)
        result.kind = "model"
    ctx.registry.origin = ""

    def resolve() -> None:
        result.type = ctx.models().type_of(shape, hint, module)

    ctx.later(resolve, first=True)
    return result
