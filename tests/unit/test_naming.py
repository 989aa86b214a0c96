"""``generator.naming``: identifiers and literals made from collection text."""

from __future__ import annotations

import ast
import keyword
import os
import subprocess

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.naming import (
    RESERVED_CLIENT_ATTRIBUTES,
    RESERVED_PARAMETERS,
    ClassScope,
    NameScope,
    attribute_name,
    comment_text,
    docstring_text,
    is_identifier,
    looks_secret,
    package_name,
    parameter_name,
    pascal,
    py_bytes,
    py_literal,
    py_string,
    resource_attribute,
    setting_name,
    shell_word,
    singular,
    snake,
    words,
)

HOSTILE = [
    "",
    '"',
    "'",
    '"""',
    "'''",
    "\\",
    "\\\\",
    'a\\"b',
    "ends with backslash \\",
    "line\nbreak",
    "cr\rlf\r\n",
    "tab\there",
    "nul\x00byte",
    "line sep\u2028para sep\u2029",
    "next line\x85",
    "bell\x07 escape\x1b",
    "quote ' and \" both",
    "emoji 🚀 snowman ☃ Ünïcode",
    "{{variable}}",
    "f'{x}'",
    "\\N{BULLET}",
    "\\x41\\u0041",
    'quotes at the end: ""',
    '""""',
    "'''\"\"\"'''",
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Abort a Job Query", "abort_a_job_query"),
        ("_jobId", "job_id"),
        ("X-API-Key", "x_api_key"),
        ("getHTTPResponse", "get_http_response"),
        ("HTTPResponse code", "http_response_code"),
        ("Get Job Info (v2)", "get_job_info_v2"),
        ("  spaced   out  ", "spaced_out"),
        ("Ünïcode ☃", "unicode"),
        ("café crème", "cafe_creme"),
        ("class", "class_"),
        ("import", "import_"),
        ("None", "none"),
        ("match", "match_"),
        ("type", "type_"),
        ("123 go", "n123_go"),
        ("🚀", "value"),
        ("", "value"),
    ],
)
def test_snake(text: str, expected: str) -> None:
    assert snake(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("job info", "JobInfo"),
        ("bulk_v2 query", "BulkV2Query"),
        ("123 go", "Model123Go"),
        ("class", "Class"),
        ("list", "List"),
        ("🚀", "Model"),
        ("Ünïcode ☃", "Unicode"),
    ],
)
def test_pascal(text: str, expected: str) -> None:
    assert pascal(text) == expected


def test_pascal_avoids_builtins_and_keywords() -> None:
    assert pascal("none") == "None_"
    assert pascal("true") == "True_"
    assert pascal("exception") == "Exception_"


def test_fallbacks_for_digits_first() -> None:
    assert attribute_name("123 go") == "field_123_go"
    assert resource_attribute("1st folder") == "resource_1_st_folder"
    assert snake("2fa", fallback="call") == "call_2_fa"


@pytest.mark.parametrize("name", sorted(RESERVED_PARAMETERS - {"self", "cls"}))
def test_parameter_name_avoids_reserved(name: str) -> None:
    assert parameter_name(name) == name + "_"


@pytest.mark.parametrize("name", sorted(RESERVED_CLIENT_ATTRIBUTES))
def test_resource_attribute_avoids_client_methods(name: str) -> None:
    result = resource_attribute(name)
    assert result != name and result.startswith(name)


def test_attribute_name_avoids_model_members() -> None:
    assert attribute_name("additional_properties") == "additional_properties_"
    assert attribute_name("to_dict") == "to_dict_"
    assert attribute_name("from-dict") == "from_dict_"


def test_setting_and_package_names() -> None:
    assert setting_name("version") == "api_version"
    assert setting_name("v") == "api_version"
    assert setting_name("_endpoint") == "endpoint"
    assert package_name("Salesforce Bulk API 2.0") == "salesforce_bulk_api_2_0"
    assert package_name("🚀") == "client"


def test_words() -> None:
    assert words("createdById") == ["created", "by", "id"]
    assert words("XMLHttpRequest") == ["xml", "http", "request"]
    assert words("userID") == ["user", "id"]
    assert words("API2Users") == ["api2", "users"]
    assert words("---") == []


