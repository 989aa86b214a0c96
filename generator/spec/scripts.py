"""Static reading of collection scripts: the effects pmgen can reproduce.

Scripts are JavaScript; pmgen does not run them. It recognises the few statement
shapes whose effect is static and reports every other statement, so nothing is
dropped silently:
- ``pm.request.headers.add({key: 'K', value: 'V'})`` (also ``upsert``) → a constant header;
- ``<scope>.set("name", "literal")`` → a constant variable value;
- ``<scope>.set("name", response.a.b)`` in a test script → "``name`` comes from field
  ``a.b`` of this operation's response" (documented on the parameters that use it);
- reading the response into a variable (``JSON.parse(pm.response.text())``,
  ``pm.response.json()``), comments and blank lines have no effect of their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_STR = r"""(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')"""
_HEADER_ADD = re.compile(
    r"pm\.request\.headers\.(?:add|upsert)\(\s*\{\s*key\s*:\s*"
    + _STR
    + r"\s*,\s*value\s*:\s*"
    + _STR
    + r"\s*\}\s*\)\s*;?$"
)
_SET_CALL = re.compile(
    r"(?:[A-Za-z_$][\w$]*\.)*(?:set|setEnvironmentVariable|setGlobalVariable)\(\s*"
    + _STR
    + r"\s*,\s*(.+?)\s*\)\s*;?$"
)
_LITERAL = re.compile(r"^" + _STR + r"$")
_FIELD_PATH = re.compile(r"^([A-Za-z_$][\w$]*)((?:\.[A-Za-z_$][\w$]*|\[\d+\])+)$")
_RESPONSE_JSON = re.compile(r"pm\.response\.json\(\)((?:\.[A-Za-z_$][\w$]*|\[\d+\])+)$")
_INERT = re.compile(
    r"^(?:(?:const|let|var)\s+[A-Za-z_$][\w$]*\s*=\s*"
    r"(?:JSON\.parse\(\s*(?:pm\.response\.text\(\)|responseBody)\s*\)|pm\.response\.json\(\)"
    r"|pm\.environment\.name\s*\?\s*pm\.environment\s*:\s*pm\.collectionVariables)\s*;?"
    r"|//.*|/\*.*\*/|)$"
)


@dataclass
class ScriptEffects:
    """What a script does that pmgen can express."""

    headers: list[tuple[str, str]] = field(default_factory=list)
    constants: dict[str, str] = field(default_factory=dict)
    produced: dict[str, str] = field(default_factory=dict)  # variable → response field
    untranslated: list[str] = field(default_factory=list)


def _string(match: re.Match[str], first: int) -> str:
    raw = (
        match.group(first) if match.group(first) is not None else match.group(first + 1)
    )
    return re.sub(r"\\(.)", r"\1", raw)


def read_script(lines: tuple[str, ...] | list[str]) -> ScriptEffects:
    """Recognise the static effects of one script's lines."""
    effects = ScriptEffects()
    for raw in lines:
        line = raw.strip()
        if _INERT.match(line):
            continue
        header = _HEADER_ADD.search(line)
        if header:
            effects.headers.append((_string(header, 1), _string(header, 3)))
            continue
        setter = _SET_CALL.search(line)
        if setter and _read_set(setter, effects):
            continue
        effects.untranslated.append(line)
    return effects


def _read_set(match: re.Match[str], effects: ScriptEffects) -> bool:
    name = _string(match, 1)
    expr = match.group(3).strip()
    literal = _LITERAL.match(expr)
    if literal:
        effects.constants[name] = _string(literal, 1)
        return True
    response_json = _RESPONSE_JSON.match(expr)
    path = _FIELD_PATH.match(expr)
    if response_json:
        effects.produced[name] = response_json.group(1).lstrip(".")
        return True
    if path:
        effects.produced[name] = path.group(2).lstrip(".")
        return True
    return False
