"""A disabled header named like an enabled one of the same request is an alternative
value, not a second argument: two arguments for one header name would become one
key twice in the call's header mapping, and the disabled one (None by default) would
remove the enabled header (found by tests/equivalence: PayPal's ``Prefer``)."""

from __future__ import annotations

from typing import Any

from generator.postman.load import collection_from_dict
from generator.spec.build import build_spec


def _collection(headers: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "info": {
            "name": "Dup",
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        "item": [
            {
                "name": "Create plan",
                "request": {
                    "method": "GET",
                    "url": "https://api.example.test/plans",
                    "header": headers,
                },
            }
        ],
        "variable": [{"key": "prefer_detailed", "value": "return=representation"}],
    }


def test_disabled_duplicate_of_an_enabled_header_is_left_out() -> None:
    data = _collection(
        [
            {"key": "Prefer", "value": "{{prefer_detailed}}"},
            {"key": "prefer", "value": "return=minimal", "disabled": True},
            {"key": "X-Other", "value": "1", "disabled": True},
        ]
    )
    spec, _ = build_spec(collection_from_dict(data, "dup.json"))
    _, op = spec.iter_operations()[0]
    headers = [p for p in op.parameters if p.location == "header"]
    assert [(p.key, p.default) for p in headers] == [
        ("Prefer", "return=representation"),
        ("X-Other", None),
    ]


def test_a_disabled_header_alone_stays_an_optional_argument() -> None:
    data = _collection([{"key": "Prefer", "value": "return=minimal", "disabled": True}])
    spec, _ = build_spec(collection_from_dict(data, "dup.json"))
    _, op = spec.iter_operations()[0]
    assert [(p.key, p.default, p.has_default) for p in op.parameters] == [
        ("Prefer", None, True)
    ]
