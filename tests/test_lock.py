"""The lock file: names stay stable across regenerations (rename, move, reorder, add),
``--rename`` keeps old names as deprecated aliases for one version, ``check`` fails
on a stale lock, and the semver version policy bumps ``__version__``."""

from __future__ import annotations

import asyncio
import copy
import importlib
import json
import re
import sys
import warnings
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from generator.cli import EXIT_FAILED, EXIT_INPUT, EXIT_OK, main
from generator.naming import NameScope
from generator.spec.lock import normalised_url, operation_key, unique_keys

SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
NOTE = '{"id": "n1", "title": "a", "body": "x"}'


def request(
    name: str,
    path: str,
    *,
    method: str = "GET",
    id_: str | None = None,
    body: str | None = NOTE,
) -> dict[str, Any]:
    """A request item on https://api.example.com with one saved JSON example."""
    segments = path.strip("/").split("/")
    item: dict[str, Any] = {
        "name": name,
        "request": {
            "method": method,
            "url": {
                "raw": f"https://api.example.com/{path.strip('/')}",
                "protocol": "https",
                "host": ["api", "example", "com"],
                "path": segments,
            },
        },
        "response": [],
    }
    if body is not None:
        item["response"] = [
            {
                "name": "ok",
                "code": 200,
                "header": [{"key": "Content-Type", "value": "application/json"}],
                "body": body,
            }
        ]
    if id_ is not None:
        item["id"] = id_
    return item


def folder(name: str, *items: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "item": list(items)}


def collection(*items: dict[str, Any]) -> dict[str, Any]:
    return {"info": {"name": "Notes", "schema": SCHEMA}, "item": list(items)}


def base() -> dict[str, Any]:
    return collection(
        folder(
            "Notes",
            request("List notes", "notes", id_="r-list"),
            request("Get note", "notes/:id", id_="r-get"),
        ),
        folder("Tags", request("List tags", "tags", id_="r-tags")),
    )


