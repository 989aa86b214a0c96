"""Load stage: read a Postman collection file, check it, normalise it into ``model``.

``load_collection`` reads the file (UTF-8, a byte order mark is fine), parses the
JSON, recognises what kind of file it is (a v2.0/v2.1 collection; a v1 collection,
an environment or anything else is refused with a clear message), checks it
against the bundled schema of the version it declares, and builds a
``PmCollection`` (see ``model`` for the normalisations).

Every failure is an ``InputError`` naming the file and a JSON path
(``$.item[3].request.url``); nothing else escapes.
"""

from __future__ import annotations

import codecs
import contextlib
import gc
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generator.errors import InputError

from ._build import Builder
from ._validate import SCHEMA_FILES, checked_in_background, validate_collection
from ._values import kind_of, value_text
from .model import PmCollection

__all__ = [
    "SUPPORTED_VERSIONS",
    "collection_from_dict",
    "environment_from_dict",
    "load_collection",
    "load_environment",
    "read_json",
]

SUPPORTED_VERSIONS = tuple(SCHEMA_FILES)
V1_MESSAGE = (
    "this is a Postman v1 collection; export it again from Postman as Collection v2.1"
)
_SCHEMA_VERSION = re.compile(r"/v(\d+\.\d+\.\d+)/")
# Keys found at the top of a v1 collection, or of a v1 request exported on its own.
_V1_KEYS = frozenset(
    {"requests", "order", "folders", "folders_order"}
    | {"dataMode", "rawModeData", "headerData", "collectionId"}
)


def load_collection(path: str | Path, *, validate: bool = True) -> PmCollection:
    """Read, check and normalise the Postman collection (v2.0 or v2.1) at ``path``.

    With ``validate=False`` the schema check is skipped (the structure is still
    checked as far as the normalisation needs it). Raises ``InputError``.
    """
    with _gc_paused():
        data = read_json(path)
        background = Path(path).stat().st_size >= BACKGROUND_CHECK_BYTES
        return collection_from_dict(
            data, str(path), validate=validate, background=background
        )


# From this size on, the schema check runs in a forked process alongside the
# normalisation (below it, forking costs more than it saves).
BACKGROUND_CHECK_BYTES = 2_000_000


def collection_from_dict(
    data: object, source: str, *, validate: bool = True, background: bool = False
) -> PmCollection:
    """Check and normalise an already-parsed collection; ``source`` names it in errors.

    A Postman API response (``{"collection": {...}}``) is unwrapped; JSON paths then
    start at ``$.collection``. Raises ``InputError``.
    """
    try:
        with _gc_paused():
            return _check_and_build(data, source, validate, background)
    except InputError:
        raise
    except RecursionError as exc:
        raise InputError(
            source, "$", "the document is nested too deeply to read"
        ) from exc
    except Exception as exc:  # a safety net: no traceback may reach the user
        message = f"cannot read the collection ({type(exc).__name__}: {exc})"
        raise InputError(source, "$", message) from exc


def _check_and_build(
    data: object, source: str, validate: bool, background: bool
) -> PmCollection:
    """Recognise, schema-check and normalise ``data`` (the work of ``collection_from_dict``).

    ``background``: the schema check runs in a forked process meanwhile.
    """
    root, base = _locate_collection(data, source)
    version = _declared_version(root, base, source)
    if not validate:
        return Builder(source).collection(root, version, base)
    if not background:
        validate_collection(root, version, source, base)
        return Builder(source).collection(root, version, base)
    with checked_in_background(root, version, source, base) as wait:
        try:
            collection = Builder(source).collection(root, version, base)
        except Exception:
            wait()  # bad input: the schema's message says more than the failure
            raise
        wait()
    return collection


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the duration of a load.

    Parsing and normalising a large collection allocates millions of small objects
    (and no reference cycles); the collector's passes over that growing heap would
    otherwise cost about a third of the load time of a 10,000-request file.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_environment(path: str | Path) -> dict[str, str]:
    """Read a Postman environment (or globals) file: enabled ``values`` as ``{key: value}``.

    Disabled entries are skipped; a ``null`` value counts as ``""``. Raises ``InputError``.
    """
    return environment_from_dict(read_json(path), str(path))


