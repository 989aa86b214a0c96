"""The last stage: put rendered files on disk atomically, or compare them with disk.

A run either replaces the whole output folder or leaves it untouched: files are
written to a temporary sibling folder first and swapped in with renames.
"""

from __future__ import annotations

import difflib
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from .errors import PmgenError


def write_tree(target: Path, files: Mapping[str, str]) -> None:
    """Replace ``target`` with exactly ``files`` (relative path → text)."""
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.pmgen-", dir=target.parent))
    try:
        for relative, text in files.items():
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        _swap(staging, target)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise PmgenError(
            f"{target}: cannot write the output: {exc.strerror or exc}"
        ) from None
    except BaseException:  # interrupted or failed: leave no half-written folder
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap(staging: Path, target: Path) -> None:
    if not target.exists():
        os.replace(staging, target)
        return
    backup = target.with_name(f".{target.name}.pmgen-old")
    if backup.exists():
        shutil.rmtree(backup)
    os.replace(target, backup)
    try:
        os.replace(staging, target)
    except OSError:
        os.replace(backup, target)
        raise
    shutil.rmtree(backup, ignore_errors=True)


def read_tree(target: Path) -> dict[str, str]:
    """Every file under ``target`` (relative path → text); caches are ignored."""
    found: dict[str, str] = {}
    if not target.is_dir():
        return found
    for path in sorted(target.rglob("*")):
        if (
            path.is_file()
            and "__pycache__" not in path.parts
            and ".mypy_cache" not in path.parts
        ):
            relative = path.relative_to(target).as_posix()
            found[relative] = path.read_text(encoding="utf-8", errors="replace")
    return found


def diff_tree(target: Path, files: Mapping[str, str], *, limit: int = 40) -> list[str]:
    """A short unified diff between ``files`` and what is on disk (empty if equal)."""
    current = read_tree(target)
    lines: list[str] = []
    for relative in sorted(set(current) | set(files)):
        old, new = current.get(relative), files.get(relative)
        if old == new:
            continue
        if old is None:
            lines.append(f"missing: {target / relative}")
            continue
        if new is None:
            lines.append(f"not generated (stale): {target / relative}")
            continue
        lines += difflib.unified_diff(
            old.splitlines(),
            new.splitlines(),
            f"{target / relative} (on disk)",
            f"{target / relative} (generated)",
            lineterm="",
            n=1,
        )
    if len(lines) > limit:
        lines = [*lines[:limit], f"... {len(lines) - limit} more diff lines"]
    return lines
