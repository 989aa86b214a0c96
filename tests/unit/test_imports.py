"""``generator.render.imports``: import blocks in the order ruff (isort rules) wants."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import black
import pytest

from generator.render.imports import ImportSet

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PACKAGE = "demo_pkg"

FROM_POOL: dict[str, list[str]] = {
    "__future__": ["annotations"],
    "typing": ["TYPE_CHECKING", "Any", "Literal", "cast", "overload"],
    "collections.abc": ["AsyncIterator", "Iterator", "Mapping", "Sequence"],
    "dataclasses": ["dataclass", "field"],
    "datetime": ["date", "datetime"],
    "functools": ["cached_property"],
    "pathlib": ["Path"],
    "httpx": ["AsyncClient", "Client", "Response"],
    PACKAGE: ["AsyncClient", "Client", "NotFoundError", "AuthenticationError"],
    f"{PACKAGE}.models": ["JobInfo", "AllJobs", "CreateJobRequest"],
    ".": ["_runtime"],
    "._runtime": ["DEFAULT_TIMEOUT", "BearerAuth", "RetryPolicy", "TokenSource"],
    ".._runtime": [
        "UNSET",
        "AsyncResource",
        "FileContent",
        "Model",
        "SyncResource",
        "decode",
        "decode_auto",
        "make",
    ],
    "..models.bulk_v2_query": [
        "AbortAJobQueryRequest",
        "AllJobs",
        "CreateJobQueryRequest",
        "JobInfo",
        "VeryLongModelNameForWrapping",
    ],
    "._clients": ["async_client", "sync_client"],
    "._support": ["Exchange", "check_request"],
    ".resources._root": ["AsyncRoot", "Root"],
    ".models": ["JobInfo"],
}
PLAIN_POOL = ["asyncio", "importlib", "json", "os", "httpx", "pytest"]


def _random_set(rng: random.Random) -> ImportSet:
    imports = ImportSet(PACKAGE)
    for module in rng.sample(sorted(FROM_POOL), rng.randint(1, 7)):
        names = FROM_POOL[module]
        imports.add(module, *rng.sample(names, rng.randint(1, len(names))))
    for module in rng.sample(PLAIN_POOL, rng.randint(0, 3)):
        imports.add(module)
    return imports


def _ruff_sort_problems(folder: Path, files: dict[str, str]) -> str:
    """Write ``files`` into ``folder/<PACKAGE>/`` and return ruff's I001 findings."""
    package = folder / PACKAGE
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    for name, text in files.items():
        (package / name).write_text(text, encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--no-cache",
            "--config",
            str(FIXTURES / "ruff-generated.toml"),
            "--select",
            "I",
            "--output-format",
            "concise",
            PACKAGE,
        ],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode in (0, 1), result.stderr
    return result.stdout if result.returncode else ""


def _module_text(imports: ImportSet) -> str:
    return '"""Doc."""\n\n' + "\n".join(imports.lines()) + "\n"


def test_groups_and_order() -> None:
    imports = ImportSet(PACKAGE)
    imports.add("..models.x", "B", "A")
    imports.add("typing", "cast", "Any", "TYPE_CHECKING")
    imports.add("httpx")
    imports.add("__future__", "annotations")
    imports.add("pytest")
    imports.add(f"{PACKAGE}.models", "M")
    imports.add("._support", "Exchange")
    imports.add(".", "_runtime")
    imports.add("asyncio")
    imports.add("dataclasses", "field", "dataclass")
    assert imports.lines() == [
        "from __future__ import annotations",
        "",
        "import asyncio",
        "from dataclasses import dataclass, field",
        "from typing import TYPE_CHECKING, Any, cast",
        "",
        "import httpx",
        "import pytest",
        "",
        f"from {PACKAGE}.models import M",
        "",
        "from ..models.x import A, B",
        "from . import _runtime",
        "from ._support import Exchange",
    ]


def test_long_from_import_is_wrapped() -> None:
    imports = ImportSet()
    imports.add("..models.bulk_v2_query", *FROM_POOL["..models.bulk_v2_query"])
    lines = imports.lines()
    assert lines[0] == "from ..models.bulk_v2_query import ("
    assert lines[-1] == ")"
    assert all(line.startswith("    ") and line.endswith(",") for line in lines[1:-1])


def test_duplicates_collapse() -> None:
    imports = ImportSet()
    imports.add("typing", "Any")
    imports.add("typing", "Any", "cast")
    imports.add("json")
    imports.add("json")
    assert imports.lines() == ["import json", "from typing import Any, cast"]


def test_random_import_sets_are_ruff_sorted_and_black_stable(tmp_path: Path) -> None:
    rng = random.Random(20260101)
    files: dict[str, str] = {}
    for index in range(150):
        text = _module_text(_random_set(rng))
        assert black.format_str(text, mode=black.Mode(line_length=88)) == text
        files[f"m{index:03d}.py"] = text
    problems = _ruff_sort_problems(tmp_path, files)
    assert not problems, problems


def test_ruff_check_can_fail(tmp_path: Path) -> None:
    """The ruff helper above really reports unsorted imports."""
    problems = _ruff_sort_problems(tmp_path, {"bad.py": "import os\nimport json\n"})
    assert "I001" in problems


def test_any_standard_library_module_is_grouped_as_such(tmp_path: Path) -> None:
    imports = ImportSet(PACKAGE)
    imports.add("__future__", "annotations")
    imports.add("re")
    imports.add("decimal", "Decimal")
    imports.add("httpx")
    problems = _ruff_sort_problems(tmp_path, {"m.py": _module_text(imports)})
    assert not problems, problems


@pytest.mark.parametrize(
    "names",
    [
        ["AddATaskToAFileRequest", "AddAnCommentToAFileRequest"],
        ["Course3Today14DaysRequest", "Course3Today2DaysRequest"],
    ],
    ids=["case", "numbers"],
)
def test_names_in_ruffs_order(names: list[str], tmp_path: Path) -> None:
    imports = ImportSet(PACKAGE)
    imports.add("..models.things", *names)
    problems = _ruff_sort_problems(tmp_path, {"m.py": _module_text(imports)})
    assert not problems, problems
