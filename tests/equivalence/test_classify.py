"""Differences are counted by reason, from what the item uses and what differs."""

from __future__ import annotations

from typing import Any

from .collection import Item
from .compare import Difference
from .harness import Outcome, classify


def item(
    auth: dict[str, Any] | None = None,
    body: dict[str, Any] | None = None,
    scripts: list[str] | None = None,
) -> Item:
    request: dict[str, Any] = {"method": "POST", "url": "{{base}}/a"}
    if body is not None:
        request["body"] = body
    return Item("F/A", "id-1", {"name": "A", "request": request}, auth, scripts or [])


def different(*diffs: Difference) -> Outcome:
    return Outcome("F/A", "id-1", "different", list(diffs))


def test_unimplemented_auth_and_missing_methods() -> None:
    auth_diff = Difference("header:authorization", "['OAuth ...']", "absent")
    assert classify(item({"type": "oauth1"}), different(auth_diff)) == (
        "auth oauth1 not implemented"
    )
    no_method = Outcome("F/A", "id-1", "no method")
    assert classify(item(body={"mode": "formdata"}), no_method) == (
        "no method (formdata body)"
    )


def test_script_effects_only_for_dynamic_lines() -> None:
    header = Difference("header:x-a", "['1']", "absent")
    static = item(scripts=['pm.request.headers.add({key: "X-A", value: "1"});'])
    assert classify(static, different(header)) == "other: header:x-a"
    dynamic = item(scripts=["pm.environment.set('a', Date.now());"])
    assert classify(dynamic, different(header)) == "pre-request script"


def test_query_and_body_reasons() -> None:
    assert classify(
        item(), different(Difference("query encoding", "'a=b:c'", "'a=b%3Ac'"))
    ).startswith("query: httpx percent-encodes")
    assert classify(item(), different(Difference("query", "'a&b=1'", "'b=1'"))) == (
        "query key without a value not sent"
    )
    nested = Difference("body", "$.a[0]='v-x'", "$.a[0]='{{x}}'")
    assert classify(item(), different(nested)) == (
        "variable inside a nested body value not substituted"
    )
    dropped = Difference("body", "$.id='evnt_v-x'", "$.id='evnt_'")
    assert classify(item(), different(dropped)) == (
        "body variable replaced by its collection value when generated"
    )
    when = Difference(
        "body", "$.t='2022-11-01T00:00:00Z'", "$.t='2022-11-01T00:00:00+00:00'"
    )
    assert classify(item(), different(when)).startswith("datetime body value")
