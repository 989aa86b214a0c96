"""The one Jinja environment pmgen renders with (``StrictUndefined``: a missing value
is an error, never an empty string that still parses)."""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import re
import traceback
from functools import cache
from pathlib import Path

import jinja2

from ..errors import Diagnostic, Level, PmgenError

_PACKAGED = Path(__file__).resolve().parent.parent / "_templates"
_SOURCE = Path(__file__).resolve().parents[2] / "templates"


def template_dirs(overlay: Path | None = None) -> list[Path]:
    """Where templates are looked up: a user overlay first, then pmgen's own."""
    own = _PACKAGED if _PACKAGED.is_dir() else _SOURCE
    return [overlay, own] if overlay is not None else [own]


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Templates compiled by an earlier run (jinja2 checks each against its source
    and its own version); a cache folder that cannot be read or written is not an
    error, the templates are compiled again."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


# Where compiled templates are kept (None: nowhere); see ``keep_compiled_templates``.
_COMPILED: list[_CompiledTemplates | None] = [None]


def keep_compiled_templates(folder: Path | None) -> None:
    """Keep the compiled templates in ``folder`` for later runs (None: compile them
    in every process). Compiling pmgen's templates costs a run that renders a few
    files more than rendering them."""
    current = _COMPILED[0]
    if (current.directory if current else None) == (str(folder) if folder else None):
        return
    cache = None
    if folder is not None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            cache = _CompiledTemplates(str(folder))
        except OSError:
            cache = None
    _COMPILED[0] = cache
    environment.cache_clear()  # environments are made with the cache they use


@cache
def environment(overlay: Path | None = None) -> jinja2.Environment:
    """The environment for the given template overlay (cached per overlay)."""
    own = template_dirs()[-1]
    return jinja2.Environment(
        # ``pmgen/<name>`` always names pmgen's own template, so that an overlay
        # template can include or extend the one it replaces.
        loader=jinja2.ChoiceLoader(
            [
                jinja2.FileSystemLoader([str(d) for d in template_dirs(overlay)]),
                jinja2.PrefixLoader({"pmgen": jinja2.FileSystemLoader(str(own))}),
            ]
        ),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        bytecode_cache=_COMPILED[0],
    )


class TemplateError(PmgenError):
    """A template that cannot be rendered: names its file and line, on one line."""


def render(template: str, overlay: Path | None = None, **context: object) -> str:
    """Render one template with its view.

    Raises ``TemplateError`` (``file:line: problem``) for a syntax error, an undefined
    name, or any failure raised from the code of a template of the overlay.
    """
    if overlay is not None:
        overlay = overlay.resolve()  # the environment is cached per folder
    try:
        return environment(overlay).get_template(template).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        where = f"{exc.filename or template}:{exc.lineno}"
        raise TemplateError(f"{where}: syntax error: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"{template}: template not found: {exc.name}") from None
    except Exception as exc:
        frame = _template_frame(exc)
        in_overlay = (
            frame is not None
            and overlay is not None
            and (Path(frame.filename).resolve().is_relative_to(overlay.resolve()))
        )
        if not isinstance(exc, jinja2.TemplateError) and not in_overlay:
            raise  # a bug of pmgen's own templates or views
        where = f"{frame.filename}:{frame.lineno}" if frame else template
        kind = (
            "undefined"
            if isinstance(exc, jinja2.UndefinedError)
            else type(exc).__name__
        )
        hint = _hint(exc, context.get("view"))
        raise TemplateError(f"{where}: {kind}: {exc}{hint}") from None


def _hint(exc: Exception, view: object) -> str:
    """``; did you mean 'classes'?`` when a misspelt name is close to a view field."""
    missing = re.search(r"has no attribute '(\w+)'", str(exc))
    if missing is None or not dataclasses.is_dataclass(view):
        return ""
    names = [f.name for f in dataclasses.fields(view)]
    close = difflib.get_close_matches(missing.group(1), names, n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def _template_frame(exc: BaseException) -> traceback.FrameSummary | None:
    """The innermost traceback frame that is template code (jinja maps its lines)."""
    frames = [
        f
        for f in traceback.extract_tb(exc.__traceback__)
        if f.filename.endswith(".jinja")
    ]
    return frames[-1] if frames else None


def template_names() -> list[str]:
    """Every template pmgen renders (``package/client.py.jinja``, ...)."""
    own = template_dirs()[-1]
    return sorted(p.relative_to(own).as_posix() for p in own.rglob("*.jinja"))


def check_overlay(overlay: Path) -> list[Diagnostic]:
    """Warnings for overlay files that replace none of pmgen's templates.

    Files whose name starts with ``_`` are helpers for ``{% include %}`` and
    ``{% import %}`` and are not reported. A missing folder is a usage error.
    """
    if not overlay.is_dir():
        raise PmgenError(f"{overlay}: the templates folder does not exist")
    known = template_names()
    found: list[Diagnostic] = []
    for path in sorted(overlay.rglob("*")):
        relative = path.relative_to(overlay).as_posix()
        if not path.is_file() or path.name.startswith(("_", ".")):
            continue
        if relative in known:
            continue
        close = difflib.get_close_matches(relative, known, n=1, cutoff=0.6)
        hint = (
            f"; did you mean {close[0]}?" if close else f"; pmgen's: {', '.join(known)}"
        )
        found.append(
            Diagnostic(
                Level.WARNING,
                str(path),
                f"replaces none of pmgen's templates{hint}",
            )
        )
    return found
