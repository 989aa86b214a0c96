"""``generator.spec.bodies.parse_json_template``: raw JSON bodies with variables."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from generator.spec.bodies import _TOKEN, _untoken, parse_json_template
from generator.spec.variables import VAR_RE


def _every_step(raw: str) -> tuple[Any] | None:
    """The parse with every step taken whatever the text (tokens, quoting, untoken)."""
    marked = VAR_RE.sub(lambda m: _TOKEN.format(m.group(1)), raw)
    marked = re.sub(r'(?<!["\w])(\x00pmvar:.+?\x00)(?!["\w])', r'"\1"', marked)
    try:
        value = json.loads(marked.replace("\x00", "\\u0000"))
    except ValueError:
        return None
    return (_untoken(value),)


@pytest.mark.parametrize(
    "raw",
    [
        '{"a": 1, "b": [true, null, 2.5, "x"], "c": {"d": "e"}}',
        '{"a": "{{name}}", "b": {{count}}, "c": ["{{x}} and {{y}}", {{z}}]}',
        '{"a": "{{$guid}}", "b": {{$timestamp}}}',  # dynamic: left as written
        '{"a": "line\\nbreak", "b": "quote \\" and \\\\ slash"}',
        '{"a": "\\u0000 NUL", "b": "\\\\u0000 text"}',
        '{"a": "\\\\\\u00750000"}',  # an escaped backslash, then an escaped "u"
        '{"a": "\x00 raw NUL"}',
        '["{{list}}", {{bare}}]',
        '{"broken": }',
        '{"a": {{unquoted}} "b"}',
    ],
)
def test_each_step_only_when_it_can_change_the_result(raw: str) -> None:
    assert parse_json_template(raw) == _every_step(raw)


def test_a_body_without_variables_or_escapes_is_parsed_as_it_is() -> None:
    assert parse_json_template('{"a": [1, {"b": "c"}]}') == ({"a": [1, {"b": "c"}]},)
