"""Schema check of a collection against Postman's own JSON schema (bundled, draft-07).

Two validators per schema version, each built once per process:

- the fast path, a ``fastjsonschema`` validator compiled to Python code, which only
  says yes or no (about 0.05 s per 1,000 requests). It is compiled from a copy of the
  schema where each ``oneOf`` whose branches take disjoint JSON types is an ``anyOf``
  (same meaning, but it stops at the first branch that fits);
- the explaining path, ``jsonschema.Draft7Validator`` on the schema as published, run
  only when the fast path says no, to report the most relevant error (``best_match``)
  with its JSON path and a one-line message.

For a large file the fast path runs in a forked process (``checked_in_background``)
while the parent normalises the collection: the two take about as long, on two cores.

The explaining path first looks at the collection cut down to the branch of the item
tree where the fast path failed, so a bad request in a 10,000-request file is
explained in milliseconds rather than in seconds.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import signal
from collections.abc import Callable, Iterable, Iterator
from importlib import resources
from typing import TYPE_CHECKING, Any

import fastjsonschema

if TYPE_CHECKING:
    import jsonschema
    from jsonschema.exceptions import ValidationError

from generator.errors import InputError

from ._values import json_type, kind_of, type_phrase

SCHEMA_FILES = {
    "2.0.0": "collection-v2.0.0.bundled.json",
    "2.1.0": "collection-v2.1.0.bundled.json",
}
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_MAX_REPR = 60
_MAX_MESSAGE = 240


@functools.cache
def bundled_schema(version: str) -> dict[str, Any]:
    """The bundled JSON schema for collection format ``version`` ("2.0.0" or "2.1.0")."""
    name = SCHEMA_FILES[version]
    text = (
        resources.files("generator.postman")
        .joinpath("schemas", name)
        .read_text("utf-8")
    )
    schema: dict[str, Any] = json.loads(text)
    # Postman exports auth types its published schemas do not list (jwt, asap,
    # akamai, oci-v1, ...): any string is accepted as a type here, and spec/auth
    # reports the ones it does not reproduce instead of refusing the whole file.
    auth_type = schema["definitions"]["auth"]["properties"]["type"]
    auth_type.pop("enum", None)
    return schema


@functools.cache
def fast_validator(version: str) -> Callable[[Any], Any]:
    """The compiled yes/no validator (``use_default=False``: it must not touch the data)."""
    schema = exclusive_one_of_as_any_of(bundled_schema(version))
    return fastjsonschema.compile(type_branches_merged(schema), use_default=False)


def exclusive_one_of_as_any_of(schema: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``schema`` where each ``oneOf`` whose branches accept disjoint JSON
    types (``[{"type": "string"}, {"type": "object", ...}]``) becomes an ``anyOf``.

    Same meaning (at most one such branch can match), but the compiled ``anyOf`` stops
    at the first branch that matches instead of trying, and failing, all the others:
    that halves the time of the fast path. Other ``oneOf`` are kept.
    """
    definitions = schema.get("definitions", {})

    def step(node: dict[str, Any]) -> None:
        branches = node.get("oneOf")
        if isinstance(branches, list) and _disjoint_types(branches, definitions):
            node["anyOf"] = node.pop("oneOf")

    return _rewritten(schema, step)


