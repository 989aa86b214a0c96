"""Collection variables the client fills in request bodies when it sends them.

A secret variable (``{{password}}``, ``{{access_token}}``) written inside a text body
or a form value is never copied into generated code: the client is constructed with
its value instead, and fills every ``{{name}}`` it has a value for at send time, as
Postman does. A variable it has no value for stays as written, as Postman sends one
it does not know. Names starting with ``$`` are dynamic variables (``_dynamic``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any, Final, TypeAlias

from ._multipart import FormField

__all__ = ["BodyVariables", "VariableValue"]

VariableValue: TypeAlias = str | Callable[[], str]
"""A value, or a function returning it that is called for every request."""

_RE: Final = re.compile(r"\{\{(?!\s*\$)\s*([^{}]+?)\s*\}\}")


class BodyVariables:
    """The values a client fills in its bodies, by variable name."""

    def __init__(self, values: Mapping[str, VariableValue | None]) -> None:
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

    def form(
        self, pairs: Sequence[tuple[str, str | None]]
    ) -> list[tuple[str, str | None]]:
        """Form pairs with the variables of their values filled."""
        return [(k, v if v is None else self.text(v)) for k, v in pairs]

    def multipart(self, fields: Sequence[FormField]) -> list[FormField]:
        """Multipart fields with the variables of their text filled."""
        return [replace(f, text=self.text(f.text)) if f.text else f for f in fields]

    def _value(self, match: re.Match[str]) -> str:
        found = self._values.get(match.group(1))
        if found is None:
            return match.group(0)
        return found() if callable(found) else found
