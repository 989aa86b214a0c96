"""Small helpers that lay out Python code the way black would, so output is stable.

The rule used everywhere: a bracketed construct goes on one line when it fits in
88 columns, otherwise one element per line with a trailing comma (black's "magic
trailing comma" keeps that form as it is).
"""

from __future__ import annotations

from ..naming import py_literal, py_string

LINE_LENGTH = 88


def str_width(line: str) -> int:
    """The columns ``line`` takes, as black counts them (``len`` for ASCII; black's
    own count, East Asian wide characters double, otherwise)."""
    if line.isascii():
        return len(line)
    # Imported on first use: importing black is slow, and most output is ASCII.
    from black.strings import str_width as black_width

    return black_width(line)


def fits(line: str) -> bool:
    """Whether ``line`` fits in black's line length (measured as black measures:
    East Asian wide characters count double)."""
    if line.isascii():  # the common case: one column per character
        return len(line) <= LINE_LENGTH and "\n" not in line
    return "\n" not in line and str_width(line) <= LINE_LENGTH


def bracket(
    prefix: str, items: list[str], suffix: str, indent: int, closer: str = ")"
) -> list[str]:
    """``prefix(items)suffix`` at ``indent`` spaces, on one line or exploded."""
    pad = " " * indent
    one_line = f"{pad}{prefix}{', '.join(items)}{closer}{suffix}"
    if fits(one_line) or not items:
        return [one_line]
    inner = " " * (indent + 4)
    return [
        f"{pad}{prefix}",
        *(f"{inner}{item}," for item in items),
        f"{pad}{closer}{suffix}",
    ]


def mapping(
    pairs: list[tuple[str, str]], indent: int, prefix: str = "", suffix: str = ""
) -> list[str]:
    """A dict display ``{k: v, ...}`` laid out like ``bracket``."""
    items = [f"{k}: {v}" for k, v in pairs]
    return bracket(prefix + "{", items, suffix, indent, closer="}")


def sequence(
    items: list[str], indent: int, prefix: str = "", suffix: str = ""
) -> list[str]:
    """A list display ``[a, b]`` laid out like ``bracket``."""
    return bracket(prefix + "[", items, suffix, indent, closer="]")


def parameter_lines(item: str, indent: int) -> list[str]:
    """One parameter of an exploded signature (``name: type = default``), split the
    way black splits a parameter too long for its line."""
    pad = " " * indent
    line = f"{pad}{item},"
    if fits(line) or ": " not in item:
        return [line]
    name, _, rest = item.partition(": ")
    annotation, equals, default = rest.partition(" = ")
    inner = " " * (indent + 4)
    if equals and fits(inner + annotation):
        # with a default, black parenthesises the annotation
        return [f"{pad}{name}: (", f"{inner}{annotation}", f"{pad}) = {default},"]
    if equals and annotation.endswith(" | None"):
        # ... and splits it at ``|`` when it does not fit even so
        split = split_annotation(name, annotation, indent)
        if split is not None:
            return [*split[:-1], f"{split[-1]} = {default},"]
    opener = annotation.find("[")
    if not equals and opener > 0 and annotation.endswith("]"):
        # without one, it splits the annotation's own brackets
        head, body = annotation[: opener + 1], annotation[opener + 1 : -1]
        if fits(inner + body):
            return [f"{pad}{name}: {head}", f"{inner}{body}", f"{pad}],"]
    return [line]


def pair_list(
    pairs: list[tuple[str, str]], indent: int, prefix: str = "", suffix: str = ""
) -> list[str]:
    """A list of 2-tuples ``[(a, b), ...]``; a tuple too long for its line is
    exploded too, as black does."""
    items = [f"({a}, {b})" for a, b in pairs]
    lines = bracket(prefix + "[", items, suffix, indent, closer="]")
    if len(lines) == 1:
        return lines
    inner = indent + 4
    out = [lines[0]]
    for a, b in pairs:
        out += bracket("(", [a, b], ",", inner)
    out.append(lines[-1])
    return out


def call_list(
    calls: list[tuple[str, list[str]]], indent: int, prefix: str = "", suffix: str = ""
) -> list[str]:
    """A list of calls ``[f(a, b), ...]``; a call too long for its line is split
    as black splits it: arguments together on the next line when they fit there,
    else one per line with a trailing comma."""
    items = [f"{func}({', '.join(args)})" for func, args in calls]
    lines = bracket(prefix + "[", items, suffix, indent, closer="]")
    if len(lines) == 1:
        return lines
    pad, inner, args_pad = (" " * n for n in (indent, indent + 4, indent + 8))
    out = [lines[0]]
    for (func, args), item in zip(calls, items, strict=True):
        if fits(f"{inner}{item},"):
            out.append(f"{inner}{item},")
        elif fits(args_pad + ", ".join(args)):
            out += [f"{inner}{func}(", args_pad + ", ".join(args), f"{inner}),"]
        else:
            out += [f"{inner}{func}(", *(f"{args_pad}{a}," for a in args), f"{inner}),"]
    return [*out, f"{pad}]{suffix}"]


