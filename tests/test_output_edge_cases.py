"""Small synthetic collections that push the generator to its edges (long names,
odd literals, quotes, nulls, models shared across folders...). Each is generated
and put through the same gates as the golden packages: black fixed point (and
``compile``), ``mypy --strict`` (one run for all cases) and the package's own
generated tests."""

from __future__ import annotations

import ast
import json
import re
import subprocess
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import black
import pytest
from conftest import FIXTURES_DIR, run_python

from generator.pipeline import render_files
from generator.postman.load import collection_from_dict
from generator.spec.build import build_spec
from generator.writer import write_tree

MODE = black.Mode(line_length=88)
SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"


def example(body: object, code: int = 200) -> dict[str, Any]:
    return {
        "name": f"Example {code}",
        "originalRequest": {"method": "GET", "url": "https://api.example.test/"},
        "code": code,
        "status": "OK",
        "header": [{"key": "Content-Type", "value": "application/json"}],
        "body": json.dumps(body),
        "_postman_previewlanguage": "json",
    }


def request(
    name: str,
    *,
    method: str | None = None,
    path: str = "/a",
    body: object = None,
    headers: tuple[dict[str, Any], ...] = (),
    description: str = "",
    examples: tuple[dict[str, Any], ...] = (),
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "method": method or ("POST" if body is not None else "GET"),
        "url": "https://api.example.test" + path,
        "header": [dict(h) for h in headers],
        "description": description,
    }
    if body is not None:
        data["body"] = {
            "mode": "raw",
            "raw": json.dumps(body),
            "options": {"raw": {"language": "json"}},
        }
        data["header"].append({"key": "Content-Type", "value": "application/json"})
    return {"name": name, "request": data, "response": list(examples)}


def folder(name: str, *items: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "item": list(items)}


def header(key: str, value: str, *, disabled: bool = False) -> dict[str, Any]:
    return {"key": key, "value": value, "disabled": disabled}


LONG_A = "Very Long Folder Name Number One Of Many"
LONG_B = "Another Extremely Long Subfolder Name Here"

