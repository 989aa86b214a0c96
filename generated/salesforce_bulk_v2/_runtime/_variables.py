"""Collection variables the client fills in request bodies when it sends them.

A secret variable (``{{password}}``, ``{{access_token}}``) written inside a text body
or a form value is never copied into generated code: the client is constructed with
its value instead, and fills every ``{{name}}`` it has a value for at send time, as
Postman does. A variable it has no value for stays as written, as Postman sends one
it does not know. Names starting with ``$`` are dynamic variables (``_dynamic``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from ._auth import TokenSource, _resolve

__all__ = ["BodyVariables"]

_RE: Final = re.compile(r"\{\{(?!\s*\$)\s*([^{}]+?)\s*\}\}")


class BodyVariables:
    """The values a client fills in its bodies, by variable name (a value may be
    a function, called for every request, as a ``TokenSource``)."""

    def __init__(self, values: Mapping[str, TokenSource | None]) -> None:
        # None: no value given (the variable then stays as written).
        self._values = {k: v for k, v in values.items() if v is not None}

    def __bool__(self) -> bool:
        return bool(self._values)

    def text(self, text: str) -> str:
        """``text`` with each variable that has a value replaced by it."""
        return _RE.sub(self._value, text) if "{{" in text else text

    def json(self, value: Any) -> Any:
        """Like ``text`` for every string of a JSON-like value (keys included)."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.json(v) for v in value]
        if isinstance(value, dict):
            return {self.text(k): self.json(v) for k, v in value.items()}
        return value

    def _value(self, match: re.Match[str]) -> str:
        found = self._values.get(match.group(1))
        return match.group(0) if found is None else _resolve(found)
