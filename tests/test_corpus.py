"""Real third-party collections from the shared corpus (the small ones, to stay
fast): each generates, is black-stable, ``mypy --strict`` clean, and every module
of the package imports. Skipped when ``../shared`` is missing."""

from __future__ import annotations

import json
import re
from pathlib import Path

import black
import pytest
from conftest import FIXTURES_DIR, SHARED_DIR, run_python

from generator.config import ClientConfig
from generator.pipeline import build, render_files
from generator.writer import write_tree

CORPUS = SHARED_DIR / "corpus"
MODE = black.Mode(line_length=88)

COLLECTIONS: list[str] = [
    "box-content-api-2015",
    "brightspace-test-data-setup",
    "coopers-meal-plan",
    "mall-portal",
    "postman-echo",
    "postman-schemas-nested-entities",
    "postman-sync-api",
    "postman-visualizing-postmanauts",
    "wise-api-all-endpoints",
    "xero-oauth2",
]


def package_name(name: str) -> str:
    return "corpus_" + name.replace("-", "_")


@pytest.fixture(scope="session")
def corpus_files() -> dict[str, dict[str, str]]:
    """Every selected corpus collection rendered in memory."""
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    rendered = {}
    for name in COLLECTIONS:
        config = ClientConfig(package_name=package_name(name))
        spec, _ = build(CORPUS / f"{name}.postman_collection.json", config)
        rendered[name] = render_files(spec)
    return rendered


@pytest.fixture(scope="session")
def corpus_dir(
    corpus_files: dict[str, dict[str, str]],
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    for name, files in corpus_files.items():
        write_tree(root / package_name(name), files)
    return root


@pytest.fixture(scope="session")
def corpus_mypy(
    corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, list[str]]:
    names = [package_name(name) for name in COLLECTIONS]
    result = run_python(
        [
            "-m",
            "mypy",
            "--config-file",
            str(FIXTURES_DIR / "mypy-generated.ini"),
            "--cache-dir",
            str(tmp_path_factory.mktemp("corpus-mypy-cache")),
            "--no-color-output",
            *names,
        ],
        cwd=corpus_dir,
        env={"MYPYPATH": str(corpus_dir)},
    )
    assert result.returncode in (0, 1), result.stdout + result.stderr
    report: dict[str, list[str]] = {name: [] for name in names}
    for line in result.stdout.splitlines():
        match = re.match(r"(corpus_\w+)[/\\].*?:\d+: error:", line)
        if match:
            report[match.group(1)].append(line)
    return report


IMPORT_ALL = """
import importlib, json, pkgutil, sys
failures = {}
for name in sys.argv[1:]:
    package = importlib.import_module(name)
    for module in pkgutil.walk_packages(package.__path__, name + "."):
        try:
            importlib.import_module(module.name)
        except Exception as exc:
            failures.setdefault(name, []).append(f"{module.name}: {exc!r}")
print(json.dumps(failures))
"""


@pytest.fixture(scope="session")
def corpus_imports(corpus_dir: Path) -> dict[str, list[str]]:
    """Import every module of every package (one subprocess); failures by package."""
    names = [package_name(name) for name in COLLECTIONS]
    result = run_python(
        ["-c", IMPORT_ALL, *names],
        cwd=corpus_dir,
        env={"PYTHONPATH": str(corpus_dir)},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    failures: dict[str, list[str]] = json.loads(result.stdout)
    return failures


@pytest.mark.parametrize("name", COLLECTIONS)
def test_black_stable(name: str, corpus_files: dict[str, dict[str, str]]) -> None:
    unstable = []
    for path, text in sorted(corpus_files[name].items()):
        if not path.endswith(".py"):
            continue
        compile(text, path, "exec", dont_inherit=True)
        if path.startswith("_runtime/") or path == "tests/_support.py":
            continue  # copied verbatim; checked once by the golden tests
        if black.format_str(text, mode=MODE) != text:
            unstable.append(path)
    assert not unstable, f"black would reformat: {unstable}"


@pytest.mark.parametrize("name", COLLECTIONS)
def test_mypy_strict(name: str, corpus_mypy: dict[str, list[str]]) -> None:
    errors = corpus_mypy[package_name(name)]
    assert not errors, "\n".join(errors[:20])


@pytest.mark.parametrize("name", COLLECTIONS)
def test_every_module_imports(name: str, corpus_imports: dict[str, list[str]]) -> None:
    failures = corpus_imports.get(package_name(name), [])
    assert not failures, "\n".join(failures[:10])
