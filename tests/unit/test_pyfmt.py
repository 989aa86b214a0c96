"""``generator.render.pyfmt``: code laid out the way black lays it out.

Every helper's output, placed in a module, must be a fixed point of black (line
length 88): rendering, then running black, changes nothing.
"""

from __future__ import annotations

import ast
import keyword

import black
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from generator.naming import docstring_text, py_literal, py_string
from generator.render import pyfmt
from generator.render.pyfmt import (
    bracket,
    docstring_block,
    keyword_args,
    literal,
    mapping,
    sequence,
    statement,
)

MODE = black.Mode(line_length=88)
FAST = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

identifiers = st.from_regex(r"[a-z][a-z0-9_]{0,35}", fullmatch=True).filter(
    lambda name: not keyword.iskeyword(name)
)
texts = st.text(max_size=40)
atoms = identifiers | texts.map(py_string) | st.integers().map(str)
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**12), max_value=10**12)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=5)
    | st.dictionaries(texts.filter(lambda t: len(t) <= 12), children, max_size=5),
    max_leaves=20,
)


def _in_context(lines: list[str], indent: int) -> str:
    """``lines`` (already indented by ``indent``) inside enough blocks to be valid."""
    if indent == 0:
        return "\n".join(lines) + "\n"
    if indent == 4:
        return "def f() -> None:\n" + "\n".join(lines) + "\n"
    assert indent == 8
    return "class C:\n    def f(self) -> None:\n" + "\n".join(lines) + "\n"


def assert_black_stable(lines: list[str], indent: int) -> str:
    source = _in_context(lines, indent)
    formatted = black.format_str(source, mode=MODE)
    assert formatted == source, f"black changes:\n{source}\n---\n{formatted}"
    return source


# --- bracket, mapping, sequence ----------------------------------------------------


@FAST
@given(st.lists(atoms, max_size=8), st.sampled_from([0, 4, 8]), identifiers)
@example(["a" * 40, "b" * 40], 4, "x")
def test_bracket_is_black_stable(items: list[str], indent: int, name: str) -> None:
    lines = bracket(f"{name} = call(", items, "", indent)
    source = assert_black_stable(lines, indent)
    ast.parse(source)
    if len(lines) > 1:
        assert all(line.endswith(",") for line in lines[1:-1])


@FAST
@given(st.lists(st.tuples(identifiers, atoms), max_size=6), st.sampled_from([4, 8]))
def test_mapping_is_black_stable(pairs: list[tuple[str, str]], indent: int) -> None:
    quoted = [(py_string(k), v) for k, v in pairs]
    assert_black_stable(mapping(quoted, indent, prefix="headers = "), indent)


@FAST
@given(st.lists(atoms, max_size=8), st.sampled_from([0, 4]))
def test_sequence_is_black_stable(items: list[str], indent: int) -> None:
    lines = sequence(items, indent, prefix="values = ")
    assert_black_stable(lines, indent)


def test_bracket_one_line_or_exploded() -> None:
    assert bracket("f(", ["a", "b"], "", 4) == ["    f(a, b)"]
    exploded = bracket("f(", ["a" * 50, "b" * 50], " -> None:", 4)
    assert exploded == [
        "    f(",
        f"        {'a' * 50},",
        f"        {'b' * 50},",
        "    ) -> None:",
    ]


def test_fits_counts_wide_characters_like_black() -> None:
    fits = getattr(pyfmt, "fits", None)
    if fits is None:
        pytest.skip("pyfmt.fits not available")
    assert fits("x" * 88) and not fits("x" * 89)
    assert not fits("界" * 45)  # 90 columns for black
    assert not fits("a\nb")


@FAST
@given(st.lists(texts, min_size=1, max_size=8))
def test_exploded_call_with_wide_characters_is_stable(texts: list[str]) -> None:
    items = [py_string(t) for t in texts]
    assert_black_stable(bracket("result = call(", items, "", 4), 4)


