"""The corpus sweep: every collection of ``../shared/corpus`` through every gate.

For each of the 22 real third-party collections: generate the package (in a process
pool), check that every request became a method or is named in a diagnostic, that
every Python file compiles and is a black fixed point, that every module imports,
that ``mypy --strict`` passes on all packages (one run), and that each package's own
generated tests pass. The table of figures is printed at the end of the session
(``file, requests, methods, diagnostics, mypy, tests``). Skipped without ``../shared``.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import black
import pytest
from conftest import FIXTURES_DIR, SHARED_DIR, SUMMARY_LINES, run_python

from generator.config import ClientConfig
from generator.pipeline import build, render_files
from generator.writer import write_tree

CORPUS = SHARED_DIR / "corpus"
MODE = black.Mode(line_length=88)
COLLECTIONS: list[str] = sorted(
    p.name.removesuffix(".postman_collection.json")
    for p in CORPUS.glob("*.postman_collection.json")
)
WORKERS = max(2, min(4, os.cpu_count() or 2))


def package_name(name: str) -> str:
    return "corpus_" + name.replace("-", "_")


@dataclass
class Swept:
    """What one collection gave."""

    name: str
    requests: int  # items with a request, counted from the raw JSON
    methods: int
    diagnostics: list[str]
    skipped: list[str]  # items without a method, each with its reason
    seconds: float
    not_fixed_point: list[str] = field(default_factory=list)
    mypy: list[str] = field(default_factory=list)
    tests: str = ""
    tests_ok: bool = False


def count_requests(path: Path) -> int:
    """Items with a request, by walking the JSON (independent of pmgen's loader)."""

    def walk(items: Any) -> int:
        total = 0
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict):
                total += walk(item.get("item")) + ("request" in item)
        return total

    return walk(json.loads(path.read_text(encoding="utf-8")).get("item"))


def sweep_one(name: str, out: str) -> Swept:
    """Generate one collection into ``out`` (runs in a worker process)."""
    started = time.perf_counter()
    path = CORPUS / f"{name}.postman_collection.json"
    spec, diagnostics = build(path, ClientConfig(package_name=package_name(name)))
    files = render_files(spec)
    write_tree(Path(out) / package_name(name), files)
    unstable = [
        p
        for p, text in sorted(files.items())
        if p.endswith(".py") and black.format_str(text, mode=MODE) != text
    ]
    for p, text in files.items():
        if p.endswith(".py"):
            compile(text, p, "exec", dont_inherit=True)
    return Swept(
        name=name,
        requests=count_requests(path),
        methods=sum(1 for _ in spec.iter_operations()),
        diagnostics=[str(d) for d in diagnostics],
        skipped=[str(d) for d in diagnostics if "no method" in d.message],
        seconds=time.perf_counter() - started,
        not_fixed_point=unstable,
    )


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    return tmp_path_factory.mktemp("corpus")


@pytest.fixture(scope="session")
def swept(corpus_dir: Path) -> Iterator[dict[str, Swept]]:
    """Every collection generated (largest first, so the pool finishes evenly)."""
    by_size = sorted(
        COLLECTIONS,
        key=lambda n: -(CORPUS / f"{n}.postman_collection.json").stat().st_size,
    )
    with ProcessPoolExecutor(max_workers=WORKERS) as pool:
        results = list(pool.map(sweep_one, by_size, [str(corpus_dir)] * len(by_size)))
    report = {r.name: r for r in results}
    yield report
    print_table(report)


def print_table(report: dict[str, Swept]) -> None:
    rows = [
        "| file | requests | methods | diagnostics | mypy errors | tests |",
        "|---|---|---|---|---|---|",
    ]
    totals = [0, 0, 0, 0]
    for name in sorted(report):
        r = report[name]
        rows.append(
            f"| {name} | {r.requests} | {r.methods} | {len(r.diagnostics)} |"
            f" {len(r.mypy)} | {r.tests or '-'} |"
        )
        for i, value in enumerate(
            (r.requests, r.methods, len(r.diagnostics), len(r.mypy))
        ):
            totals[i] += value
    rows.append(
        f"| **total** | {totals[0]} | {totals[1]} | {totals[2]} | {totals[3]} | |"
    )
    SUMMARY_LINES.extend(["Corpus sweep (../shared/corpus)", *rows])


