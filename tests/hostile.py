"""Helpers of ``test_hostile_collections.py``: hostile collections and the check that
the code generated from one is the code generated from its benign twin.

A hostile collection is one fixed collection shape (a folder, two requests, headers,
query, path variables, variables, a JSON body, saved examples, scripts, auth) with
*payloads* -- text drawn by hypothesis from quotes, backslashes, control characters,
line separators, lone surrogates, Jinja syntax and code-looking text -- in every text
slot. Its **benign twin** is the same shape with each payload replaced by ``tame``:
a plain word (``w3``, ``w3token`` when the payload is named like a secret), or the
payload itself when it has no letter or digit or when its text means something to
pmgen (a date, a placeholder like ``<int>``). The twin keeps every property of the
payload that pmgen's output structure depends on (empty or not, secret-looking or not,
kind of string, equality between payloads), so the two collections must generate the
same code up to the text inside literals, docstrings and comments.

**The structure check** (``signature``): for every generated ``.py`` file, parse it
with ``ast`` and erase every constant's value (kept: its type), every identifier
(names, attributes, arguments, keywords, function/class names, imported names and
modules), then dump it; module-level statements are compared as a sorted list
(imports and models are sorted by name, and names differ between the twins). Count
its ``#`` comments with ``tokenize``. The package's signature is the sorted list of
(comment count, dump) of its files plus the number of non-Python files. Hostile text
that escaped a string literal, a docstring or a comment adds or changes a statement,
an expression or a comment, so the signatures differ.
"""

from __future__ import annotations

import ast
import io
import json
import re
import tokenize
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from generator.naming import attribute_name, looks_secret
from generator.spec.infer import string_kind
from generator.spec.scripts import read_script

SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
HOST = "https://api.example.test"

# Text that has broken code generators: quotes of every kind and their escapes,
# backslashes, control characters, the characters Python or editors treat as line
# ends, a lone surrogate (JSON allows "\ud800"), template syntax, code.
NASTY = [
    '"',
    "'",
    '"""',
    "'''",
    "\\",
    '\\"',
    "\\'",
    "\\n",
    "\\N{BULLET}",
    "\\x",
    "\\u12",
    "\r",
    "\r\n",
    "\n",
    "\t",
    "\x00",
    "\x0b",
    "\x0c",
    "\x1b[31m",
    "\x7f",
    "\x85",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\ud800",
    "\udfff",
    "\U0001f600",
    "e\u0301",
    "{{ }}",
    "{{x}}",
    "{% if x %}",
    "{% endraw %}",
    "{# c #}",
    "#",
    "# comment",
    '"); import os; os.system("x")#',
    "'); import os; os.system('x')#",
    '"""); import os #',
    "\nimport os\n",
    "*/",
    "`",
    "$(touch x)",
    "${HOME}",
    "<script>",
    "<int>",
    "2024-01-02",
    " ",
    "token",
    "f'{x}'",
    "{x}",
    "}}",
]

payload = st.lists(
    st.one_of(st.sampled_from(NASTY), st.text(max_size=6)), max_size=4
).map("".join)


@dataclass(frozen=True)
class Slots:
    """The payload of every text slot of a hostile collection."""

    title: str
    description: str
    folder: str
    folder_description: str
    request: str
    request_description: str
    root_request: str
    header_name: str
    header_value: str
    query_key: str
    query_value: str
    path_key: str
    path_value: str
    variable: str
    variable_value: str
    body_key: str
    body_value: str
    example_name: str
    example_key: str
    example_value: str
    example_type: str
    example_header: str
    error_code: str
    script: str
    auth_key: str


slots = st.builds(Slots, **{name: payload for name in Slots.__dataclass_fields__})


def _degenerate(text: str) -> bool:
    """Payloads kept as they are in the benign twin: they have nothing to rename, or
    their text itself means something to pmgen."""
    return (
        not any(c.isalnum() for c in text)
        or string_kind(text) != "str"
        or bool(read_script(text.splitlines()).headers)
        or _parses_as_json(text)  # a text/plain example that is JSON gives JSON
    )


