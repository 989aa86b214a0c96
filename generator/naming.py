"""The one authority for every name and literal pmgen emits.

Identifiers (methods, parameters, attributes, modules, classes) are made here from
collection text, and every string that reaches generated code or docs passes through
``py_string`` / ``docstring_text`` here, so nothing from a collection can break out of a
literal. Collisions are resolved deterministically by ``NameScope``.
"""

from __future__ import annotations

import builtins
import keyword
import re
import unicodedata
from collections.abc import Iterable

_WORD_RE = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+[0-9]*|[A-Z]+[0-9]*|[0-9]+")
_SECRET_WORDS = frozenset(
    {
        "token",
        "secret",
        "password",
        "passwd",
        "pwd",
        "credential",
        "credentials",
        "session",
        "signature",
        "auth",
        "authorization",
        "apikey",
        "private",
        "jwt",
        "cookie",
    }
)
_SECRET_JOINED = ("apikey", "accesskey", "secretkey", "privatekey", "clientsecret")

# Names a generated class or module already uses; a parameter or attribute taking one
# of these would shadow something the generated code needs.
RESERVED_ATTRIBUTES = frozenset(
    {"self", "cls", "additional_properties", "from_dict", "to_dict", "request"}
)
RESERVED_PARAMETERS = frozenset(
    {"self", "cls", "response", "timeout", "headers", "client", "json", "content"}
)
RESERVED_CLIENT_ATTRIBUTES = frozenset(
    {
        "close",
        "aclose",
        "request",
        "stream",
        "settings",
        "base_url",
        "capture_response",
    }
)
_SOFT_KEYWORDS = frozenset({"match", "case", "type", "_"})


def words(text: str) -> list[str]:
    """Split free text (``"Abort a Job Query"``, ``"_jobId"``, ``"X-API-Key"``) into words."""
    ascii_text = _to_ascii(text)
    return [w.lower() for w in _WORD_RE.findall(ascii_text)]


def _to_ascii(text: str) -> str:
    """Fold accents (é → e) and drop what has no ASCII form (emoji)."""
    normalized = unicodedata.normalize("NFKD", text)
    return normalized.encode("ascii", "ignore").decode("ascii")


def snake(text: str, *, fallback: str = "value") -> str:
    """A valid, non-keyword snake_case identifier for ``text``."""
    parts = words(text)
    name = "_".join(parts) if parts else fallback
    if name[0].isdigit():
        name = f"n{name}" if fallback == "value" else f"{fallback}_{name}"
    if keyword.iskeyword(name) or name in _SOFT_KEYWORDS:
        name += "_"
    return name


def pascal(text: str, *, fallback: str = "Model") -> str:
    """A valid PascalCase class name for ``text``."""
    parts = words(text)
    name = "".join(p.capitalize() for p in parts) if parts else fallback
    if name[0].isdigit():
        name = f"{fallback}{name}"
    if keyword.iskeyword(name) or name in dir(builtins):
        name += "_"
    return name


def parameter_name(text: str) -> str:
    """A method parameter name; never one the generated method uses itself."""
    name = snake(text)
    return name + "_" if name in RESERVED_PARAMETERS else name


def attribute_name(text: str) -> str:
    """A dataclass field name; never one the model base class uses."""
    name = snake(text, fallback="field")
    return name + "_" if name in RESERVED_ATTRIBUTES else name


def resource_attribute(text: str) -> str:
    """The client attribute for a folder (``client.bulk_v2``)."""
    name = snake(text, fallback="resource")
    return name + "_" if name in RESERVED_CLIENT_ATTRIBUTES else name


def setting_name(variable: str) -> str:
    """A client setting from a variable name; a bare ``version`` becomes ``api_version``."""
    name = snake(variable, fallback="setting")
    return "api_version" if name in {"version", "v", "ver"} else name


def package_name(text: str) -> str:
    """A Python package name for a collection title."""
    return snake(text, fallback="client")


def singular(word: str) -> str:
    """A rough English singular for naming list items (``records`` → ``record``)."""
    lower = word.lower()
    if lower.endswith("ies") and len(word) > 4:
        return word[:-3] + ("Y" if word[-1].isupper() else "y")
    if lower.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if lower.endswith("s") and not lower.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word + "Item"


def looks_secret(name: str) -> bool:
    """Whether a variable or field name suggests a secret (token, password, key...)."""
    parts = words(name)
    joined = "".join(parts)
    return bool(_SECRET_WORDS.intersection(parts)) or any(
        j in joined for j in _SECRET_JOINED
    )


class NameScope:
    """Hands out unique names in one namespace, in call order (so: deterministic).

    The first claimant keeps the plain name; later ones get ``_2``, ``_3``...
    """

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self._taken: set[str] = set(taken)

    def claim(self, name: str) -> str:
        """Return ``name`` or the first free ``name_N`` and mark it taken."""
        candidate = name
        counter = 2
        while candidate in self._taken:
            candidate = f"{name}_{counter}" if name[-1:] != "_" else f"{name}{counter}"
            counter += 1
        self._taken.add(candidate)
        return candidate

    def __contains__(self, name: object) -> bool:
        return name in self._taken


class ClassScope(NameScope):
    """Unique class names: collisions get a numeric suffix without underscore."""

    def claim(self, name: str) -> str:
        candidate = name
        counter = 2
        while candidate in self._taken:
            candidate = f"{name}{counter}"
            counter += 1
        self._taken.add(candidate)
        return candidate


def is_identifier(name: str) -> bool:
    """Whether ``name`` can be emitted as a Python identifier as it stands."""
    return name.isidentifier() and name.isascii() and not keyword.iskeyword(name)


# --- literals -------------------------------------------------------------------------


def py_string(value: str) -> str:
    """A Python string literal for ``value``, in black's preferred double quotes.

    Uses ``repr`` (which escapes every control character, quote and backslash, so a
    collection cannot end the literal early) and then switches to double quotes the way
    black would, so the result is already black-stable.
    """
    text = repr(value)
    if text.startswith("'") and '"' not in value:
        return '"' + text[1:-1].replace("\\'", "'") + '"'
    return text


def py_bytes(value: bytes) -> str:
    """A bytes literal for ``value`` in black's preferred double quotes."""
    text = repr(value)
    if text.startswith("b'") and b'"' not in value:
        return 'b"' + text[2:-1].replace("\\'", "'") + '"'
    return text


def py_literal(value: object) -> str:
    """A Python literal for a JSON-like value (str, int, float, bool, None, list, dict)."""
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, str):
        return py_string(value)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(py_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        items = ", ".join(
            f"{py_string(str(k))}: {py_literal(v)}" for k, v in value.items()
        )
        return "{" + items + "}"
    raise TypeError(f"not a JSON value: {type(value).__name__}")


_DOC_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029\u0085]")


def docstring_text(text: str) -> str:
    """Collection text made safe for the inside of a ``\"\"\"`` docstring.

    Escapes backslashes and triple quotes, drops control characters, strips trailing
    spaces (black would), and never ends with a quote character.
    """
    cleaned = _DOC_UNSAFE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    cleaned = cleaned.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    lines = [line.rstrip().replace("\t", "    ") for line in cleaned.split("\n")]
    result = "\n".join(lines).strip("\n")
    if result.endswith('"'):
        result = result[:-1] + '\\"'
    return result


def comment_text(text: str) -> str:
    """One line of collection text made safe for a ``#`` comment."""
    return " ".join(_DOC_UNSAFE.sub(" ", text).split())
