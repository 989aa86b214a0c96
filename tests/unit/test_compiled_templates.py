"""Compiled templates kept in the cache folder (generator/render/environment.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import jinja2
import pytest

from generator.render.environment import (
    environment,
    keep_compiled_templates,
    template_names,
)


@pytest.fixture(autouse=True)
def _no_kept_templates() -> Iterator[None]:
    keep_compiled_templates(None)
    yield
    keep_compiled_templates(None)


def test_a_later_process_loads_the_templates_compiled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "cache" / "templates"
    keep_compiled_templates(folder)
    for name in template_names():
        environment().get_template(name)
    assert len(list(folder.iterdir())) == len(template_names())
    keep_compiled_templates(None)  # as a new process: nothing compiled in memory
    keep_compiled_templates(folder)

    def refused(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("compiled again")

    monkeypatch.setattr(jinja2.Environment, "compile", refused)
    for name in template_names():
        environment().get_template(name)


def test_a_cache_folder_that_cannot_be_made_is_not_an_error(tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the folder would be", encoding="utf-8")
    keep_compiled_templates(blocker / "templates")
    assert environment().get_template(template_names()[0]) is not None
