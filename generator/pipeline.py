"""The pipeline, stage by stage: load → spec → render → format → write.

``generate`` is the public entry point (also used by the CLI). Every stage can be run
on its own: ``build`` stops at the spec (for ``pmgen spec``), ``render_files`` turns a
spec into file texts in memory (for ``pmgen check``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .config import ClientConfig
from .errors import Diagnostic, UsageError
from .naming import (
    RESERVED_CLIENT_ATTRIBUTES,
    NameScope,
    package_name,
    resource_attribute,
)
from .postman import load_collection, load_environment
from .render.format import format_python, layout_is_stable
from .render.plan import plan
from .spec.build import build_spec
from .spec.combine import Part, combine
from .spec.model import ApiSpec
from .writer import write_tree

Progress = Callable[[str], None]


@dataclass
class GenerationReport:
    """What a run produced."""

    spec: ApiSpec
    files: dict[str, str]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    seconds: float = 0.0


def build(
    collection: Path | None, config: ClientConfig | None = None
) -> tuple[ApiSpec, list[Diagnostic]]:
    """Load and check a collection, then build its spec.

    Without ``collection``, the configured one is built, or the configured
    ``collections`` combined into one client (``build_combined``).
    """
    config = config or ClientConfig()
    if collection is None:
        if config.collections:
            return build_combined(config)
        if config.collection is None:
            raise UsageError("no collection given or configured")
        collection = config.collection
    loaded = load_collection(collection)
    environment = load_environment(config.environment) if config.environment else {}
    return build_spec(loaded, config, environment)


def build_combined(config: ClientConfig) -> tuple[ApiSpec, list[Diagnostic]]:
    """One spec from the configured ``collections``: each becomes a sub-client named
    by its ``name`` (else after the collection's name); diagnostics name the part."""
    parts: list[Part] = []
    diagnostics: list[Diagnostic] = []
    names = NameScope(RESERVED_CLIENT_ATTRIBUTES)
    for part in config.collections:
        if part.name:
            names.claim(part.name)
    for part in config.collections:
        spec, found = build(part.collection, config.part_config(part))
        name = part.name or names.claim(resource_attribute(spec.title).lstrip("_"))
        parts.append(Part(name, spec))
        diagnostics += [replace(d, location=f"{name}/{d.location}") for d in found]
    default_package = package_name("_".join(p.name for p in parts))
    spec, found = combine(
        parts,
        package=config.package_name or default_package,
        version=config.version,
    )
    return spec, [*diagnostics, *found]


def render_files(
    spec: ApiSpec,
    *,
    overlay: Path | None = None,
    format_code: bool = False,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
) -> dict[str, str]:
    """Every file of the package as text.

    pmgen's templates emit black's style; black runs only when asked, for custom
    templates, or on a file with a line too long for the layout rules to be sure of.
    """
    files: dict[str, str] = {}
    planned = plan(spec, overlay)
    for index, item in enumerate(planned, 1):
        text = item.make()
        if item.python and (
            format_code or overlay is not None or not layout_is_stable(text)
        ):
            text = format_python(text, cache_dir)
        files[item.path] = text
        if progress and (index % 50 == 0 or index == len(planned)):
            progress(f"rendered {index}/{len(planned)} files")
    return files


def generate(
    collection: Path | None,
    output: Path,
    config: ClientConfig | None = None,
    *,
    spec: ApiSpec | None = None,
    overlay: Path | None = None,
    progress: Progress | None = None,
) -> GenerationReport:
    """Generate the package for ``collection`` (or from an edited ``spec``) into ``output``."""
    started = time.perf_counter()
    config = config or ClientConfig()
    diagnostics: list[Diagnostic] = []
    if spec is None:
        spec, diagnostics = build(collection, config)
    if config.package_name:
        spec = replace(spec, package=config.package_name)
    files = render_files(
        spec, overlay=overlay, format_code=config.format, progress=progress
    )
    write_tree(output, files)
    return GenerationReport(spec, files, diagnostics, time.perf_counter() - started)
