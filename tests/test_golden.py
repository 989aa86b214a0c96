"""Golden trees: the generator's whole output, compared byte for byte.

Each case in ``tests/golden/<case>/`` is rendered in memory (``build`` +
``render_files``) and compared with its ``expected/`` tree; the committed
``generated/salesforce_bulk_v2`` is the main golden. After an intended change of the
output, regenerate with ``python scripts/regen_goldens.py`` and review the diff.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from conftest import (
    GENERATED_SALESFORCE,
    GOLDEN_CASES,
    GOLDEN_DIR,
    REPO_ROOT,
    SALESFORCE_COLLECTION,
    SALESFORCE_PACKAGE,
    tree_bytes,
)
from regen_goldens import REGENERATE, case_collection, case_config, render_case

from generator.config import load_clients
from generator.pipeline import build, render_files
from generator.writer import write_tree


def tree_report(expected_dir: Path, files: dict[str, str], regenerate: str) -> str:
    """Empty when ``files`` equals the tree at ``expected_dir``, else a readable diff."""
    on_disk = tree_bytes(expected_dir)
    rendered = {path: text.encode("utf-8") for path, text in files.items()}
    lines: list[str] = []
    for path in sorted(set(on_disk) - set(rendered)):
        lines.append(f"only in {expected_dir}: {path} (no longer generated)")
    for path in sorted(set(rendered) - set(on_disk)):
        lines.append(f"missing from {expected_dir}: {path} (newly generated)")
    for path in sorted(set(on_disk) & set(rendered)):
        if on_disk[path] == rendered[path]:
            continue
        old = on_disk[path].decode("utf-8", errors="replace").splitlines(True)
        new = rendered[path].decode("utf-8", errors="replace").splitlines(True)
        diff = list(
            difflib.unified_diff(old, new, f"expected/{path}", f"rendered/{path}", n=2)
        )
        if not diff:  # same text, different bytes (line endings, encoding)
            diff = [f"{path}: same lines, different bytes\n"]
        lines.append("".join(diff[:200]).rstrip("\n"))
    if not lines:
        return ""
    return "\n".join([*lines, "", f"To accept the new output, run: {regenerate}"])


def test_there_are_golden_cases() -> None:
    assert {
        "auth-and-params",
        "auth-types",
        "auth-types-v20",
        "naming-edge-cases",
        "v20-format",
    } <= set(GOLDEN_CASES)
    for case in GOLDEN_CASES:
        assert (GOLDEN_DIR / case / "expected" / "__init__.py").is_file(), case


@pytest.mark.parametrize("case", GOLDEN_CASES)
def test_golden_case(case: str, tmp_path: Path) -> None:
    case_dir = GOLDEN_DIR / case
    _package, files = render_case(case_dir)
    report = tree_report(case_dir / "expected", files, REGENERATE)
    assert not report, f"golden case {case!r} differs:\n{report}"
    # What the writer puts on disk is exactly what was rendered.
    write_tree(tmp_path / "out", files)
    assert tree_bytes(tmp_path / "out") == tree_bytes(case_dir / "expected")


@pytest.mark.parametrize("case", GOLDEN_CASES)
def test_golden_render_without_helper(case: str) -> None:
    """The regeneration script renders exactly what the pipeline API gives."""
    case_dir = GOLDEN_DIR / case
    config = case_config(case_dir)
    spec, _ = build(case_collection(case_dir), config)
    if config.package_name:
        assert spec.package == config.package_name
    assert render_files(spec, format_code=config.format) == render_case(case_dir)[1]


def test_committed_salesforce_client_is_current() -> None:
    """The main golden: generated/ as [tool.pmgen] in pyproject.toml configures it."""
    [config] = [
        c
        for c in load_clients(REPO_ROOT / "pyproject.toml")
        if c.collection is not None and c.collection.resolve() == SALESFORCE_COLLECTION
    ]
    assert config.package_name == SALESFORCE_PACKAGE
    assert config.output is not None
    assert config.output.resolve() == GENERATED_SALESFORCE
    spec, _diagnostics = build(SALESFORCE_COLLECTION, config)
    assert spec.package == SALESFORCE_PACKAGE
    files = render_files(spec, format_code=config.format)
    regenerate = (
        "python -m generator generate "
        "collections/salesforce-bulk-v2.postman_collection.json "
        "(or python scripts/regen_goldens.py)"
    )
    report = tree_report(GENERATED_SALESFORCE, files, regenerate)
    assert not report, f"generated/{SALESFORCE_PACKAGE} is stale:\n{report}"


def test_tree_report_shows_a_diff_and_the_command(tmp_path: Path) -> None:
    """The failure message itself: a unified diff, missing/extra files, the command."""
    write_tree(tmp_path / "t", {"a.py": "x = 1\n", "gone.py": ""})
    report = tree_report(
        tmp_path / "t", {"a.py": "x = 2\n", "new.py": ""}, "python scripts/x.py"
    )
    assert "-x = 1" in report and "+x = 2" in report
    assert "gone.py (no longer generated)" in report
    assert "new.py (newly generated)" in report
    assert report.endswith("run: python scripts/x.py")
    assert tree_report(tmp_path / "t", {"a.py": "x = 1\n", "gone.py": ""}, "") == ""


def test_golden_inputs_exercise_what_they_claim() -> None:
    """Guards the fixtures themselves, so a later edit cannot hollow a case out."""
    auth = (GOLDEN_DIR / "auth-and-params" / "collection.json").read_text("utf-8")
    for needle in ('"noauth"', '"apikey"', '"in", "value": "query"', '"urlencoded"'):
        assert needle in auth
    assert '"disabled": true' in auth and '"variable": [' in auth
    names = (GOLDEN_DIR / "naming-edge-cases" / "collection.json").read_text("utf-8")
    for needle in ('"class"', '"import"', '"123 go"', "Ünïcode ☃", '"close"'):
        assert needle in names
    kinds = ("oauth2", "digest", "oauth1", "hawk", "awsv4", "apikey", "ntlm")
    for case, shape in (("auth-types", '": ['), ("auth-types-v20", '": {')):
        types = (GOLDEN_DIR / case / "collection.json").read_text("utf-8")
        for kind in (*kinds, "edgegrid", "noauth"):
            assert f'"type": "{kind}"' in types, (case, kind)
        for kind in kinds:  # the v2.1 list shape, or the v2.0 object shape
            assert f'"{kind}{shape}' in types, (case, kind)
        for value in ("client_credentials", "password_credentials", "queryParams"):
            assert f'"{value}"' in types, (case, value)
    v20 = (GOLDEN_DIR / "v20-format" / "collection.json").read_text("utf-8")
    assert "collection/v2.0.0/collection.json" in v20
    assert '"bearer": {"token": "{{token}}"}' in v20
    assert '"code": 404' in v20
