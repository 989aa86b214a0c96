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
) -> list[tuple[str, str]]:
    """(module, name) pairs to import for every name used in ``type_``.

    ``models_of`` maps model class names to their module; a model living in ``here``
    (the module being written) needs no import.
    """
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
    return found
