"""The pipeline, stage by stage: load → spec → render → format → write.

``generate`` is the public entry point (also used by the CLI). Every stage can be run
on its own: ``build`` stops at the spec (for ``pmgen spec``), ``render_files`` turns a
spec into file texts in memory (for ``pmgen check``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .config import ClientConfig
from .diff import Change, bump, bump_version, compare, surface
from .errors import Diagnostic, UsageError
from .ignore import IgnoreRules, load_ignore
from .naming import (
    RESERVED_CLIENT_ATTRIBUTES,
    NameScope,
    package_name,
    resource_attribute,
)
from .postman import load_collection, load_environment
from .render.environment import TemplateError
from .render.format import InvalidPython, format_python, layout_is_stable
from .render.plan import plan
from .spec.build import build_locked_spec, build_spec
from .spec.combine import Part, combine
from .spec.lock import Lock, dump_lock, load_lock, make_lock
from .spec.model import ApiSpec
from .spec.serialize import to_data
from .writer import write_tree

Progress = Callable[[str], None]


@dataclass
class GenerationReport:
    """What a run produced."""

    spec: ApiSpec
    files: dict[str, str]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    seconds: float = 0.0
    removed: list[str] = field(default_factory=list)  # files of the old folder gone


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


@dataclass
class LockedBuild:
    """A spec built with a lock file, and the lock to write next to it."""

    spec: ApiSpec
    diagnostics: list[Diagnostic]
    lock_text: str  # the lock describing ``spec``
    previous_text: str | None  # the lock file as it was (None: there was none)
    changes: list[Change]  # since the previous lock's surface (version policy)


def _version_key(version: str) -> tuple[int, ...]:
    parts = version.split("-", 1)[0].split(".")
    return tuple(int(p) if p.isdigit() else 0 for p in parts)


def build_with_lock(
    collection: Path, config: ClientConfig, lock_path: Path, *, rename: bool = False
) -> LockedBuild:
    """Build a spec keeping the names recorded in ``lock_path`` (if it exists), and
    the lock that describes the result.

    With ``version_policy: semver`` the version starts from the lock's (or the
    configured one when that is higher) and is bumped by the changes since the
    lock's surface. A bump retires the deprecated aliases of earlier versions
    (their removal counts in the bump).
    """
    previous = load_lock(lock_path)
    previous_text = (
        lock_path.read_text(encoding="utf-8") if previous is not None else None
    )
    semver = config.version_policy == "semver" and previous is not None
    base = config.version
    if (
        semver
        and previous is not None
        and _version_key(previous.version) > _version_key(config.version)
    ):
        base = previous.version
    loaded = load_collection(collection)
    environment = load_environment(config.environment) if config.environment else {}
    spec, found, names = build_locked_spec(
        loaded, replace(config, version=base), environment, previous, rename
    )
    if config.package_name:
        spec = replace(spec, package=config.package_name)
    changes: list[Change] = []
    if semver and previous is not None and previous.summary:
        changes = compare(previous.summary, surface(spec))
        if bump(changes) != "none":
            _retire_aliases(spec, previous, base)
            changes = compare(previous.summary, surface(spec))
            spec.version = bump_version(base, bump(changes))
    lock = make_lock(
        spec,
        names,
        previous=previous,
        summary=surface(spec),
        spec_text=json.dumps(to_data(spec), sort_keys=True, ensure_ascii=False),
    )
    return LockedBuild(spec, found, dump_lock(lock), previous_text, changes)


def _retire_aliases(spec: ApiSpec, previous: Lock, version: str) -> None:
    """Drop the aliases a previous lock kept for ``version``: it is being bumped."""
    old = {
        (entry.resource, alias.name)
        for entry in previous.operations.values()
        for alias in entry.aliases
        if alias.since == version
    }
    for resource, op in spec.iter_operations():
        op.aliases = [a for a in op.aliases if (resource.source, a) not in old]


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
        try:
            text = item.make()
            if item.python and (
                format_code or overlay is not None or not layout_is_stable(text)
            ):
                text = format_python(text, cache_dir)
        except TemplateError as exc:
            raise TemplateError(f"{exc} (rendering {item.path})") from None
        except InvalidPython as exc:
            raise TemplateError(
                f"{_template_file(item.template, overlay)}: rendered {item.path},"
                f" which is not valid Python: {exc}"
            ) from None
        files[item.path] = text
        if progress and (index % 50 == 0 or index == len(planned)):
            progress(f"rendered {index}/{len(planned)} files")
    return files


def _template_file(template: str | None, overlay: Path | None) -> str:
    """The file a template was read from (the overlay's copy when it has one)."""
    if template is None:
        return "pmgen"
    if overlay is not None and (overlay / template).is_file():
        return str(overlay / template)
    return template


def generate(
    collection: Path | None,
    output: Path,
    config: ClientConfig | None = None,
    *,
    spec: ApiSpec | None = None,
    overlay: Path | None = None,
    progress: Progress | None = None,
) -> GenerationReport:
    """Generate the package for ``collection`` (or from an edited ``spec``) into ``output``.

    ``overlay`` (default: the configured ``templates``) is a folder of templates
    replacing pmgen's by name. Files protected by ``.pmgenignore`` survive.
    """
    started = time.perf_counter()
    config = config or ClientConfig()
    diagnostics: list[Diagnostic] = []
    if spec is None:
        spec, diagnostics = build(collection, config)
    if config.package_name:
        spec = replace(spec, package=config.package_name)
    files = render_files(
        spec,
        overlay=overlay if overlay is not None else config.templates,
        format_code=config.format,
        progress=progress,
    )
    removed = write_tree(output, files, ignore_rules(output, config))
    seconds = time.perf_counter() - started
    return GenerationReport(spec, files, diagnostics, seconds, removed)


def ignore_rules(output: Path, config: ClientConfig) -> IgnoreRules:
    """The ``.pmgenignore`` rules of a client: next to its config file, then in
    its output folder."""
    return load_ignore(output, [config.config_dir] if config.config_dir else [])