def keyword_args(args: list[tuple[str, list[str]]], indent: int) -> list[str]:
    """Exploded keyword arguments; each value may already span several lines."""
    pad = " " * indent
    out: list[str] = []
    for name, value in args:
        first, *rest = value
        out.append(
            f"{pad}{name}={first.lstrip()}" if name else f"{pad}{first.lstrip()}"
        )
        out.extend(rest)
        out[-1] += ","
    return out


def statement(head: str, rhs: str, indent: int) -> list[str]:
    """``head rhs`` (e.g. ``x: int = `` + value, or ``return `` + value) as black lays it.

    When the line is too long but the right-hand side alone would fit on its own
    line, black wraps it in parentheses; otherwise it leaves the line alone.
    """
    pad = " " * indent
    line = f"{pad}{head}{rhs}"
    if fits(line) or rhs.startswith(("(", "[", "{")):
        return [line]
    inner = " " * (indent + 4)
    call = _call_parts(rhs)
    if call is not None and fits(inner + call[1]):
        # black splits a call's own brackets before wrapping it in parentheses.
        return [f"{pad}{head}{call[0]}(", f"{inner}{call[1]}", f"{pad})"]
    # black wraps the value of an *annotated* assignment even when it still does not
    # fit; a plain assignment or return only when the wrapped value fits.
    annotated = ":" in head.split("=", 1)[0]
    if annotated or fits(inner + rhs):
        return [f"{pad}{head}(", f"{inner}{rhs}", f"{pad})"]
    return [line]


def _call_parts(rhs: str) -> tuple[str, str] | None:
    """(callee, arguments) when ``rhs`` is one call ``name(args)`` with arguments."""
    opener = rhs.find("(")
    if opener <= 0 or not rhs.endswith(")") or rhs[opener + 1 : -1].strip() == "":
        return None
    callee, args = rhs[:opener], rhs[opener + 1 : -1]
    if not callee.replace(".", "").replace("_", "").isalnum():
        return None
    depth = 0
    for char in args:  # the call's own parentheses must enclose all the arguments
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return None
    return callee, args


def docstring_block(text: str, indent: int) -> list[str]:
    """A docstring (already made safe by ``naming.docstring_text``) as black lays it:
    one line when it has one line, else the closing quotes on their own line."""
    pad = " " * indent
    lines = text.split("\n")
    if len(lines) == 1:
        end = " " if text.endswith('"') else ""  # black keeps the quote off the closer
        return [f'{pad}"""{text}{end}"""']
    return [
        f'{pad}"""{lines[0]}',
        *(f"{pad}{line}" if line else "" for line in lines[1:]),
        f'{pad}"""',
    ]


def literal(
    value: object,
    indent: int,
    head: str = "",
    tail: str = "",
    flat: dict[int, str] | None = None,
) -> list[str]:
    """A JSON-like value as a Python literal, exploded level by level until it fits
    (``flat``: from ``flat_literal`` calls on the same value, to reuse)."""
    return _literal(value, indent, head, tail, {} if flat is None else flat)


def flat_literal(value: object, flat: dict[int, str]) -> str:
    """``py_literal(value)``; ``flat`` keeps the text of its lists and dicts (by id,
    for as long as ``value`` lives) for later calls and ``literal``."""
    return _flat(value, flat)


def _literal(
    value: object, indent: int, head: str, tail: str, flat: dict[int, str]
) -> list[str]:
    pad = " " * indent
    one = f"{pad}{head}{_flat(value, flat)}{tail}"
    # (A scalar stays on its line whether it fits or not: no need to measure it.)
    if not isinstance(value, dict | list) or not value or fits(one):
        return [one]
    inner = pad + "    "
    if isinstance(value, dict):
        out = [f"{pad}{head}{{"]
        for key, item in value.items():
            name = f"{py_string(str(key))}: "
            if isinstance(item, dict | list) and item:
                out += _literal(item, indent + 4, name, ",", flat)
            else:  # what ``_literal`` gives a scalar, without the call
                out.append(f"{inner}{name}{_flat(item, flat)},")
        out.append(f"{pad}}}{tail}")
        return out
    out = [f"{pad}{head}["]
    for item in value:
        if isinstance(item, dict | list) and item:
            out += _literal(item, indent + 4, "", ",", flat)
        else:
            out.append(f"{inner}{_flat(item, flat)},")
    out.append(f"{pad}]{tail}")
    return out


