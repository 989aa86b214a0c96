"""``generator.spec.scripts``: the static effects of collection scripts."""

from __future__ import annotations

import pytest

from generator.spec.scripts import read_script


def test_header_add_and_upsert() -> None:
    effects = read_script(
        [
            "pm.request.headers.add({key: 'X-Trace', value: 'on'});",
            'pm.request.headers.upsert({ key: "Accept", value: "text/csv" })',
            "pm.request.headers.add({key: 'X-Quote', value: 'it\\'s'});",
        ]
    )
    assert effects.headers == [
        ("X-Trace", "on"),
        ("Accept", "text/csv"),
        ("X-Quote", "it's"),
    ]
    assert effects.untranslated == []


def test_set_from_response_fields() -> None:
    effects = read_script(
        [
            "var response = JSON.parse(pm.response.text());",
            "const data = pm.response.json();",
            'pm.environment.set("_jobId", response.id);',
            "pm.collectionVariables.set('locator', data.nextRecordsUrl);",
            'pm.variables.set("first", pm.response.json().records[0].id);',
            'postman.setEnvironmentVariable("owner", response.owner.name);',
        ]
    )
    assert effects.produced == {
        "_jobId": "id",
        "locator": "nextRecordsUrl",
        "first": "records[0].id",
        "owner": "owner.name",
    }
    assert effects.constants == {}
    assert effects.untranslated == []


def test_constants() -> None:
    effects = read_script(
        [
            'pm.environment.set("version", "58.0");',
            "pm.globals.set('mode', 'strict')",
            'postman.setGlobalVariable("q", "say \\"hi\\"");',
        ]
    )
    assert effects.constants == {"version": "58.0", "mode": "strict", "q": 'say "hi"'}
    assert effects.produced == {}


def test_inert_lines_are_ignored() -> None:
    effects = read_script(
        [
            "",
            "   ",
            "// a comment",
            "/* block comment */",
            "let r = JSON.parse(responseBody);",
            "var scope = pm.environment.name ? pm.environment : pm.collectionVariables;",
        ]
    )
    assert effects.untranslated == []
    assert effects.headers == [] and effects.constants == {} and effects.produced == {}


@pytest.mark.parametrize(
    "line",
    [
        'pm.test("Status code is 200", function () {',
        "pm.response.to.have.status(200);",
        "});",
        "console.log(pm.response.json());",
        'pm.environment.set("token", computeSignature(pm.request));',
        'pm.environment.set("total", response.count + 1);',
        "pm.request.headers.add({key: dynamicKey, value: 'x'});",
        "if (pm.response.code === 200) {",
    ],
)
def test_untranslated_lines_are_reported(line: str) -> None:
    effects = read_script(["// first", line, "var response = pm.response.json();"])
    assert effects.untranslated == [line.strip()]
    assert effects.constants == {} and effects.produced == {}


def test_order_and_mixture() -> None:
    effects = read_script(
        (
            "pm.request.headers.add({key: 'A', value: '1'});",
            "pm.test('x', () => {});",
            'pm.environment.set("k", "v");',
            "pm.request.headers.add({key: 'B', value: '2'});",
        )
    )
    assert effects.headers == [("A", "1"), ("B", "2")]
    assert effects.constants == {"k": "v"}
    assert effects.untranslated == ["pm.test('x', () => {});"]
