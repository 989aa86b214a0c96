"""Incremental regeneration, the cache and parallel rendering (generator/incremental.py,
generator/parallel.py, generator/render/keys.py).

The rule under test everywhere: the cache and the number of workers never change the
output. A run with a warm cache, a cold one, none, one worker or two writes the same
bytes; what the cache changes is only how much work a run does.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import SHARED_DIR, tree_bytes

from generator import generate
from generator.cli import EXIT_FAILED, EXIT_INPUT, EXIT_OK, main
from generator.pipeline import build
from generator.render import keys as keys_module
from generator.render.keys import FileKeys

SYNTHETIC = SHARED_DIR / "bench" / "synthetic-100.postman_collection.json"


@pytest.fixture
def collection(tmp_path: Path) -> Path:
    """A private copy of the synthetic 100-request collection (tests edit it)."""
    target = tmp_path / "in" / "api.postman_collection.json"
    target.parent.mkdir()
    shutil.copyfile(SYNTHETIC, target)
    return target


def _edit_one_request(collection: Path) -> str:
    """Change the description of the first request; returns its folder path."""
    data = json.loads(collection.read_text(encoding="utf-8"))
    folder = data["item"][0]["item"][0]
    folder["item"][0]["request"]["description"] += " Edited."
    collection.write_text(json.dumps(data), encoding="utf-8")
    return f"{data['item'][0]['name']}/{folder['name']}"


def _run(*args: str | Path) -> int:
    return main(["generate", *map(str, args)])


def test_cache_and_workers_never_change_the_output(
    collection: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    assert _run(collection, "-o", tmp_path / "none", "--no-cache", "-j", "1") == 0
    assert _run(collection, "-o", tmp_path / "two", "--no-cache", "-j", "2") == 0
    assert _run(collection, "-o", tmp_path / "cold", "--cache-dir", cache) == 0
    expected = tree_bytes(tmp_path / "none")
    assert len(expected) > 40  # enough files for the workers to share
    assert tree_bytes(tmp_path / "two") == expected
    assert tree_bytes(tmp_path / "cold") == expected
    # Warm: the same inputs (a no-op), then one request changed.
    assert _run(collection, "-o", tmp_path / "cold", "--cache-dir", cache) == 0
    assert tree_bytes(tmp_path / "cold") == expected
    _edit_one_request(collection)
    assert _run(collection, "-o", tmp_path / "cold", "--cache-dir", cache) == 0
    assert _run(collection, "-o", tmp_path / "fresh", "--no-cache") == 0
    assert tree_bytes(tmp_path / "cold") == tree_bytes(tmp_path / "fresh")
    assert tree_bytes(tmp_path / "fresh") != expected


def test_unchanged_inputs_are_a_no_op(
    collection: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(collection.read_text(encoding="utf-8"))
    request = data["item"][0]["item"][0]["item"][0]["request"]
    request["auth"] = {"type": "ntlm", "ntlm": [{"key": "username", "value": "u"}]}
    collection.write_text(json.dumps(data), encoding="utf-8")  # gives a warning
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert _run(collection, "-o", out, "--cache-dir", cache) == EXIT_OK
    first = capsys.readouterr().err
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    assert _run(collection, "-o", out, "--cache-dir", cache) == EXIT_OK
    err = capsys.readouterr().err
    assert "is up to date (inputs unchanged); nothing written" in err
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == stamps
    # The first run's diagnostics are shown again, and --strict still fails on them.
    warnings = [line for line in first.splitlines() if line.startswith("warning")]
    assert warnings and all(line in err for line in warnings)
    assert _run(collection, "-o", out, "--cache-dir", cache, "--strict") == EXIT_FAILED


def test_any_changed_input_or_output_means_a_real_run(
    collection: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert _run(collection, "-o", out, "--cache-dir", cache) == EXIT_OK
    client = out / "client.py"
    original = client.read_bytes()

    client.write_text("# edited by hand\n", encoding="utf-8")  # an output file edited
    capsys.readouterr()
    assert _run(collection, "-o", out, "--cache-dir", cache) == EXIT_OK
    assert "up to date" not in capsys.readouterr().err
    assert client.read_bytes() == original

    (out / "stray.txt").write_text("x", encoding="utf-8")  # a file pmgen did not write
    assert _run(collection, "-o", out, "--cache-dir", cache) == EXIT_OK
    assert "removed 1 file(s)" in capsys.readouterr().err
    assert not (out / "stray.txt").exists()

    (out / "resources" / "__init__.py").unlink()  # a generated file deleted
    assert _run(collection, "-o", out, "--cache-dir", cache) == EXIT_OK
    assert (out / "resources" / "__init__.py").is_file()

    environment = tmp_path / "env.json"  # an option that was not there before
    environment.write_text(json.dumps({"values": []}), encoding="utf-8")
    capsys.readouterr()
    args = (collection, "-o", out, "--cache-dir", cache, "--environment", environment)
    assert _run(*args) == EXIT_OK
    assert "up to date" not in capsys.readouterr().err
    assert _run(*args) == EXIT_OK
    assert "up to date" in capsys.readouterr().err


def test_one_changed_request_renders_only_what_shows_it(
    collection: Path, tmp_path: Path
) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    first = generate(collection, out, cache_dir=cache)
    assert first.rendered == first.files  # cold: every file written
    again = generate(collection, out, cache_dir=cache)
    assert again.rendered == []  # same spec: every file reused

    folder = _edit_one_request(collection)
    module = build(collection)[0]
    changed = next(r for r in module.iter_resources() if r.source == folder)
    report = generate(collection, out, cache_dir=cache)
    package_wide = {
        "README.md",
        "__init__.py",
        "client.py",
        "models/__init__.py",
        "tests/_clients.py",
    }
    parent = changed.module.rsplit("_", 1)[0]
    assert set(report.rendered) == package_wide | {
        f"resources/{changed.module}.py",
        f"resources/{parent}.py",  # the folder holding it (its key covers children)
        f"tests/test_{changed.module}.py",
    }


def test_a_changed_pmgen_reuses_nothing(
    collection: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    generate(collection, out, cache_dir=cache)
    monkeypatch.setattr(keys_module, "generator_digest", lambda: "another pmgen")
    report = generate(collection, out, cache_dir=cache)
    templated = {
        p
        for p in report.files
        if p.startswith(("resources/", "models/", "tests/t"))
        and p != "resources/__init__.py"  # a static file: the same text, reused
    }
    assert len(templated) > 20
    assert templated <= set(report.rendered)


def test_file_keys_follow_the_spec(collection: Path) -> None:
    spec, _ = build(collection)
    first, second = spec.iter_resources()[1], spec.iter_resources()[2]
    before = FileKeys(spec, "salt")
    assert FileKeys(spec, "salt").for_resource("a", first) == before.for_resource(
        "a", first
    )
    assert FileKeys(spec, "other").for_resource("a", first) != before.for_resource(
        "a", first
    )
    first.operations[0].description += " changed"
    after = FileKeys(spec, "salt")
    assert after.for_resource("a", first) != before.for_resource("a", first)
    assert after.for_resource("b", second) == before.for_resource("b", second)
    assert after.for_package("README.md") != before.for_package("README.md")


def test_an_unwritable_cache_is_not_an_error(collection: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder would be", encoding="utf-8")
    assert _run(collection, "-o", tmp_path / "out", "--cache-dir", blocker) == EXIT_OK
    assert _run(collection, "-o", tmp_path / "plain", "--no-cache") == EXIT_OK
    assert tree_bytes(tmp_path / "out") == tree_bytes(tmp_path / "plain")


def test_a_failing_worker_is_a_one_line_error_and_writes_nothing(
    collection: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    overlay = tmp_path / "templates" / "package"
    overlay.mkdir(parents=True)
    (overlay / "resource.py.jinja").write_text("{{ view.nope }}\n", encoding="utf-8")
    out = tmp_path / "out"
    code = _run(collection, "-o", out, "--templates", overlay.parent, "-j", "2")
    assert code == EXIT_INPUT
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("pmgen: error: ")
    assert "undefined" in err and "(rendering resources/" in err
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


def test_jobs_must_be_positive(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["generate", "x.json", "--jobs", "0"])
    assert "expected a positive integer" in capsys.readouterr().err


_SHOW_MODULES = (
    "import sys\n"
    "from generator.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "heavy = ('jsonschema', 'black', 'jinja2')\n"
    "print(' '.join(m for m in heavy if m in sys.modules))\n"
    "raise SystemExit(code)\n"
)


def test_what_a_run_imports(collection: Path, tmp_path: Path) -> None:
    """A valid collection never needs the explaining validator (jsonschema), nor
    black when nothing is to be formatted, and a no-op run needs none of the heavy
    libraries: each costs tens of ms a run."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    out, cache = tmp_path / "out", tmp_path / "cache"
    command = [sys.executable, "-c", _SHOW_MODULES, "-q", "generate", str(collection)]
    command += ["-o", str(out), "--cache-dir", str(cache)]
    first = subprocess.run(command, cwd=root, capture_output=True, text=True)
    assert first.returncode == EXIT_OK, first.stderr
    assert "jsonschema" not in first.stdout.split()
    # Rendering needs jinja2; black only formats (--format, custom templates) or
    # measures a long line of wide characters, which this collection has not.
    assert first.stdout.split() == ["jinja2"]
    again = subprocess.run(command, cwd=root, capture_output=True, text=True)
    assert again.returncode == EXIT_OK, again.stderr
    assert again.stdout.split() == []


def test_the_collection_is_freed_before_types_resolve(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``pipeline.build`` keeps no reference to the loaded collection, and the spec
    build drops its own once every request is built: the peak is lower by the
    size of the parsed collection (44 MiB of 445 for synthetic-10000)."""
    import gc
    import weakref

    import generator.pipeline as pipeline
    from generator.spec.context import BuildContext

    loaded: list[weakref.ref[object]] = []
    alive_at_resolution: list[bool] = []
    real_load, real_run = pipeline.load_collection, BuildContext.run_pending

    def load(path: Path) -> object:
        collection = real_load(path)
        loaded.append(weakref.ref(collection))
        return collection

    def run_pending(self: BuildContext) -> None:
        gc.collect()
        alive_at_resolution.append(loaded[0]() is not None)
        real_run(self)

    monkeypatch.setattr(pipeline, "load_collection", load)
    monkeypatch.setattr(BuildContext, "run_pending", run_pending)
    spec, _ = pipeline.build(SYNTHETIC)
    assert spec.models and alive_at_resolution == [False]