class Project:
    """A folder with a collection, generated with a lock file."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.collection = root / "notes.postman_collection.json"
        self.lock = root / "pmgen.lock"
        self.output = root / "out" / "notes"

    def write(self, data: dict[str, Any]) -> None:
        self.collection.write_text(json.dumps(data), encoding="utf-8")

    def generate(self, data: dict[str, Any] | None = None, *extra: str) -> int:
        if data is not None:
            self.write(data)
        argv = ["-q", "generate", str(self.collection), "-o", str(self.output)]
        argv += ["--package-name", "notes", "--lock", str(self.lock), *extra]
        return main(argv)

    def methods(self, module: str) -> list[str]:
        text = (self.output / "resources" / f"{module}.py").read_text("utf-8")
        sync = text.split("\nclass Async", 1)[0]
        return re.findall(r"^    def (\w+)\(", sync, flags=re.MULTILINE)

    def lock_data(self) -> dict[str, Any]:
        data = yaml.safe_load(self.lock.read_text("utf-8"))
        assert isinstance(data, dict)
        return data


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path)


def unlocked_methods(tmp_path: Path, data: dict[str, Any], module: str) -> list[str]:
    """The methods the same collection gets without a lock (the contrast)."""
    fresh = Project(tmp_path / "fresh")
    fresh.root.mkdir()
    fresh.write(data)
    argv = ["-q", "generate", str(fresh.collection), "-o", str(fresh.output)]
    assert main([*argv, "--package-name", "notes"]) == EXIT_OK
    return fresh.methods(module)


# --- keys -----------------------------------------------------------------------------


def test_keys_use_the_id_else_method_and_normalised_path() -> None:
    assert operation_key("abc", "get", "https://x/y") == "id:abc"
    assert normalised_url("{{baseUrl}}/Notes/{{noteId}}/:part?x=1#f") == "/notes/{}/{}"
    assert normalised_url("https://api.example.com/notes/") == "/notes"
    assert operation_key(None, "post", "{{host}}/notes") == "POST /notes"
    keys = unique_keys(
        [
            (None, "GET", "{{h}}/a", "One", "One"),
            (None, "GET", "{{h}}/a", "Two", "F/Two"),
            (None, "GET", "{{h}}/a", "Two", "G/Two"),
            (None, "GET", "{{h}}/a", "Two", "G/Two"),
            (None, "GET", "{{h}}/b", "Three", "Three"),
            ("x", "GET", "{{h}}/b", "Three", "Three"),
        ]
    )
    assert keys == [
        "GET /a #One",
        "GET /a #Two #F/Two",
        "GET /a #Two #G/Two",
        "GET /a #Two #G/Two #2",
        "GET /b",
        "id:x",
    ]


def test_name_scope_claims_reserved_names_only_for_their_owner() -> None:
    scope = NameScope()
    scope.reserve(["get_note"])
    assert scope.claim("get_note") == "get_note_2"
    assert scope.claim_locked("get_note") == "get_note"
    assert scope.claim_locked("get_note") == "get_note_3"  # held: a fresh one


# --- stable names ---------------------------------------------------------------------


def test_generate_writes_the_lock(project: Project) -> None:
    assert project.generate(base()) == EXIT_OK
    data = project.lock_data()
    assert data["lock_format"] == 1
    assert data["operations"]["id:r-get"] == {"name": "get_note", "resource": "Notes"}
    assert data["resources"]["Notes"] == {
        "attribute": "notes",
        "class_name": "Notes",
        "module": "notes",
    }
    assert data["models"] == {"id:r-get Note": "Note"}
    assert set(data["summary"]["operations"]) == {"id:r-list", "id:r-get", "id:r-tags"}
    assert data["fingerprint"].startswith("sha256:")


def test_renamed_request_keeps_its_method(project: Project, tmp_path: Path) -> None:
    assert project.generate(base()) == EXIT_OK
    renamed = base()
    renamed["item"][0]["item"][1]["name"] = "Fetch one note"
    assert "fetch_one_note" in unlocked_methods(tmp_path, renamed, "notes")
    assert project.generate(renamed) == EXIT_OK
    assert project.methods("notes") == ["list_notes", "get_note"]


def test_moved_request_keeps_its_method_name(project: Project, tmp_path: Path) -> None:
    assert project.generate(base()) == EXIT_OK
    moved = base()
    moved["item"][0]["item"][1]["name"] = "Get tag note"
    moved["item"][1]["item"].append(moved["item"][0]["item"].pop(1))
    assert "get_tag_note" in unlocked_methods(tmp_path, moved, "tags")
    assert project.generate(moved) == EXIT_OK
    assert project.methods("notes") == ["list_notes"]
    assert project.methods("tags") == ["list_tags", "get_note"]
    assert project.lock_data()["operations"]["id:r-get"]["resource"] == "Tags"


def test_reordered_twins_keep_their_names(project: Project, tmp_path: Path) -> None:
    twins = collection(
        request("Get note", "notes/:id", id_="first"),
        request("Get note", "archive/:id", id_="second"),
    )
    assert project.generate(twins) == EXIT_OK
    reordered = copy.deepcopy(twins)
    reordered["item"].reverse()
    assert unlocked_methods(tmp_path, reordered, "_root") == ["get_note", "get_note_2"]
    assert project.generate(reordered) == EXIT_OK
    resource = (project.output / "resources" / "_root.py").read_text("utf-8")
    # Bound to the items, not to their positions: the archive one is still _2.
    assert re.search(
        r"def get_note_2\(self, id: str\).*?\"/archive/\{id\}\"", resource, re.S
    )
    assert project.methods("_root") == ["get_note_2", "get_note"]


def test_added_colliding_request_gets_the_fresh_name(
    project: Project, tmp_path: Path
) -> None:
    assert project.generate(base()) == EXIT_OK
    added = base()
    added["item"][0]["item"].insert(
        0, request("Get note", "notes/:id/raw", id_="r-raw", body=None)
    )
    assert unlocked_methods(tmp_path, added, "notes")[0] == "get_note"
    assert project.generate(added) == EXIT_OK
    assert project.methods("notes") == ["get_note_2", "list_notes", "get_note"]
    ops = project.lock_data()["operations"]
    assert ops["id:r-get"]["name"] == "get_note"
    assert ops["id:r-raw"]["name"] == "get_note_2"


def test_added_folder_does_not_take_a_locked_resource_name(
    project: Project, tmp_path: Path
) -> None:
    assert project.generate(base()) == EXIT_OK
    added = base()
    added["item"].insert(0, folder("notes!", request("Count", "count", id_="r-c")))
    assert project.generate(added) == EXIT_OK
    resources = project.lock_data()["resources"]
    assert resources["Notes"]["attribute"] == "notes"
    assert resources["notes!"]["attribute"] == "notes_2"
    assert project.methods("notes") == ["list_notes", "get_note"]


def test_locked_model_names_survive_a_new_model_claiming_them(
    project: Project, tmp_path: Path
) -> None:
    first = collection(request("Get note", "notes/:id", id_="r-get"))
    assert project.generate(first) == EXIT_OK
    assert project.lock_data()["models"] == {"id:r-get Note": "Note"}
    # A request listed first whose result would be named "Note" too.
    other = collection(
        request("Note", "other", id_="r-other", body='{"a": 1, "b": 2, "c": 3}'),
        request("Get note", "notes/:id", id_="r-get"),
    )
    fresh = unlocked_methods(tmp_path, other, "_root")  # generates ./fresh
    assert fresh == ["note", "get_note"]
    unlocked = (tmp_path / "fresh" / "out" / "notes" / "models" / "_root.py").read_text(
        "utf-8"
    )
    assert re.search(r"class Note\(Model\):.*?a: int", unlocked, re.S)
    assert project.generate(other) == EXIT_OK
    assert project.lock_data()["models"] == {
        "id:r-get Note": "Note",
        "id:r-other Note": "Note2",
    }
    models = (project.output / "models" / "_root.py").read_text("utf-8")
    assert re.search(r"class Note\(Model\):.*?id: str", models, re.S)


def test_id_less_collection_keeps_names_by_method_and_path(
    project: Project, tmp_path: Path
) -> None:
    no_ids = collection(
        request("Get note", "notes/:id"),
        request("Delete note", "notes/:id", method="DELETE"),
    )
    assert project.generate(no_ids) == EXIT_OK
    assert set(project.lock_data()["operations"]) == {
        "GET /notes/{}",
        "DELETE /notes/{}",
    }
    renamed = copy.deepcopy(no_ids)
    renamed["item"][0]["name"] = "Read a note"
    renamed["item"].reverse()
    assert project.generate(renamed) == EXIT_OK
    assert project.methods("_root") == ["delete_note", "get_note"]


# --- --rename and deprecated aliases --------------------------------------------------


def _import_fresh(project: Project) -> Any:
    sys.path.insert(0, str(project.output.parent))
    try:
        for name in [m for m in sys.modules if m == "notes" or m.startswith("notes.")]:
            del sys.modules[name]
        return importlib.import_module("notes")
    finally:
        sys.path.remove(str(project.output.parent))


def test_rename_keeps_the_old_name_as_a_deprecated_alias(project: Project) -> None:
    assert project.generate(base()) == EXIT_OK
    renamed = base()
    renamed["item"][0]["item"][1]["name"] = "Fetch note"
    assert project.generate(renamed, "--rename") == EXIT_OK
    assert project.methods("notes") == ["list_notes", "fetch_note", "get_note"]
    entry = project.lock_data()["operations"]["id:r-get"]
    assert entry == {
        "name": "fetch_note",
        "resource": "Notes",
        "aliases": [{"name": "get_note", "since": "0.1.0"}],
    }
    seen: list[str] = []

    def handler(req: httpx.Request) -> httpx.Response:
        seen.append(req.url.path)
        return httpx.Response(200, json={"id": "n7", "title": "t", "body": "b"})

    package = _import_fresh(project)
    client = package.Client(
        http_client=httpx.Client(transport=httpx.MockTransport(handler))
    )
    with pytest.warns(
        DeprecationWarning, match=r"get_note\(\) is deprecated; use fetch_note\(\)"
    ):
        note = client.notes.get_note("n7")
    assert note.id == "n7" and seen == ["/notes/n7"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert client.notes.fetch_note("n8").id == "n7"

    async def call_async() -> Any:
        transport = httpx.MockTransport(handler)
        async with package.AsyncClient(
            http_client=httpx.AsyncClient(transport=transport)
        ) as aclient:
            return await aclient.notes.get_note("n9")

    with pytest.warns(DeprecationWarning):
        assert asyncio.run(call_async()).id == "n7"
    assert seen[-1] == "/notes/n9"


def test_alias_lives_until_the_version_changes(project: Project) -> None:
    assert project.generate(base()) == EXIT_OK
    renamed = base()
    renamed["item"][0]["item"][1]["name"] = "Fetch note"
    assert project.generate(renamed, "--rename") == EXIT_OK
    assert project.generate(renamed) == EXIT_OK  # same version: the alias stays
    assert "get_note" in project.methods("notes")
    config = project.root / "pmgen.yaml"
    config.write_text(
        "collection: notes.postman_collection.json\noutput: out/notes\n"
        "package_name: notes\nlock: pmgen.lock\nversion: 0.2.0\n",
        encoding="utf-8",
    )
    assert main(["-q", "generate", "--config", str(config)]) == EXIT_OK
    assert project.methods("notes") == ["list_notes", "fetch_note"]
    assert "aliases" not in project.lock_data()["operations"]["id:r-get"]


def test_rename_needs_a_lock(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.write(base())
    argv = ["generate", str(project.collection), "-o", str(project.output), "--rename"]
    assert main(argv) == EXIT_INPUT
    assert "--rename needs a lock file" in capsys.readouterr().err


def test_bad_lock_file_exits_2(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.lock.write_text("lock_format: 7\n", encoding="utf-8")
    assert project.generate(base()) == EXIT_INPUT
    assert "$.lock_format" in capsys.readouterr().err


# --- check ----------------------------------------------------------------------------


def _config(project: Project, extra: str = "") -> Path:
    config = project.root / "pmgen.yaml"
    config.write_text(
        "collection: notes.postman_collection.json\noutput: out/notes\n"
        f"package_name: notes\nlock: pmgen.lock\n{extra}",
        encoding="utf-8",
    )
    return config


def test_check_fails_on_a_missing_or_stale_lock(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _config(project)
    project.write(base())
    assert main(["-q", "generate", "--config", str(config)]) == EXIT_OK
    assert main(["check", "--config", str(config)]) == EXIT_OK
    capsys.readouterr()
    original = project.lock.read_text("utf-8")
    tampered = re.sub(r"fingerprint: \S+", "fingerprint: sha256:0", original)
    project.lock.write_text(tampered, encoding="utf-8")
    assert main(["check", "--config", str(config)]) == EXIT_FAILED
    err = capsys.readouterr().err
    assert "pmgen.lock is stale" in err and "-fingerprint: sha256:0\n" in err
    assert "out/notes is stale" not in err  # only the lock is
    assert f"--lock {project.lock}" in err  # the command to fix it
    project.lock.write_text(original, encoding="utf-8")
    added = base()
    added["item"][1]["item"].append(request("Count tags", "tags/count", id_="r-n"))
    project.write(added)
    assert main(["check", "--config", str(config)]) == EXIT_FAILED
    err = capsys.readouterr().err
    assert "+  id:r-n:" in err and "+    name: count_tags" in err
    assert "out/notes is stale" in err
    project.lock.unlink()
    assert main(["check", "--config", str(config)]) == EXIT_FAILED
    assert "pmgen.lock is missing" in capsys.readouterr().err


def test_check_lock_option_overrides_the_config(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _config(project)
    project.write(base())
    assert main(["-q", "generate", "--config", str(config)]) == EXIT_OK
    other = project.root / "other.lock"
    assert main(["check", "--config", str(config), "--lock", str(other)]) == EXIT_FAILED
    assert "other.lock is missing" in capsys.readouterr().err


# --- version policy -------------------------------------------------------------------


def _version(project: Project) -> str:
    init = (project.output / "__init__.py").read_text("utf-8")
    found = re.search(r'^__version__ = "([^"]+)"$', init, re.MULTILINE)
    assert found is not None
    return found.group(1)


def test_semver_policy_bumps_the_package_version(project: Project) -> None:
    config = _config(project, "version: 1.2.0\nversion_policy: semver\n")

    def generate(data: dict[str, Any]) -> str:
        project.write(data)
        assert main(["-q", "generate", "--config", str(config)]) == EXIT_OK
        assert main(["-q", "check", "--config", str(config)]) == EXIT_OK
        return _version(project)

    assert generate(base()) == "1.2.0"
    assert generate(base()) == "1.2.0"  # nothing changed
    added = base()
    added["item"][1]["item"].append(request("Count tags", "tags/count", id_="r-n"))
    assert generate(added) == "1.3.0"  # an operation added: minor
    assert "Version 1.3.0." in (project.output / "README.md").read_text("utf-8")
    removed = copy.deepcopy(added)
    removed["item"][1]["item"].pop()
    removed["item"][0]["item"][0]["request"]["method"] = "HEAD"
    assert generate(removed) == "2.0.0"  # an operation removed: major
    assert project.lock_data()["version"] == "2.0.0"


def test_semver_policy_without_the_lock_update_is_stale(project: Project) -> None:
    config = _config(project, "version: 1.0.0\nversion_policy: semver\n")
    project.write(base())
    assert main(["-q", "generate", "--config", str(config)]) == EXIT_OK
    added = base()
    added["item"][1]["item"].append(request("Count tags", "tags/count", id_="r-n"))
    project.write(added)
    assert main(["-q", "check", "--config", str(config)]) == EXIT_FAILED


def test_semver_policy_retires_aliases_with_a_major_bump(project: Project) -> None:
    config = _config(project, "version: 1.0.0\nversion_policy: semver\n")
    project.write(base())
    assert main(["-q", "generate", "--config", str(config)]) == EXIT_OK
    renamed = base()
    renamed["item"][0]["item"][1]["name"] = "Fetch note"
    project.write(renamed)
    assert main(["-q", "generate", "--config", str(config), "--rename"]) == EXIT_OK
    assert _version(project) == "1.1.0"  # renamed, old name kept: additive
    assert project.lock_data()["operations"]["id:r-get"]["aliases"] == [
        {"name": "get_note", "since": "1.1.0"}
    ]
    added = copy.deepcopy(renamed)
    added["item"][1]["item"].append(request("Count tags", "tags/count", id_="r-n"))
    project.write(added)
    assert main(["-q", "generate", "--config", str(config)]) == EXIT_OK
    assert _version(project) == "2.0.0"  # the alias went away with the bump
    assert project.methods("notes") == ["list_notes", "fetch_note"]


def test_bad_version_policy_exits_2(project: Project) -> None:
    config = _config(project, "version_policy: calver\n")
    project.write(base())
    assert main(["-q", "generate", "--config", str(config)]) == EXIT_INPUT


def test_build_time_generation_keeps_the_locked_names(project: Project) -> None:
    from generator.build import generate_for_build

    config = _config(project)
    project.write(base())
    assert main(["-q", "generate", "--config", str(config)]) == EXIT_OK
    renamed = base()
    renamed["item"][0]["item"][1]["name"] = "Fetch note"
    project.write(renamed)
    before = project.lock.read_text("utf-8")
    generate_for_build(project.root, config)
    assert project.methods("notes") == ["list_notes", "get_note"]
    assert project.lock.read_text("utf-8") == before  # read, never written
