"""The render stage's shortcuts and memories give the answers of the long way."""

from __future__ import annotations

import pytest

from generator.naming import docstring_text
from generator.render.typing import imports_for_type


def test_type_imports_follow_the_mapping_given() -> None:
    first = {"Job": "jobs"}
    assert imports_for_type("list[Job] | None", first) == (("..models.jobs", "Job"),)
    assert imports_for_type("Job", first, models_prefix=".", here="jobs") == ()
    # Another spec's mapping (even with the same class name) gets its own answers.
    second = {"Job": "work"}
    assert imports_for_type("list[Job] | None", second) == (("..models.work", "Job"),)
    assert imports_for_type("Job", {}) == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Plain summary.", "Plain summary."),
        ("  padded both sides \t", "padded both sides"),
        ("   ", ""),
        ("Größe 東京", "Größe 東京"),
        ('Says "hi"', 'Says "hi\\"'),
        ("C:\\path", "C:\\\\path"),
        ("a\u00a0", "a"),
        ("line\u2028break", "linebreak"),
        ("first\n    second", "first\nsecond"),
    ],
)
def test_docstring_text(text: str, expected: str) -> None:
    assert docstring_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "plain",
        "it's",
        'say "x"',
        "both ' and \"",
        "tab\tnew\nline\r",
        "nul\x00 del\x7f nel\x85 nbsp\xa0",
        "lone \ud800 surrogate",
        "astral \U0001f600 tag \U000e0001 unassigned \u0378",
        "back\\slash \\' \\\" '\n",
        '\'\n""\n',
    ],
)
def test_py_string_escapes_character_by_character(text: str) -> None:
    from generator.naming import _escape_char, _quote_for, py_string

    quote = _quote_for(text.count('"'), text.count("'"))
    expected = quote + "".join(_escape_char(c, quote) for c in text) + quote
    assert py_string(text) == expected
    assert eval(expected) == text  # the literal just made


@pytest.mark.parametrize(
    "text",
    [
        '{\n\t"a": 1\r\n}',
        "it's \\ a\nb",
        "nul\x00 nel\x85 sep\u2028 lone\ud800",
        "emoji 🎉\nline",
    ],
)
def test_shell_word_escapes_character_by_character(text: str) -> None:
    from generator.naming import _ansi_c_char, shell_word

    expected = "$'" + "".join(_ansi_c_char(c) for c in text) + "'"
    assert shell_word(text, expand=False) == expected
