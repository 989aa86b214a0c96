"""The one Jinja environment pmgen renders with (``StrictUndefined``: a missing value
is an error, never an empty string that still parses)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2

_PACKAGED = Path(__file__).resolve().parent.parent / "_templates"
_SOURCE = Path(__file__).resolve().parents[2] / "templates"


def template_dirs(overlay: Path | None = None) -> list[Path]:
    """Where templates are looked up: a user overlay first, then pmgen's own."""
    own = _PACKAGED if _PACKAGED.is_dir() else _SOURCE
    return [overlay, own] if overlay is not None else [own]


@cache
def environment(overlay: Path | None = None) -> jinja2.Environment:
    """The environment for the given template overlay (cached per overlay)."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(overlay)]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )


def render(template: str, overlay: Path | None = None, **context: object) -> str:
    """Render one template with its view."""
    return environment(overlay).get_template(template).render(**context)
