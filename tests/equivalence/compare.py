"""Comparing two recorded requests, normalising only what legitimately differs.

Normalised away: the headers every HTTP client sets its own way (User-Agent, Host,
Connection, Accept-Encoding, framing: Content-Length / Transfer-Encoding), Newman's own
``Postman-Token`` and the ``Cache-Control: no-cache`` it adds, multipart boundaries,
and the nonces, timestamps and signatures of signed auth schemes. Header names are
case-insensitive and their order is free (two clients never agree on it); duplicates
count. Bodies compare as JSON values when both parse as JSON, as ordered pairs when
form-encoded, as parts when multipart, else as bytes. Path and query compare exactly
(Postman sends the query in the collection's order, so order counts).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote

from .proxy import Recorded

CLIENT_HEADERS = {
    "user-agent",
    "host",
    "connection",
    "accept-encoding",
    "content-length",
    "transfer-encoding",
    "keep-alive",
}
NEWMAN_ONLY = {"postman-token"}
_BOUNDARY_RE = re.compile(r"(boundary=)(\"[^\"]*\"|[^;,\s]+)", re.IGNORECASE)
_SIGNED_FIELDS = {
    "oauth ": ("oauth_nonce", "oauth_timestamp", "oauth_signature"),
    "hawk ": ("ts", "nonce", "mac", "hash"),
    "digest ": ("nonce", "cnonce", "response", "nc"),
    "aws4-hmac-sha256 ": ("Signature", "Credential", "SignedHeaders"),
}
VOLATILE_HEADERS = {"x-amz-date", "x-amz-content-sha256"}


@dataclass(frozen=True)
class Difference:
    """One aspect in which the two requests differ."""

    aspect: str  # "method", "path", "query", "header:<name>", "body"
    newman: str
    client: str

    def __str__(self) -> str:
        return f"{self.aspect}: newman {self.newman} / client {self.client}"


def _short(value: Any, limit: int = 120) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def normalise_signed(value: str) -> str:
    """An Authorization value with its per-request nonce/timestamp/signature blanked."""
    lower = value.lower()
    for prefix, fields in _SIGNED_FIELDS.items():
        if lower.startswith(prefix):
            for name in fields:
                value = re.sub(
                    rf"(\b{name}=)(\"[^\"]*\"|[^,\s]+)",
                    lambda m: m.group(1) + "<volatile>",
                    value,
                )
    return value


def header_counter(
    recorded: Recorded, *, newman: bool, other: Recorded
) -> Counter[tuple[str, str]]:
    """The comparable headers of one side as a multiset of (lower name, value)."""
    other_names = {k.lower() for k, _ in other.headers}
    out: Counter[tuple[str, str]] = Counter()
    for name, value in recorded.headers:
        lower = name.lower()
        if lower in CLIENT_HEADERS:
            continue
        if newman and lower in NEWMAN_ONLY:
            continue
        if (
            newman
            and lower == "cache-control"
            and value == "no-cache"
            and "cache-control" not in other_names
        ):
            continue
        if lower == "content-type":
            value = _BOUNDARY_RE.sub(r"\1<boundary>", value)
        if lower == "authorization":
            value = normalise_signed(value)
        if lower in VOLATILE_HEADERS:
            value = "<volatile>"
        out[(lower, value)] += 1
    return out


def _content_type(recorded: Recorded) -> str:
    for name, value in recorded.headers:
        if name.lower() == "content-type":
            return value
    return ""


def _boundary(content_type: str) -> str | None:
    match = _BOUNDARY_RE.search(content_type)
    return match.group(2).strip('"') if match else None


def multipart_parts(body: bytes, boundary: str) -> list[tuple[tuple[str, ...], bytes]]:
    """The parts of a multipart body: (sorted lower-cased header lines, content)."""
    delimiter = b"--" + boundary.encode("latin-1")
    parts = []
    for chunk in body.split(delimiter)[1:]:
        if chunk.startswith(b"--"):
            break
        chunk = chunk.removeprefix(b"\r\n")
        head, _, content = chunk.partition(b"\r\n\r\n")
        lines = tuple(
            sorted(
                _canonical_part_header(line)
                for line in head.decode("latin-1").split("\r\n")
                if line
            )
        )
        parts.append((lines, content.removesuffix(b"\r\n")))
    return parts


def _canonical_part_header(line: str) -> str:
    name, _, value = line.partition(":")
    return f"{name.strip().lower()}: {value.strip()}"


_MISSING = "<missing>"


def first_json_difference(a: Any, b: Any, where: str = "$") -> tuple[str, Any, Any]:
    """The JSON path of the first place two unequal values differ, and both values."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in [*a, *(k for k in b if k not in a)]:
            if a.get(key, _MISSING) != b.get(key, _MISSING):
                return first_json_difference(
                    a.get(key, _MISSING), b.get(key, _MISSING), f"{where}.{key}"
                )
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            if x != y:
                return first_json_difference(x, y, f"{where}[{index}]")
    return where, a, b


