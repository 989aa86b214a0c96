"""Import statements of a generated module, collected in Python and printed sorted.

The order is the one ruff's isort rules (and black) accept: ``__future__``, standard
library, third party, then relative imports from the furthest to the closest;
``import x`` before ``from x import y`` in each group; names ordered constants,
classes, then functions.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from functools import lru_cache

from .pyfmt import fits

_STDLIB = frozenset(sys.stdlib_module_names)


_Key = tuple[int, int, tuple[tuple[int, int | str], ...]]


# Cached: the same module and class names are sorted in file after file.
@lru_cache(maxsize=65536)
def natural(text: str) -> tuple[tuple[int, int | str], ...]:
    """ruff's order for names: case-insensitive, numbers by value (``M2`` < ``M10``)."""
    parts = re.findall(r"\d+|\D+", text.lower())
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts)


@lru_cache(maxsize=65536)
def _name_key(name: str) -> tuple[int, tuple[tuple[int, int | str], ...]]:
    if name.isupper() and len(name) > 1:
        return (0, natural(name))
    if name[:1].isupper():
        return (1, natural(name))
    return (2, natural(name))


def _group(module: str, package: str) -> int:
    if module == "__future__":
        return 0
    if module.startswith("."):
        return 4
    if package and module.split(".")[0] == package:
        return 3
    return 1 if module.split(".")[0] in _STDLIB else 2


class ImportSet:
    """Collects ``from module import name`` and ``import module`` statements."""

    def __init__(self, package: str = "") -> None:
        self.package = package  # the generated package, for absolute imports in tests
        self._from: dict[str, set[str]] = defaultdict(set)
        self._plain: set[str] = set()

    def add(self, module: str, *names: str) -> None:
        """Import ``names`` from ``module`` (no names: ``import module``)."""
        if names:
            self._from[module].update(names)
        else:
            self._plain.add(module)

    def lines(self, indent: int = 0) -> list[str]:
        """The import block, groups separated by one blank line."""
        pad = " " * indent
        groups: dict[int, list[tuple[_Key, list[str]]]] = defaultdict(list)
        for module in self._plain:
            key: _Key = (0, 0, natural(module))
            groups[_group(module, self.package)].append(
                (key, [f"{pad}import {module}"])
            )
        for module, names in self._from.items():
            depth = len(module) - len(module.lstrip("."))
            key = (1, -depth, natural(module.lstrip(".")))
            lines = from_import(module, names, indent)
            groups[_group(module, self.package)].append((key, lines))
        out: list[str] = []
        for group in sorted(groups):
            if out:
                out.append("")
            for _key, text in sorted(groups[group], key=lambda pair: pair[0]):
                out.extend(text)
        return out


def from_import(module: str, names: set[str] | list[str], indent: int = 0) -> list[str]:
    """``from module import a, b`` at ``indent``, parenthesised when too long."""
    pad = " " * indent
    ordered = sorted(set(names), key=_name_key)
    line = f"{pad}from {module} import {', '.join(ordered)}"
    if fits(line):
        return [line]
    return [
        f"{pad}from {module} import (",
        *(f"{pad}    {n}," for n in ordered),
        f"{pad})",
    ]
