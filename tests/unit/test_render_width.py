"""pmgen measures lines as black does, without importing black for ASCII text."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from black.strings import str_width as black_width

from generator.render.pyfmt import fits, str_width

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "text",
    ["", "plain ascii", "x" * 100, "Größe", "東京都の住所", "emoji 🎉 ok", "ｆｕｌｌ"],
)
def test_width_is_blacks(text: str) -> None:
    assert str_width(text) == black_width(text)


def test_wide_characters_count_double() -> None:
    assert fits("東" * 44) and not fits("東" * 45)


def test_ascii_layout_check_does_not_import_black() -> None:
    code = (
        "import sys\n"
        "from generator.render.format import layout_is_stable\n"
        "from generator.render.pyfmt import fits\n"
        "assert fits('x' * 88) and not fits('x' * 89)\n"
        "assert layout_is_stable('x = 1\\n' + 'y = ' + '1 + ' * 40 + '1\\n') is False\n"
        "print('black' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False"]
