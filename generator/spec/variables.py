"""Variables: where each ``{{name}}`` is used, and the role that follows from it.

Rules (the same for every collection; a config override wins over all of them):
- used in an auth block, or named like a secret and used in a header → ``credential``;
- used in the host part of a URL → ``setting`` (the base URL);
- used in the path of every request and given a value → ``setting`` (``api_version``);
- used in a header of every request → ``setting``;
- anything else (path, query, header or body of some requests) → ``parameter``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..config import VariableOverride, VariableRole
from ..naming import looks_secret

# ``{{$guid}}`` and other ``$`` names are Postman's dynamic variables, not the
# collection's: they stay in the text, and the runtime gives each call a fresh value.
VAR_RE = re.compile(r"\{\{(?!\s*\$)\s*([^{}]+?)\s*\}\}")

Place = str  # "host", "path", "query", "header", "body", "auth"


def variables_in(text: str | None) -> list[str]:
    """The variable names referenced in ``text``, in order, without duplicates."""
    if not text or "{{" not in text:  # (most texts: no regex scan)
        return []
    seen: dict[str, None] = {}
    for match in VAR_RE.finditer(text):
        seen.setdefault(match.group(1), None)
    return list(seen)


def is_single_variable(text: str) -> str | None:
    """The variable name when ``text`` is exactly one ``{{name}}``, else None."""
    if "{{" not in text:
        return None
    match = VAR_RE.fullmatch(text.strip())
    return match.group(1) if match else None


def substitute(text: str, values: dict[str, str]) -> str:
    """``text`` with every known variable replaced by its value (unknown ones kept)."""
    if "{{" not in text:
        return text
    return VAR_RE.sub(lambda m: values.get(m.group(1), m.group(0)), text)


@dataclass
class Usage:
    """Where one variable is used across the collection."""

    places: dict[Place, set[str]] = field(default_factory=lambda: defaultdict(set))

    def add(self, place: Place, operation: str) -> None:
        """Record a use in ``place`` by the operation with key ``operation``."""
        self.places[place].add(operation)


@dataclass
class VariableTable:
    """Every variable's value (collection, folder, environment, config) and uses."""

    values: dict[str, str] = field(default_factory=dict)
    usages: dict[str, Usage] = field(default_factory=lambda: defaultdict(Usage))
    operations: set[str] = field(default_factory=set)
    produced_by: dict[str, str] = field(default_factory=dict)  # var → docs sentence

    def use(self, text: str | None, place: Place, operation: str) -> None:
        """Record every variable found in ``text``."""
        self.operations.add(operation)
        for name in variables_in(text):
            self.usages[name].add(place, operation)

    def role(self, name: str, override: VariableOverride | None) -> VariableRole:
        """The role of variable ``name`` by the rules in the module docstring."""
        if override and override.role:
            return override.role
        places = self.usages[name].places
        if "auth" in places or ("header" in places and looks_secret(name)):
            return "credential"
        if "host" in places or "origin" in places:
            return "setting"
        everywhere = self.operations
        if self.values.get(name) and places.get("path") == everywhere:
            return "setting"
        if places.get("header") == everywhere and len(everywhere) > 1:
            return "setting"
        return "parameter"

    def roles(
        self, names: Iterable[str], overrides: dict[str, VariableOverride]
    ) -> dict[str, VariableRole]:
        """The role of each of ``names``."""
        return {n: self.role(n, overrides.get(n)) for n in names}
