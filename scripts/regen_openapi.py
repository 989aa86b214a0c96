#!/usr/bin/env python
"""Rewrite the committed OpenAPI exports the tests compare against.

- ``generated/<package>.openapi.yaml`` for every client in ``[tool.pmgen]`` of
  ``pyproject.toml`` (the Salesforce Bulk API 2.0 description, beside its client);
- ``tests/golden/<case>/openapi.yaml`` for every golden case.

Each is exactly what ``pmgen openapi COLLECTION`` prints (``tests/test_openapi.py``
renders them in memory the same way). Review the ``git diff`` before committing.

Usage::

    python scripts/regen_openapi.py
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))
if str(REPO_ROOT / "scripts") not in sys.path:
    sys.path.insert(0, str(REPO_ROOT / "scripts"))

from regen_goldens import case_collection, case_config, case_dirs  # noqa: E402

from generator.config import ClientConfig, load_clients  # noqa: E402
from generator.export import dump_openapi, to_openapi, write_text_atomic  # noqa: E402
from generator.pipeline import build  # noqa: E402

REGENERATE = "python scripts/regen_openapi.py"
GOLDEN_NAME = "openapi.yaml"


def export_text(collection: Path | None, config: ClientConfig) -> str:
    """The YAML OpenAPI export of one collection (or of the configured collections),
    as ``pmgen openapi`` prints it."""
    spec, _diagnostics = build(collection, config)
    if config.package_name:
        spec = replace(spec, package=config.package_name)
    return dump_openapi(to_openapi(spec))


def committed_exports() -> list[tuple[Path | None, Path, ClientConfig]]:
    """(collection, committed export, config) of every export under test."""
    found: list[tuple[Path | None, Path, ClientConfig]] = []
    for client in load_clients(REPO_ROOT / "pyproject.toml"):
        if client.collection is None or client.output is None:
            continue
        target = client.output.with_name(client.output.name + ".openapi.yaml")
        found.append((client.collection, target, client))
    for case in case_dirs():
        found.append((case_collection(case), case / GOLDEN_NAME, case_config(case)))
    return found


def main(goldens_only: bool = False) -> int:
    """Rewrite every committed export (``goldens_only``: those of tests/golden)."""
    golden = REPO_ROOT / "tests" / "golden"
    for collection, target, config in committed_exports():
        if goldens_only and not target.is_relative_to(golden):
            continue
        write_text_atomic(target, export_text(collection, config))
        print(f"rewrote {target.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