@pytest.fixture(scope="session")
def corpus_mypy(
    swept: dict[str, Swept], corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Swept]:
    """One ``mypy --strict`` run over every package; errors filed by package."""
    names = [package_name(n) for n in COLLECTIONS]
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
        timeout=1800,
    )
    assert result.returncode in (0, 1), result.stdout[-3000:] + result.stderr[-3000:]
    by_package = {package_name(n): n for n in COLLECTIONS}
    for line in result.stdout.splitlines():
        match = re.match(r"(corpus_\w+)[/\\].*?:\d+: error:", line)
        if match:
            swept[by_package[match.group(1)]].mypy.append(line)
    return swept


def run_package_tests(name: str, corpus_dir: Path) -> tuple[str, str, bool]:
    result = run_python(
        ["-m", "pytest", "-q", "-p", "no:cacheprovider", f"{package_name(name)}/tests"],
        cwd=corpus_dir,
        env={"PYTHONPATH": str(corpus_dir)},
        timeout=900,
    )
    last = (result.stdout.strip().splitlines() or [""])[-1]
    summary = re.sub(r"\s*in [\d.]+s.*$", "", last.strip("= "))
    detail = "" if result.returncode == 0 else result.stdout[-4000:]
    return summary, detail, result.returncode == 0


@pytest.fixture(scope="session")
def corpus_tests(swept: dict[str, Swept], corpus_dir: Path) -> dict[str, str]:
    """Each package's own generated tests (subprocesses, a few at a time)."""
    details: dict[str, str] = {}
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        runs = pool.map(lambda n: (n, run_package_tests(n, corpus_dir)), COLLECTIONS)
        for name, (summary, detail, ok) in runs:
            swept[name].tests, swept[name].tests_ok = summary, ok
            details[name] = detail
    return details


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
def corpus_imports(swept: dict[str, Swept], corpus_dir: Path) -> dict[str, list[str]]:
    """Import every module of every package (one subprocess); failures by package."""
    names = [package_name(name) for name in COLLECTIONS]
    result = run_python(
        ["-c", IMPORT_ALL, *names],
        cwd=corpus_dir,
        env={"PYTHONPATH": str(corpus_dir)},
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    failures: dict[str, list[str]] = json.loads(result.stdout)
    return failures


@pytest.mark.parametrize("name", COLLECTIONS)
def test_every_module_imports(name: str, corpus_imports: dict[str, list[str]]) -> None:
    failures = corpus_imports.get(package_name(name), [])
    assert not failures, "\n".join(failures[:10])


def test_corpus_is_there() -> None:
    if CORPUS.is_dir():
        assert len(COLLECTIONS) >= 22, COLLECTIONS


@pytest.mark.parametrize("name", COLLECTIONS)
def test_every_request_is_a_method_or_diagnosed(
    name: str, swept: dict[str, Swept]
) -> None:
    r = swept[name]
    assert r.methods + len(r.skipped) == r.requests, (r.methods, r.skipped)
    # The target: every request of the corpus becomes a method.
    assert r.methods == r.requests, "\n".join(r.skipped)


@pytest.mark.parametrize("name", COLLECTIONS)
def test_black_fixed_point(name: str, swept: dict[str, Swept]) -> None:
    assert not swept[name].not_fixed_point, swept[name].not_fixed_point


@pytest.mark.parametrize("name", COLLECTIONS)
def test_mypy_strict(name: str, corpus_mypy: dict[str, Swept]) -> None:
    errors = corpus_mypy[name].mypy
    assert not errors, "\n".join(errors[:20])


@pytest.mark.parametrize("name", COLLECTIONS)
def test_generated_tests_pass(
    name: str, swept: dict[str, Swept], corpus_tests: dict[str, str]
) -> None:
    assert swept[name].tests_ok, corpus_tests[name]
