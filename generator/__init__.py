"""pmgen: a Postman collection → typed, tested Python client generator."""

from .pipeline import GenerationReport, build, generate, render_files

__all__ = ["GenerationReport", "build", "generate", "render_files"]
__version__ = "0.1.0"
