"""Request and response shapes found in real collections, built into the spec."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from generator.config import ClientConfig
from generator.pipeline import build
from generator.spec.infer import Shape, kind_bits, kind_names, shape_of, widens
from generator.spec.model import ApiSpec, Operation
from generator.spec.variables import variables_in


def _spec(tmp_path: Path, items: list[dict[str, Any]], **extra: Any) -> ApiSpec:
    collection = {
        "info": {
            "name": "Shapes",
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        "variable": [{"key": "base", "value": "https://api.example.test"}],
        "item": items,
        **extra,
    }
    path = tmp_path / "c.json"
    path.write_text(json.dumps(collection))
    spec, _ = build(path, ClientConfig(package_name="shapes"))
    return spec


def _op(spec: ApiSpec, title: str) -> Operation:
    return next(t[-1] for t in spec.iter_operations() if t[-1].title == title)


def _item(name: str, request: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"name": name, "request": {"url": "{{base}}/x", **request}, **extra}


def test_dynamic_variables_stay_in_the_text() -> None:
    assert variables_in("{{$guid}}-{{id}}-{{ $timestamp }}") == ["id"]


def test_dynamic_variable_defaults_are_kept_for_the_runtime(tmp_path: Path) -> None:
    body = {"mode": "raw", "raw": '{"code": "Dept-{{$guid}}", "n": 1}'}
    spec = _spec(tmp_path, [_item("Create", {"method": "POST", "body": body})])
    code = next(p for p in _op(spec, "Create").parameters if p.key == "code")
    assert code.default == "Dept-{{$guid}}"


def test_one_variable_in_two_json_fields_is_one_argument(tmp_path: Path) -> None:
    raw = '{"StartDate": "{{start}}", "PostStartDate": "{{start}}", "x": 1}'
    body = {"mode": "raw", "raw": raw, "options": {"raw": {"language": "json"}}}
    spec = _spec(tmp_path, [_item("Create", {"method": "POST", "body": body})])
    op = _op(spec, "Create")
    assert [p.key for p in op.parameters if p.location == "body"] == ["StartDate", "x"]
    assert op.body is not None and op.body.shared == {"post_start_date": "start_date"}


def test_request_bodies_keep_date_strings_as_text() -> None:
    text = shape_of("2017-06-13T12:34:52.083Z", dates=False)
    assert kind_names(text.kinds) == {"str"}
    field = shape_of({"at": "2017-06-13"}, dates=False).fields["at"]
    assert kind_names(field.kinds) == {"str"}
    assert kind_names(shape_of("2017-06-13").kinds) == {"date"}


def test_example_without_code_takes_it_from_its_status_or_name(tmp_path: Path) -> None:
    examples = [
        {"name": "OK", "code": 200, "body": '{"id": "1", "state": "x"}'},
        {"name": "422 Unprocessable - too soon", "body": '{"name": "ERR"}'},
        {"name": "Gone", "status": "Not Found", "body": "{}"},
        {"name": "No hint", "body": '{"id": "2", "state": "y"}'},
    ]
    spec = _spec(tmp_path, [_item("Get", {"method": "GET"}, response=examples)])
    op = _op(spec, "Get")
    assert [e.status for e in op.examples] == [200, 422, 404, 200]


def test_empty_2xx_example_makes_the_result_optional(tmp_path: Path) -> None:
    examples = [
        {"name": "OK", "code": 200, "body": '{"id": "1", "state": "x"}'},
        {"name": "Accepted", "code": 204, "body": ""},
    ]
    spec = _spec(tmp_path, [_item("Patch", {"method": "PATCH"}, response=examples)])
    result = _op(spec, "Patch").result
    assert result.kind == "model" and result.optional


def test_every_2xx_example_shapes_the_result(tmp_path: Path) -> None:
    examples = [
        {"name": "OK", "code": 200, "body": '{"id": "1", "state": "x", "a": 1}'},
        {"name": "Made", "code": 201, "body": '{"id": "2", "state": "y"}'},
    ]
    spec = _spec(tmp_path, [_item("Put", {"method": "PUT"}, response=examples)])
    model = next(m for m in spec.models if m.name == _op(spec, "Put").result.type)
    assert {f.key: f.required for f in model.fields} == {
        "id": True,
        "state": True,
        "a": False,
    }


def test_disabled_duplicate_of_a_sent_header_is_left_out(tmp_path: Path) -> None:
    headers = [
        {"key": "Prefer", "value": "return=representation"},
        {"key": "Prefer", "value": "return=minimal", "disabled": True},
    ]
    spec = _spec(tmp_path, [_item("Get", {"method": "GET", "header": headers})])
    prefer = [p for p in _op(spec, "Get").parameters if p.key == "Prefer"]
    assert [(p.default, p.type) for p in prefer] == [("return=representation", "str")]


def _object(present: dict[str, int], objects: int) -> Shape:
    fields = {k: Shape(kinds=kind_bits("str"), seen=n) for k, n in present.items()}
    return Shape(kinds=kind_bits("object"), fields=fields, objects=objects)


def test_widens() -> None:
    built = _object({"a": 2, "b": 2}, 2)
    assert not widens(built, _object({"a": 1, "b": 1}, 1))
    assert widens(built, _object({"a": 1}, 1))  # b is required, and missing here
    assert widens(built, _object({"a": 1, "b": 1, "c": 1}, 1))  # a new key
    nullable = _object({"a": 1, "b": 1}, 1)
    nullable.fields["a"].kinds |= kind_bits("null")
    assert widens(built, nullable)


def test_nested_models_shared_by_operations_make_missing_keys_optional(
    tmp_path: Path,
) -> None:
    full = {"id": "1", "links": {"self": "a", "edit": "b", "merchant": "m", "x": "y"}}
    other = {"id": "2", "links": {"self": "a", "edit": "b", "company": "c", "x": "y"}}
    items = [
        _item(
            "First",
            {"method": "GET"},
            response=[{"code": 200, "body": json.dumps(full)}],
        ),
        _item(
            "Second",
            {"method": "GET"},
            response=[{"code": 200, "body": json.dumps(other)}],
        ),
    ]
    spec = _spec(tmp_path, items)
    for title, body in (("First", full), ("Second", other)):
        model = next(m for m in spec.models if m.name == _op(spec, title).result.type)
        links_type = next(f.type for f in model.fields if f.key == "links")
        links = next(m for m in spec.models if m.name == links_type.split(" ")[0])
        required = {f.key for f in links.fields if f.required}
        assert required <= set(body["links"]), (title, required)


def test_protocol_profile_is_inherited_and_overridden(tmp_path: Path) -> None:
    folder = {
        "name": "F",
        "protocolProfileBehavior": {"followRedirects": False},
        "item": [
            _item("Inherits", {"method": "GET"}),
            _item(
                "Overrides",
                {"method": "GET"},
                protocolProfileBehavior={"followRedirects": True},
            ),
        ],
    }
    spec = _spec(tmp_path, [folder, _item("Top", {"method": "GET"})])
    assert _op(spec, "Inherits").follow_redirects is False
    assert _op(spec, "Overrides").follow_redirects is True
    assert _op(spec, "Top").follow_redirects is None


def test_get_body_is_pruned_unless_disabled(tmp_path: Path) -> None:
    body = {"mode": "raw", "raw": '{"q": 1}', "options": {"raw": {"language": "json"}}}
    items = [
        _item("Pruned", {"method": "GET", "body": body}),
        _item(
            "Kept",
            {"method": "GET", "body": body},
            protocolProfileBehavior={"disableBodyPruning": True},
        ),
        _item("Post", {"method": "POST", "body": body}),
    ]
    spec = _spec(tmp_path, items)
    assert _op(spec, "Pruned").body is None
    assert _op(spec, "Kept").body is not None
    assert _op(spec, "Post").body is not None


def test_disabled_form_field_with_a_variable_is_left_out(tmp_path: Path) -> None:
    body = {
        "mode": "urlencoded",
        "urlencoded": [
            {"key": "grant_type", "value": "client_credentials"},
            {"key": "refresh_token", "value": "{{refresh}}", "disabled": True},
        ],
    }
    spec = _spec(tmp_path, [_item("Token", {"method": "POST", "body": body})])
    field = next(p for p in _op(spec, "Token").parameters if p.key == "refresh_token")
    assert (field.default, field.has_default, field.variable) == (None, True, "")


def test_json_looking_raw_body_without_language_is_sent_as_text_plain(
    tmp_path: Path,
) -> None:
    guessed = {"mode": "raw", "raw": '{"a": 1}'}
    declared = {
        "mode": "raw",
        "raw": '{"a": 1}',
        "options": {"raw": {"language": "json"}},
    }
    items = [
        _item("Guessed", {"method": "POST", "body": guessed}),
        _item("Declared", {"method": "POST", "body": declared}),
    ]
    spec = _spec(tmp_path, items)
    types = {
        title: [h.value for h in _op(spec, title).headers if h.name == "Content-Type"]
        for title in ("Guessed", "Declared")
    }
    assert types == {"Guessed": ["text/plain"], "Declared": []}  # json= sets its own
    assert _op(spec, "Guessed").body.kind == "json"  # type: ignore[union-attr]


def test_multipart_content_type_without_boundary_is_left_to_the_client(
    tmp_path: Path,
) -> None:
    body = {
        "mode": "formdata",
        "formdata": [{"key": "a", "value": "1", "type": "text"}],
    }
    header = [{"key": "Content-Type", "value": "multipart/form-data"}]
    spec = _spec(
        tmp_path, [_item("Up", {"method": "POST", "body": body, "header": header})]
    )
    assert [h.name for h in _op(spec, "Up").headers] == []