CASES: dict[str, Callable[[], list[dict[str, Any]]]] = {
    "plain": lambda: [
        folder(
            "Things",
            request("List things", headers=(header("Accept", "application/json"),)),
            request("Create thing", body={"name": "x", "size": 2, "tags": ["a"]}),
        )
    ],
    "long-strings": lambda: [
        folder(
            "Docs",
            request(
                "Create document",
                body={"text": "lorem ipsum " * 20, "nested": {"deep": ["y" * 95]}},
                headers=(header("X-Long", "v" * 120),),
                description="A description line that is long. " * 8,
            ),
        )
    ],
    "many-parameters": lambda: [
        folder(
            "Search",
            request(
                "Search",
                path="/search?"
                + "&".join(f"parameter_number_{i}={i}" for i in range(12)),
            ),
        )
    ],
    # `json=Do60Request(<key>=<key>, yy=yy),` at 12 spaces: several key lengths
    # put the one-line call just under and just over 88 columns.
    "json-keyword-argument-width": lambda: [
        folder(
            "Jobs",
            *(
                request(f"Do {n}", body={"x" * (n // 2 - 3): "v", "yy": "w"})
                for n in range(56, 80)
            ),
        )
    ],
    "long-folder-names": lambda: [folder(LONG_A, folder(LONG_B, request("Get")))],
    "float-exponent": lambda: [
        folder("Payments", request("Pay", body={"amount": 1e20, "id": 1}))
    ],
    "mixed-quotes": lambda: [
        folder("Talk", request("Say", body={"text": "O'Brien said \"hi\" 'twice'"}))
    ],
    "name-starting-with-a-quote": lambda: [
        folder("Reports", request('"Quoted" report'))
    ],
    "name-with-a-leading-control-character": lambda: [
        folder("Things", request("\x07\tGet thing"))
    ],
    "datetime-in-request-body": lambda: [
        folder(
            "Tasks",
            request(
                "Create task",
                body={"title": "x", "dueDate": "2020-12-20T10:00:00.000Z"},
            ),
        )
    ],
    "null-in-request-body": lambda: [
        folder(
            "Files",
            request(
                "Disable shared link",
                method="PUT",
                path="/files/1",
                body={"shared_link": None, "name": "f"},
            ),
        )
    ],
    "empty-object-in-one-example": lambda: [
        folder(
            "Echoes",
            request(
                "Get echo",
                path="/get",
                examples=(example({"args": {"foo1": "a"}, "url": "u", "x": 1}),),
            ),
            request(
                "Patch echo",
                method="PATCH",
                path="/patch",
                examples=(example({"args": {}, "url": "u", "x": 2}),),
            ),
        )
    ],
    "model-named-like-its-folder": lambda: [
        folder(
            "Account",
            request(
                "Get account",
                examples=(example({"id": "a1", "name": "Acme", "owner": "005"}),),
            ),
        )
    ],
    "models-shared-across-folders": lambda: [
        folder(
            "First folder",
            request(
                "Get alpha",
                examples=(example({"k1": 1, "k2": 2, "k3": 3, "k4": 4}),),
            ),
        ),
        folder(
            "Second folder",
            request(
                "Get beta",
                path="/b",
                examples=(
                    example(
                        {
                            "y": {
                                "k1": 1,
                                "k2": 2,
                                "k3": 3,
                                "k4": 4,
                                "z": {"z1": 1, "z2": 2, "z3": 3},
                            },
                            "w": 1,
                        }
                    ),
                ),
            ),
        ),
    ],
    "folder-of-unsupported-requests": lambda: [
        folder(
            "Events",
            {
                "name": "Get events",
                "request": {
                    "method": "GET",
                    "url": "https://api.example.test/events",
                    "body": {"mode": "formdata", "formdata": []},
                },
            },
        ),
        folder("Users", request("Get user", path="/users/1")),
    ],
    "disabled-header-shadowing-a-default": lambda: [
        folder(
            "Api",
            *(
                request(
                    f"Get {i}",
                    path=f"/r{i}",
                    headers=(header("Authorization", "Bearer {{token}}"),),
                )
                for i in range(2)
            ),
            request(
                "Get token",
                method="POST",
                path="/oauth/token",
                headers=(header("Authorization", "Basic x", disabled=True),),
            ),
        )
    ],
}


def package_name(case: str) -> str:
    return "edge_" + case.replace("-", "_")


def render_case(case: str) -> dict[str, str]:
    data = {"info": {"name": case, "schema": SCHEMA}, "item": CASES[case]()}
    spec, _diagnostics = build_spec(collection_from_dict(data, f"{case}.json"))
    return render_files(replace(spec, package=package_name(case)))


@pytest.fixture(scope="session")
def edge_packages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every case generated into one folder (package ``edge_<case>``)."""
    root = tmp_path_factory.mktemp("edge")
    for case in CASES:
        write_tree(root / package_name(case), render_case(case))
    return root


@pytest.fixture(scope="session")
def edge_mypy(
    edge_packages: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, list[str]]:
    names = sorted(package_name(case) for case in CASES)
    result = run_python(
        [
            "-m",
            "mypy",
            "--config-file",
            str(FIXTURES_DIR / "mypy-generated.ini"),
            "--cache-dir",
            str(tmp_path_factory.mktemp("edge-mypy-cache")),
            "--no-color-output",
            *names,
        ],
        cwd=edge_packages,
        env={"MYPYPATH": str(edge_packages)},
    )
    assert result.returncode in (0, 1), result.stdout + result.stderr
    report: dict[str, list[str]] = {name: [] for name in names}
    for line in result.stdout.splitlines():
        match = re.match(r"(edge_\w+)[/\\].*?:\d+: error:", line)
        if match:
            report[match.group(1)].append(line)
    return report


@pytest.mark.parametrize("case", list(CASES))
def test_black_stable(case: str) -> None:
    files = render_case(case)
    assert any(path.startswith("resources/") for path in files)
    unstable = []
    for path, text in sorted(files.items()):
        if path.endswith(".py"):
            compile(text, path, "exec", dont_inherit=True)
            if black.format_str(text, mode=MODE) != text:
                unstable.append(path)
    assert not unstable, f"black would reformat: {unstable}"


@pytest.mark.parametrize("case", list(CASES))
def test_mypy_strict(case: str, edge_mypy: dict[str, list[str]]) -> None:
    errors = edge_mypy[package_name(case)]
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("case", list(CASES))
def test_generated_tests_pass(case: str, edge_packages: Path) -> None:
    name = package_name(case)
    result = run_python(
        ["-m", "pytest", "-q", "-p", "no:cacheprovider", f"{name}/tests"],
        cwd=edge_packages,
        env={"PYTHONPATH": str(edge_packages)},
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-1500:]
    assert re.search(r"\d+ passed", result.stdout), result.stdout


def test_every_case_has_a_resource_and_tests(edge_packages: Path) -> None:
    for case in CASES:
        tests = list((edge_packages / package_name(case) / "tests").glob("test_*.py"))
        assert tests, case


def test_lone_surrogate_in_a_name(tmp_path: Path, pmgen: Callable[..., Any]) -> None:
    source = tmp_path / "surrogate.json"
    data = {
        "info": {"name": "Surrogate \ud800", "schema": SCHEMA},
        "item": [request("Get \ud800 thing")],
    }
    source.write_text(json.dumps(data), encoding="utf-8")
    result: subprocess.CompletedProcess[str] = pmgen(
        "generate", source, "-o", tmp_path / "out" / "pkg", cwd=tmp_path
    )
    assert "Traceback" not in result.stderr
    assert result.returncode in (0, 2), result.stderr
    assert not [p for p in (tmp_path / "out").iterdir() if ".pmgen-" in p.name]


def test_a_credential_also_sent_in_a_header_is_one_argument() -> None:
    """A bearer token also put in a header by some request: the README's
    constructor call names it once, the docstring describes it once, and the
    argument is a text (a function would be formatted into the header as is)."""
    data = {
        "info": {"name": "Session", "schema": SCHEMA},
        "auth": {"type": "bearer", "bearer": [{"key": "token", "value": "{{token}}"}]},
        "item": [
            {
                "name": "Get",
                "request": {
                    "method": "GET",
                    "url": "https://api.example.test/a",
                    "header": [header("X-Session-Token", "{{token}}")],
                },
            }
        ],
    }
    spec, _diagnostics = build_spec(collection_from_dict(data, "session.json"))
    files = render_files(replace(spec, package="session"))
    readme = files["README.md"]
    call = next(line for line in readme.splitlines() if line.startswith("with Client("))
    parsed = ast.parse(call + "\n    pass")
    [item] = parsed.body[0].items  # type: ignore[attr-defined]
    names = [k.arg for k in item.context_expr.keywords]
    assert names == ["token"]
    client = files["client.py"]
    assert "        token: str,\n" in client
    assert client.count("        token: ") == 2 * 2  # docstring and signature, twice