# The keywords that apply to values of one JSON type only (to the others they say
# nothing), by that type.
_TYPE_KEYWORDS = {
    "object": frozenset(
        {
            "properties",
            "required",
            "additionalProperties",
            "patternProperties",
            "minProperties",
            "maxProperties",
            "dependencies",
            "propertyNames",
        }
    ),
    "array": frozenset(
        {"items", "additionalItems", "minItems", "maxItems", "uniqueItems", "contains"}
    ),
    "string": frozenset({"minLength", "maxLength", "pattern", "format"}),
    "number": frozenset(
        {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"}
    ),
}
_TYPE_KEYWORDS["integer"] = _TYPE_KEYWORDS["number"]
# Keywords that only annotate (no effect on validity).
_ANNOTATIONS = frozenset({"title", "description", "default", "examples", "$comment"})


def type_branches_merged(schema: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``schema`` where each ``anyOf`` whose branches take disjoint JSON
    types, and say nothing but things about their own types, is one branch:
    ``[{"type": "object", "properties": P}, {"type": "string"}]`` becomes
    ``[{"type": ["object", "string"], "properties": P}]``.

    Same meaning (``properties`` says nothing about a string), but the compiled
    check of a string no longer fails the object branch first: a failed branch
    raises an exception, and those were most of the fast path's time for a valid
    collection (a string description, a host given as an array...).
    """

    def step(node: dict[str, Any]) -> None:
        merged = _merged_branches(node.get("anyOf"))
        if merged is not None:
            node["anyOf"] = [merged]

    return _rewritten(schema, step)


def _rewritten(
    schema: dict[str, Any], step: Callable[[dict[str, Any]], None]
) -> dict[str, Any]:
    """A deep copy of ``schema`` in which ``step`` changed each object (its copy, in
    place), children before their parent."""

    def rewrite(node: Any) -> Any:
        if isinstance(node, list):
            return [rewrite(child) for child in node]
        if not isinstance(node, dict):
            return node
        copy = {key: rewrite(child) for key, child in node.items()}
        step(copy)
        return copy

    result: dict[str, Any] = rewrite(schema)
    return result


def _merged_branches(branches: object) -> dict[str, Any] | None:
    """The one schema that accepts what any of ``branches`` accepts, or None when
    they do not merge (a shared type, a ``$ref``, a keyword about every type...)."""
    if not isinstance(branches, list) or len(branches) < 2:
        return None
    merged: dict[str, Any] = {}
    types: list[str] = []
    for branch in branches:
        if not isinstance(branch, dict) or "$ref" in branch:
            return None
        own = _declared_types(branch, {}, exact=True)
        if not own or not set(own).isdisjoint(_declared_types(merged, {})):
            return None
        for key, value in branch.items():
            if key == "type" or key in _ANNOTATIONS:
                continue
            if key in merged or not any(
                key in _TYPE_KEYWORDS.get(name, ()) for name in own
            ):
                return None
            merged[key] = value
        types.extend(own)
        merged["type"] = list(types)
    return merged


def _disjoint_types(branches: list[Any], definitions: dict[str, Any]) -> bool:
    """True when every branch declares its JSON type(s) and no two branches share one."""
    seen: set[str] = set()
    for branch in branches:
        types = _declared_types(branch, definitions)
        if not types or not seen.isdisjoint(types):
            return False
        seen.update(types)
    return True


def _declared_types(
    branch: Any, definitions: dict[str, Any], *, exact: bool = False
) -> list[str]:
    """The JSON types a branch declares, following one local ``$ref`` (``[]`` if none).

    Unless ``exact``, "integer" and "number" each bring the other (they overlap).
    """
    if not isinstance(branch, dict):
        return []
    ref = branch.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/definitions/") and len(branch) == 1:
        branch = definitions.get(ref.removeprefix("#/definitions/"), {})
    declared = branch.get("type") if isinstance(branch, dict) else None
    names = [declared] if isinstance(declared, str) else declared
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        return []
    if not exact and ("integer" in names or "number" in names):
        names = [*names, "integer", "number"]
    return list(dict.fromkeys(names))


@functools.cache
def explaining_validator(version: str) -> jsonschema.Draft7Validator:
    """The reference validator, used to explain a failure (imported only then: a
    valid collection never needs it)."""
    import jsonschema

    return jsonschema.Draft7Validator(bundled_schema(version))


def validate_collection(
    root: dict[str, Any], version: str, source: str, base: str
) -> None:
    """Raise ``InputError`` (file, JSON path, one-line message) if ``root`` breaks the schema.

    ``base`` is the JSON path of ``root`` in its file (``$`` unless it was unwrapped).
    """
    try:
        fast_validator(version)(root)
    except fastjsonschema.JsonSchemaValueException as exc:
        found = explain(root, version, exc.path[1:])
    except fastjsonschema.JsonSchemaException:
        found = explain(root, version, [])
    else:
        return
    if found is not None:  # None: the reference validator accepts it after all
        parts, message = found
        raise InputError(source, json_path(base, parts), message)


@contextlib.contextmanager
def checked_in_background(
    root: dict[str, Any], version: str, source: str, base: str
) -> Iterator[Callable[[], None]]:
    """Run the fast schema check in a forked child while the block runs.

    The block gets ``wait``: it returns once the child said yes, or raises the
    ``InputError`` of ``validate_collection`` (explained in this process) when it
    said no. A child still running when the block ends is stopped. Without
    ``os.fork`` the check runs at once, in this process.
    """
    validator = fast_validator(version)  # compiled here: the child inherits it
    fork = getattr(os, "fork", None)
    if fork is None:  # pragma: no cover - not POSIX
        validate_collection(root, version, source, base)
        yield lambda: None
        return
    pid = fork()
    if pid == 0:  # the child: yes (0) or no (1), nothing else, no cleanup
        code = 1
        try:
            validator(root)
            code = 0
        finally:
            os._exit(code)
    waited = False

    def wait() -> None:
        nonlocal waited
        if waited:
            return
        _pid, status = os.waitpid(pid, 0)
        waited = True
        if os.waitstatus_to_exitcode(status) != 0:
            validate_collection(root, version, source, base)

    try:
        yield wait
    finally:
        if not waited:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)


def explain(
    root: dict[str, Any], version: str, hint: list[str]
) -> tuple[list[str | int], str] | None:
    """Path and message of the most relevant schema error of ``root`` (None if none).

    ``hint`` is where the fast validator failed (``["item", "3", "request"]``): the
    collection cut down to that branch of the item tree is examined first.
    """
    from jsonschema.exceptions import best_match

    validator = explaining_validator(version)
    definitions = bundled_schema(version).get("definitions", {})
    reduced, positions = _cut_down(root, hint)
    if reduced is not None:
        error = best_match(validator.iter_errors(reduced))
        if error is not None:
            return _renumber(list(error.absolute_path), positions), describe(
                error, definitions
            )
    error = best_match(validator.iter_errors(root))
    if error is None:
        return None
    return list(error.absolute_path), describe(error, definitions)


def _cut_down(
    root: dict[str, Any], hint: list[str]
) -> tuple[dict[str, Any] | None, list[int]]:
    """``root`` with each ``item`` array along ``hint`` reduced to the one element on it.

    Returns the reduced copy (``None`` if nothing could be cut) and the original
    index at each level. With a hint outside the item tree, ``item`` becomes ``[]``.
    The schema has no constraint on arrays as a whole, so the copy has the same
    errors on that branch as the original.
    """
    items = root.get("item")
    if not isinstance(items, list):
        return None, []
    reduced = dict(root)
    if hint[:1] != ["item"]:
        reduced["item"] = []
        return reduced, []
    positions: list[int] = []
    holder: dict[str, Any] = reduced
    children: Any = items
    rest = hint
    while len(rest) >= 2 and rest[0] == "item" and rest[1].isdigit():
        index = int(rest[1])
        if not isinstance(children, list) or index >= len(children):
            break
        child = children[index]
        copy = dict(child) if isinstance(child, dict) else child
        holder["item"] = [copy]
        positions.append(index)
        if not isinstance(copy, dict):
            break
        holder, children, rest = copy, copy.get("item"), rest[2:]
    return (reduced, positions) if positions else (None, [])


def _renumber(parts: list[str | int], positions: list[int]) -> list[str | int]:
    """Map a path found in the cut-down copy (``item[0].item[0]...``) to the original."""
    for level, index in enumerate(positions):
        at = 2 * level + 1
        if at >= len(parts) or parts[at - 1] != "item" or parts[at] != 0:
            break
        parts[at] = index
    return parts


def json_path(base: str, parts: Iterable[str | int]) -> str:
    """``$`` + ``("item", 3, "request")`` -> ``$.item[3].request``."""
    text = base
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif _IDENTIFIER.match(part):
            text += f".{part}"
        else:
            text += f"[{json.dumps(part, ensure_ascii=False)}]"
    return text


def describe(error: ValidationError, definitions: dict[str, Any]) -> str:
    """A one-line message for a schema error, prefixed with what was checked."""
    return (
        f"does not match the Postman collection schema: {_reason(error, definitions)}"
    )


def _reason(error: ValidationError, definitions: dict[str, Any]) -> str:
    """Why ``error.instance`` fails, in one line, long values shortened."""
    found = kind_of(error.instance)
    if error.validator == "type":
        return f"expected {_phrase(error.validator_value)}, found {found}"
    if error.validator in ("anyOf", "oneOf") and error.context:
        expected = _branch_types(error.validator_value, definitions)
        if expected and json_type(error.instance) not in expected:
            return f"expected {_phrase(expected)}, found {found}"
        direct = [sub for sub in error.context if not sub.relative_path]
        reasons = list(dict.fromkeys(_reason(sub, definitions) for sub in direct))
        if reasons:
            return _one_line("fits none of the allowed forms: " + "; or ".join(reasons))
    message = error.message
    instance = repr(error.instance)
    if len(instance) > _MAX_REPR and instance in message:
        message = message.replace(instance, shorten(instance))
    return _one_line(message)


def _branch_types(branches: Any, definitions: dict[str, Any]) -> list[str]:
    """The types the branches of an ``anyOf``/``oneOf`` declare, in order (``[]`` if any is unknown)."""
    names: list[str] = []
    for branch in branches if isinstance(branches, list) else []:
        declared = _declared_types(branch, definitions, exact=True)
        if not declared:
            return []
        names.extend(name for name in declared if name not in names)
    return names


def _phrase(types: Any) -> str:
    """``["object", "string"]`` -> ``"an object or a string"``."""
    names = [types] if isinstance(types, str) else list(types)
    return " or ".join(type_phrase(name) for name in names)


def _one_line(message: str) -> str:
    """Whitespace collapsed, length capped."""
    return shorten(" ".join(message.split()), _MAX_MESSAGE)


def shorten(text: str, limit: int = _MAX_REPR) -> str:
    """``text`` cut to ``limit`` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 3] + "..."
