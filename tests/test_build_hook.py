"""Build-time generation: the hatchling plugin and ``generate_for_build``.

An example consumer project (a collection, a ``pyproject.toml`` with hatchling and pmgen
as build requirements, the generated folder ignored by git) is built with
``python -m build`` in isolated environments, pmgen coming from a wheel of this
checkout (a ``file://`` requirement). Its wheel is then imported and called against
``httpx.MockTransport``; its sdist must carry the generated package.
"""

from __future__ import annotations

import shutil
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import pytest
from conftest import GOLDEN_DIR, REPO_ROOT, run_python

from generator.build import generate_for_build, project_clients
from generator.errors import InputError, UsageError

COLLECTION = GOLDEN_DIR / "v20-format" / "collection.json"

CALL_CLIENT = """
import json
import httpx
import notes_client
from notes_client import Client, NotFoundError

assert notes_client.__file__.startswith(%(where)r), notes_client.__file__
seen = []
notes = [{"id": 7, "title": "Milk", "createdAt": "2024-01-02T03:04:05Z",
          "tags": ["home"], "author": {"name": "Ann", "id": 1}}]

def handler(request):
    seen.append(request)
    if request.url.path.endswith("/missing"):
        return httpx.Response(404, json={"message": "no such note"})
    return httpx.Response(200, json=notes)

http = httpx.Client(transport=httpx.MockTransport(handler))
client = Client("https://notes.test", token="t0k", http_client=http)
result = client.notes.list_notes(limit=5)
assert result[0].title == "Milk" and result[0].author.name == "Ann", result
request = seen[-1]
assert str(request.url) == "https://notes.test/api/notes?limit=5", request.url
assert request.headers["Authorization"] == "Bearer t0k"
try:
    client.notes.get_note("missing")
except NotFoundError as exc:
    assert exc.status_code == 404
else:
    raise AssertionError("no NotFoundError")
print("client ok")
"""


def _consumer(root: Path, requirement: str, hook_table: str = "") -> Path:
    """Write the example consumer project into ``root``."""
    root.mkdir(parents=True)
    shutil.copy(COLLECTION, root / "notes.postman_collection.json")
    (root / ".gitignore").write_text("notes_client/\n", encoding="utf-8")
    (root / "pyproject.toml").write_text(
        f"""[build-system]
requires = ["hatchling>=1.20", "{requirement}"]
build-backend = "hatchling.build"

[project]
name = "notes-client"
version = "1.0.0"
requires-python = ">=3.10"
dependencies = ["httpx>=0.27,<1"]

[tool.hatch.build.targets.wheel]
packages = ["notes_client"]

[tool.hatch.build.hooks.pmgen]
{hook_table}
[tool.pmgen]
collection = "notes.postman_collection.json"
output = "notes_client"
package_name = "notes_client"
""",
        encoding="utf-8",
    )
    return root


