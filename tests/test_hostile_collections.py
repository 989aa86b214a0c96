"""Hostile collections cannot break out of the literals pmgen writes.

For collections full of hostile text (see ``hostile.py``), generation either
succeeds or stops with a clean ``InputError``; the output compiles, is black's fixed
point, every module imports (``sys.modules`` is restored after each example), and it
has the structure of the code generated from the collection's benign twin (the
structure check is defined in ``hostile.py``). The command line reports a hostile
collection without a traceback.

Examples are few and small so this runs in seconds; ``PMGEN_HOSTILE_EXAMPLES=500``
runs a longer search (the same seed, so a failure reproduces).
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import black
import pytest
from hostile import (
    NASTY,
    Slots,
    collection,
    first_difference,
    signature,
    slots,
    tame,
)
from hypothesis import HealthCheck, given, settings

from generator.errors import InputError
from generator.naming import py_string
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


def test_every_nasty_text_in_many_slots(tmp_path: Path) -> None:
    """Each hand-picked hostile text, in several slots (hypothesis combines them at
    random; this makes sure each one is seen): collection ``k`` puts
    ``NASTY[(slot + k) % len(NASTY)]`` in each slot, for every fifth ``k``."""
    fields = list(Slots.__dataclass_fields__)
    for shift in range(0, len(NASTY), 5):
        check_hostile(
            Slots(
                **{
                    name: NASTY[(i + shift) % len(NASTY)] + str(i)
                    for i, name in enumerate(fields)
                }
            ),
            tmp_path / str(shift),
        )


def test_command_line_on_a_hostile_collection(
    tmp_path: Path, pmgen: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    """Every hand-picked text at once, through ``pmgen generate``: it writes the
    package or reports diagnostics, and never shows a traceback."""
    fields = list(Slots.__dataclass_fields__)
    text = "".join(NASTY)
    source = tmp_path / "hostile.json"
    data = collection(Slots(**{name: f"{text}{i}" for i, name in enumerate(fields)}))
    source.write_text(json.dumps(data), encoding="utf-8")
    result = pmgen("generate", source, "-o", tmp_path / "out", cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / "out" / "client.py").is_file()


def _unescaped_py_string(value: str) -> str:
    """``py_string`` as it would be if it stopped escaping quotes (for the hostile
    texts below as whole values only, so that the rest of the package parses)."""
    if not value.endswith("import os #") and not value.endswith('("x")#'):
        return py_string(value)
    return '"' + value.replace("\\", "\\\\").replace("\n", "\\n") + '"'


@pytest.mark.parametrize(
    ("slot", "text", "caught_by"),
    [
        # Breaks the syntax: caught by compiling.
        ("auth_key", '"); import os #', SyntaxError),
        # Still parses (``expected = "x"; import os; os.system("x")#"``): only the
        # structure check sees the extra statements.
        ("error_code", 'x"; import os; os.system("x")#', AssertionError),
    ],
)
def test_checks_fail_when_literals_are_not_escaped(
    slot: str,
    text: str,
    caught_by: type[Exception],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """The checks are not vacuous: with ``naming.py_string`` no longer escaping
    quotes, hostile text becomes code and the test above fails."""
    for module in [m for n, m in sys.modules.items() if n.startswith("generator")]:
        if getattr(module, "py_string", None) is py_string:
            monkeypatch.setattr(module, "py_string", _unescaped_py_string)
    hostile = Slots(**{name: "" for name in Slots.__dataclass_fields__})
    hostile = Slots(**{**hostile.__dict__, slot: text})
    with pytest.raises(caught_by):
        check_hostile(hostile, tmp_path)
    if caught_by is AssertionError:  # black's check fails first: the structure too
        files, twin = generate(collection(hostile)), generate(collection(tame(hostile)))
        assert files is not None and twin is not None
        assert signature(files) != signature(twin)
        assert "no file of the benign twin" in first_difference(files, twin)
    monkeypatch.undo()
    check_hostile(hostile, tmp_path / "escaped")  # and with escaping, all is well