# --- keyword_args ------------------------------------------------------------------


@FAST
@given(
    st.lists(
        st.tuples(identifiers, atoms),
        min_size=1,
        max_size=5,
        unique_by=lambda pair: pair[0],
    )
)
def test_keyword_args_in_an_exploded_call(args: list[tuple[str, str]]) -> None:
    rendered = [(name, [value]) for name, value in args]
    lines = ["    response = call(", *keyword_args(rendered, 8), "    )"]
    assert_black_stable(lines, 4)


def test_keyword_args_with_multi_line_values() -> None:
    value = bracket(
        "make(", ["Model", *(f"field_{i}=field_{i}" for i in range(8))], "", 12
    )
    assert len(value) > 1
    lines = [
        "        call(",
        *keyword_args([("json", value), ("", ['"GET"'])], 12),
        "        )",
    ]
    assert lines[1] == "            json=make("
    assert lines[-2] == '            "GET",'
    assert_black_stable(lines, 8)


# --- statement ---------------------------------------------------------------------


@FAST
@given(
    st.text(max_size=120).filter(lambda t: not ("'" in t and '"' in t)),
    st.sampled_from([0, 4, 8]),
)
@example("x" * 80, 4)
@example("x" * 84, 0)
def test_statement_is_black_stable(text: str, indent: int) -> None:
    assert_black_stable(statement("expected = ", py_string(text), indent), indent)


@FAST
@given(identifiers, st.integers(min_value=0, max_value=100), st.sampled_from([4, 8]))
def test_statement_with_calls_without_arguments(
    name: str, width: int, indent: int
) -> None:
    rhs = f"{name}{'x' * width}()"
    # When even the wrapped form is too long, black's choice is a known quirk.
    assume(len(" " * (indent + 4) + rhs) <= 88)
    assert_black_stable(statement("return ", rhs, indent), indent)


def test_statement_with_a_call_that_has_arguments() -> None:
    rhs = "VeryLongFolderNameNumberOneOfManyAnotherExtremelyLongSubfolderName(self._client)"
    assert_black_stable(statement("return ", rhs, 8), 8)


def test_statement_wraps_in_parentheses_when_that_fits() -> None:
    long_string = py_string("y" * 70)
    assert statement("expected_value_name = ", long_string, 8) == [
        "        expected_value_name = (",
        f"            {long_string}",
        "        )",
    ]


# --- literal -----------------------------------------------------------------------


@FAST
@given(json_values, st.sampled_from([4, 8]))
@example({"a": [1, 2, {"b": "c" * 80}]}, 4)
@example(["x" * 100], 4)
@example({"k" * 50: {"n" * 50: None}}, 8)
def test_literal_is_black_stable_and_exact(value: object, indent: int) -> None:
    lines = literal(value, indent, "expected = ")
    source = assert_black_stable(lines, indent)
    tree = ast.parse(source)
    assigns = [n for n in ast.walk(tree) if isinstance(n, ast.Assign)]
    assert ast.literal_eval(assigns[0].value) == value


@FAST
@given(st.dictionaries(texts, json_values, min_size=1, max_size=4))
def test_literal_as_dict_items(value: dict[str, object]) -> None:
    lines = ["    payload = {"]
    for key, item in value.items():
        lines += literal(item, 8, f"{py_string(key)}: ", ",")
    lines.append("    }")
    source = assert_black_stable(lines, 4)
    assert "payload" in source


@pytest.mark.parametrize("value", [1e20, -2.5e16, 1.0000000272564224e16])
def test_float_exponent_literal(value: float) -> None:
    assert_black_stable(literal({"amount": value}, 4, "expected = "), 4)


@pytest.mark.parametrize("value", ["'\"", "O'Brien said \"hi\" 'twice'", "''\""])
def test_mixed_quotes_literal(value: str) -> None:
    assert_black_stable(statement("expected = ", py_string(value), 4), 4)


