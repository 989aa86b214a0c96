"""Quality gates on generated packages: the committed Salesforce client and every
golden ``expected/`` tree. Each must be black-stable, compile, be ruff and
``mypy --strict`` clean, and pass its own generated tests.

Everything runs on copies in one session folder (see ``conftest.packages_dir``).
"""

from __future__ import annotations

import re
from pathlib import Path

import black
import pytest
from conftest import FIXTURES_DIR, GOLDEN_CASES, PackageUnderTest, run_python

LABELS = ["generated", *GOLDEN_CASES]
BLACK_MODE = black.Mode(line_length=88)


def python_files(package: PackageUnderTest) -> list[Path]:
    return sorted(p for p in package.path.rglob("*.py") if "__pycache__" not in p.parts)


def test_every_package_has_python_files(packages: dict[str, PackageUnderTest]) -> None:
    assert set(packages) == set(LABELS)
    for package in packages.values():
        names = {p.relative_to(package.path).as_posix() for p in python_files(package)}
        assert {"__init__.py", "client.py", "tests/_clients.py"} <= names, package
        assert (package.path / "py.typed").is_file()


@pytest.mark.parametrize("label", LABELS)
def test_black_fixed_point(label: str, packages: dict[str, PackageUnderTest]) -> None:
    package = packages[label]
    unstable = []
    for path in python_files(package):
        text = path.read_text(encoding="utf-8")
        formatted = black.format_str(text, mode=BLACK_MODE)
        if formatted != text:
            unstable.append(path.relative_to(package.path).as_posix())
    assert not unstable, f"black would reformat in {package.name}: {unstable}"


@pytest.mark.parametrize("label", LABELS)
def test_compiles(label: str, packages: dict[str, PackageUnderTest]) -> None:
    package = packages[label]
    for path in python_files(package):
        compile(path.read_bytes(), str(path), "exec", dont_inherit=True)


@pytest.mark.parametrize("label", LABELS)
def test_ruff_clean(label: str, packages: dict[str, PackageUnderTest]) -> None:
    package = packages[label]
    result = run_python(
        [
            "-m",
            "ruff",
            "check",
            "--no-cache",
            "--config",
            str(FIXTURES_DIR / "ruff-generated.toml"),
            "--output-format",
            "concise",
            package.name,
        ],
        cwd=package.path.parent,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="session")
def mypy_report(
    packages: dict[str, PackageUnderTest],
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, list[str]]:
    """One ``mypy --strict`` run over every package; error lines by package name."""
    parent = next(iter(packages.values())).path.parent
    names = sorted(p.name for p in packages.values())
    result = run_python(
        [
            "-m",
            "mypy",
            "--strict",
            "--config-file",
            str(FIXTURES_DIR / "mypy-generated.ini"),
            "--cache-dir",
            str(tmp_path_factory.mktemp("mypy-cache")),
            "--no-color-output",
            *names,
        ],
        cwd=parent,
        env={"MYPYPATH": str(parent)},
    )
    assert result.returncode in (0, 1), result.stdout + result.stderr
    report: dict[str, list[str]] = {name: [] for name in names}
    for line in result.stdout.splitlines():
        match = re.match(r"([A-Za-z_0-9]+)[/\\].*?:\d+: error:", line)
        if match:
            report.setdefault(match.group(1), []).append(line)
    if result.returncode == 1:
        assert any(report.values()), result.stdout + result.stderr
    return report


@pytest.mark.parametrize("label", LABELS)
def test_mypy_strict_clean(
    label: str,
    packages: dict[str, PackageUnderTest],
    mypy_report: dict[str, list[str]],
) -> None:
    errors = mypy_report[packages[label].name]
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("label", LABELS)
def test_generated_tests_pass(
    label: str, packages: dict[str, PackageUnderTest]
) -> None:
    package = packages[label]
    result = run_python(
        ["-m", "pytest", "-q", "-p", "no:cacheprovider", f"{package.name}/tests"],
        cwd=package.path.parent,
        env={"PYTHONPATH": str(package.path.parent)},
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert re.search(r"\d+ passed", result.stdout), result.stdout


def _readme_example(package: PackageUnderTest) -> str:
    readme = (package.path / "README.md").read_text(encoding="utf-8")
    match = re.search(r"## Use\n+```python\n(.*?)```", readme, re.DOTALL)
    assert match, "README has no usage example"
    return match.group(1)


@pytest.mark.parametrize("label", LABELS)
def test_readme_example_constructs_a_client(
    label: str, packages: dict[str, PackageUnderTest]
) -> None:
    """The README's first example runs as written (with its environment variables
    set and ``...`` as the body of the ``with`` block): no network is used."""
    package = packages[label]
    example = _readme_example(package)
    variables = set(re.findall(r"os\.environ\[\"([A-Z0-9_]+)\"\]", example))
    result = run_python(
        ["-c", example],
        cwd=package.path.parent,
        env={
            "PYTHONPATH": str(package.path.parent),
            **dict.fromkeys(variables, "dummy-value"),
        },
    )
    assert result.returncode == 0, example + "\n" + result.stderr[-2000:]


def test_gates_can_fail(tmp_path: Path) -> None:
    """The helpers above really detect problems (guards against vacuous gates)."""
    text = "x = {'a':1}\n"
    assert black.format_str(text, mode=BLACK_MODE) != text
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "__init__.py").write_text("import os\n", encoding="utf-8")
    result = run_python(
        [
            "-m",
            "ruff",
            "check",
            "--no-cache",
            "--config",
            str(FIXTURES_DIR / "ruff-generated.toml"),
            "bad",
        ],
        cwd=tmp_path,
    )
    assert result.returncode == 1 and "F401" in result.stdout
