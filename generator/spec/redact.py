"""Secret redaction: values that look like secrets never reach the spec or the output.

Applied to the loaded collection (and the environment) before the spec is built, so
everything after it -- the spec YAML, models inferred from examples, generated code,
tests, README, docstrings, curl snippets -- only ever sees placeholders. One pass
finds the secrets, a second replaces each one by its placeholder everywhere, so a
value always gets the same placeholder: a generated test serves the redacted example
body and expects the redacted field, and the two agree.

A value is a secret when it is a non-empty literal (no ``{{variable}}``) and
- the value of a variable named like a secret (``naming.looks_secret``) or used as an
  auth block's credential (``client_id`` as a basic-auth username), collection, folder
  or environment;
- a literal credential in an auth block (token, password, username, key, secret...);
- the value of a header, query parameter or form field named like a secret
  (``Authorization``, ``Cookie``, ``Set-Cookie``, ``X-Api-Key``, ``api_key``, ``token``),
  in requests and in saved examples; for ``Authorization`` the part after the scheme;
- a JSON string under a key named like a secret, in request and example bodies (a key
  ending in ``type``, ``id``, ``hint``, ``url``, ... names something else: ``token_type``);
- a JSON Web Token (``eyJ...``) anywhere.

Values that stand in for a secret are kept, they tell the reader what to put:
``<token>``, ``{key}``, ``YOUR_API_KEY``, "your password here".

Placeholders are ``REDACTED-1``, ``REDACTED-2``... in order of discovery (so:
deterministic). A secret that looks random (8+ characters, not one plain word) is
replaced wherever it appears, descriptions and example bodies included; a short or
plain one (``password``) only where it was found (the value of that header, field,
variable or JSON key), so that words elsewhere are not mangled. Card numbers are not
redacted: API collections carry the issuers' public test numbers, which the docs are
right to show.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import operator
import re
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from ..naming import looks_secret, words
from ..postman.model import PmAuth, PmBody, PmCollection, PmItem, PmKeyValue

PLACEHOLDER = "REDACTED-{}"
_JWT_RE = re.compile(r"eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*")
_VARIABLE_RE = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")
_SCHEME_RE = re.compile(
    r"^(Bearer|Basic|Token|Digest|OAuth|Hawk|AWS4-HMAC-SHA256|ApiKey)\s+(.+)$",
    re.IGNORECASE | re.DOTALL,
)
# Last words of names that are about a secret without holding one.
_NOT_SECRET_TAILS = frozenset(
    {
        "type",
        "hint",
        "id",
        "ids",
        "name",
        "url",
        "uri",
        "expiry",
        "expires",
        "expiration",
        "in",
        "method",
        "service",
        "status",
        "algorithm",
        "algo",
        "prefix",
        "location",
        "required",
        "enabled",
        "to",
    }
)
# Auth block parameters that hold an identity or a secret (the rest: settings;
# Hawk's optional "user" is a display name, not a credential).
_AUTH_SECRETS = frozenset(
    {"username", "value", "consumerkey", "authid", "clientid", "accesskey"}
)
_KEPT_FIELDS = frozenset({"where", "source", "schema_version", "id", "type", "mode"})
_MIN_LENGTH = 4
# Values that stand for a secret without being one: ``<token>``, ``{key}``,
# ``YOUR_API_KEY``, "Enter your key here" (they tell the reader what to put).
_STAND_IN_RE = re.compile(r"^(<[^<>]*>|\{[^{}]*\}|[A-Z][A-Z0-9_]*_[A-Z0-9_]+)$")
_YOUR_RE = re.compile(r"(?<![a-z])your(?![a-z])", re.IGNORECASE)
# JSON texts (request and example bodies): short secrets in them only as values of
# the key they were found under.
_JSON_FIELDS = frozenset({"raw", "body", "graphql_variables"})

T = TypeVar("T")


@functools.lru_cache(maxsize=4096)
def secret_name(name: str) -> bool:
    """Whether a header, parameter, JSON key or auth field named ``name`` holds a
    secret."""
    parts = words(name)
    return looks_secret(name) and not (parts and parts[-1] in _NOT_SECRET_TAILS)


def _auth_secret(key: str) -> bool:
    return secret_name(key) or key.lower() in _AUTH_SECRETS


def _random_looking(value: str) -> bool:
    """Long enough and not one plain word: safe to replace inside other text."""
    if len(value) < 8:
        return False
    classes = [
        any(c.islower() for c in value),
        any(c.isupper() for c in value),
        any(c.isdigit() for c in value),
        any(not c.isalnum() and not c.isspace() for c in value),
    ]
    return sum(classes) >= 2 and " " not in value.strip()


class Redactor:
    """The secrets of one collection and their placeholders."""

    def __init__(self) -> None:
        self.placeholders: dict[str, str] = {}
        self._anywhere: re.Pattern[str] | None = None  # set by ``freeze``
        self._forms: dict[str, str] = {}
        self._whole: set[str] = set()
        self._json_pairs: set[tuple[str, str]] = set()  # (JSON key, short secret)
        self._json_patterns: list[tuple[re.Pattern[str], str]] = []

    def add(self, value: object, json_key: str | None = None) -> None:
        """Record ``value`` as a secret (ignored if short, a variable or a stand-in);
        ``json_key``: found as the value of that key in a JSON text."""
        if not isinstance(value, str):
            return
        value = value.strip()
        if len(value) < _MIN_LENGTH or _VARIABLE_RE.search(value):
            return
        scheme = _SCHEME_RE.match(value)
        credential = scheme.group(2) if scheme else value
        if _STAND_IN_RE.match(credential) or _YOUR_RE.search(credential):
            return
        if json_key is not None:
            self._json_pairs.add((json_key, value))
        if value.startswith("REDACTED-") or value in self.placeholders:
            return
        self.placeholders[value] = PLACEHOLDER.format(len(self.placeholders) + 1)
        if scheme:
            self.add(scheme.group(2))

    def freeze(self) -> None:
        """Split the secrets into those replaced anywhere and whole values only."""
        found = sorted(self.placeholders, key=lambda s: (-len(s), s))
        forms: dict[str, str] = {}  # text as it may appear → placeholder
        for secret in (s for s in found if _random_looking(s)):
            forms.setdefault(secret, self.placeholders[secret])
            forms.setdefault(json.dumps(secret)[1:-1], self.placeholders[secret])
        self._forms = forms
        self._anywhere = (
            re.compile("|".join(re.escape(f) for f in sorted(forms, key=len)[::-1]))
            if forms
            else None
        )
        self._whole = {s for s in found if not _random_looking(s)}
        self._json_patterns = [
            (
                re.compile(
                    f"({re.escape(json.dumps(k))}\\s*:\\s*){re.escape(json.dumps(v))}"
                ),
                f'\\1"{self.placeholders[v]}"',
            )
            for k, v in sorted(self._json_pairs)
            if v in self._whole
        ]

    def text(self, text: str, *, whole: bool = False, json_text: bool = False) -> str:
        """``text`` with every random-looking secret replaced by its placeholder; a
        short one too when ``whole`` (the text is a secret's value) or, in a JSON
        text, as the value of the key it was found under."""
        if not text:
            return text
        stripped = text.strip()
        if whole and stripped in self._whole:
            return text.replace(stripped, self.placeholders[stripped])
        if self._anywhere is not None:
            text = self._anywhere.sub(lambda m: self._forms[m.group(0)], text)
        if json_text and '"' in text:
            for pattern, replacement in self._json_patterns:
                text = pattern.sub(replacement, text)
        return text


def redact(
    collection: PmCollection, environment: dict[str, str] | None = None
) -> tuple[PmCollection, dict[str, str], dict[str, str]]:
    """The collection and environment with every secret replaced by its placeholder,
    and the placeholders (secret → placeholder)."""
    redactor = Redactor()
    environment = dict(environment or {})
    _find(redactor, collection, environment)
    redactor.freeze()
    if not redactor.placeholders:
        return collection, environment, {}
    redacted = _replace(collection, redactor)
    environment = {
        k: redactor.text(v, whole=secret_name(k)) for k, v in environment.items()
    }
    return redacted, environment, dict(redactor.placeholders)


# --- finding secrets ------------------------------------------------------------------


def _find(
    redactor: Redactor, collection: PmCollection, environment: dict[str, str]
) -> None:
    items = list(_items(collection.items))
    auth_variables: set[str] = set()
    for auth in [collection.auth, *(i.auth for i in items)] + [
        i.request.auth for i in items if i.request is not None
    ]:
        if auth is not None:
            _auth(redactor, auth, auth_variables)
    variables = [*collection.variables, *(v for i in items for v in i.variables)]
    for entry in variables:
        if secret_name(entry.key) or entry.key in auth_variables:
            redactor.add(entry.value)
    for name, value in sorted(environment.items()):
        if secret_name(name) or name in auth_variables:
            redactor.add(value)
    for item in items:
        _item(redactor, item)
    for text in _strings(collection):
        for token in _JWT_RE.findall(text) if "eyJ" in text else ():
            redactor.add(token)


def _items(items: Iterable[PmItem]) -> Iterable[PmItem]:
    for item in items:
        yield item
        yield from _items(item.items)


def _auth(redactor: Redactor, auth: PmAuth, variables: set[str]) -> None:
    for key, value in sorted(auth.params.items()):
        if not isinstance(value, str):
            continue
        if _auth_secret(key):
            variables.update(_VARIABLE_RE.findall(value))
            redactor.add(value)


def _item(redactor: Redactor, item: PmItem) -> None:
    request = item.request
    if request is not None:
        _pairs(redactor, request.headers)
        _pairs(redactor, request.url.query)
        if request.body is not None:
            _body(redactor, request.body)
    for response in item.responses:
        _pairs(redactor, response.headers)
        _json_text(redactor, response.body)


def _pairs(redactor: Redactor, pairs: Iterable[PmKeyValue]) -> None:
    for pair in pairs:
        if secret_name(pair.key):
            redactor.add(pair.value)


def _body(redactor: Redactor, body: PmBody) -> None:
    _pairs(redactor, body.urlencoded)
    for form_field in body.formdata:
        if form_field.kind == "text" and secret_name(form_field.key):
            redactor.add(form_field.value)
    _json_text(redactor, body.raw)
    _json_text(redactor, body.graphql_variables)


def _json_text(redactor: Redactor, text: str | None) -> None:
    if not text or text.lstrip()[:1] not in ("{", "["):
        return
    try:
        value = json.loads(text)
    except ValueError:
        return
    _json_value(redactor, value)


def _json_value(redactor: Redactor, value: Any) -> None:
    """Add the strings under secret-looking keys of ``value`` (from ``json.loads``,
    so of the exact JSON types only: one identity test each decides)."""
    # Only containers are walked into: a call per number or string was most of it.
    if type(value) is dict:
        for key, child in value.items():
            cls = type(child)
            if cls is str:
                if secret_name(key):
                    redactor.add(child, json_key=key)
            elif cls is dict or cls is list:
                _json_value(redactor, child)
    elif type(value) is list:
        for child in value:
            cls = type(child)
            if cls is dict or cls is list:
                _json_value(redactor, child)


def _strings(node: object) -> Iterable[str]:
    """Every string held by a Pm* tree."""
    stack: list[Any] = [node]
    pop, extend = stack.pop, stack.extend
    while stack:
        value = pop()
        cls = type(value)
        # The exact types first, one test each: most of the tree's nodes are these.
        if cls is str:
            yield value
        elif cls in _LEAVES:  # (the last test, a failing ``hasattr``, is slow)
            continue
        elif cls is tuple or cls is list:
            extend(value)
        elif cls is dict:
            extend(value.values())
        elif cls in _GETTERS:  # a Pm* class met before
            extend(_GETTERS[cls](value))
        elif isinstance(value, str):
            yield value
        elif isinstance(value, (tuple, list)):
            extend(value)
        elif isinstance(value, dict):
            extend(value.values())
        elif hasattr(value, "__dataclass_fields__"):
            extend(_getter(cls)(value))


# Values that hold no strings (``_strings``).
_LEAVES = frozenset({type(None), bool, int, float})


_FIELDS: dict[type, tuple[str, ...]] = {}
_GETTERS: dict[type, Callable[[Any], tuple[Any, ...]]] = {}


def _getter(cls: type) -> Callable[[Any], tuple[Any, ...]]:
    """The values of a Pm* class's redacted fields, read in one call (C)."""
    getter = _GETTERS.get(cls)
    if getter is None:
        names = _fields_of(cls)
        if len(names) > 1:
            getter = operator.attrgetter(*names)
        else:  # ``attrgetter`` of one name gives the value, not a tuple of it
            getter = functools.partial(_own_values, names)
        _GETTERS[cls] = getter
    return getter


def _own_values(names: tuple[str, ...], value: object) -> tuple[Any, ...]:
    return tuple(getattr(value, name) for name in names)


def _fields_of(cls: type) -> tuple[str, ...]:
    """A Pm* class's redacted fields."""
    if cls not in _FIELDS:
        _FIELDS[cls] = tuple(
            f.name for f in dataclasses.fields(cls) if f.name not in _KEPT_FIELDS
        )
    return _FIELDS[cls]


# --- replacing them -------------------------------------------------------------------


def _replace(node: T, redactor: Redactor) -> T:
    """A Pm* tree (frozen dataclasses, tuples, dicts) with every string redacted (but
    ``where`` paths, ids, types and modes); unchanged parts are shared, not copied.
    A short secret is replaced only where it is the value of a secret-named field
    (header, query, form field, variable, auth field, JSON key), never in names,
    descriptions or other values."""
    value: Any = node
    if isinstance(value, str):
        return redactor.text(value)  # type: ignore[return-value]
    if isinstance(value, PmAuth):
        params = {
            k: (
                redactor.text(v, whole=_auth_secret(k))
                if isinstance(v, str)
                else _replace(v, redactor)
            )
            for k, v in value.params.items()
        }
        if all(params[k] is v for k, v in value.params.items()):
            return node
        return dataclasses.replace(value, params=params)  # type: ignore[return-value]
    if hasattr(value, "__dataclass_fields__"):
        secret_value = (
            isinstance(value.key, str) and secret_name(value.key)
            if hasattr(value, "key")
            else False
        )
        changes = {}
        for name in _fields_of(type(value)):
            old = getattr(value, name)
            if isinstance(old, str):
                new: Any = redactor.text(
                    old,
                    whole=secret_value and name == "value",
                    json_text=name in _JSON_FIELDS,
                )
            else:
                new = _replace(old, redactor)
            if new is not old and new != old:
                changes[name] = new
        return dataclasses.replace(value, **changes) if changes else node
    if isinstance(value, (tuple, list)):
        items = [_replace(v, redactor) for v in value]
        if all(a is b for a, b in zip(items, value, strict=True)):
            return node
        return type(value)(items)  # type: ignore[return-value]
    if isinstance(value, dict):
        entries = {k: _replace(v, redactor) for k, v in value.items()}
        if all(entries[k] is v for k, v in value.items()):
            return node
        return entries  # type: ignore[return-value]
    return node
