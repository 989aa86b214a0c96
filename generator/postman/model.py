"""Typed, normalised view of a Postman collection (v2.0 and v2.1 alike).

This is the only place, with ``load.py``, where Postman's vocabulary lives. Every
object keeps ``where``: the JSON path of the object in its file (``$.item[2].request``)
so that later stages can name the exact spot in a diagnostic.

Normalisation done by the loader (so later stages never see the two formats):
- ``request`` given as a plain URL string becomes a GET ``PmRequest``;
- ``url`` given as a string is parsed into host / path / query like Postman does;
- ``header`` given as a string (``"Key: value\\nKey2: v"``) becomes ``PmKeyValue`` items;
- auth in the v2.0 shape (``{"type": "bearer", "bearer": {"token": "x"}}``) and in the
  v2.1 shape (``{"bearer": [{"key": "token", "value": "x"}]}``) both become ``PmAuth.params``;
- script ``exec`` given as a string or a list becomes a list of lines;
- descriptions given as ``{"content": ..., "type": ...}`` become plain strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class PmKeyValue:
    """A header, query parameter, urlencoded field, variable or path variable."""

    key: str
    value: str | None
    disabled: bool = False
    description: str = ""
    type: str = ""  # Postman's declared type ("text", "file", "string", "boolean", ...)
    where: str = ""


@dataclass(frozen=True)
class PmFormField:
    """One ``formdata`` field: text (``value``) or file (``src``, one or several)."""

    key: str
    kind: str  # "text" or "file"
    value: str | None
    src: tuple[str, ...] = ()
    content_type: str = ""
    disabled: bool = False
    description: str = ""
    where: str = ""


@dataclass(frozen=True)
class PmUrl:
    """A request URL, split the way Postman splits it."""

    raw: str
    protocol: str = ""
    host: tuple[str, ...] = ()
    port: str = ""
    path: tuple[str, ...] = ()
    query: tuple[PmKeyValue, ...] = ()
    variables: tuple[PmKeyValue, ...] = ()  # descriptions/values of ``:name`` segments
    hash: str = ""
    where: str = ""


@dataclass(frozen=True)
class PmBody:
    """A request body; ``mode`` is one of raw, urlencoded, formdata, file, graphql, none."""

    mode: str
    raw: str = ""
    language: str = ""  # options.raw.language ("json", "xml", "text", ...) or ""
    urlencoded: tuple[PmKeyValue, ...] = ()
    formdata: tuple[PmFormField, ...] = ()
    file_src: str | None = None
    graphql_query: str = ""
    graphql_variables: str = ""
    disabled: bool = False
    where: str = ""


@dataclass(frozen=True)
class PmAuth:
    """An auth block. ``params`` maps each key (``token``, ``username``...) to its value."""

    type: str  # noauth, bearer, basic, apikey, digest, oauth1, oauth2, hawk, awsv4, ntlm, ...
    params: dict[str, Any] = field(default_factory=dict)
    where: str = ""


@dataclass(frozen=True)
class PmScript:
    """A pre-request or test script."""

    listen: str  # "prerequest" or "test"
    lines: tuple[str, ...]
    where: str = ""


@dataclass(frozen=True)
class PmResponse:
    """A saved example response."""

    name: str
    code: int | None
    status: str
    headers: tuple[PmKeyValue, ...]
    body: str | None
    preview_language: str = ""
    where: str = ""


@dataclass(frozen=True)
class PmRequest:
    """The request part of an item."""

    method: str
    url: PmUrl
    headers: tuple[PmKeyValue, ...] = ()
    body: PmBody | None = None
    auth: PmAuth | None = None  # None = inherit from the parent
    description: str = ""
    where: str = ""


@dataclass(frozen=True)
class PmItem:
    """A request item (``request`` set) or a folder (``items`` set)."""

    name: str
    id: str | None = None
    request: PmRequest | None = None
    items: tuple[PmItem, ...] = ()
    is_folder: bool = False
    responses: tuple[PmResponse, ...] = ()
    scripts: tuple[PmScript, ...] = ()
    auth: PmAuth | None = None  # folder-level auth; None = inherit
    variables: tuple[PmKeyValue, ...] = ()  # folder-level variables
    description: str = ""
    protocol_profile: dict[str, Any] = field(default_factory=dict)
    where: str = ""


@dataclass(frozen=True)
class PmCollection:
    """A whole collection, schema-checked and normalised."""

    name: str
    schema_version: str  # "2.0.0" or "2.1.0"
    source: str  # file name as given by the user (for messages)
    id: str | None = None
    description: str = ""
    items: tuple[PmItem, ...] = ()
    auth: PmAuth | None = None
    variables: tuple[PmKeyValue, ...] = ()
    scripts: tuple[PmScript, ...] = ()
    protocol_profile: dict[str, Any] = field(default_factory=dict)