def environment_from_dict(data: object, source: str) -> dict[str, str]:
    """The enabled variables of an already-parsed environment. Raises ``InputError``."""
    if not isinstance(data, dict):
        raise InputError(
            source,
            "$",
            f"expected a Postman environment (a JSON object), found {kind_of(data)}",
        )
    values = data.get("values")
    if not isinstance(values, list):
        message = "not a Postman environment: expected a `values` array of {key, value, enabled}"
        if "info" in data or "item" in data:
            message = "this is a Postman collection, not an environment"
        raise InputError(source, "$", message)
    variables: dict[str, str] = {}
    for index, entry in enumerate(values):
        where = f"$.values[{index}]"
        if not isinstance(entry, dict):
            raise InputError(
                source, where, f"expected an object, found {kind_of(entry)}"
            )
        key = entry.get("key")
        if not isinstance(key, str) or not key:
            raise InputError(
                source,
                f"{where}.key",
                f"expected a variable name, found {kind_of(key)}",
            )
        if entry.get("enabled") is False or entry.get("disabled") is True:
            continue
        variables[key] = value_text(entry.get("value")) or ""
    return variables


def read_json(path: str | Path) -> Any:
    """Parse the JSON file at ``path`` (UTF-8, BOM tolerated). Raises ``InputError``."""
    source = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(
            source, "$", f"cannot read the file: {exc.strerror or exc}"
        ) from exc
    try:
        text = _decode(data)
    except UnicodeDecodeError as exc:
        raise InputError(
            source, "$", f"not UTF-8 text (bad byte at offset {exc.start})"
        ) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            source,
            "$",
            f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}",
        ) from exc
    except RecursionError as exc:
        raise InputError(source, "$", "invalid JSON: nested too deeply") from exc


def _decode(data: bytes) -> str:
    """UTF-8 text (an initial BOM dropped); UTF-16 only when a UTF-16 BOM says so."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    return data.decode("utf-8-sig")


def _locate_collection(data: object, source: str) -> tuple[dict[str, Any], str]:
    """The collection object and its JSON path, or an ``InputError`` saying what this is."""
    if not isinstance(data, dict):
        raise InputError(
            source,
            "$",
            f"expected a Postman collection (a JSON object), found {kind_of(data)}",
        )
    wrapped = data.get("collection")
    if "info" not in data and isinstance(wrapped, dict) and "info" in wrapped:
        return wrapped, "$.collection"  # a Postman API response around the collection
    if "info" in data or "item" in data:
        return data, "$"
    if not _V1_KEYS.isdisjoint(data.keys()):
        raise InputError(source, "$", V1_MESSAGE)
    if "values" in data and (
        "_postman_variable_scope" in data or isinstance(data["values"], list)
    ):
        scope = data.get("_postman_variable_scope")
        kind = "globals" if scope == "globals" else "environment"
        raise InputError(
            source,
            "$",
            f"this is a Postman {kind} file, not a collection; export the collection itself",
        )
    raise InputError(
        source,
        "$",
        "not a Postman collection: no `info` and no `item` at the top level",
    )


def _declared_version(root: dict[str, Any], base: str, source: str) -> str:
    """The format version named by ``info.schema`` ("2.0.0" or "2.1.0")."""
    info = root.get("info")
    if not isinstance(info, dict):
        where = f"{base}.info"
        raise InputError(
            source,
            where if "info" in root else base,
            "missing the `info` object of a Postman collection",
        )
    schema = info.get("schema")
    where = f"{base}.info.schema"
    if not isinstance(schema, str):
        raise InputError(
            source,
            where,
            "missing the collection format URL (…/collection/v2.1.0/collection.json)",
        )
    match = _SCHEMA_VERSION.search(schema)
    version = match.group(1) if match else ""
    if version.startswith("1."):
        raise InputError(source, where, V1_MESSAGE)
    if version not in SUPPORTED_VERSIONS:
        raise InputError(
            source,
            where,
            f"unsupported collection format {schema!r}: pmgen reads Postman collections "
            "v2.0.0 and v2.1.0; export it again from Postman as Collection v2.1",
        )
    return version
