"""``pmgen diff``: the changes between two clients, classified for semver."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from test_lock import base, collection, request

from generator.cli import EXIT_FAILED, EXIT_INPUT, EXIT_OK, main
from generator.diff import Change, bump, bump_version, compare, render_report
from generator.diff.surface import (
    decode_field,
    decode_parameter,
    encode_field,
    encode_parameter,
)
from generator.errors import UsageError


def op(**changes: Any) -> dict[str, Any]:
    """One operation of a surface."""
    data: dict[str, Any] = {
        "call": "notes.get_note",
        "title": "Get note",
        "method": "GET",
        "path": "/notes/{id}",
        "parameters": {"id": "path: str (required)", "limit": "query: int = 10"},
        "body": "",
        "result": "Note",
        "errors": [404],
        "aliases": [],
    }
    data.update(changes)
    return data


def surface(operation: dict[str, Any] | None = None, **models: Any) -> dict[str, Any]:
    return {
        "version": "1.0.0",
        "operations": {"id:1": operation or op()},
        "models": models or {"Note": {"id": "str", "body": "str (optional)"}},
    }


_NO_DEFAULT = object()


def param(
    type_: str = "str", *, required: bool = False, default: Any = _NO_DEFAULT
) -> str:
    has_default = default is not _NO_DEFAULT
    return encode_parameter("query", type_, required, has_default, default)


def with_params(**params: Any) -> dict[str, Any]:
    merged = dict(op()["parameters"])
    for name, value in params.items():
        if value is None:
            merged.pop(name)
        else:
            merged[name] = value
    return op(parameters=merged)


def note(**fields: Any) -> dict[str, Any]:
    merged: dict[str, Any] = {"id": "str", "body": "str (optional)"}
    for name, value in fields.items():
        if value is None:
            merged.pop(name)
        else:
            merged[name] = value
    return {"Note": merged}


# Each row: the new surface (the old one is ``surface()``), the expected change.
TABLE: list[tuple[str, dict[str, Any], Change]] = [
    (
        "required parameter added",
        surface(with_params(q=param(required=True))),
        Change("breaking", "notes.get_note", "required parameter `q` added"),
    ),
    (
        "optional parameter added",
        surface(with_params(q=param(default="x"))),
        Change("additive", "notes.get_note", "optional parameter `q` added"),
    ),
    (
        "parameter removed",
        surface(with_params(limit=None)),
        Change("breaking", "notes.get_note", "parameter `limit` removed"),
    ),
    (
        "parameter type changed",
        surface(with_params(limit=param("str", default=10))),
        Change(
            "breaking",
            "notes.get_note",
            "parameter `limit` type changed from `int` to `str`",
        ),
    ),
    (
        "parameter default changed",
        surface(with_params(limit=param("int", default=50))),
        Change(
            "patch", "notes.get_note", "parameter `limit` default changed from 10 to 50"
        ),
    ),
    (
        "parameter now required",
        surface(with_params(limit=param("int", required=True))),
        Change("breaking", "notes.get_note", "parameter `limit` is now required"),
    ),
    (
        "body changed",
        surface(op(body="json:NoteRequest")),
        Change(
            "breaking",
            "notes.get_note",
            "body changed from `none` to `json:NoteRequest`",
        ),
    ),
    (
        "result changed",
        surface(op(result="list[Note]")),
        Change(
            "breaking",
            "notes.get_note",
            "result type changed from `Note` to `list[Note]`",
        ),
    ),
    (
        "error added",
        surface(op(errors=[404, 409])),
        Change("additive", "notes.get_note", "documents error status 409"),
    ),
    (
        "error removed",
        surface(op(errors=[])),
        Change("patch", "notes.get_note", "no longer documents error status 404"),
    ),
    (
        "path changed",
        surface(op(path="/v2/notes/{id}")),
        Change(
            "patch",
            "notes.get_note",
            "request changed from GET /notes/{id} to GET /v2/notes/{id}",
        ),
    ),
    (
        "renamed",
        surface(op(call="notes.fetch_note")),
        Change("breaking", "notes.fetch_note", "renamed from `notes.get_note`"),
    ),
    (
        "renamed, alias kept",
        surface(op(call="notes.fetch_note", aliases=["notes.get_note"])),
        Change(
            "additive",
            "notes.fetch_note",
            "renamed from `notes.get_note` (the old name is kept as a deprecated"
            " alias)",
        ),
    ),
    (
        "model field removed",
        surface(None, **note(body=None)),
        Change("breaking", "Note", "field `body` removed"),
    ),
    (
        "model field type changed",
        surface(None, **note(id="int")),
        Change("breaking", "Note", "field `id` type changed from `str` to `int`"),
    ),
    (
        "model field added",
        surface(None, **note(title="str")),
        Change("additive", "Note", "field `title` added"),
    ),
    (
        "model field now optional",
        surface(None, **note(id="str (optional)")),
        Change("breaking", "Note", "field `id` is now optional"),
    ),
    (
        "model removed",
        surface(None, Other={"x": "str"}),
        Change("breaking", "Note", "model removed"),
    ),
]


@pytest.mark.parametrize(
    ("new", "expected"), [row[1:] for row in TABLE], ids=[row[0] for row in TABLE]
)
def test_classification_table(new: dict[str, Any], expected: Change) -> None:
    assert expected in compare(surface(), new)


def test_no_change_and_added_and_removed_operations() -> None:
    assert compare(surface(), surface()) == []
    two = surface()
    two["operations"]["id:2"] = op(call="notes.list_notes")
    assert compare(surface(), two) == [
        Change("additive", "notes.list_notes", "operation added")
    ]
    assert compare(two, surface()) == [
        Change("breaking", "notes.list_notes", "operation removed")
    ]


def test_removed_alias_is_breaking() -> None:
    old = surface(op(call="notes.fetch_note", aliases=["notes.get_note"]))
    new = surface(op(call="notes.fetch_note"))
    assert compare(old, new) == [
        Change(
            "breaking", "notes.fetch_note", "deprecated alias `notes.get_note` removed"
        )
    ]


@pytest.mark.parametrize(
    "values",
    [
        ("query", "int", False, True, 10),
        ("header", "str | None", False, False, None),
        ("path", "str", True, False, None),
        ("body", "dict[str, Any]", False, True, {"a": [1, "x = y"]}),
        ("query", "str", False, True, None),
    ],
)
def test_parameter_text_round_trips(values: tuple[Any, ...]) -> None:
    location, type_, required, has_default, default = values
    decoded = decode_parameter(encode_parameter(*values))
    assert decoded["location"] == location and decoded["type"] == type_
    assert decoded["required"] is required
    assert decoded.get("default", "absent") == (default if has_default else "absent")
    assert decode_field(encode_field("int | None", False)) == {
        "type": "int | None",
        "required": False,
    }
    assert decode_field(encode_field("Note", True)) == {
        "type": "Note",
        "required": True,
    }


def test_bump_follows_the_highest_level() -> None:
    assert bump([]) == "none"
    assert bump([Change("patch", "a", "x")]) == "patch"
    assert bump([Change("patch", "a", "x"), Change("additive", "a", "y")]) == "minor"
    assert bump([Change("breaking", "a", "x"), Change("additive", "a", "y")]) == "major"
    assert bump_version("1.2.3", "major") == "2.0.0"
    assert bump_version("1.2.3", "minor") == "1.3.0"
    assert bump_version("1.2.3-rc1", "patch") == "1.2.4"
    assert bump_version("1.2.3", "none") == "1.2.3"
    with pytest.raises(UsageError):
        bump_version("2024.1", "minor")


def test_markdown_and_json_reports() -> None:
    changes = compare(surface(), surface(with_params(limit=None, q=param())))
    markdown = render_report(changes, "1.4.2", "markdown")
    assert markdown == (
        "## 2.0.0\n\n### Breaking changes\n\n"
        "- `notes.get_note`: parameter `limit` removed\n\n"
        "### Added\n\n- `notes.get_note`: optional parameter `q` added\n"
    )
    data = json.loads(render_report(changes, "1.4.2", "json"))
    assert data["bump"] == "major" and data["new_version"] == "2.0.0"
    assert data["changes"][0] == {
        "level": "breaking",
        "subject": "notes.get_note",
        "change": "parameter `limit` removed",
    }


# --- the command ----------------------------------------------------------------------


def write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_diff_command_reports_and_exits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = write(tmp_path / "old.json", base())
    changed = base()
    changed["item"][0]["item"][1]["name"] = "Fetch note"  # same id: renamed
    changed["item"][1]["item"].append(request("Count tags", "tags/count", id_="r-n"))
    new = write(tmp_path / "new.json", changed)
    assert main(["diff", str(old), str(new)]) == EXIT_OK
    out = capsys.readouterr().out
    assert "breaking  notes.fetch_note: renamed from `notes.get_note`" in out
    assert "additive  tags.count_tags: operation added" in out
    assert out.endswith("suggested version bump: major (0.1.0 -> 1.0.0)\n")
    assert main(["diff", str(old), str(new), "--fail-on-breaking"]) == EXIT_FAILED
    capsys.readouterr()
    assert main(["diff", str(old), str(old), "--fail-on-breaking"]) == EXIT_OK
    assert "no changes to the client's interface" in capsys.readouterr().out
    assert main(["diff", str(old), str(new), "--format", "markdown"]) == EXIT_OK
    markdown = capsys.readouterr().out
    assert markdown.startswith("## 1.0.0\n\n### Breaking changes\n")
    assert "- `tags.count_tags`: operation added" in markdown


def test_additive_change_does_not_fail_on_breaking(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = write(tmp_path / "old.json", base())
    changed = base()
    changed["item"][1]["item"].append(request("Count tags", "tags/count", id_="r-n"))
    new = write(tmp_path / "new.json", changed)
    assert main(["diff", str(old), str(new), "--fail-on-breaking"]) == EXIT_OK
    assert "suggested version bump: minor (0.1.0 -> 0.2.0)" in capsys.readouterr().out


def test_diff_of_spec_yaml_files_and_id_less_collections(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = collection(request("Get note", "notes/:id"))
    old = write(tmp_path / "old.json", plain)
    assert main(["-q", "spec", str(old), "-o", str(tmp_path / "old.yaml")]) == EXIT_OK
    changed = copy.deepcopy(plain)
    changed["item"][0]["response"][0]["body"] = '{"id": 1, "title": "a", "body": "x"}'
    changed["item"][0]["name"] = "Read note"  # no id: matched by method and path
    new = write(tmp_path / "new.json", changed)
    assert main(["diff", str(tmp_path / "old.yaml"), str(new), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {
        "level": "breaking",
        "subject": "read_note",
        "change": "renamed from `get_note`",
    } in data["changes"]
    assert {
        "level": "breaking",
        "subject": "Note",
        "change": "field `id` type changed from `str` to `int`",
    } in data["changes"]


def test_diff_bad_input_exits_2(tmp_path: Path) -> None:
    old = write(tmp_path / "old.json", base())
    assert main(["diff", str(old), str(tmp_path / "missing.json")]) == EXIT_INPUT