def _parses_as_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def tame(all_slots: Slots) -> Slots:
    """The benign twin's payloads (equal payloads get equal words)."""
    words: dict[tuple[str, bool, bool], str] = {}

    def word(name: str, text: str) -> str:
        if _degenerate(text):
            return text
        derived = _DERIVED.get(name, str)(text)
        secret = looks_secret(derived)
        # A JSON key that is its own attribute name needs no ``metadata`` mapping.
        plain = name not in _KEYS or attribute_name(derived) == derived
        if (text, secret, plain) not in words:
            letter = "w" if plain else "W"
            words[text, secret, plain] = f"{letter}{len(words) + 1}" + (
                "_token" if secret else ""
            )
        return words[text, secret, plain]

    values = {
        name: word(name, getattr(all_slots, name))
        for name in Slots.__dataclass_fields__
    }
    values["example_type"] = _tame_type(all_slots.example_type, values["example_type"])
    return Slots(**values)


def _type_class(content_type: str) -> tuple[bool, ...]:
    lower = f"application/json; {content_type}".lower()
    return tuple(t in lower for t in ("json", "csv", "octet-stream", "ndjson"))


def _tame_type(hostile: str, tamed: str) -> str:
    # The example's content type decides the result kind: a tamed one must decide alike.
    return tamed if _type_class(hostile) == _type_class(tamed) else hostile


def _prefixed(prefix: str) -> Callable[[str], str]:
    return lambda text: prefix + text


def _value(text: str) -> str:
    """Payload text in a slot where ``{{name}}`` would declare a variable, and where
    ``true``/``42`` would become a bool or an int: neither is wanted there."""
    return "v" + text.replace("{{", "{ {").replace("}}", "} }")


def _key(text: str) -> str:
    """Payload text usable as a variable or path variable name."""
    return "k_" + re.sub(r"[{}/?#:\s]", "", text)


def _script_line(text: str) -> str:
    return " ".join(text.splitlines())


_KEYS = frozenset({"body_key", "example_key"})  # slots used as JSON keys

# How a slot's payload is placed in the collection (when not as it is).
_DERIVED: dict[str, Callable[[str], str]] = {
    "variable": _key,
    "path_key": _key,
    "header_name": _prefixed("X-H-"),
    "auth_key": _prefixed("X-A-"),
    "body_key": lambda text: "p_" + _value(text)[1:],
    "example_key": _prefixed("p_"),
    "header_value": _value,
    "query_value": _value,
    "body_value": _value,
    "script": _script_line,
}


def _js(text: str) -> str:
    return text.replace("\\", "\\\\").replace("'", "\\'")


def _kv(key: str, value: str, **extra: Any) -> dict[str, Any]:
    return {"key": key, "value": value, **extra}


def collection(s: Slots) -> dict[str, Any]:
    """The collection with payloads ``s`` in its text slots."""
    d = {name: _DERIVED.get(name, str)(getattr(s, name)) for name in _DERIVED}
    variable, path_key = d["variable"], d["path_key"]
    body = {d["body_key"]: d["body_value"], "n": 1, "nested": {"k": [d["body_key"]]}}
    example_body = {
        d["example_key"]: s.example_value,
        "id": "1",
        "items": [{d["example_key"]: _value(s.example_value)}],
    }
    folder_request = {
        "name": s.request,
        "request": {
            "method": "POST",
            "description": s.request_description,
            "header": [
                _kv("Content-Type", "application/json"),
                _kv(d["header_name"], d["header_value"]),
                _kv("X-Off", d["header_value"], disabled=True),
            ],
            "url": {
                "raw": f"{HOST}/items/:{path_key}/{{{{{variable}}}}}",
                "protocol": "https",
                "host": ["api", "example", "test"],
                "path": ["items", f":{path_key}", f"{{{{{variable}}}}}"],
                "query": [_kv(s.query_key or "q", d["query_value"])],
                "variable": [
                    _kv(path_key, s.path_value, description=s.path_value),
                ],
            },
            "body": {
                "mode": "raw",
                "raw": json.dumps(body),
                "options": {"raw": {"language": "json"}},
            },
        },
        "response": [
            {
                "name": s.example_name,
                "code": 200,
                "status": "OK",
                "header": [
                    _kv("Content-Type", "application/json; " + s.example_type),
                    _kv("X-Note", s.example_header),
                    _kv("Location", s.example_header),
                ],
                "body": json.dumps(example_body),
            },
            {
                "name": s.example_name + " error",
                "code": 404,
                "status": "Not Found",
                "header": [_kv("Content-Type", "application/json")],
                "body": json.dumps([{"errorCode": s.error_code, "message": s.script}]),
            },
        ],
        "event": [
            {
                "listen": "test",
                "script": {
                    "exec": [
                        f"// {s.script}",
                        f"pm.environment.set('{variable}', pm.response.json().id);",
                    ]
                },
            }
        ],
    }
    return {
        "info": {
            "name": s.title,
            "description": s.description,
            "schema": SCHEMA,
        },
        "auth": {"type": "bearer", "bearer": [_kv("token", "{{access_token}}")]},
        "variable": [
            _kv(variable, s.variable_value),
            _kv("access_token", "not-written"),
        ],
        "event": [
            {
                "listen": "prerequest",
                "script": {
                    "exec": [
                        f"pm.request.headers.add({{key: 'X-Script', value: '{_js(d['script'])}'}});",
                        s.script,
                    ]
                },
            }
        ],
        "item": [
            {
                "name": s.folder,
                "description": s.folder_description,
                "auth": {
                    "type": "apikey",
                    "apikey": [
                        _kv("key", d["auth_key"]),
                        _kv("value", "{{api_key}}"),
                        _kv("in", "header"),
                    ],
                },
                "item": [folder_request],
            },
            {
                "name": s.root_request,
                "request": {
                    "method": "GET",
                    "header": [_kv("Accept", "text/plain")],
                    "url": {
                        "raw": f"{HOST}/plain",
                        "protocol": "https",
                        "host": ["api", "example", "test"],
                        "path": ["plain"],
                        "query": [_kv("v_" + s.query_key, "1")],
                    },
                },
                "response": [
                    {
                        "name": s.example_name,
                        "code": 200,
                        "status": "OK",
                        "header": [_kv("Content-Type", "text/plain")],
                        "body": s.example_value,
                    }
                ],
            },
        ],
    }


