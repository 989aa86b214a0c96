"""What makes regeneration incremental: the cache folder and its manifests.

After a run, pmgen records in its cache folder, for the output folder it wrote, a
*manifest*: each generated file's content key (``render.keys``), size and
modification time, plus the fingerprint of the run's inputs and its diagnostics.

- A later run whose inputs have the same fingerprint, on an output folder whose files
  are still exactly the recorded ones, has nothing to do (``up_to_date``): it replays
  the diagnostics and stops, without reading the collection as JSON.
- Otherwise a file whose key is unchanged and whose copy on disk is still the one
  recorded is reused as it is (hard-linked into the new folder), not rendered again.

Nothing in the cache is trusted beyond what it can check: a file edited by hand has
another size or time, so it is rendered again; a changed pmgen has other keys.
The cache never changes the output: the same inputs give the same bytes with the
cache cold, warm or disabled.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Diagnostic, Level
from .ignore import IgnoreRules
from .render.keys import digest, generator_digest, tree_digest

MANIFEST_FORMAT = 1
_CACHES = frozenset({"__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache"})


def default_cache_dir() -> Path:
    """``$PMGEN_CACHE_DIR``, else ``$XDG_CACHE_HOME/pmgen``, else ``~/.cache/pmgen``."""
    explicit = os.environ.get("PMGEN_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pmgen"


@dataclass
class Manifest:
    """What one run wrote to one output folder."""

    output: str
    # path → [content key ("" for a static file), size, mtime in ns]
    files: dict[str, list[object]] = field(default_factory=dict)
    fingerprint: str = ""  # of the run's inputs ("" when unknown: API callers)
    diagnostics: list[list[str]] = field(default_factory=list)

    def reusable(self, output: Path) -> dict[str, str]:
        """Path → key of the recorded files still on disk as recorded."""
        found: dict[str, str] = {}
        for path, (key, size, mtime) in self.files.items():
            if key and _stat(output / path) == (size, mtime):
                found[path] = str(key)
        return found

    def up_to_date(self, output: Path, rules: IgnoreRules) -> bool:
        """Whether ``output`` holds exactly the recorded files, unchanged (files the
        ignore rules protect do not count)."""
        seen = 0
        for relative in _walk(output):
            if rules.protects(relative):
                continue
            recorded = self.files.get(relative)
            if recorded is None or _stat(output / relative) != tuple(recorded[1:]):
                return False
            seen += 1
        return seen == len(self.files)

    def replay(self) -> list[Diagnostic]:
        """The diagnostics of the run that wrote the folder."""
        return [Diagnostic(Level(lv), loc, msg) for lv, loc, msg in self.diagnostics]


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        info = path.lstat()
    except OSError:
        return None
    return (info.st_size, info.st_mtime_ns)


def _walk(folder: Path) -> Iterable[str]:
    """Every file under ``folder`` ("/"-separated, relative), tool caches skipped."""
    stack = [("", folder)]
    while stack:
        prefix, here = stack.pop()
        try:
            entries = list(os.scandir(here))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name not in _CACHES:
                    stack.append((f"{prefix}{entry.name}/", Path(entry.path)))
            else:
                yield prefix + entry.name


def record(output: Path, keys: dict[str, str]) -> Manifest:
    """The manifest of ``output`` as just written (``keys``: path → content key)."""
    manifest = Manifest(output=str(output))
    for path, key in sorted(keys.items()):
        stat = _stat(output / path)
        if stat is not None:
            manifest.files[path] = [key, *stat]
    return manifest


def _by_output(cache: Path, output: Path) -> Path:
    return cache / "manifests" / f"{digest(str(output.resolve()))}.json"


def _by_input(cache: Path, fingerprint: str) -> Path:
    return cache / "inputs" / f"{fingerprint}.json"


def load(cache: Path, output: Path) -> Manifest | None:
    """The manifest recorded for ``output`` (None if none or unreadable)."""
    try:
        data = json.loads(_by_output(cache, output).read_text(encoding="utf-8"))
        if data.get("format") != MANIFEST_FORMAT:
            return None
        return Manifest(
            output=data["output"],
            files=data["files"],
            fingerprint=data["fingerprint"],
            diagnostics=data["diagnostics"],
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def save(cache: Path, manifest: Manifest) -> None:
    """Record ``manifest`` (and, with a fingerprint, which output it belongs to).

    A cache that cannot be written is not an error: the next run is a cold one.
    """
    output = Path(manifest.output)
    data = {
        "format": MANIFEST_FORMAT,
        "output": manifest.output,
        "fingerprint": manifest.fingerprint,
        "diagnostics": manifest.diagnostics,
        "files": manifest.files,
    }
    try:
        _write(_by_output(cache, output), json.dumps(data, sort_keys=True))
        if manifest.fingerprint:
            _write(
                _by_input(cache, manifest.fingerprint),
                json.dumps({"output": manifest.output}),
            )
    except OSError:
        pass


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def remember(
    cache: Path, output: Path, fingerprint: str, diagnostics: list[Diagnostic]
) -> None:
    """Tie the manifest of ``output`` to the inputs that produced it."""
    manifest = load(cache, output)
    if manifest is None:
        return
    manifest.fingerprint = fingerprint
    manifest.diagnostics = [[d.level.value, d.location, d.message] for d in diagnostics]
    save(cache, manifest)


def previous_output(cache: Path, fingerprint: str) -> Path | None:
    """The output folder a run with these inputs wrote last, if recorded."""
    try:
        data = json.loads(_by_input(cache, fingerprint).read_text(encoding="utf-8"))
        return Path(data["output"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def fingerprint(files: Iterable[Path | None], options: str) -> str:
    """A hash of pmgen, the run's options and the bytes of its input files (a
    folder: every file in it; a missing file counts as missing)."""
    parts = [generator_digest(), options]
    for path in files:
        if path is None:
            continue
        if path.is_dir():
            parts.append(f"{path}\0{tree_digest([path])}")
        elif path.is_file():
            parts.append(f"{path}\0{_file_digest(path)}")
        else:
            parts.append(f"{path}\0missing")
    return digest(*parts)


def _file_digest(path: Path) -> str:
    hasher = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            hasher.update(chunk)
    return hasher.hexdigest()
