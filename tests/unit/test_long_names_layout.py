"""Long names (deep folders, long request names) laid out as black lays them out.

Each helper's lines must equal what black makes of the same code written on one
line, and ``layout_is_stable`` must vouch for them, so such files skip black.
"""

from __future__ import annotations

import black
import pytest

from generator.render.format import layout_is_stable
from generator.render.models_view import ModelClassView
from generator.render.pyfmt import (
    annotation_lines,
    def_lines,
    head_and_body,
    parameter_lines,
    split_annotation,
)
from generator.render.tests_view import call_lines

MODE = black.Mode(line_length=88, target_versions={black.TargetVersion.PY310})
LONG = "CreateBookingAirWithCslHotelRequestFlightDetailsFlightPricingItemQualifier"
LONGER = LONG + "PaymentDetails"


def _same_as_black(lines: list[str], one_line: str) -> None:
    text = "\n".join(lines) + "\n"
    assert black.format_str(one_line, mode=MODE) == text
    assert black.format_str(text, mode=MODE) == text
    assert layout_is_stable(text)


def test_class_line_too_long() -> None:
    lines = [*ModelClassView(LONGER, [], []).head, "    pass"]
    assert lines[:3] == [f"class {LONGER}(", "    Model", "):"]
    _same_as_black(lines, f"class {LONGER}(Model):\n    pass\n")


def test_short_class_line_stays_on_one_line() -> None:
    assert head_and_body("class Job(", "Model", "):", 0) == ["class Job(Model):"]


@pytest.mark.parametrize(
    ("type_", "rest"),
    [
        (LONG, ""),
        (f"list[{LONG}]", ""),
        (f"{LONG} | None", " = None"),
        (f"list[{LONG}] | None", " = None"),
        (f"list[{LONGER[:60]}] | None", " = None"),
    ],
)
def test_annotation_too_long(type_: str, rest: str) -> None:
    lines = annotation_lines("flight_pricing", type_, rest, 4)
    assert len(lines) > 1
    one_line = f"class C:\n    flight_pricing: {type_}{rest}\n"
    _same_as_black(["class C:", *lines], one_line)


def test_annotation_that_fits_is_one_line() -> None:
    assert annotation_lines("a", "int", " = 1", 4) == ["    a: int = 1"]


def test_a_name_too_long_even_alone_is_left_to_black() -> None:
    assert split_annotation("x", "A" * 90, 4) is None


@pytest.mark.parametrize(
    ("head", "call", "args"),
    [
        (
            "result = ",
            "client.create_booking.csl_hotel.create_booking_csl_hotel_with_payment_types",
            [],
        ),
        ("result = ", f"client.create_booking.{LONG.lower()}", []),
        (
            "return await ",
            "client.create_booking.csl_hotel.create_booking_csl_hotel_with_payments",
            [],
        ),
        (
            "result = ",
            "client.create_booking.flights_ndc_atpco_lcc.create_booking_air_payload",
            ['"test-conv-id"'],
        ),
        (
            "return await ",
            "client.create_booking.flights_ndc_atpco.create_booking_air_payload",
            ['"test-conv-id"'],
        ),
    ],
)
def test_long_call_lines_in_tests(head: str, call: str, args: list[str]) -> None:
    lines = call_lines(head, call, args, 12)
    context = ["async def f():", "    async with x as client:", "        if y:"]
    text = "\n".join([*context, *lines]) + "\n"
    assert len(lines) > 1
    assert black.format_str(text, mode=MODE) == text
    assert layout_is_stable(text)


@pytest.mark.parametrize(
    "line",
    [
        f"    {LONG}{LONG},",
        f"from .{LONG.lower()}_{LONG.lower()} import (",
        f"def _check_{LONG.lower()}_{LONG.lower()}(",
        f"        client.{LONG.lower()}.{LONG.lower()}()",
        f"        await client.{LONG.lower()}.{LONG.lower()}()",
        f"    ) = '<SOAP-ENV:Envelope>{'x' * 90}</SOAP-ENV:Envelope>',",
    ],
)
def test_lines_black_cannot_shorten_are_vouched_for(line: str) -> None:
    assert len(line) > 88
    assert layout_is_stable(line + "\n")


@pytest.mark.parametrize(
    "line",
    [
        f"    result = client.{LONG.lower()}({LONG}, {LONG})",
        f"    x: {LONG}{LONG} = 1",
        f"class {LONG}{LONG}(Model):",
    ],
)
def test_lines_black_would_split_are_not_vouched_for(line: str) -> None:
    assert not layout_is_stable(line + "\n")


TOO_LONG = "BargainFinderMaxV3StatelessAtkNdcMultiplePaxRequestOtaAirLowFareSearchRqTpaExtensions"


@pytest.mark.parametrize(
    "source",
    [
        f"class C:\n    tpa_extensions: {TOO_LONG}\n",
        f"class C:\n    tpa_extensions: list[{TOO_LONG}]\n",
        f"class C:\n    tpa_extensions: {TOO_LONG} | None = None\n",
        "class C:\n    shipping: CreateOrderWithCardRequestPurchaseUnitAmountBreakdownItemTotal"
        " | None = None\n",
    ],
)
def test_annotations_of_names_too_long_for_any_line(source: str) -> None:
    field = source.splitlines()[1].strip()
    name, _, rest = field.partition(": ")
    type_, equals, default = rest.partition(" = ")
    lines = annotation_lines(name, type_, f" = {default}" if equals else "", 4)
    _same_as_black(["class C:", *lines], source)


def test_value_wrapped_before_the_annotation_is_split() -> None:
    type_ = "CreateOrderWithCardRequestPurchaseUnitAmountBreakdownItemTotal | None"
    assert annotation_lines("shipping", type_, " = None", 4) == [
        f"    shipping: {type_} = (",
        "        None",
        "    )",
    ]


@pytest.mark.parametrize("returns", [LONG, LONG + "Modifications", TOO_LONG])
def test_def_lines_with_a_long_return_annotation(returns: str) -> None:
    lines = def_lines("def run(", ["self", "job_id: str"], returns, 4)
    one_line = f"class C:\n    def run(self, job_id: str) -> {returns}:\n        pass\n"
    exploded = ["class C:", *lines, "        pass"]
    assert black.format_str(one_line, mode=MODE).splitlines()[-1] == "        pass"
    text = "\n".join(exploded) + "\n"
    assert black.format_str(text, mode=MODE) == text
    assert layout_is_stable(text)


def test_long_optional_parameter_is_split_at_the_bar() -> None:
    item = f"fulfillments: list[{LONG}Fulfillment] | None = None"
    lines = parameter_lines(item, 8)
    assert lines[0] == "        fulfillments: (" and lines[-1] == "        ) = None,"
    text = "\n".join(["def f(", "    self,", *(line[4:] for line in lines), "):"])
    text += "\n    pass\n"
    assert black.format_str(text, mode=MODE) == text
    assert layout_is_stable(text)


@pytest.mark.parametrize("name", ["test_" + LONG.lower(), "test_short"])
def test_def_lines_without_parameters(name: str) -> None:
    lines = def_lines(f"def {name}(", [], "None", 0)
    one_line = f"def {name}() -> None:\n    pass\n"
    _same_as_black([*lines, "    pass"], one_line)
