"""The pipeline, stage by stage: load → spec → render → format → write.

``generate`` is the public entry point (also used by the CLI). Every stage can be run
on its own: ``build`` stops at the spec (for ``pmgen spec``), ``render_files`` turns a
spec into file texts in memory (for ``pmgen check``).
"""

from __future__ import annotations

import gc
import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from . import incremental
from .config import ClientConfig
from .errors import Diagnostic, UsageError
from .ignore import IgnoreRules, load_ignore
from .naming import (
    RESERVED_CLIENT_ATTRIBUTES,
    NameScope,
    package_name,
    resource_attribute,
)
from .parallel import RenderJob, default_jobs, render_into, render_text
from .postman import load_collection, load_environment
from .render.environment import keep_compiled_templates
from .render.keys import FileKeys, tree_digest
from .render.plan import PlannedFile, plan
from .spec.build import build_locked_spec, build_spec
from .spec.model import ApiSpec
from .writer import cleanup, finish, reuse_file, stage

# Locks, version policy and combined clients are imported by the functions using
# them: a plain ``generate`` does without (and every import is paid on every run).
if TYPE_CHECKING:
    from .diff import Change
    from .spec.lock import Lock

Progress = Callable[[str], None]


@dataclass
class GenerationReport:
    """What a run produced."""

    spec: ApiSpec
    files: list[str]  # every generated file (relative paths)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    seconds: float = 0.0
    removed: list[str] = field(default_factory=list)  # files of the old folder gone
    rendered: list[str] = field(default_factory=list)  # the others were reused


@contextmanager
def without_gc() -> Iterator[None]:
    """Python's cyclic garbage collector off for the block.

    The pipeline makes next to no cyclic garbage (peak memory is the same without
    the collector), but each collection scans every live object, the parsed
    collection included: for a large collection that is a third of the run.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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
    environment = load_environment(config.environment) if config.environment else {}
    # No reference kept here: the spec build frees the collection when done with it.
    return build_spec(load_collection(collection), config, environment)


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
    from .diff import bump, bump_version, compare, surface
    from .spec.lock import dump_lock, load_lock, make_lock
    from .spec.serialize import to_data

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
    from .spec.combine import Part, combine

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
    """Every file of the package as text, in memory (``cache_dir``: black's cache).

    pmgen's templates emit black's style; black runs only when asked, for custom
    templates, or on a file with a line too long for the layout rules to be sure of.
    """
    job = RenderJob(plan(spec, overlay), Path(), overlay, format_code, cache_dir)
    files: dict[str, str] = {}
    for index, item in enumerate(job.planned, 1):
        files[item.path] = render_text(item, job)
        if progress and (index % 50 == 0 or index == len(job.planned)):
            progress(f"rendered {index}/{len(job.planned)} files")
    return files


def generate(
    collection: Path | None,
    output: Path,
    config: ClientConfig | None = None,
    *,
    spec: ApiSpec | None = None,
    overlay: Path | None = None,
    progress: Progress | None = None,
    cache_dir: Path | None = None,
    jobs: int | None = None,
) -> GenerationReport:
    """Generate the package for ``collection`` (or from an edited ``spec``) into ``output``.

    ``overlay`` (default: the configured ``templates``) is a folder of templates
    replacing pmgen's by name. Files protected by ``.pmgenignore`` survive.
    ``cache_dir``: where pmgen keeps what makes the next run incremental (None: no
    cache, every file rendered). ``jobs``: worker processes for rendering (default:
    every core, for a package big enough to gain from it).
    """
    with without_gc():
        return _generate(
            collection, output, config, spec, overlay, progress, cache_dir, jobs
        )


def _generate(
    collection: Path | None,
    output: Path,
    config: ClientConfig | None,
    spec: ApiSpec | None,
    overlay: Path | None,
    progress: Progress | None,
    cache_dir: Path | None,
    jobs: int | None,
) -> GenerationReport:
    started = time.perf_counter()
    config = config or ClientConfig()
    diagnostics: list[Diagnostic] = []
    if spec is None:
        spec, diagnostics = build(collection, config)
    if config.package_name:
        spec = replace(spec, package=config.package_name)
    overlay = overlay if overlay is not None else config.templates
    output = output.resolve()
    keep_compiled_templates(cache_dir / "templates" if cache_dir is not None else None)
    job = RenderJob(
        plan(spec, overlay),
        stage(output),
        overlay,
        config.format,
        cache_dir / "black" if cache_dir is not None else None,
    )
    with cleanup(job.staging, output):
        keys, todo = _reuse(job, output, spec, cache_dir)
        if keys is None:  # needed for the manifest only: made while rendering
            planned, salt = job.planned, _render_salt(job.overlay, job.format_code)
            job = replace(job, keys=lambda: file_keys(planned, spec, salt))
        made = render_into(job, todo, jobs=jobs or default_jobs(), progress=progress)
        keys = keys if keys is not None else made or {}
        paths = [item.path for item in job.planned]
        removed = finish(job.staging, output, ignore_rules(output, config), set(paths))
    if cache_dir is not None:
        incremental.save(cache_dir, incremental.record(output, keys))
    rendered = [job.planned[i].path for i in todo]
    seconds = time.perf_counter() - started
    return GenerationReport(spec, paths, diagnostics, seconds, removed, rendered)


def _reuse(
    job: RenderJob, output: Path, spec: ApiSpec, cache_dir: Path | None
) -> tuple[dict[str, str] | None, list[int]]:
    """Link the files unchanged since the last run into the staging folder; the
    content key of every file (None when no file can be reused: the keys are then
    not needed before rendering) and the indexes of the files still to render."""
    everything = list(range(len(job.planned)))
    if cache_dir is None:
        return {}, everything
    previous = incremental.load(cache_dir, output)
    reusable = previous.reusable(output) if previous is not None else {}
    if not reusable:
        return None, everything
    keys = file_keys(job.planned, spec, _render_salt(job.overlay, job.format_code))
    todo: list[int] = []
    for index, item in enumerate(job.planned):
        key = keys[item.path]
        same = bool(key) and reusable.get(item.path) == key
        if not (same and reuse_file(job.staging, item.path, output / item.path)):
            todo.append(index)
    return keys, todo


def file_keys(planned: list[PlannedFile], spec: ApiSpec, salt: str) -> dict[str, str]:
    """The content key of every planned file ("" for one that has none)."""
    found = FileKeys(spec, salt)
    return {
        item.path: item.key(found) if item.key is not None else "" for item in planned
    }


def _render_salt(overlay: Path | None, format_code: bool) -> str:
    """What besides the spec and pmgen shapes the rendered text."""
    templates = tree_digest([overlay]) if overlay is not None else ""
    return f"overlay={templates} format={format_code}"


def ignore_rules(output: Path, config: ClientConfig) -> IgnoreRules:
    """The ``.pmgenignore`` rules of a client: next to its config file, then in
    its output folder."""
    return load_ignore(output, [config.config_dir] if config.config_dir else [])