def test_words_plural_acronym() -> None:
    assert snake("Get job IDs") == "get_job_ids"


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("records", "record"),
        ("Entries", "Entry"),
        ("boxes", "box"),
        ("matches", "match"),
        ("address", "addressItem"),
        ("data", "dataItem"),
        ("ids", "idsItem"),
    ],
)
def test_singular(word: str, expected: str) -> None:
    assert singular(word) == expected


def test_looks_secret() -> None:
    for name in ["_accessToken", "client_secret", "password", "X-API-Key", "apikey"]:
        assert looks_secret(name), name
    for name in ["version", "_endpoint", "jobId", "limit"]:
        assert not looks_secret(name), name


def test_name_scope_collisions_are_deterministic() -> None:
    scope = NameScope({"close"})
    claimed = [scope.claim(n) for n in ["get_item", "get_item", "get_item", "close"]]
    assert claimed == ["get_item", "get_item_2", "get_item_3", "close_2"]
    assert "get_item_2" in scope and "get_item_4" not in scope
    # A name ending in "_" is not doubled up ("class__2").
    assert [scope.claim("class_"), scope.claim("class_")] == ["class_", "class_2"]
    # The suffixed name is itself taken: the next free number is used.
    taken = NameScope({"a", "a_2"})
    assert taken.claim("a") == "a_3"


def test_class_scope_uses_plain_numbers() -> None:
    scope = ClassScope({"JobInfo"})
    assert [scope.claim("JobInfo"), scope.claim("JobInfo")] == ["JobInfo2", "JobInfo3"]


@given(st.lists(st.sampled_from(["a", "a_2", "b", "x_", "x2"]), max_size=12))
def test_name_scope_never_repeats(names: list[str]) -> None:
    scope = NameScope()
    claimed = [scope.claim(n) for n in names]
    assert len(set(claimed)) == len(claimed)
    assert all(c.startswith(n) for c, n in zip(claimed, names, strict=True))


@given(st.text(max_size=40))
@example("class")
@example("123")
@example("Ünïcode ☃")
@example("🚀")
def test_generated_names_are_identifiers(text: str) -> None:
    for make in (snake, parameter_name, attribute_name, resource_attribute, pascal):
        name = make(text)
        assert is_identifier(name), (make.__name__, text, name)
        assert not keyword.issoftkeyword(name) or name == "_", name


# --- literals ----------------------------------------------------------------------


def _check_string_literal(value: str) -> None:
    literal = py_string(value)
    assert ast.literal_eval(literal) == value
    assert "\n" not in literal and "\r" not in literal
    tree = ast.parse(f"x = {literal}\n")
    assert isinstance(tree.body[0], ast.Assign)
    if '"' not in value:
        assert literal.startswith('"'), literal  # black's preferred quotes


@pytest.mark.parametrize("value", HOSTILE)
def test_py_string_hostile(value: str) -> None:
    _check_string_literal(value)


@given(st.text())
def test_py_string_round_trip(value: str) -> None:
    _check_string_literal(value)


@given(st.lists(st.text(max_size=3) | st.sampled_from(HOSTILE), max_size=6))
def test_py_string_round_trip_hostile_pieces(pieces: list[str]) -> None:
    _check_string_literal("".join(pieces))


@pytest.mark.parametrize("value", ["\ud800", "a\udfffb", "\udc80\ud800"])
def test_py_string_escapes_lone_surrogates(value: str) -> None:
    literal = py_string(value)
    literal.encode("utf-8")  # the literal itself is writable as UTF-8
    assert ast.literal_eval(literal) == value


@given(st.binary())
@example(b'"')
@example(b"'")
@example(b"\\\x00\n")
def test_py_bytes_round_trip(value: bytes) -> None:
    literal = py_bytes(value)
    assert ast.literal_eval(literal) == value
    assert "\n" not in literal
    if b'"' not in value:
        assert literal.startswith('b"'), literal


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


@given(json_values)
def test_py_literal_round_trip(value: object) -> None:
    assert ast.literal_eval(py_literal(value)) == value


def test_py_literal_rejects_non_json() -> None:
    with pytest.raises(TypeError):
        py_literal(object())


# --- docstrings and comments -------------------------------------------------------


