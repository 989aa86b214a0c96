#!/usr/bin/env python
"""Rewrite the golden trees the generator's tests compare against.

Every case folder ``tests/golden/<case>/`` holds a ``collection.json``, an optional
``config.yaml`` (one client, in the format of ``generator/config.py``) and
``expected/``: the whole generated package. A case made of several collections has
no ``collection.json``: its ``config.yaml`` lists them (``collections:``). This script renders each case in memory
(``generator.pipeline.build`` + ``render_files``, exactly what ``tests/test_golden.py``
does) and replaces ``expected/`` with the result. It then regenerates ``generated/``
through the CLI for every client listed in ``[tool.pmgen]`` of ``pyproject.toml``.

Usage::

    python scripts/regen_goldens.py                 # every case, then generated/
    python scripts/regen_goldens.py --goldens-only  # leave generated/ alone
    python scripts/regen_goldens.py naming-edge-cases v20-format

Review the resulting ``git diff`` before committing: a golden change is a change of
the generator's output.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
GOLDEN_DIR = REPO_ROOT / "tests" / "golden"
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from generator.config import ClientConfig, load_clients  # noqa: E402
from generator.pipeline import build, render_files  # noqa: E402
from generator.writer import write_tree  # noqa: E402

REGENERATE = "python scripts/regen_goldens.py"


def case_dirs() -> list[Path]:
    """Every golden case folder (one with a ``collection.json``, or a ``config.yaml``
    listing ``collections``), sorted by name."""
    single = {p.parent for p in GOLDEN_DIR.glob("*/collection.json")}
    multi = {p.parent for p in GOLDEN_DIR.glob("*/config.yaml") if p.is_file()}
    return sorted(single | {c for c in multi if case_config(c).collections})


def case_collection(case: Path) -> Path | None:
    """The collection of a case; None when its config lists several."""
    collection = case / "collection.json"
    return collection if collection.is_file() else None


def case_config(case: Path) -> ClientConfig:
    """The client options of a case: its ``config.yaml`` if present, else defaults."""
    config_file = case / "config.yaml"
    if not config_file.is_file():
        return ClientConfig()
    clients = load_clients(config_file)
    if len(clients) != 1:
        raise SystemExit(f"{config_file}: a golden case configures exactly one client")
    return clients[0]


def case_package(case: Path) -> str:
    """The import name of a case's package (what its expected tree is called)."""
    config = case_config(case)
    if config.package_name:
        return config.package_name
    spec, _diagnostics = build(case_collection(case), config)
    return spec.package


def render_case(case: Path) -> tuple[str, dict[str, str]]:
    """The package name and every file (relative path → text) of a golden case."""
    config = case_config(case)
    spec, _diagnostics = build(case_collection(case), config)
    if config.package_name:
        spec = replace(spec, package=config.package_name)
    return spec.package, render_files(spec, format_code=config.format)


def regenerate_clients() -> None:
    """Run ``pmgen generate`` for every client configured in ``pyproject.toml``."""
    for client in load_clients(REPO_ROOT / "pyproject.toml"):
        if client.collection is None or client.output is None:
            continue
        command = [
            sys.executable,
            "-m",
            "generator",
            "-q",
            "generate",
            str(client.collection),
            "-o",
            str(client.output),
        ]
        subprocess.run(command, cwd=REPO_ROOT, check=True)
        print(f"regenerated {client.output.relative_to(REPO_ROOT)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cases", nargs="*", help="case names (default: all)")
    parser.add_argument(
        "--goldens-only",
        action="store_true",
        help="rewrite tests/golden/*/expected only, not generated/",
    )
    args = parser.parse_args(argv)
    cases = case_dirs()
    if args.cases:
        known = {case.name: case for case in cases}
        unknown = sorted(set(args.cases) - set(known))
        if unknown:
            parser.error(f"unknown case(s): {', '.join(unknown)}")
        cases = [known[name] for name in args.cases]
    for case in cases:
        package, files = render_case(case)
        write_tree(case / "expected", files)
        print(
            f"rewrote tests/golden/{case.name}/expected ({package}, {len(files)} files)"
        )
    if not args.goldens_only and not args.cases:
        regenerate_clients()
    if not args.cases:  # the OpenAPI exports of the same inputs (tests/test_openapi.py)
        from regen_openapi import main as regenerate_openapi

        regenerate_openapi(goldens_only=args.goldens_only)
    return 0


if __name__ == "__main__":
    sys.exit(main())
