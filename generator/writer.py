"""The last stage: put rendered files on disk atomically, or compare them with disk.

A run either replaces the whole output folder or leaves it untouched: files are
written to a temporary sibling folder first and swapped in with renames. Paths the
``.pmgenignore`` rules protect (see ``ignore.py``) are copied from the previous folder
into the new one first, byte for byte, so they survive the swap; the drift check
leaves them out.
"""

from __future__ import annotations

import difflib
import os
import shutil
import tempfile
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from .errors import PmgenError
from .ignore import IgnoreRules, load_ignore

_CACHES = frozenset({"__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache"})


def write_tree(
    target: Path, files: Mapping[str, str], ignore: IgnoreRules | None = None
) -> list[str]:
    """Replace ``target`` with ``files`` (relative path → text) plus its protected files.

    ``ignore``: the rules saying which paths of the previous folder to keep as they
    are (default: the ``.pmgenignore`` of ``target``). A protected path replaces the
    generated file of the same path; one absent from the previous folder is written
    as generated. Returns the files of the previous folder that are gone: neither
    generated nor protected (caches not counted).
    """
    target = target.resolve()
    staging = stage(target)
    with cleanup(staging, target):
        for relative, text in files.items():
            write_file(staging, relative, text)
        return finish(staging, target, ignore, set(files))


def stage(target: Path) -> Path:
    """A new, empty staging folder beside ``target`` (same file system)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.pmgen-", dir=target.parent))


def write_file(staging: Path, relative: str, text: str) -> None:
    """Write one generated file into the staging folder."""
    path = staging / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def reuse_file(staging: Path, relative: str, source: Path) -> bool:
    """Put the unchanged file ``source`` into the staging folder (a hard link, or a
    copy where links are not possible); False if it is gone."""
    path = staging / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, path)
    except FileNotFoundError:
        return False
    except OSError:
        shutil.copy2(source, path)
    return True


def finish(
    staging: Path, target: Path, ignore: IgnoreRules | None, generated: set[str]
) -> list[str]:
    """Carry the protected files of ``target`` over, then swap ``staging`` in.

    Returns the files of the previous folder that are gone.
    """
    rules = ignore if ignore is not None else load_ignore(target)
    removed = _carry_over(target, staging, rules, generated)
    _swap(staging, target)
    return removed


@contextmanager
def cleanup(staging: Path, target: Path) -> Iterator[None]:
    """Remove ``staging`` if the block fails or is interrupted (no half-written
    output); an ``OSError`` becomes a one-line error naming ``target``."""
    try:
        yield
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise PmgenError(
            f"{target}: cannot write the output: {exc.strerror or exc}"
        ) from None
    except BaseException:  # interrupted or failed: leave no half-written folder
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _carry_over(
    old: Path, staging: Path, rules: IgnoreRules, files: Collection[str]
) -> list[str]:
    """Copy the protected paths of ``old`` into ``staging``; list the lost files."""
    removed: list[str] = []
    if not old.is_dir():
        return removed
    for folder, dirnames, filenames in os.walk(old):
        here = Path(folder).relative_to(old).as_posix()
        prefix = "" if here == "." else here + "/"
        dirnames[:] = sorted(d for d in dirnames if d not in _CACHES)
        for name in list(dirnames):
            relative = prefix + name
            if (old / relative).is_symlink():  # a link is carried, never followed
                dirnames.remove(name)
                filenames.append(name)
            elif rules.protects_folder(relative):
                (staging / relative).mkdir(parents=True, exist_ok=True)
        for name in sorted(filenames):
            relative = prefix + name
            if rules.protects(relative):
                _copy(old / relative, staging / relative)
            elif relative not in files:
                removed.append(relative)
    return removed


def _copy(source: Path, destination: Path) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    if destination.is_symlink() or destination.is_file():
        destination.unlink()
    shutil.copy2(source, destination, follow_symlinks=False)


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
        if path.is_file() and not _CACHES.intersection(path.parts):
            relative = path.relative_to(target).as_posix()
            found[relative] = path.read_text(encoding="utf-8", errors="replace")
    return found


def diff_tree(
    target: Path,
    files: Mapping[str, str],
    *,
    limit: int = 40,
    ignore: IgnoreRules | None = None,
) -> list[str]:
    """A short unified diff between ``files`` and what is on disk (empty if equal).

    Paths protected by ``ignore`` (default: the ``.pmgenignore`` of ``target``) are
    left out on both sides.
    """
    rules = ignore if ignore is not None else load_ignore(target)
    current = read_tree(target)
    lines: list[str] = []
    for relative in sorted(set(current) | set(files)):
        if rules.protects(relative):
            continue
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
