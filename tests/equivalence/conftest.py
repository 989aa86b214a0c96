"""Prints the equivalence table at the end of the pytest run (outside capture)."""

from __future__ import annotations

import pytest

from .harness import TABLES


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for title, text in TABLES:
        terminalreporter.section(title)
        for line in text.splitlines():
            terminalreporter.write_line(line)
