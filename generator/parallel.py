"""Render planned files straight into a staging folder, on every core.

Workers are forked after the spec is built, so they share it (copy-on-write) and
nothing but file indexes and error messages crosses a pipe; each worker writes the
files it renders itself. The parent never holds the package's text. Each file is
rendered on its own, so the output does not depend on the number of workers.

A job may also carry the computation of the files' content keys (for the manifest
of a cold run, where no key is needed before rendering): it is the first task a
worker takes, so it shares the cores with the rendering instead of delaying it;
only the keys (small strings) cross a pipe.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .render.environment import TemplateError
from .render.format import InvalidPython, format_python, layout_is_stable
from .render.plan import PlannedFile
from .writer import write_file

Progress = Callable[[str], None]

# Below this many files to render, forking workers costs more than it saves.
PARALLEL_MIN_FILES = 24


@dataclass(frozen=True)
class RenderJob:
    """What every worker needs (inherited through ``fork``, never pickled)."""

    planned: list[PlannedFile]
    staging: Path
    overlay: Path | None
    format_code: bool
    black_cache: Path | None
    # Every file's content key (path → key), computed alongside the rendering;
    # ``render_into`` returns them.
    keys: Callable[[], dict[str, str]] | None = None


_JOB: RenderJob | None = None
_WORKER = False  # True in the worker processes


def _start_worker() -> None:
    global _WORKER
    _WORKER = True


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def render_text(item: PlannedFile, job: RenderJob) -> str:
    """One file's text: rendered, and formatted by black where pmgen cannot vouch
    for its layout (or when asked)."""
    try:
        text = item.make()
        if item.python and (
            job.format_code or job.overlay is not None or not layout_is_stable(text)
        ):
            text = format_python(text, job.black_cache)
    except TemplateError as exc:
        raise TemplateError(f"{exc} (rendering {item.path})") from None
    except InvalidPython as exc:
        raise TemplateError(
            f"{template_file(item.template, job.overlay)}: rendered {item.path},"
            f" which is not valid Python: {exc}"
        ) from None
    return text


def template_file(template: str | None, overlay: Path | None) -> str:
    """The file a template was read from (the overlay's copy when it has one)."""
    if template is None:
        return "pmgen"
    if overlay is not None and (overlay / template).is_file():
        return str(overlay / template)
    return template


def _render_one(index: int) -> str | BaseException | None:
    """Render and write file ``index`` of the job: None when done, the message of a
    template error, or any other exception to raise in the parent (a worker that
    died of it instead would leave the pool waiting for its result forever)."""
    assert _JOB is not None
    item = _JOB.planned[index]
    try:
        write_file(_JOB.staging, item.path, render_text(item, _JOB))
    except TemplateError as exc:
        return str(exc)
    except BaseException as exc:
        if _WORKER:
            return exc
        raise
    return None


def _file_keys() -> dict[str, str]:
    """The job's content keys (in a worker)."""
    assert _JOB is not None and _JOB.keys is not None
    return _JOB.keys()


def render_into(
    job: RenderJob,
    todo: list[int],
    *,
    jobs: int = 1,
    progress: Progress | None = None,
) -> dict[str, str] | None:
    """Render the files ``todo`` (indexes into ``job.planned``) into the staging
    folder, with up to ``jobs`` processes; the result of ``job.keys`` (None without
    it).

    Raises ``TemplateError`` for the first failing file (in plan order).
    """
    global _JOB
    parallel = (
        jobs > 1
        and len(todo) >= PARALLEL_MIN_FILES
        and "fork" in multiprocessing.get_all_start_methods()
    )
    _JOB = job
    try:
        if parallel:
            context = multiprocessing.get_context("fork")
            with context.Pool(min(jobs, len(todo)), _start_worker) as pool:
                # Queued first: a worker takes it while the others start rendering.
                keys = pool.apply_async(_file_keys) if job.keys is not None else None
                # Ordered results: the first failing file is the same on every run.
                results = pool.imap(_render_one, todo, chunksize=4)
                _collect(results, len(todo), progress)
                return keys.get() if keys is not None else None
        _collect((_render_one(i) for i in todo), len(todo), progress)
        return job.keys() if job.keys is not None else None
    finally:
        _JOB = None


def _collect(
    results: Iterable[str | BaseException | None],
    total: int,
    progress: Progress | None,
) -> None:
    for done, error in enumerate(results, 1):
        if isinstance(error, BaseException):
            raise error
        if error is not None:
            raise TemplateError(error)
        if progress and (done % 50 == 0 or done == total):
            progress(f"rendered {done}/{total} files")
