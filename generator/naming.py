"""The one authority for every name and literal pmgen emits.

Identifiers (methods, parameters, attributes, modules, classes) are made here from
collection text, and every string that reaches generated code or docs passes through
``py_string`` / ``docstring_text`` here, so nothing from a collection can break out of a
literal. Collisions are resolved deterministically by ``NameScope``.
"""

from __future__ import annotations

import builtins
import functools
import keyword
import re
import textwrap
import unicodedata
from collections.abc import Iterable

_WORD_RE = re.compile(
    r"[A-Z]{2,}s(?![a-z])|[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+[0-9]*|[A-Z]+[0-9]*|[0-9]+"
)
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
# The error classes every generated package re-exports from its runtime.
ERROR_CLASSES = (
    "ApiConnectionError",
    "ApiError",
    "ApiTimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ClientError",
    "ConflictError",
    "ErrorDetail",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseValidationError",
    "ServerError",
)
# The error class the runtime's ``error_for_response`` raises for a 4xx status; any
# other 4xx raises ``ApiError`` itself, a 5xx ``ServerError`` (see ``error_class``).
_ERROR_CLASS_BY_STATUS = {
    400: "BadRequestError",
    401: "AuthenticationError",
    403: "PermissionDeniedError",
    404: "NotFoundError",
    409: "ConflictError",
    429: "RateLimitError",
}


def error_class(status: int) -> str:
    """The name of the exception a generated client raises for a non-2xx ``status``."""
    if status >= 500:
        return "ServerError"
    return _ERROR_CLASS_BY_STATUS.get(status, "ApiError")


# Class names the generated package defines or exports besides models and resources.
RESERVED_CLASSES = frozenset(
    {
        "Client",
        "AsyncClient",
        "Root",
        "AsyncRoot",
        "Model",
        "SyncResource",
        "AsyncResource",
        "RetryPolicy",
        "Exchange",
        "TYPE_CHECKING",
        "Any",
        *ERROR_CLASSES,
    }
)
_BUILTIN_NAMES = frozenset(dir(builtins))
_SOFT_KEYWORDS = frozenset({"match", "case", "type", "_"})


def words(text: str) -> list[str]:
    """Split free text (``"Abort a Job Query"``, ``"_jobId"``, ``"X-API-Key"``) into words."""
    return list(_words(text))


@functools.lru_cache(maxsize=65536)
def _words(text: str) -> tuple[str, ...]:
    # Cached: the same keys and names are split again and again (every model
    # field, every example of every request).
    ascii_text = _to_ascii(text)
    return tuple(w.lower() for w in _WORD_RE.findall(ascii_text))


def _to_ascii(text: str) -> str:
    """Fold accents (é → e) and drop what has no ASCII form (emoji)."""
    normalized = unicodedata.normalize("NFKD", text)
    return normalized.encode("ascii", "ignore").decode("ascii")


@functools.lru_cache(maxsize=65536)
def snake(text: str, *, fallback: str = "value") -> str:
    """A valid, non-keyword snake_case identifier for ``text``."""
    parts = _words(text)
    name = "_".join(parts) if parts else fallback
    if name[0].isdigit():
        name = f"n{name}" if fallback == "value" else f"{fallback}_{name}"
    if keyword.iskeyword(name) or name in _SOFT_KEYWORDS:
        name += "_"
    return name


@functools.lru_cache(maxsize=65536)
def pascal(text: str, *, fallback: str = "Model") -> str:
    """A valid PascalCase class name for ``text``."""
    parts = _words(text)
    name = "".join(p.capitalize() for p in parts) if parts else fallback
    if name[0].isdigit():
        name = f"{fallback}{name}"
    if keyword.iskeyword(name) or name in _BUILTIN_NAMES:
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
        self._next: dict[str, int] = {}  # base name → next suffix to try
        # Names a lock file keeps for their owners: ``claim`` steps around them,
        # only ``claim_locked`` hands one out.
        self._reserved: set[str] = set()

    def _suffixed(self, name: str, counter: int) -> str:
        return f"{name}_{counter}" if name[-1:] != "_" else f"{name}{counter}"

    def reserve(self, names: Iterable[str]) -> None:
        """Keep ``names`` for ``claim_locked`` (claimed before any fresh name)."""
        self._reserved.update(n for n in names if n not in self._taken)

    def claim(self, name: str) -> str:
        """Return ``name`` or the first free suffixed name and mark it taken."""
        candidate = name
        counter = self._next.get(name, 2)
        while candidate in self._taken or candidate in self._reserved:
            candidate = self._suffixed(name, counter)
            counter += 1
        self._next[name] = counter
        self._taken.add(candidate)
        return candidate

    def claim_locked(self, name: str) -> str:
        """A name recorded in the lock: ``name`` itself unless something else holds
        it already (then the first free suffixed name)."""
        if name not in self._taken:
            self._reserved.discard(name)
            self._taken.add(name)
            return name
        return self.claim(name)

    def __contains__(self, name: object) -> bool:
        return name in self._taken or name in self._reserved


