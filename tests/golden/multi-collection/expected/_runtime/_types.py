"""Shared type aliases and the ``UNSET`` sentinel used by generated clients."""

from __future__ import annotations

import os
from collections.abc import AsyncIterable, Iterable, Mapping
from typing import BinaryIO, Final, TypeAlias

__all__ = [
    "FLAG",
    "UNSET",
    "AsyncFileContent",
    "FileContent",
    "Flag",
    "HeaderValues",
    "QueryValue",
    "Unset",
]


class Unset:
    """Type of the ``UNSET`` sentinel: "no value given", distinct from ``None``."""

    _instance: Unset | None = None

    def __new__(cls) -> Unset:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "UNSET"

    def __copy__(self) -> Unset:
        return self

    def __deepcopy__(self, memo: object) -> Unset:
        return self

    def __reduce__(self) -> str:
        # Pickle by name so unpickling yields the module's singleton.
        return "UNSET"


UNSET: Final[Unset] = Unset()


class Flag:
    """Type of ``FLAG``: a query key sent alone (``?key``), with no ``=value``."""

    _instance: Flag | None = None

    def __new__(cls) -> Flag:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "FLAG"

    def __reduce__(self) -> str:
        return "FLAG"


FLAG: Final[Flag] = Flag()

QueryValue: TypeAlias = str | int | float | bool | Flag | None
"""A query parameter value; ``None`` leaves the parameter out, ``FLAG`` sends the key
alone (``?key``, as a collection's query key without a value is sent)."""

HeaderValues: TypeAlias = Mapping[str, str | None]
"""Request headers; a ``None`` value leaves the header out."""

FileContent: TypeAlias = bytes | str | os.PathLike[str] | BinaryIO | Iterable[bytes]
"""A request body: bytes, text (sent UTF-8 encoded), a path, a binary file or chunks."""

AsyncFileContent: TypeAlias = FileContent | AsyncIterable[bytes]
"""``FileContent`` or an async iterable of chunks (``AsyncClient`` only)."""