def test_literal_explodes_level_by_level() -> None:
    value = {"short": 1, "long": ["z" * 70, 2]}
    assert literal(value, 4, "x = ") == [
        "    x = {",
        '        "short": 1,',
        '        "long": [',
        f'            "{"z" * 70}",',
        "            2,",
        "        ],",
        "    }",
    ]
    assert literal({}, 4, "x = ") == ["    x = {}"]
    assert py_literal([]) == "[]"


# --- docstrings --------------------------------------------------------------------


@FAST
@given(st.text(max_size=200), st.sampled_from([4, 8]))
@example("Title\n\n  indented line\n\ttabbed", 4)
@example("One line", 8)
@example("trailing backslash \\", 4)
@example('"', 4)
def test_docstring_block_is_black_stable(text: str, indent: int) -> None:
    """As the generator uses it: a title (names are stripped by the loader), more
    text, then a line of its own."""
    safe = docstring_text(text.lstrip())
    doc = f"{safe}\n\nCollection item: x." if safe else "Nothing."
    lines = docstring_block(doc, indent)
    assert_black_stable([*lines, " " * indent + "x = 1"], indent)


@FAST
@given(st.text(max_size=60), st.sampled_from([4, 8]))
def test_one_line_docstring_is_black_stable(text: str, indent: int) -> None:
    safe = docstring_text(text.replace("\n", " "))
    assume(safe.strip() and "\n" not in safe)
    lines = docstring_block(safe, indent)
    assert_black_stable([*lines, " " * indent + "x = 1"], indent)


def test_docstring_with_every_later_line_indented() -> None:
    lines = docstring_block(docstring_text("Title\n\n  indented\n    more"), 4)
    assert_black_stable([*lines, "    x = 1"], 4)


@pytest.mark.parametrize("text", ['ends with a quote"', "Get 'x'\"", 'say "hi"'])
def test_one_line_docstring_ending_in_a_quote(text: str) -> None:
    lines = docstring_block(docstring_text(text), 4)
    assert len(lines) == 1
    assert_black_stable([*lines, "    x = 1"], 4)


@pytest.mark.parametrize("text", ['"Quoted" report', '"Quoted" report\n\nMore.'])
def test_docstring_starting_with_a_quote(text: str) -> None:
    lines = docstring_block(docstring_text(text), 4)
    assert_black_stable([*lines, "    x = 1"], 4)


def test_docstring_text_with_a_leading_control_character() -> None:
    lines = docstring_block(docstring_text("\x07\tGet thing") + "\n\nMore.", 4)
    assert_black_stable([*lines, "    x = 1"], 4)


def test_all_list() -> None:
    all_list = getattr(pyfmt, "all_list", None)
    if all_list is None:
        pytest.skip("pyfmt.all_list not available")
    assert_black_stable(all_list([]), 0)
    assert_black_stable(all_list(["Client", "AsyncClient"]), 0)


@pytest.mark.parametrize(
    "items",
    [
        ["job_id: str", "*", 'state: str = "Aborted"'],
        [
            "margin_currency_type_something_long: "
            "list[CreateAddressesRequestMarginCurrencyTypeItem] | None = None",
            "other_param_with_a_long_name_here: "
            "list[CreateAddressesRequestMarginCurrencyTypeItem]",
        ],
        ["short: int = 1", "a_rather_long_parameter_name_for_an_api: " + "Name" * 14],
    ],
)
def test_signature_parameters_split_like_black(items: list[str]) -> None:
    """An exploded signature whose parameters are laid out by ``parameter_lines``."""
    params = [line for item in items for line in pyfmt.parameter_lines(item, 4)]
    source = "\n".join(["def f(", *params, ") -> None:", "    pass", ""])
    assert black.format_str(source, mode=MODE) == source or any(
        not pyfmt.fits(line) for line in params
    )