@pytest.fixture(scope="module")
def pmgen_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel of this checkout (built without isolation: hatchling is a dev extra)."""
    out = tmp_path_factory.mktemp("pmgen-dist")
    result = run_python(
        [
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(REPO_ROOT),
        ]
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (wheel,) = out.glob("pmgen-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert "generator/hatch_hook.py" in names
    assert "generator/_templates/package/client.py.jinja" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    with zipfile.ZipFile(wheel) as archive:
        assert (
            "[hatch]\npmgen = generator.hatch_hook"
            in archive.read(entry_points).decode()
        )
    return wheel


@pytest.fixture(scope="module")
def built_consumer(
    pmgen_wheel: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path, Path]:
    """(project, wheel, sdist) of the consumer built by ``python -m build``."""
    base = tmp_path_factory.mktemp("consumer")
    project = _consumer(base / "project", f"pmgen @ {pmgen_wheel.as_uri()}")
    out = base / "dist"
    result = run_python(
        ["-m", "build", "--outdir", str(out), str(project)],
        cwd=project,
        env={"PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert "pmgen: wrote notes_client" in result.stdout + result.stderr
    (wheel,) = out.glob("notes_client-1.0.0-*.whl")
    (sdist,) = out.glob("notes_client-1.0.0.tar.gz")
    return project, wheel, sdist


def test_wheel_carries_the_generated_client_and_it_works(
    built_consumer: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    _project, wheel, _sdist = built_consumer
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path / "site")
    for name in (
        "__init__.py",
        "client.py",
        "resources/notes.py",
        "_runtime/_client.py",
    ):
        assert f"notes_client/{name}" in names
    site = str(tmp_path / "site")
    result = run_python(
        ["-c", CALL_CLIENT % {"where": site}],
        cwd=tmp_path,
        env={"PYTHONPATH": site},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "client ok" in result.stdout


def test_sdist_carries_the_collection_and_the_generated_client(
    built_consumer: tuple[Path, Path, Path],
) -> None:
    _project, _wheel, sdist = built_consumer
    with tarfile.open(sdist) as archive:
        names = {n.split("/", 1)[1] for n in archive.getnames() if "/" in n}
    assert "notes.postman_collection.json" in names
    assert "notes_client/client.py" in names
    assert "notes_client/models/notes.py" in names
    assert "notes_client/_runtime/__init__.py" in names


def test_generate_for_build_writes_every_configured_client(tmp_path: Path) -> None:
    project = _consumer(tmp_path / "p", "pmgen")
    built = generate_for_build(project)
    assert [(b.package, b.output) for b in built] == [
        ("notes_client", (project / "notes_client").resolve())
    ]
    assert (project / "notes_client" / "client.py").is_file()
    assert built[0].files == len(
        [p for p in (project / "notes_client").rglob("*") if p.is_file()]
    )


def test_generate_for_build_reads_a_named_config_and_pmgen_yaml(tmp_path: Path) -> None:
    project = tmp_path / "p"
    project.mkdir()
    shutil.copy(COLLECTION, project / "c.json")
    (project / "clients.yaml").write_text(
        "clients:\n- collection: c.json\n  output: out/a\n  package_name: a\n"
        "- collection: c.json\n  output: out/b\n  package_name: b\n",
        encoding="utf-8",
    )
    built = generate_for_build(project, Path("clients.yaml"))
    assert [b.package for b in built] == ["a", "b"]
    assert (project / "out" / "b" / "__init__.py").is_file()
    (project / "pmgen.yaml").write_text(
        "collection: c.json\noutput: gen\npackage_name: gen\n", encoding="utf-8"
    )
    assert [c.package_name for c in project_clients(project)] == ["gen"]


def test_generate_for_build_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"no \[tool\.pmgen\]"):
        generate_for_build(tmp_path)
    (tmp_path / "pmgen.yaml").write_text("collection: c.json\n", encoding="utf-8")
    with pytest.raises(UsageError, match="needs `collection` and `output`"):
        generate_for_build(tmp_path)
    (tmp_path / "pmgen.yaml").write_text(
        "collection: missing.json\noutput: x\n", encoding="utf-8"
    )
    with pytest.raises(InputError):
        generate_for_build(tmp_path)
    assert not (tmp_path / "x").exists()
    (tmp_path / "pmgen.yaml").write_text(
        "collections: [{collection: a.json, name: a}, {collection: b.json, name: b}]\n"
        "output: x\nlock: pmgen.lock\n",
        encoding="utf-8",
    )
    with pytest.raises(UsageError, match="applies to one collection, not to several"):
        generate_for_build(tmp_path)  # as `pmgen generate` and `check` refuse it


class _App:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def display_info(self, text: str) -> None:
        self.lines.append(text)


def _run_hook(project: Path, config: dict[str, Any]) -> tuple[dict[str, Any], _App]:
    from hatchling.metadata.core import ProjectMetadata

    from generator.hatch_hook import PmgenBuildHook

    app = _App()
    hook = PmgenBuildHook(
        str(project),
        config,
        None,
        ProjectMetadata(str(project), None),
        str(project / "dist"),
        "wheel",
        app,
    )
    build_data: dict[str, Any] = {"artifacts": [], "force_include": {}}
    hook.initialize("standard", build_data)
    return build_data, app


def test_hook_options_inline_client_and_artifacts(tmp_path: Path) -> None:
    project = _consumer(tmp_path / "p", "pmgen")
    build_data, app = _run_hook(
        project,
        {
            "collection": "notes.postman_collection.json",
            "output": "src/other",
            "package_name": "other",
            "dependencies": ["ignored-by-pmgen"],
        },
    )
    assert build_data["artifacts"] == ["/src/other/"]
    assert (project / "src" / "other" / "client.py").is_file()
    assert not (project / "notes_client").exists()  # [tool.pmgen] not used
    written = sum(1 for f in (project / "src" / "other").rglob("*") if f.is_file())
    assert app.lines == [f"pmgen: wrote other ({written} files) to src/other"]


def test_hook_without_options_builds_tool_pmgen(tmp_path: Path) -> None:
    project = _consumer(tmp_path / "p", "pmgen")
    build_data, _app = _run_hook(project, {})
    assert build_data["artifacts"] == ["/notes_client/"]
    assert (project / "notes_client" / "__init__.py").is_file()


def test_hook_rejects_unknown_options(tmp_path: Path) -> None:
    project = _consumer(tmp_path / "p", "pmgen")
    with pytest.raises(InputError, match="unknown option"):
        _run_hook(project, {"colection": "x.json"})


def test_hook_is_registered_for_hatch() -> None:
    from generator.hatch_hook import PmgenBuildHook, hatch_register_build_hook

    assert hatch_register_build_hook() is PmgenBuildHook
    assert PmgenBuildHook.PLUGIN_NAME == "pmgen"
    text = (REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '[project.entry-points.hatch]\npmgen = "generator.hatch_hook"' in text


def test_python_m_generator_generate_from_a_consumer_config(tmp_path: Path) -> None:
    """The backend-neutral path: ``python -m generator generate --config`` before any
    build backend runs."""
    project = _consumer(tmp_path / "p", "pmgen")
    result = run_python(
        ["-m", "generator", "generate", "--config", "pyproject.toml"],
        cwd=project,
    )
    assert result.returncode == 0, result.stderr
    assert (project / "notes_client" / "resources" / "notes.py").is_file()


def test_hook_config_option_names_the_clients_file(tmp_path: Path) -> None:
    project = _consumer(tmp_path / "p", "pmgen")
    (project / "clients.yaml").write_text(
        "collection: notes.postman_collection.json\noutput: gen/c\npackage_name: c\n",
        encoding="utf-8",
    )
    build_data, _app = _run_hook(project, {"config": "clients.yaml"})
    assert build_data["artifacts"] == ["/gen/c/"]
    assert (project / "gen" / "c" / "client.py").is_file()
    assert not (project / "notes_client").exists()