# --- the structure check --------------------------------------------------------------


class _Eraser(ast.NodeTransformer):
    """Erase what text from the collection may change: constants and identifiers."""

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        return ast.Constant(value=type(node.value).__name__)

    def visit_Name(self, node: ast.Name) -> ast.AST:
        return ast.Name(id="_", ctx=node.ctx)

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        self.generic_visit(node)
        node.attr = "_"
        return node

    def visit_arg(self, node: ast.arg) -> ast.AST:
        self.generic_visit(node)
        node.arg = "_"
        return node

    def visit_keyword(self, node: ast.keyword) -> ast.AST:
        self.generic_visit(node)
        node.arg = "_" if node.arg is not None else None
        return node

    def visit_alias(self, node: ast.alias) -> ast.AST:
        return ast.alias(name="_", asname="_" if node.asname else None)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> ast.AST:
        self.generic_visit(node)
        node.module = "_" if node.module else None
        return node

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        self.generic_visit(node)
        node.name = "_"
        return node

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> ast.AST:
        self.generic_visit(node)
        node.name = "_"
        return node

    def visit_ClassDef(self, node: ast.ClassDef) -> ast.AST:
        self.generic_visit(node)
        node.name = "_"
        return node


def python_signature(text: str) -> tuple[int, tuple[str, ...]]:
    """(number of comments, sorted dumps of the erased module-level statements)."""
    tree = _Eraser().visit(ast.parse(text))
    statements = sorted(ast.dump(s, annotate_fields=False) for s in tree.body)
    tokens = tokenize.generate_tokens(io.StringIO(text).readline)
    comments = sum(1 for t in tokens if t.type == tokenize.COMMENT)
    return comments, tuple(statements)


def signature(files: dict[str, str]) -> tuple[object, ...]:
    """The package's structure, blind to the text placed inside literals."""
    python = sorted(python_signature(t) for p, t in files.items() if p.endswith(".py"))
    others = sum(1 for p in files if not p.endswith(".py"))
    return (others, *python)


def first_difference(hostile: dict[str, str], benign: dict[str, str]) -> str:
    """A readable account of where two packages' structures differ."""
    mine = {p: python_signature(t) for p, t in hostile.items() if p.endswith(".py")}
    theirs = {python_signature(t): p for p, t in benign.items() if p.endswith(".py")}
    for path, sig in sorted(mine.items()):
        if sig not in theirs:
            return f"{path}: no file of the benign twin has this structure:\n" + (
                hostile[path]
            )
    return f"file counts differ: {len(hostile)} != {len(benign)}"
