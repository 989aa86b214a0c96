"""pmgen's own hash names the versions of black and jinja2 as importlib.metadata
does, without importing it when a ``.dist-info`` folder answers."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SHARED_DIR

from generator.render.keys import library_version

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", ["black", "jinja2", "Jinja2", "PyYAML", "pytest"])
def test_installed_versions_are_importlib_metadatas(name: str) -> None:
    assert library_version(name) == importlib.metadata.version(name)


def _dist_info(folder: Path, name: str, metadata: str) -> None:
    info = folder / name
    info.mkdir(parents=True)
    (info / "METADATA").write_text(metadata, encoding="utf-8")


def test_a_dist_info_folder_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _dist_info(tmp_path, "Some_Lib-1.2.dist-info", "Name: Some-Lib\nVersion: 1.2\n")
    monkeypatch.setattr(sys, "path", [str(tmp_path / "missing"), str(tmp_path)])
    assert library_version("some-lib") == importlib.metadata.version("some-lib")
    assert library_version("some-lib") == "1.2"
    assert library_version("not-installed-anywhere") == "?"


def test_unusual_cases_are_left_to_importlib_metadata(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _dist_info(tmp_path, "twice-1.0.dist-info", "Name: twice\nVersion: 1.0\n")
    _dist_info(tmp_path, "twice-2.0.dist-info", "Name: twice\nVersion: 2.0\n")
    _dist_info(tmp_path, "folded-1.0.dist-info", "Name: folded\nVersion: 1.0\n x\n")
    monkeypatch.setattr(sys, "path", [str(tmp_path)])
    assert library_version("twice") == importlib.metadata.version("twice")
    assert library_version("folded") == importlib.metadata.version("folded")


def test_a_no_op_run_does_not_import_importlib_metadata(tmp_path: Path) -> None:
    source = SHARED_DIR / "bench" / "synthetic-100.postman_collection.json"
    out, cache = tmp_path / "out", tmp_path / "cache"
    code = (
        "import sys\n"
        "from generator.cli import main\n"
        "code = main(sys.argv[1:])\n"
        "print('importlib.metadata' in sys.modules)\n"
        "raise SystemExit(code)\n"
    )
    command = [sys.executable, "-c", code, "-q", "generate", str(source)]
    command += ["-o", str(out), "--cache-dir", str(cache)]
    first = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    again = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert again.stdout.split() == ["False"]
