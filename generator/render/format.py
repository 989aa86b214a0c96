"""black, in-process, with a content-hash cache (only used when output may not be
black-stable already: custom templates, or when the user asks with ``--format``)."""

from __future__ import annotations

import hashlib
from importlib.metadata import version
from pathlib import Path

import black
from black.mode import TargetVersion
from black.report import NothingChanged

MODE = black.Mode(line_length=88, target_versions={TargetVersion.PY310})


def format_python(source: str, cache_dir: Path | None = None) -> str:
    """``source`` formatted by black; reuses an earlier result for identical input."""
    key = hashlib.sha256(f"{version('black')}\0{source}".encode()).hexdigest()
    cached = cache_dir / key if cache_dir is not None else None
    if cached is not None and cached.is_file():
        return cached.read_text(encoding="utf-8")
    try:
        result = black.format_str(source, mode=MODE)
    except NothingChanged:
        result = source
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_text(result, encoding="utf-8")
    return result