def compare_bodies(newman: Recorded, client: Recorded) -> Difference | None:
    a, b = newman.body, client.body
    if a == b:
        return None
    a_type, b_type = _content_type(newman).lower(), _content_type(client).lower()
    try:
        a_json, b_json = json.loads(a), json.loads(b)
    except ValueError:
        pass
    else:
        if a_json == b_json:
            return None
        where, a_value, b_value = first_json_difference(a_json, b_json)
        return Difference(
            "body", f"{where}={_short(a_value)}", f"{where}={_short(b_value)}"
        )
    if "x-www-form-urlencoded" in a_type and "x-www-form-urlencoded" in b_type:
        a_form = parse_qsl(a.decode("latin-1"), keep_blank_values=True)
        b_form = parse_qsl(b.decode("latin-1"), keep_blank_values=True)
        if a_form == b_form:
            return None
        return Difference("body", _short(a_form), _short(b_form))
    # The boundary keeps its case (the content types above are lower-cased).
    a_bound = _boundary(_content_type(newman))
    b_bound = _boundary(_content_type(client))
    if "multipart/" in a_type and "multipart/" in b_type and a_bound and b_bound:
        a_parts = multipart_parts(a, a_bound)
        b_parts = multipart_parts(b, b_bound)
        if a_parts == b_parts:
            return None
        return Difference("body", _short(a_parts), _short(b_parts))
    return Difference("body", _short(a), _short(b))


def compare(newman: Recorded, client: Recorded) -> list[Difference]:
    """Every aspect in which the client's request differs from Newman's."""
    diffs: list[Difference] = []
    if newman.method != client.method:
        diffs.append(Difference("method", newman.method, client.method))
    if newman.path != client.path:
        encoding = unquote(newman.path) == unquote(client.path)
        diffs.append(
            Difference(
                "path" + (" encoding" if encoding else ""),
                _short(newman.path),
                _short(client.path),
            )
        )
    if newman.query != client.query:
        a = parse_qsl(newman.query, keep_blank_values=True)
        b = parse_qsl(client.query, keep_blank_values=True)
        aspect = (
            "query encoding"
            if a == b
            else "query order" if sorted(a) == sorted(b) else "query"
        )
        diffs.append(Difference(aspect, _short(newman.query), _short(client.query)))
    a_headers = header_counter(newman, newman=True, other=client)
    b_headers = header_counter(client, newman=False, other=newman)
    names = sorted({n for n, _ in a_headers} | {n for n, _ in b_headers})
    for name in names:
        a_values = sorted(
            v for (n, v), c in a_headers.items() if n == name for _ in range(c)
        )
        b_values = sorted(
            v for (n, v), c in b_headers.items() if n == name for _ in range(c)
        )
        if a_values != b_values:
            diffs.append(
                Difference(
                    f"header:{name}",
                    _short(a_values) if a_values else "absent",
                    _short(b_values) if b_values else "absent",
                )
            )
    body = compare_bodies(newman, client)
    if body is not None:
        diffs.append(body)
    return diffs
