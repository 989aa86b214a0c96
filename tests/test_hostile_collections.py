"""Hostile collections cannot break out of the literals pmgen writes.

For collections full of hostile text (see ``hostile.py``), generation either
succeeds or stops with a clean ``InputError``; the output compiles, is black's fixed
point, every module imports (with ``sys.modules`` restored after), and has the structure of the code generated from
the collection's benign twin (the structure check is defined in ``hostile.py``).

Examples are few and small so this runs in seconds; ``PMGEN_HOSTILE_EXAMPLES=500``
runs a longer search (the same seed, so a failure reproduces).
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

import black
import pytest
from hostile import (
    Slots,
    collection,
    first_difference,
    signature,
    slots,
    tame,
)
from hypothesis import HealthCheck, given, settings

from generator.errors import InputError
from generator.pipeline import render_files
from generator.postman import collection_from_dict
from generator.spec.build import build_spec
from generator.writer import write_tree

MODE = black.Mode(line_length=88)
EXAMPLES = int(os.environ.get("PMGEN_HOSTILE_EXAMPLES", "25"))
PACKAGE = "hostile_client"


def generate(data: dict[str, object]) -> dict[str, str] | None:
    """The package's files, or None for a collection refused with an InputError."""
    try:
        loaded = collection_from_dict(data, "hostile.json")
    except InputError:
        return None
    spec, _diagnostics = build_spec(loaded)
    spec.package = PACKAGE
    return render_files(spec)


def check_package(files: dict[str, str], tmp: Path) -> None:
    """Compiles, black's fixed point, every module imports."""
    for path, text in files.items():
        text.encode("utf-8")  # no lone surrogate reaches a file
        if path.endswith(".py"):
            compile(text, path, "exec")
            assert black.format_str(text, mode=MODE) == text, path
    write_tree(tmp / PACKAGE, files)
    import_all(tmp, sorted(p for p in files if p.endswith(".py")))


def import_all(root: Path, paths: list[str]) -> None:
    """Import every module of the package under ``root`` with ``sys.modules`` and
    ``sys.path`` restored afterwards (so the next example imports its own)."""
    saved_path, saved_modules = list(sys.path), dict(sys.modules)
    sys.path.insert(0, str(root))
    try:
        for path in paths:
            module = ".".join([PACKAGE, *path[:-3].split("/")])
            importlib.import_module(module.removesuffix(".__init__"))
    finally:
        sys.path[:] = saved_path
        for name in set(sys.modules) - set(saved_modules):
            del sys.modules[name]
        importlib.invalidate_caches()


def check_hostile(hostile: Slots, tmp: Path) -> None:
    """Every property of the module docstring for the payloads ``hostile``."""
    files = generate(collection(hostile))
    twin = generate(collection(tame(hostile)))
    if files is None:
        return
    assert twin is not None
    check_package(files, tmp)
    assert signature(files) == signature(twin), first_difference(files, twin)


@settings(
    max_examples=EXAMPLES,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(hostile=slots)
def test_hostile_collection_generates_safe_code(
    hostile: Slots, tmp_path_factory: pytest.TempPathFactory
) -> None:
    check_hostile(hostile, tmp_path_factory.mktemp("hostile"))


def test_every_slot_holds_every_nasty_text(tmp_path: Path) -> None:
    """Each hand-picked hostile text in every slot at once (hypothesis combines them
    at random; this makes sure each one is seen)."""
    from hostile import NASTY

    fields = list(Slots.__dataclass_fields__)
    for index, text in enumerate(NASTY):
        check_hostile(
            Slots(**{name: f"{text}{i}" for i, name in enumerate(fields)}),
            tmp_path / str(index),
        )
    assert sys.modules  # ran to the end
