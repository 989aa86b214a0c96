"""Where the load-stage tests find their data."""

from __future__ import annotations

from pathlib import Path

# The shared data folder lives next to the repository root (``<root>/../shared``).
SHARED = Path(__file__).resolve().parents[3] / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
