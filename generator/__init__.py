"""pmgen: a Postman collection → typed, tested Python client generator."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .pipeline import GenerationReport, build, generate, render_files

__all__ = ["GenerationReport", "build", "generate", "render_files"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # Imported on first use: the command line answers a no-op ``generate`` without
    # loading the pipeline's libraries (black, jinja2, jsonschema).
    if name in __all__:
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
