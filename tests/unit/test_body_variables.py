"""Secret variables written in bodies: which become client variables, under which
constructor argument (``spec.body_variables``)."""

from __future__ import annotations

import ast
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from generator.config import ClientConfig
from generator.pipeline import build, render_files
from generator.spec.combine import Part, combine
from generator.spec.model import ApiSpec, BodyVariable


def _spec(tmp_path: Path, items: list[dict[str, Any]], **extra: Any) -> ApiSpec:
    collection = {
        "info": {
            "name": "Secrets",
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        "variable": [
            {"key": "base", "value": "https://api.example.test"},
            {"key": "password", "value": "hunter2"},
            {"key": "region", "value": "eu"},
        ],
        "item": items,
        **extra,
    }
    path = tmp_path / f"c{len(list(tmp_path.iterdir()))}.json"
    path.write_text(json.dumps(collection))
    spec, _ = build(path, ClientConfig(package_name="secrets"))
    return spec


def _post(name: str, body: dict[str, Any], **request: Any) -> dict[str, Any]:
    return {
        "name": name,
        "request": {"method": "POST", "url": "{{base}}/x", "body": body, **request},
    }


def _raw(text: str) -> dict[str, Any]:
    return {"mode": "raw", "raw": text, "options": {"raw": {"language": "xml"}}}


def test_a_secret_in_a_text_body_gets_an_argument_of_its_own(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path, [_post("Login", _raw("<p>{{password}}</p><r>{{region}}</r>"))]
    )
    assert spec.body_variables == [BodyVariable("password", "password")]
    [(_resource, op)] = list(spec.iter_operations())
    assert op.body is not None
    # The secret's value is not copied; the other variable's is.
    assert op.body.template == "<p>{{password}}</p><r>eu</r>"


def test_a_credential_variable_keeps_the_credential_argument(tmp_path: Path) -> None:
    auth = {"type": "bearer", "bearer": [{"key": "token", "value": "{{accessToken}}"}]}
    form = {
        "mode": "urlencoded",
        "urlencoded": [{"key": "token", "value": "{{accessToken}}"}],
    }
    spec = _spec(tmp_path, [_post("Revoke", form)], auth=auth)
    assert spec.body_variables == [BodyVariable("accessToken", "access_token")]
    assert [c.name for _s, c in spec.credentials()] == ["access_token"]


def test_what_is_not_a_body_variable(tmp_path: Path) -> None:
    form = {
        "mode": "urlencoded",
        "urlencoded": [
            {"key": "old", "value": "{{oldSecret}}", "disabled": True},  # not sent
            {"key": "id", "value": "{{orderId}}"},  # not a secret: a parameter
        ],
    }
    spec = _spec(
        tmp_path,
        [
            _post("Form", form),
            _post("Guid", _raw("<n>{{$guid}}</n>")),  # dynamic
            # A JSON field that is exactly one variable becomes a method argument.
            _post("Json", {"mode": "raw", "raw": '{"password": "{{password}}"}'}),
        ],
    )
    assert spec.body_variables == []


def test_each_variable_gets_an_argument_name_nothing_else_has(tmp_path: Path) -> None:
    header = [{"key": "X-Secret", "value": "{{secret}}"}]
    spec = _spec(tmp_path, [_post("Odd", _raw("{{Secret}} {{secret}}"), header=header)])
    # "secret" is the header's credential (a setting); "Secret" needs a name of its own.
    assert [s.name for s in spec.settings if s.secret] == ["secret"]
    assert spec.body_variables == [
        BodyVariable("Secret", "secret_2"),
        BodyVariable("secret", "secret"),
    ]
    spec = _spec(tmp_path, [_post("Odd", _raw("{{Retry Secret}} {{retrySecret}}"))])
    names = [v.argument for v in spec.body_variables]
    assert names == ["retry_secret", "retry_secret_2"]


def test_combined_parts_fill_one_variable_from_one_argument(tmp_path: Path) -> None:
    one = _spec(tmp_path, [_post("A", _raw("{{password}}"))])
    two = _spec(tmp_path, [_post("B", _raw("{{password}} {{pin_secret}}"))])
    spec, diagnostics = combine([Part("one", one), Part("two", two)], package="both")
    assert [v.variable for v in spec.body_variables] == ["password", "pin_secret"]
    first, second = (v.argument for v in spec.body_variables)
    assert first.endswith("password") and second == "pin_secret"
    assert any("password" in d.message for d in diagnostics)


def test_hostile_variable_names_stay_inside_strings(tmp_path: Path) -> None:
    body = _raw('<a>{{my"""token\\\\x}}</a><b>{{ secret)\nimport os}}</b>')
    spec = _spec(tmp_path, [_post("X", body)])
    assert [v.argument for v in spec.body_variables] == [
        "my_token_x",
        "secret_import_os",
    ]
    files = render_files(replace(spec, package="secrets"))
    client = files["client.py"]
    imported = {
        alias.name
        for node in ast.walk(ast.parse(client))
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert "os" not in imported  # the name's "import os" stayed in a string
    doc = "secret_import_os: The collection's secret ``secret) import os``"
    assert doc in client  # one line of the Args list
