"""black, in-process, with a content-hash cache (only used when output may not be
black-stable already: custom templates, or when the user asks with ``--format``).

black itself is imported only when a file goes through it (or a long line has wide
characters to measure): importing it costs more than rendering a small change.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from .pyfmt import LINE_LENGTH, str_width

if TYPE_CHECKING:
    import black


class InvalidPython(ValueError):
    """Rendered text that is not valid Python (black cannot parse it)."""


@cache
def black_mode() -> black.Mode:
    """The mode pmgen runs black with (the line length of the layout rules)."""
    import black
    from black.mode import TargetVersion

    return black.Mode(line_length=LINE_LENGTH, target_versions={TargetVersion.PY310})


# Possessive runs: a long literal is matched run by run, not character by character.
_STRING = r"""(?:[bf]?"(?:[^"\\\n]++|\\.)*+"|[bf]?'(?:[^'\\\n]++|\\.)*+')"""
# A line black cannot split: one string literal, maybe after ``name=``, ``"key": ``
# or ``assert x == ``-free prefixes, maybe followed by a comma.
_ATOM_LINE = re.compile(rf"^\s*(?:[\w.]+=|{_STRING}:\s)?{_STRING},?$")
_ASSIGN_LINE = re.compile(rf"^(\s*)(?:return|[\w.]+ =) ({_STRING})$")
# Lines black cannot shorten: a lone name or ``name=name`` in an exploded bracket,
# the opening line of an exploded import or ``def``.
_ATOM_NAME_LINE = re.compile(
    r"^\s*(?:[A-Za-z_]\w*|\w+=\w+),?$"
    r"|^\s*from [\w.]+ import \($"
    r"|^\s*(?:async )?def \w+\($"
    r"|^def \w+\(\) -> \($"  # a return annotation moved to its own line
    r"|^\s*class \w+\($"
    r"|^\s*(?:await )?[\w.]+\(\)$"  # a call statement without arguments
    r"|^\s*[\w.]+\($"  # a call whose arguments are on the next lines
    rf"|^\s*(?:\w+|{_STRING}): \($"  # a parenthesised annotation or value
    rf"|^\s*[)\]] = {_STRING},?$"  # a literal after a split annotation
)
# An annotation (or return annotation) that is one name too long even on a line of
# its own: black leaves the line as it is.
_LONG_ANNOTATION_LINE = re.compile(
    r"^(\s*)(?:\w+: ([\w.]+)(?: = field\()?|\) -> ([\w.]+):)$"
)
# ``target = call(`` / ``return [await ]call(`` opening an exploded call: black
# wraps the call in parentheses only when its first line then fits.
_CALL_HEAD_LINE = re.compile(r"^(\s*)(?:[\w.]+ = |return )((?:await )?[\w.]+\()$")


def layout_is_stable(source: str) -> bool:
    """Whether black would leave ``source`` as it is, by pmgen's layout rules.

    Every construct pmgen emits is either on one line that fits, or exploded with a
    magic trailing comma, both of which black keeps. Lines black cannot change either
    (docstring text, a lone string literal) may be long; any other long line is a case
    the rules cannot vouch for, and the file then goes through black.
    """
    in_docstring = False
    for line in source.splitlines():
        # (``in`` first: counting quotes on every line was a third of the time.)
        if in_docstring:
            if '"""' in line and line.count('"""') % 2 == 1:
                in_docstring = False  # an odd number of quotes closes it
            continue
        if '"""' in line and line.lstrip().startswith('"""'):
            in_docstring = line.count('"""') % 2 == 1  # an odd number opens one
            continue
        if len(line) <= LINE_LENGTH and line.isascii():
            continue  # fits (str_width below is slower, for wide characters)
        if str_width(line) > LINE_LENGTH and not _unsplittable(line):
            return False
    return True


def _unsplittable(line: str) -> bool:
    """A long line black leaves alone: a comment, a lone literal, or an assignment of
    a literal too long to fit even on a line of its own (black would otherwise wrap
    it in parentheses)."""
    if line.lstrip().startswith("#") or _ATOM_LINE.match(line):
        return True
    if _ATOM_NAME_LINE.match(line):
        return True
    # Both leave the line alone only when what they would move onto a line of its
    # own, one level deeper, would not fit there either.
    annotation = _LONG_ANNOTATION_LINE.match(line)
    if annotation is not None:
        return _too_long_deeper(annotation[1], annotation[2] or annotation[3])
    call = _CALL_HEAD_LINE.match(line)
    if call is not None:
        return _too_long_deeper(call[1], call[2])
    assigned = _ASSIGN_LINE.match(line)
    if assigned is None:
        return False
    inner = " " * (len(assigned.group(1)) + 4) + assigned.group(2)
    return str_width(inner) > LINE_LENGTH


def _too_long_deeper(indent: str, text: str) -> bool:
    """Whether ``text`` would not fit on a line of its own one level below ``indent``."""
    return str_width(" " * (len(indent) + 4) + text) > LINE_LENGTH


def format_python(source: str, cache_dir: Path | None = None) -> str:
    """``source`` formatted by black; reuses an earlier result for identical input."""
    from importlib.metadata import version  # slow to import; only needed here

    key = hashlib.sha256(f"{version('black')}\0{source}".encode()).hexdigest()
    cached = cache_dir / key if cache_dir is not None else None
    if cached is not None and cached.is_file():
        return cached.read_text(encoding="utf-8")
    import black
    from black.parsing import InvalidInput
    from black.report import NothingChanged

    try:
        result = black.format_str(source, mode=black_mode())
    except NothingChanged:
        result = source
    except InvalidInput as exc:  # only custom templates can get here
        raise InvalidPython(str(exc).split("\n", 1)[0]) from None
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_text(result, encoding="utf-8")
    return result
