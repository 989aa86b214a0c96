"""Shared fixtures of the load-stage tests; makes the repository importable."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from .paths import SHARED

_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)


@pytest.fixture
def shared() -> Path:
    """The shared data folder next to the repository (tests skip without it)."""
    if not SHARED.is_dir():
        pytest.skip(f"shared data not found at {SHARED}")
    return SHARED
