"""Compare two clients (two ``ApiSpec``s): what changed for their callers.

A stage beside ``render``: it reads only the spec. ``surface`` reduces a spec to its
public surface (operations by stable key, their call paths, parameters, bodies,
results and errors; models and their fields), plain data that a lock file can keep;
``compare`` lists the changes between two surfaces and classifies each as breaking,
additive or patch; ``bump`` gives the semantic version that follows.
"""

from __future__ import annotations

from .compare import LEVELS, Change, bump, bump_version, compare, level_of
from .report import render_report
from .surface import surface

__all__ = [
    "LEVELS",
    "Change",
    "bump",
    "bump_version",
    "compare",
    "level_of",
    "render_report",
    "surface",
]
