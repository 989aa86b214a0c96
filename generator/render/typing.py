"""Which imports a type expression from the spec needs (``list[JobInfo] | None``)."""

from __future__ import annotations

import re

_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_BUILTIN = frozenset({"str", "int", "float", "bool", "None", "list", "dict", "bytes"})
_KNOWN = {
    "datetime": ("datetime", "datetime"),
    "date": ("datetime", "date"),
    "Any": ("typing", "Any"),
}


def imports_for_type(
    type_: str,
    models_of: dict[str, str],
    *,
    models_prefix: str = "..models.",
    runtime: str = ".._runtime",
    here: str = "",
) -> _Pairs:
    """(module, name) pairs to import for every name used in ``type_``.

    ``models_of`` maps model class names to their module; a model living in ``here``
    (the module being written) needs no import.
    """
    global _FOR
    if models_of is not _FOR[0]:
        _FOR = (models_of, {})
    key = (type_, models_prefix, runtime, here)
    known = _FOR[1].get(key)
    if known is None:
        known = _imports(type_, models_of, models_prefix, runtime, here)
        _FOR[1][key] = known
    return known


# The answers for one ``models_of`` (the one of the spec being rendered): each
# field and parameter type comes back in file after file. Kept with the mapping
# itself, so that a mapping made later never gets another's answers.
_Pairs = tuple[tuple[str, str], ...]
_FOR: tuple[dict[str, str], dict[tuple[str, str, str, str], _Pairs]] = ({}, {})


def _imports(
    type_: str, models_of: dict[str, str], models_prefix: str, runtime: str, here: str
) -> _Pairs:
    found: list[tuple[str, str]] = []
    for name in _NAME_RE.findall(type_):
        if name in _BUILTIN:
            continue
        if name in _KNOWN:
            found.append(_KNOWN[name])
        elif name in ("FileContent", "AsyncFileContent", "FormFiles", "Flag"):
            found.append((runtime, name))
        elif name in models_of and models_of[name] != here:
            found.append((models_prefix + models_of[name], name))
    return tuple(found)
