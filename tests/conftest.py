"""Shared fixtures of the generator's test suite.

Paths of the repository, the shared data folder next to it, the golden cases, and a
session-wide folder holding every generated package under test (the committed
``generated/salesforce_bulk_v2`` and each golden ``expected/`` tree), built once.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir

REPO_ROOT = Path(__file__).resolve().parents[1]
# pmgen's cache (see generator/incremental.py) never outlives a test session, and the
# tests never read or fill the user's own (~/.cache/pmgen).
os.environ["PMGEN_CACHE_DIR"] = tempfile.mkdtemp(prefix="pmgen-cache-")
SHARED_DIR = REPO_ROOT.parent / "shared"
GOLDEN_DIR = REPO_ROOT / "tests" / "golden"
FIXTURES_DIR = REPO_ROOT / "tests" / "fixtures"
# Lines tests want shown after the run (the corpus sweep's table of figures).
SUMMARY_LINES: list[str] = []
SALESFORCE_COLLECTION = (
    REPO_ROOT / "collections" / "salesforce-bulk-v2.postman_collection.json"
)
SALESFORCE_PACKAGE = "salesforce_bulk_v2"
GENERATED_SALESFORCE = REPO_ROOT / "generated" / SALESFORCE_PACKAGE

for _path in (REPO_ROOT, REPO_ROOT / "scripts"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

# Hypothesis keeps no example database, writes nothing into the repository, and
# explores the same examples on every run (a failure always reproduces).
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "pmgen-tests-hypothesis")
settings.register_profile("pmgen", database=None, deadline=None, derandomize=True)
settings.load_profile("pmgen")

# The golden trees hold generated packages with their own tests; they are run in a
# subprocess by test_generated_package.py, never collected here.
collect_ignore = ["golden"]

from regen_goldens import case_dirs, case_package  # noqa: E402

GOLDEN_CASES = [case.name for case in case_dirs()]


@dataclass(frozen=True)
class PackageUnderTest:
    """One generated package copied into the session folder."""

    name: str  # the import name
    label: str  # "generated" or the golden case name
    path: Path  # <session folder>/<name>


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with an empty pmgen cache of its own."""
    monkeypatch.setenv("PMGEN_CACHE_DIR", str(tmp_path / "pmgen-cache"))


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository root (where pyproject.toml is)."""
    return REPO_ROOT


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared read-only data folder next to the repository (skips without it)."""
    if not SHARED_DIR.is_dir():
        pytest.skip(f"shared data not found at {SHARED_DIR}")
    return SHARED_DIR


@pytest.fixture(scope="session")
def salesforce_collection() -> Path:
    """The main input of the repository."""
    return SALESFORCE_COLLECTION


@pytest.fixture(scope="session")
def packages_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a copy of every generated package under test, side by side
    (so one PYTHONPATH entry and one mypy run cover all of them)."""
    root = tmp_path_factory.mktemp("packages")
    shutil.copytree(GENERATED_SALESFORCE, root / SALESFORCE_PACKAGE)
    for case in GOLDEN_CASES:
        name = case_package(GOLDEN_DIR / case)
        assert not (root / name).exists(), f"two packages named {name}"
        shutil.copytree(GOLDEN_DIR / case / "expected", root / name)
    return root


@pytest.fixture(scope="session")
def packages(packages_dir: Path) -> dict[str, PackageUnderTest]:
    """Every package under test by label ("generated" or the golden case name)."""
    found = {
        "generated": PackageUnderTest(
            SALESFORCE_PACKAGE, "generated", packages_dir / SALESFORCE_PACKAGE
        )
    }
    for case in GOLDEN_CASES:
        name = case_package(GOLDEN_DIR / case)
        found[case] = PackageUnderTest(name, case, packages_dir / name)
    return found


def run_python(
    args: list[str],
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    """Run the test interpreter with ``args``; the repository is importable."""
    full_env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    full_env["PYTHONPATH"] = os.pathsep.join(
        [str(REPO_ROOT), *filter(None, [full_env.get("PYTHONPATH")])]
    )
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="session")
def pmgen() -> Callable[..., subprocess.CompletedProcess[str]]:
    """``pmgen(*args, cwd=...)``: run ``python -m generator`` in a subprocess."""

    def run(
        *args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return run_python(
            ["-m", "generator", *map(str, args)], cwd=cwd or REPO_ROOT, env=env
        )

    return run


@pytest.fixture
def chdir_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Run the test with ``tmp_path`` as the working directory (no project config)."""
    monkeypatch.chdir(tmp_path)
    yield tmp_path


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (relative posix path → bytes), caches excluded."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print what tests left in ``SUMMARY_LINES`` (figures, not pass/fail)."""
    if SUMMARY_LINES:
        terminalreporter.write_sep("=", "figures")
        for line in SUMMARY_LINES:
            terminalreporter.write_line(line)