class ClassScope(NameScope):
    """Unique class names: collisions get a numeric suffix without underscore."""

    def _suffixed(self, name: str, counter: int) -> str:
        return f"{name}{counter}"

    def claim_twins(self, name: str, prefix: str = "Async") -> str:
        """Claim ``name`` and ``prefix + name`` together (a sync/async class pair)."""
        candidate, counter = name, 2
        while candidate in self or prefix + candidate in self:
            candidate, counter = f"{name}{counter}", counter + 1
        self._taken.update({candidate, prefix + candidate})
        return candidate

    def claim_locked_twins(self, name: str, prefix: str = "Async") -> str:
        """``claim_twins`` for a pair of names recorded in the lock."""
        if name not in self._taken and prefix + name not in self._taken:
            self._reserved -= {name, prefix + name}
            self._taken.update({name, prefix + name})
            return name
        return self.claim_twins(name, prefix)


def is_identifier(name: str) -> bool:
    """Whether ``name`` can be emitted as a Python identifier as it stands."""
    return name.isidentifier() and name.isascii() and not keyword.iskeyword(name)


# --- literals -------------------------------------------------------------------------


def _escape_char(char: str, quote: str) -> str:
    """One character as ``repr`` writes it inside a ``quote``-delimited literal."""
    if char == "\\" or char == quote:
        return "\\" + char
    if char.isprintable():
        return char
    special = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    if char in special:
        return special[char]
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _quote_for(double: int, single: int) -> str:
    """black's choice: double quotes unless they need more escapes than single."""
    return '"' if double <= single else "'"


# Literals of short strings already written: names, keys and values come back
# again and again in a package (half the cost of ``py_string`` when rendering).
_PY_STRINGS: dict[str, str] = {}
_PY_STRING_MEMO_LENGTH = 64
# ... and of the last few long ones (an example's body is served by several tests):
# few, as they may be large.
_LONG_STRINGS: dict[str, str] = {}
_LONG_STRINGS_KEPT = 16


def py_string(value: str) -> str:
    """A Python string literal for ``value``, exactly as black would write it.

    Every backslash, control character, lone surrogate and the delimiting quote is
    escaped (as ``repr`` does), so text from a collection can never end the literal
    early; the quote character is black's choice, so the result is black-stable.
    """
    known = _PY_STRINGS.get(value)
    if known is not None:
        return known
    if len(value) < _PY_STRING_MEMO_LENGTH:
        literal = _PY_STRINGS[value] = _py_string(value)
        return literal
    known = _LONG_STRINGS.get(value)
    if known is None:
        if len(_LONG_STRINGS) >= _LONG_STRINGS_KEPT:
            del _LONG_STRINGS[next(iter(_LONG_STRINGS))]  # the oldest
        known = _LONG_STRINGS[value] = _py_string(value)
    return known


def _py_string(value: str) -> str:
    quote = _quote_for(value.count('"'), value.count("'"))
    if value.isprintable():  # the common case: only \\ and the quote need escapes
        body = value.replace("\\", "\\\\").replace(quote, "\\" + quote)
        return quote + body + quote
    # ``repr`` escapes every other character exactly as ``_escape_char`` does (in C);
    # only its quote may differ from black's: ' where black wants ".
    text = repr(value)
    if text[0] == quote:
        return text
    body = text[1:-1].replace("\\'", "'").replace(quote, "\\" + quote)
    return quote + body + quote


def py_bytes(value: bytes) -> str:
    """A bytes literal for ``value``, as black would write it."""
    quote = _quote_for(value.count(b'"'), value.count(b"'"))
    body = repr(value)[2:-1]
    if repr(value)[1] != quote:  # repr chose the other quote: re-escape for ours
        other = "'" if quote == '"' else '"'
        body = body.replace("\\" + other, other).replace(quote, "\\" + quote)
    return f"b{quote}{body}{quote}"


def py_float(value: float) -> str:
    """A float literal as black normalises it (``1e+20`` → ``1e20``)."""
    text = repr(value)
    return text.replace("e+", "e") if "e" in text else text


def py_literal(value: object) -> str:
    """A Python literal for a JSON-like value (str, int, float, bool, None, list, dict)."""
    if isinstance(value, str):  # the most common value first
        return py_string(value)
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, float):
        return py_float(value)
    if isinstance(value, int):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(py_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        items = ", ".join(
            f"{py_string(str(k))}: {py_literal(v)}" for k, v in value.items()
        )
        return "{" + items + "}"
    raise TypeError(f"not a JSON value: {type(value).__name__}")


_DOC_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029\u0085\ud800-\udfff]")


