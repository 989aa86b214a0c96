"""Postman-compatible splitting of URL strings, query strings and header strings.

The rules follow Postman's own URL parser (``postman-url-encoder/parser``): the hash
is cut at the first ``#``, the query at the first ``?`` (then split on ``&`` and each
pair on its first ``=``), the protocol at ``://``, the path at the first ``/``, the
credentials at the last ``@``, the port at the last ``:`` and the host on ``.``.
``{{variables}}`` are opaque: a ``.``, ``/``, ``?``... inside ``{{...}}`` splits
nothing, and each variable is kept literally in the piece that holds it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

_VARIABLE = re.compile(r"\{\{[^{}]*\}\}")
_PRIVATE_USE_BASE = 0xF0000  # supplementary private use area: never in a real URL
_PRIVATE_USE_SIZE = 0xFFFE
_HEADER_FOLD = re.compile(r"\r?\n[ \t]+")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class UrlParts:
    """The pieces of a URL string; ``query`` pairs have value ``None`` without ``=``."""

    protocol: str = ""
    host: tuple[str, ...] = ()
    port: str = ""
    path: tuple[str, ...] = ()
    query: tuple[tuple[str, str | None], ...] = ()
    hash: str = ""


def _protect_variables(text: str) -> tuple[str, Callable[[str], str]]:
    """Replace each ``{{...}}`` by one private-use character; return the undo function."""
    found = _VARIABLE.findall(text)
    if not found or len(found) > _PRIVATE_USE_SIZE or _has_private_use(text):
        return text, _identity
    table: dict[int, str] = {}
    counter = iter(range(_PRIVATE_USE_BASE, _PRIVATE_USE_BASE + len(found)))

    def substitute(match: re.Match[str]) -> str:
        code = next(counter)
        table[code] = match.group(0)
        return chr(code)

    protected = _VARIABLE.sub(substitute, text)
    return protected, lambda piece: piece.translate(table)


def _identity(piece: str) -> str:
    return piece


def _has_private_use(text: str) -> bool:
    return any(ord(char) >= _PRIVATE_USE_BASE for char in text)


def split_query(query: str) -> tuple[tuple[str, str | None], ...]:
    """Split ``a=1&b&c=`` into ``(("a", "1"), ("b", None), ("c", ""))``; empty pairs go."""
    pairs: list[tuple[str, str | None]] = []
    for pair in query.split("&"):
        if not pair:
            continue
        key, sep, value = pair.partition("=")
        pairs.append((key, value if sep else None))
    return tuple(pairs)


def split_url(raw: str) -> UrlParts:
    """Split a URL string (``{{base}}/v1/items/:id?x=1#top``) the way Postman does."""
    text, restore = _protect_variables(raw.lstrip())
    text, hash_ = _cut_after(text, "#")
    text, query = _cut_after(text, "?")
    text = text.replace("\\", "/")
    protocol = ""
    index = text.find("://")
    if index != -1:
        protocol, text = text[:index], text[index + 3 :]
        text = (
            "/" + text.lstrip("/") if protocol.lower() == "file" else text.lstrip("/")
        )
    text, path = _cut_after(text, "/")
    at = text.rfind("@")
    if at != -1:
        text = text[at + 1 :]  # credentials in the URL: Postman keeps them apart
    port = ""
    colon = text.rfind(":")
    if colon != -1 and "]" not in text[colon + 1 :]:
        text, port = text[:colon], text[colon + 1 :]
    return UrlParts(
        protocol=restore(protocol),
        host=tuple(restore(part) for part in text.split(".")) if text else (),
        port=restore(port),
        path=tuple(restore(seg) for seg in path.split("/")) if path is not None else (),
        query=tuple(
            (restore(key), None if value is None else restore(value))
            for key, value in split_query(query or "")
        ),
        hash=restore(hash_ or ""),
    )


def _cut_after(text: str, separator: str) -> tuple[str, str | None]:
    """Split at the first ``separator``: (before, after) or (text, None) if absent."""
    index = text.find(separator)
    if index == -1:
        return text, None
    return text[:index], text[index + 1 :]


def split_host(host: str) -> tuple[str, ...]:
    """Split a host string on ``.``, except inside ``{{variables}}``."""
    if not host:
        return ()
    text, restore = _protect_variables(host)
    return tuple(restore(part) for part in text.split("."))


def split_path(path: str) -> tuple[str, ...]:
    """Split a path string like Postman: one leading ``/`` dropped, ``"/"`` is ``("",)``."""
    if not path:
        return ()
    if path == "/":
        return ("",)
    return tuple((path[1:] if path.startswith("/") else path).split("/"))


def path_variable_names(path: tuple[str, ...]) -> list[str]:
    """Names of the ``:name`` segments of a path, first occurrence order, no repeats."""
    names: list[str] = []
    for segment in path:
        if segment.startswith(":") and segment != ":" and segment[1:] not in names:
            names.append(segment[1:])
    return names


def join_url(parts: UrlParts, query: list[tuple[str, str | None]]) -> str:
    """Write a URL back as a string (Postman's ``Url.toString``); ``query`` is enabled pairs."""
    raw = ""
    if parts.protocol:
        raw += (
            parts.protocol if parts.protocol.endswith("://") else parts.protocol + "://"
        )
    raw += ".".join(parts.host)
    if parts.port:
        raw += ":" + parts.port
    if parts.path:
        raw += "/" + "/".join(parts.path)
    pairs = "&".join(key if value is None else f"{key}={value}" for key, value in query)
    if pairs:
        raw += "?" + pairs
    if parts.hash:
        raw += "#" + parts.hash
    return raw


def split_header_lines(text: str) -> Iterator[tuple[str, str, bool]]:
    """Yield ``(key, value, disabled)`` for each ``Key: value`` line of a header string.

    Continuation lines (starting with a space or tab) are joined to the line above;
    blank lines are skipped; a line starting with ``//`` is a disabled header (the
    convention of Postman v1 exports); a line without ``:`` is a key with value ``""``.
    """
    for line in _LINE_BREAK.split(_HEADER_FOLD.sub(" ", text)):
        stripped = line.strip()
        disabled = stripped.startswith("//")
        if disabled:
            stripped = stripped[2:].lstrip()
        key, _, value = stripped.partition(":")
        if key.strip():
            yield key.strip(), value.strip(), disabled
