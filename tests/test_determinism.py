"""The output does not depend on hash randomisation (set/dict iteration order)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import GOLDEN_DIR, SALESFORCE_COLLECTION, tree_bytes

Pmgen = Callable[..., subprocess.CompletedProcess[str]]


@pytest.mark.parametrize(
    "collection",
    [SALESFORCE_COLLECTION, GOLDEN_DIR / "auth-and-params" / "collection.json"],
    ids=["salesforce", "auth-and-params"],
)
def test_same_output_with_different_hash_seeds(
    collection: Path, tmp_path: Path, pmgen: Pmgen
) -> None:
    trees = []
    for seed in ("1", "2"):
        out = tmp_path / f"seed{seed}" / "pkg"
        result = pmgen(
            "-q",
            "generate",
            collection,
            "-o",
            out,
            cwd=tmp_path,
            env={"PYTHONHASHSEED": seed},
        )
        assert result.returncode == 0, result.stderr
        trees.append(tree_bytes(out))
    assert trees[0], "nothing was generated"
    assert trees[0].keys() == trees[1].keys()
    differing = [path for path in trees[0] if trees[0][path] != trees[1][path]]
    assert not differing, f"output depends on PYTHONHASHSEED: {differing}"


def test_spec_yaml_is_deterministic(tmp_path: Path, pmgen: Pmgen) -> None:
    texts = []
    for seed in ("1", "3"):
        out = tmp_path / f"spec{seed}.yaml"
        result = pmgen(
            "-q",
            "spec",
            SALESFORCE_COLLECTION,
            "-o",
            out,
            cwd=tmp_path,
            env={"PYTHONHASHSEED": seed},
        )
        assert result.returncode == 0, result.stderr
        texts.append(out.read_bytes())
    assert texts[0] == texts[1]