def safe_text(text: str) -> str:
    """Text with lone surrogates (invalid in UTF-8 files) replaced by U+FFFD."""
    return re.sub(r"[\ud800-\udfff]", "\ufffd", text)


def docstring_text(text: str) -> str:
    """Collection text made safe for the inside of a ``\"\"\"`` docstring, in the
    form black leaves alone.

    Escapes backslashes and triple quotes, drops control characters, expands tabs,
    strips trailing spaces and the first line's leading ones, removes the common
    indent of the later lines (black re-indents them), and makes sure the text can
    neither end the docstring early nor end with an unescaped quote.
    """
    if text.isprintable() and "\\" not in text and '"' not in text:
        # One line with nothing to escape or drop (no control character, tab or
        # line break is printable): what the steps below leave of it.
        return text.strip()
    cleaned = _DOC_UNSAFE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    cleaned = cleaned.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    lines = [line.rstrip().expandtabs(4) for line in cleaned.split("\n")]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        return ""
    lines[0] = lines[0].lstrip()
    rest = lines[1:]
    # dedent changes nothing when no line is indented (tabs are expanded already,
    # and blank lines are empty): most descriptions.
    if any(line[:1] == " " for line in rest):
        rest = textwrap.dedent("\n".join(rest)).split("\n")
    result = "\n".join([lines[0], *rest])
    if result.endswith('"'):
        before = result[:-1]
        backslashes = len(before) - len(before.rstrip("\\"))
        if backslashes % 2 == 0:  # the last quote is not escaped yet
            result = before + '\\"'
    if result.startswith('"'):
        result = " " + result  # black separates a leading quote from the opening quotes
    return result


def comment_text(text: str) -> str:
    """One line of collection text made safe for a ``#`` comment (or Markdown)."""
    return " ".join(_DOC_UNSAFE.sub(" ", text).split())


_SHELL_VARIABLE = re.compile(r"\$([A-Z][A-Z0-9_]*)")
_SHELL_SAFE = re.compile(r"[A-Za-z0-9@%+=:,./_-]+")
_ANSI_C = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# What ``_ansi_c_char`` does to the characters it escapes but for bytes (in C).
_ANSI_C_TABLE = str.maketrans({**_ANSI_C, "\\": "\\\\", "'": "\\'"})
_DOUBLE_QUOTE_SAFE = re.compile(r"[ -~]*")  # printable ASCII...
_DOUBLE_QUOTE_SPECIAL = frozenset('$`\\"!')  # ...but for these


def _shell_literal(text: str) -> str:
    """``text`` as one shell word that expands nothing."""
    if _SHELL_SAFE.fullmatch(text):
        return text
    if text.isprintable():  # (lone surrogates are not)
        return "'" + text.replace("'", "'\"'\"'") + "'"
    # ANSI-C quoting: control characters, line separators and lone surrogates are
    # written as escapes of their UTF-8 bytes (whatever the shell's locale), so the
    # word stays on one line and the file is valid UTF-8.
    quoted = text.translate(_ANSI_C_TABLE)
    if not quoted.isprintable():  # more than line breaks and tabs to escape
        quoted = "".join(_ansi_c_char(c) for c in text)
    return "$'" + quoted + "'"


def _ansi_c_char(char: str) -> str:
    """One character inside ``$'...'``."""
    if char in "\\'":
        return "\\" + char
    if char in _ANSI_C:
        return _ANSI_C[char]
    if char.isprintable():
        return char
    return "".join(f"\\x{b:02x}" for b in char.encode("utf-8", "surrogatepass"))


def shell_word(text: str, *, expand: bool = True) -> str:
    """One POSIX shell word for ``text`` (a curl snippet's URL, header or body).

    With ``expand``, ``$NAME`` references (upper case, as the docs write credentials
    and settings) expand; every other character -- ``$(...)``, backquotes, quotes,
    control characters -- is literal, and the word is always one line.
    """
    if not expand or not _SHELL_VARIABLE.search(text):
        return _shell_literal(text)
    literals = _SHELL_VARIABLE.split(text)[::2]
    if all(
        _DOUBLE_QUOTE_SAFE.fullmatch(part) and not _DOUBLE_QUOTE_SPECIAL & set(part)
        for part in literals
    ):
        return '"' + text + '"'
    parts: list[str] = []
    position = 0
    for match in _SHELL_VARIABLE.finditer(text):
        if match.start() > position:
            parts.append(_shell_literal(text[position : match.start()]))
        parts.append('"$' + match.group(1) + '"')
        position = match.end()
    if position < len(text):
        parts.append(_shell_literal(text[position:]))
    return "".join(parts)
