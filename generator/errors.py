"""Diagnostics (errors as values) and the one fatal error family of pmgen.

A ``Diagnostic`` reports something the generator could not express, or a choice it
made that the user should know about, with the item path it concerns. Generation
goes on past diagnostics; the CLI exits 1 when any has level ``error``.

``InputError`` is fatal: the input cannot be read at all (bad JSON, wrong schema,
unsupported format, bad config). It names the file and the JSON path.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Level(str, Enum):
    """How serious a diagnostic is."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding: ``location`` is an item path (``Bulk v2/Query/Abort a Job Query``)."""

    level: Level
    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.level.value}: {self.location}: {self.message}"


class PmgenError(Exception):
    """Base of every fatal pmgen error; the CLI prints it and exits 2."""


class InputError(PmgenError):
    """An input file that cannot be used: names the file and the JSON path."""

    def __init__(self, file: str, json_path: str, message: str) -> None:
        super().__init__(f"{file}: {json_path}: {message}")
        self.file = file
        self.json_path = json_path
        self.message = message


class UsageError(PmgenError):
    """A command line or configuration that cannot be acted on."""
