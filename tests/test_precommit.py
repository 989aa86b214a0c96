"""The ``pmgen-check`` pre-commit hook (``.pre-commit-hooks.yaml``).

The manifest is checked with pre-commit's own validator, then the hook is run the way
a consumer runs it: ``pre-commit try-repo`` on this checkout, in a fresh git project
whose generated client is current (the hook passes) and then stale (it fails and says
how to fix it). pre-commit installs pmgen into its own environment from this checkout
(the committed state plus tracked changes).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import GOLDEN_DIR, REPO_ROOT

from generator.build import generate_for_build

MANIFEST = REPO_ROOT / ".pre-commit-hooks.yaml"


def _run(args: list[str], cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        {
            "PRE_COMMIT_HOME": str(home / "pre-commit"),  # a fresh hook environment
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.com",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.com",
        }
    )
    return subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )


def test_manifest_is_valid_and_defines_pmgen_check(tmp_path: Path) -> None:
    result = _run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", str(MANIFEST)],
        REPO_ROOT,
        tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (hook,) = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert hook["id"] == "pmgen-check"
    assert hook["entry"] == "pmgen check"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    for name in ("api.postman_collection.json", "pmgen.yaml", "pyproject.toml"):
        assert files.search(name), name
    assert not files.search("client.py")


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_try_repo_passes_when_current_and_fails_when_stale(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(GOLDEN_DIR / "v20-format" / "collection.json", project / "notes.json")
    (project / "pyproject.toml").write_text(
        '[tool.pmgen]\ncollection = "notes.json"\noutput = "notes_client"\n'
        'package_name = "notes_client"\n',
        encoding="utf-8",
    )
    generate_for_build(project)
    home = tmp_path / "home"
    home.mkdir()
    for command in (["git", "init", "-q"], ["git", "add", "-A"]):
        assert _run(command, project, home).returncode == 0
    assert _run(["git", "commit", "-qm", "init"], project, home).returncode == 0
    try_repo = [
        sys.executable,
        "-m",
        "pre_commit",
        "try-repo",
        str(REPO_ROOT),
        "pmgen-check",
        "--all-files",
    ]
    current = _run(try_repo, project, home)
    assert current.returncode == 0, current.stdout[-3000:] + current.stderr[-3000:]
    assert "pmgen check" in current.stdout and "Passed" in current.stdout

    collection = project / "notes.json"
    collection.write_text(
        collection.read_text(encoding="utf-8").replace(
            '"name": "List notes"', '"name": "List all notes"'
        ),
        encoding="utf-8",
    )
    stale = _run(try_repo, project, home)
    assert stale.returncode == 1, stale.stdout[-3000:] + stale.stderr[-3000:]
    assert "Failed" in stale.stdout
    assert "notes_client is stale; run: pmgen generate" in stale.stdout
    assert "list_all_notes" in stale.stdout
