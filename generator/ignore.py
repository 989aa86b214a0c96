"""``.pmgenignore``: paths of an output folder pmgen never overwrites or deletes.

The file is read from the output folder and from the folder of the config file that
configured the client (both when both exist; the config folder's rules first). Its
patterns are relative to the output folder and follow gitignore's syntax:

- blank lines and lines starting with ``#`` are skipped; trailing spaces are dropped;
  a leading ``\\`` escapes a ``#`` or ``!`` that starts a pattern;
- ``!pattern`` protects nothing: it takes a path back out of an earlier pattern;
  the last matching pattern decides;
- ``name/`` (trailing slash) matches a folder only, with everything under it;
- a pattern with a ``/`` at its start or in its middle is anchored at the output
  folder (``/README.md``, ``resources/users.py``); one without matches the name at
  any depth (``custom_*.py``);
- ``*`` matches anything but ``/``, ``?`` one character but ``/``, ``[a-z]`` and
  ``[!a-z]`` a character class; ``**`` spans folders (``**/x``, ``x/**``, ``a/**/b``);
- a file is protected when it matches or a folder above it does (as in git, a file
  under a protected folder cannot be taken back with ``!``).

The ``.pmgenignore`` of the output folder is always protected itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

IGNORE_FILE = ".pmgenignore"


@dataclass(frozen=True)
class Rule:
    """One pattern line, compiled."""

    pattern: str
    regex: re.Pattern[str]
    negate: bool
    folder_only: bool


@dataclass(frozen=True)
class IgnoreRules:
    """The rules of one or more ``.pmgenignore`` files, in order."""

    rules: tuple[Rule, ...] = ()
    sources: tuple[Path, ...] = ()

    def protects(self, relative: str) -> bool:
        """Whether the file at ``relative`` ("/"-separated) is left alone."""
        if relative == IGNORE_FILE:
            return True
        parts = relative.split("/")
        for depth in range(1, len(parts)):
            if self._matches("/".join(parts[:depth]), folder=True):
                return True
        return self._matches(relative, folder=False)

    def protects_folder(self, relative: str) -> bool:
        """Whether the folder at ``relative`` (and all under it) is left alone."""
        parts = relative.split("/")
        return any(
            self._matches("/".join(parts[:depth]), folder=True)
            for depth in range(1, len(parts) + 1)
        )

    def _matches(self, path: str, *, folder: bool) -> bool:
        decided = False
        for rule in self.rules:
            if rule.folder_only and not folder:
                continue
            if rule.regex.fullmatch(path):
                decided = not rule.negate
        return decided


def parse_rules(text: str, source: Path) -> list[Rule]:
    """The rules of one ignore file; a bad pattern names the file and line."""
    rules: list[Rule] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        if negate or line.startswith(("\\#", "\\!")):
            line = line[1:]
        folder_only = line.endswith("/")
        line = line.rstrip("/")
        if not line:
            raise InputError(str(source), f"line {number}", "empty pattern")
        anchored = "/" in line
        try:
            body = _translate(line.lstrip("/"))
            regex = re.compile(body if anchored else f"(?:.*/)?{body}")
        except (re.error, ValueError) as exc:
            raise InputError(
                str(source), f"line {number}", f"bad pattern {raw.strip()!r}: {exc}"
            ) from None
        rules.append(Rule(raw.strip(), regex, negate, folder_only))
    return rules


def _translate(pattern: str) -> str:
    """A gitignore glob as a regular expression (without anchors)."""
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        if pattern.startswith("**/", i) and (i == 0 or pattern[i - 1] == "/"):
            out.append("(?:.*/)?")
            i += 3
        elif (
            pattern.startswith("**", i)
            and i + 2 == n
            and (i == 0 or pattern[i - 1] == "/")
        ):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[":
            end = pattern.find("]", i + 2)
            if end == -1:
                raise ValueError("'[' without a closing ']'")
            inner = pattern[i + 1 : end]
            if inner.startswith("!"):
                inner = "^" + inner[1:]
            out.append("[" + inner.replace("\\", "\\\\") + "]")
            i = end + 1
        elif pattern[i] == "\\" and i + 1 < n:
            out.append(re.escape(pattern[i + 1]))
            i += 2
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return "".join(out)


def load_ignore(output: Path, extra_folders: Iterable[Path] = ()) -> IgnoreRules:
    """The rules for ``output``: ``.pmgenignore`` next to the config, then in ``output``."""
    rules: list[Rule] = []
    sources: list[Path] = []
    seen: set[Path] = set()
    for folder in [*extra_folders, output]:
        path = folder / IGNORE_FILE
        if path.resolve() in seen or not path.is_file():
            continue
        seen.add(path.resolve())
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(str(path), "$", f"cannot read: {exc}") from None
        rules += parse_rules(text, path)
        sources.append(path)
    return IgnoreRules(tuple(rules), tuple(sources))