def _flat(value: object, flat: dict[int, str]) -> str:
    """``py_literal(value)``, each nested list or dict written once however deep
    the explosion goes (``flat`` keeps them by id for the call)."""
    if isinstance(value, str):  # the most common value, spared py_literal's tests
        return py_string(value)
    if not isinstance(value, dict | list):
        return py_literal(value)
    known = flat.get(id(value))
    if known is None:
        if isinstance(value, list):
            known = "[" + ", ".join([_flat(v, flat) for v in value]) + "]"
        else:
            items = [f"{py_string(str(k))}: {_flat(v, flat)}" for k, v in value.items()]
            known = "{" + ", ".join(items) + "}"
        flat[id(value)] = known
    return known


def all_list(names: list[str]) -> list[str]:
    """An ``__all__`` assignment (exploded with a trailing comma, so black keeps it)."""
    if not names:
        return ["__all__: list[str] = []"]
    return ["__all__ = [", *(f"    {py_string(n)}," for n in names), "]"]


def head_and_body(opener: str, body: str, closer: str, indent: int) -> list[str]:
    """``opener body closer`` on one line, or split as black splits a line at its
    last bracket: the body alone on the next line, one level deeper, no trailing
    comma (``class Name(\\n    Base\\n):``, ``f(\\n    x.y\\n)``)."""
    pad = " " * indent
    line = f"{pad}{opener}{body}{closer}"
    if fits(line):
        return [line]
    return [f"{pad}{opener}", f"{pad}    {body}", f"{pad}{closer}"]


def split_annotation(name: str, type_: str, indent: int) -> list[str] | None:
    """The lines of ``name: type_`` when the annotation must be split, as black
    splits it; the last line is the closing bracket, to which the caller appends
    the rest of the statement (`` = None``, ``,``...). None: a shape of annotation
    pmgen does not split (left to black)."""
    pad, inner = " " * indent, " " * (indent + 4)
    if " | " not in type_:
        if type_.startswith("list[") and type_.endswith("]"):
            return [f"{pad}{name}: list[", f"{inner}{type_[5:-1]}", f"{pad}]"]
        # A name too long even on a line of its own: black leaves the line alone.
        return _all_fit([f"{pad}{name}: (", f"{inner}{type_}", f"{pad})"])
    base, _, last = type_.rpartition(" | ")
    if last != "None" or " | " in base:
        return None
    if fits(inner + type_):
        return [f"{pad}{name}: (", f"{inner}{type_}", f"{pad})"]
    if not fits(inner + base) and base.startswith("list[") and base.endswith("]"):
        deeper = " " * (indent + 8)
        body = [f"{inner}list[", f"{deeper}{base[5:-1]}", f"{inner}]"]
    else:
        body = [f"{inner}{base}"]
    return [f"{pad}{name}: (", *body, f"{inner}| None", f"{pad})"]


def _all_fit(lines: list[str]) -> list[str] | None:
    """``lines`` if every one fits (black's split of a name too long even on a
    line of its own is not modelled here: such a line is left to black)."""
    return lines if all(fits(line) for line in lines) else None


def annotation_lines(name: str, type_: str, rest: str, indent: int) -> list[str]:
    """``name: type_`` followed by ``rest`` (`` = None``, or nothing) as black
    lays it out: on one line when it fits, else with the annotation split."""
    pad = " " * indent
    line = f"{pad}{name}: {type_}{rest}"
    if fits(line):
        return [line]
    if rest.startswith(" = ") and fits(f"{pad}{name}: {type_} = ("):
        # black wraps the value first when that makes the line fit
        return [f"{pad}{name}: {type_} = (", f"{pad}    {rest[3:]}", f"{pad})"]
    split = split_annotation(name, type_, indent)
    if split is None:
        return [line]
    return [*split[:-1], split[-1] + rest]


def def_lines(opener: str, params: list[str], returns: str, indent: int) -> list[str]:
    """``def name(params) -> returns:`` on one line, or exploded (one parameter per
    line, trailing comma); the return annotation goes on its own line, in
    parentheses, when the closing line does not fit but that does (as black does;
    without parameters that closing line is the ``def`` line itself)."""
    lines = bracket(opener, params, f" -> {returns}:", indent)
    pad = " " * indent
    if fits(lines[-1]) or not fits(f"{pad}    {returns}"):
        return lines
    if len(lines) > 1:  # exploded: the closing line is ``) -> returns:``
        opening = [*lines[:-1], f"{pad}) -> ("]
    else:
        opening = [f"{pad}{opener}) -> ("]
    return [*opening, f"{pad}    {returns}", f"{pad}):"]