def _docstring_value(text: str) -> str:
    """What Python reads back from ``docstring_text(text)`` inside a docstring."""
    safe = docstring_text(text)
    source = f'def f() -> None:\n    """{safe}\n    """\n'
    module = compile(source, "<docstring>", "exec", flags=ast.PyCF_ONLY_AST)
    function = module.body[0]
    assert isinstance(function, ast.FunctionDef)
    assert len(function.body) == 1, "text escaped the docstring"
    doc = ast.get_docstring(function, clean=False)
    assert doc is not None
    return doc


@pytest.mark.parametrize("text", HOSTILE)
def test_docstring_text_hostile(text: str) -> None:
    safe = docstring_text(text)
    assert '"""' not in safe
    assert not safe.endswith('"') or safe.endswith('\\"')
    _docstring_value(text)
    # Also as a one-line docstring (closing quotes right after the text).
    compile(f'def f() -> None:\n    """{safe}"""\n', "<doc>", "exec")


@pytest.mark.parametrize("text", ['"""', 'Say """', 'six """"""', '"""\x00'])
def test_docstring_text_triple_quote_at_the_end(text: str) -> None:
    safe = docstring_text(text)
    compile(f'def f() -> None:\n    """{safe}"""\n', "<doc>", "exec")
    assert _docstring_value(text).rstrip() == text.replace("\x00", "")


@given(st.text())
@example('x"')
@example("\\")
@example("a\u2028b\x00c")
@example('""""')
@settings(max_examples=300)
def test_docstring_text_never_escapes(text: str) -> None:
    safe = docstring_text(text)
    assert '"""' not in safe.replace('\\"', "")
    compile(f'def f() -> None:\n    """{safe}"""\n', "<doc>", "exec")
    value = _docstring_value(text)
    # Only the documented clean-ups happen: the words survive.
    for char in "\x00\u2028\u2029\x85\r":
        assert char not in value
    kept = "".join(c for c in text if c.isalnum())
    assert "".join(c for c in value if c.isalnum()) == kept


def test_docstring_text_keeps_backslashes_and_quotes_readable() -> None:
    text = 'C:\\path and """quoted""" end"'
    assert _docstring_value(text) == text + "\n    "


@given(st.text())
def test_comment_text_is_one_line(text: str) -> None:
    line = comment_text(text)
    compile(f"# {line}\nx = 1\n", "<comment>", "exec")
    assert "\n" not in line and "\r" not in line


def test_error_classes_are_the_runtime_exports() -> None:
    """The error names a generated package re-exports all exist in its runtime."""
    from generator import runtime
    from generator.naming import ERROR_CLASSES

    assert set(ERROR_CLASSES) <= set(runtime.__all__)
    assert {"ClientError", "ApiError", "ErrorDetail"} <= set(ERROR_CLASSES)


def _shell_echo(word: str, env: dict[str, str] | None = None) -> str:
    """What bash makes of ``word`` (one argument, printed as is)."""
    result = subprocess.run(
        ["bash", "-c", f"printf %s {word}"],
        capture_output=True,
        check=True,
        env={"PATH": os.environ.get("PATH", ""), **(env or {})},
    )
    return result.stdout.decode("utf-8", "surrogatepass")


@settings(max_examples=60)
@given(
    st.text(
        st.characters(blacklist_characters="\x00"),
        max_size=20,
    )
)
@example("$(touch x) `id` \"$HOME\" 'q' \\ !x")
@example("line\nbreak\r\u2028\x1b[31m")
def test_shell_word_is_literal(text: str) -> None:
    """A curl snippet's word is the text, with nothing expanded or run."""
    word = shell_word(text, expand=False)
    assert "\n" not in word and "\u2028" not in word
    assert _shell_echo(word) == text


def test_shell_word_expands_only_upper_case_references() -> None:
    word = shell_word("Bearer $TOKEN $(id) $home")
    assert _shell_echo(word, {"TOKEN": "t0k", "home": "h"}) == "Bearer t0k $(id) $home"
    assert shell_word("$BASE_URL/a") == '"$BASE_URL/a"'  # readable when it can be


def test_shell_word_keeps_lone_surrogates_out_of_the_file() -> None:
    word = shell_word("X-\ud800: $API_KEY")
    word.encode("utf-8")
    assert word == "$'X-\\xed\\xa0\\x80: '\"$API_KEY\""
    assert _shell_echo(word, {"API_KEY": "k"}) == "X-\ud800: k"
