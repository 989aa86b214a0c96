"""Differences are counted by reason, from what the item uses and what differs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from . import harness
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


def test_writing_the_expected_file_for_some_collections_keeps_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = tmp_path / "EXPECTED_DIFFERENCES.yaml"
    listed = [{"item": "old", "differs": ["body"], "reason": "pre-request script"}]
    expected.write_text(
        yaml.safe_dump({"postman-echo": [], "stripe-api": listed}), encoding="utf-8"
    )
    monkeypatch.setattr(harness, "EXPECTED_FILE", expected)
    [echo] = [t for t in harness.TARGETS if t.name == "postman-echo"]
    outcome = different(Difference("body", "a", "b"))
    outcome.reason = "urlencoded body"
    harness.write_expected([harness.CollectionResult(echo, [outcome])])
    written = yaml.safe_load(expected.read_text(encoding="utf-8"))
    assert list(written) == ["postman-echo", "stripe-api"]  # the targets' order
    assert written["postman-echo"] == [
        {"item": "F/A", "differs": ["body"], "reason": "urlencoded body"}
    ]
    assert written["stripe-api"] == listed  # not run: kept as it was


def test_an_unknown_collection_name_is_an_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exited:
        harness.main(["no-such-collection"])
    assert exited.value.code == 2
    assert "unknown collection(s) no-such-collection" in capsys.readouterr().err
