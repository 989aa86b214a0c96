"""Cold generation in-process, stage by stage, one fresh subprocess per run.

This is the original ``bench/run.py`` measurement (its child runs as
``bench/run.py --child PATH --result FILE``); see ``bench/README.md``.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Literal, TypedDict, TypeVar

from bench.common import (
    REPO,
    Table,
    fmt_int,
    fmt_mib,
    fmt_ms,
    fmt_ratio,
    peak_rss_kib,
    progress,
    warm_cache,
)

T = TypeVar("T")

TimeKey = Literal[
    "import_s",
    "build_s",
    "render_s",
    "write_s",
    "total_s",
    "json_load_s",
    "black_warmup_s",
    "black_s",
]
CountKey = Literal[
    "input_bytes",
    "operations",
    "models",
    "diagnostics",
    "files",
    "py_files",
    "lines",
    "bytes_out",
    "black_reformatted",
    "rss_imports_kib",
    "peak_rss_kib",
]
TIME_KEYS: tuple[TimeKey, ...] = (
    "import_s",
    "build_s",
    "render_s",
    "write_s",
    "total_s",
    "json_load_s",
    "black_warmup_s",
    "black_s",
)
COUNT_KEYS: tuple[CountKey, ...] = (
    "input_bytes",
    "operations",
    "models",
    "diagnostics",
    "files",
    "py_files",
    "lines",
    "bytes_out",
    "black_reformatted",
    "rss_imports_kib",
    "peak_rss_kib",
)


class StageError(TypedDict):
    """A failure inside the child (or of the child process itself)."""

    stage: str
    type: str
    message: str
    traceback: list[str]


class RunResult(TypedDict, total=False):
    """The raw figures of one run of one input (one subprocess)."""

    input: str
    input_bytes: int
    import_s: float
    build_s: float
    render_s: float
    write_s: float
    total_s: float
    json_load_s: float
    operations: int
    models: int
    diagnostics: int
    files: int
    py_files: int
    lines: int
    bytes_out: int
    rss_start_kib: int
    rss_imports_kib: int
    peak_rss_kib: int
    black_warmup_s: float
    black_s: float
    black_reformatted: int
    source_changed: bool
    error: StageError


# --------------------------------------------------------------------------- child


def source_fingerprint() -> list[tuple[str, int, int]]:
    """(path, mtime, size) of the generator's code and templates.

    Templates are read at render time but modules at import time, so an edit
    during a long run can mix two versions; comparing this before and after the
    pipeline tells.
    """
    found: list[tuple[str, int, int]] = []
    for folder in (REPO / "generator", REPO / "templates"):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                info = path.stat()
                found.append((str(path), info.st_mtime_ns, info.st_size))
    return found


def _error(stage: str, exc: BaseException) -> StageError:
    return StageError(
        stage=stage,
        type=f"{type(exc).__module__}.{type(exc).__qualname__}".removeprefix(
            "builtins."
        ),
        message=str(exc),
        traceback=traceback.format_exception(type(exc), exc, exc.__traceback__),
    )


class _StageFailed(Exception):
    def __init__(self, error: StageError) -> None:
        super().__init__(error["message"])
        self.error = error


def _timed(stage: str, result: RunResult, key: TimeKey, action: Callable[[], T]) -> T:
    """Run ``action``; store its wall time under ``key`` or raise ``_StageFailed``."""
    started = time.perf_counter()
    try:
        value = action()
    except Exception as exc:  # any generator failure is a result, not a crash
        raise _StageFailed(_error(stage, exc)) from exc
    result[key] = time.perf_counter() - started
    return value


def child(path: Path, with_black: bool) -> RunResult:
    """Measure one input in this (fresh) process."""
    result = RunResult(input=str(path), rss_start_kib=peak_rss_kib())
    before: list[tuple[str, int, int]] | None = None
    try:
        result["input_bytes"] = path.stat().st_size
        sys.path.insert(0, str(REPO))
        before = source_fingerprint()

        started = time.perf_counter()
        try:
            from generator.pipeline import build, render_files, without_gc
            from generator.writer import write_tree
        except Exception as exc:
            raise _StageFailed(_error("import", exc)) from exc
        result["import_s"] = time.perf_counter() - started
        result["rss_imports_kib"] = peak_rss_kib()

        # The cyclic collector off, as in every pmgen command (see without_gc).
        with without_gc():
            spec, diagnostics = _timed("build", result, "build_s", partial(build, path))
            result["operations"] = len(spec.iter_operations())
            result["models"] = len(spec.models)
            result["diagnostics"] = len(diagnostics)
            files = _timed("render", result, "render_s", partial(render_files, spec))
        with tempfile.TemporaryDirectory(prefix="pmgen-bench-") as tmp:
            target = Path(tmp) / "client"
            _timed("write", result, "write_s", partial(write_tree, target, files))
            result["peak_rss_kib"] = peak_rss_kib()
            result["total_s"] = (
                result["build_s"] + result["render_s"] + result["write_s"]
            )
        result["source_changed"] = source_fingerprint() != before

        result["files"] = len(files)
        result["py_files"] = sum(1 for name in files if name.endswith(".py"))
        result["lines"] = sum(len(text.splitlines()) for text in files.values())
        result["bytes_out"] = sum(len(text.encode()) for text in files.values())

        # Baseline: free the spec so the collector does not walk it during json.load.
        del spec, diagnostics
        gc.collect()

        def load_json() -> object:
            with open(path, "rb") as handle:
                return json.load(handle)

        _timed("json.load", result, "json_load_s", load_json)

        if with_black:
            from generator.render.format import format_python

            _timed("black", result, "black_warmup_s", lambda: format_python("x=1\n"))
            sources = [
                (name, text) for name, text in files.items() if name.endswith(".py")
            ]

            def format_all() -> list[str]:
                formatted: list[str] = []
                for name, text in sources:
                    try:
                        formatted.append(format_python(text, None))
                    except Exception as exc:
                        raise RuntimeError(f"black failed on {name}") from exc
                return formatted

            formatted = _timed("black", result, "black_s", format_all)
            result["black_reformatted"] = sum(
                1
                for (_, old), new in zip(sources, formatted, strict=True)
                if old != new
            )
    except _StageFailed as failed:
        result["error"] = failed.error
    except Exception as exc:  # a failure of the benchmark's own bookkeeping
        result["error"] = _error("bench", exc)
    result.setdefault("peak_rss_kib", peak_rss_kib())
    if "source_changed" not in result and before is not None:
        result["source_changed"] = source_fingerprint() != before
    return result


# -------------------------------------------------------------------------- parent


@dataclass
class InputSummary:
    """Every run of one input and the figures shown in the table."""

    label: str
    path: Path
    runs: list[RunResult] = field(default_factory=list)

    @property
    def error(self) -> StageError | None:
        for run in self.runs:
            if "error" in run:
                return run["error"]
        return None

    def best(self, key: TimeKey) -> float | None:
        """Minimum of a time over the runs (``None`` if no run measured it)."""
        values = [run[key] for run in self.runs if key in run]
        return min(values) if values else None

    def worst(self, key: CountKey) -> float | None:
        """Maximum of a figure over the runs (``None`` if no run measured it)."""
        values = [run[key] for run in self.runs if key in run]
        return max(values) if values else None

    def summary(self) -> dict[str, float | None]:
        found: dict[str, float | None] = {key: self.best(key) for key in TIME_KEYS}
        found.update({key: self.worst(key) for key in COUNT_KEYS})
        total, baseline = found["total_s"], found["json_load_s"]
        found["total_over_json"] = total / baseline if total and baseline else None
        peak, size = found["peak_rss_kib"], found["input_bytes"]
        found["peak_over_input"] = peak * 1024 / size if peak and size else None
        start = found["rss_imports_kib"]
        found["delta_peak_over_input"] = (
            (peak - start) * 1024 / size if peak and start and size else None
        )
        black = found["black_s"]
        found["black_over_total"] = black / total if black and total else None
        return found


def run_child(path: Path, with_black: bool, timeout: float | None) -> RunResult:
    """One fresh subprocess for ``path``; its figures, or why it died."""
    with tempfile.TemporaryDirectory(prefix="pmgen-bench-result-") as tmp:
        out = Path(tmp) / "result.json"
        command = [
            sys.executable,
            str(REPO / "bench" / "run.py"),
            "--child",
            str(path),
            "--result",
            str(out),
        ]
        if with_black:
            command.append("--with-black")
        try:
            done = subprocess.run(
                command,
                cwd=REPO,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return RunResult(
                input=str(path),
                error=StageError(
                    stage="subprocess",
                    type="TimeoutExpired",
                    message=f"no result after {timeout:g} s",
                    traceback=[],
                ),
            )
        if done.returncode == 0 and out.is_file():
            loaded: RunResult = json.loads(out.read_text(encoding="utf-8"))
            return loaded
        tail = (done.stderr or done.stdout).strip().splitlines()[-20:]
        return RunResult(
            input=str(path),
            error=StageError(
                stage="subprocess",
                type=f"exit status {done.returncode}",
                message=tail[-1] if tail else "(no output)",
                traceback=[line + "\n" for line in tail],
            ),
        )


def measure(
    inputs: Sequence[tuple[str, Path]],
    repeat: int,
    with_black: bool,
    timeout: float | None,
) -> list[InputSummary]:
    """``repeat`` fresh child runs of every input (a missing file is a row error)."""
    summaries: list[InputSummary] = []
    for label, path in inputs:
        item = InputSummary(label, path)
        summaries.append(item)
        if not path.is_file():
            item.runs.append(
                RunResult(
                    input=str(path),
                    error=StageError(
                        stage="input",
                        type="FileNotFoundError",
                        message=f"{path} not found",
                        traceback=[],
                    ),
                )
            )
            continue
        warm_cache(path)
        for index in range(repeat):
            progress(f"stages: {label} run {index + 1}/{repeat}")
            item.runs.append(run_child(path, with_black, timeout))
    return summaries


def tracebacks(summaries: Sequence[InputSummary]) -> str:
    """The full traceback of every failed input (empty when none failed)."""
    blocks: list[str] = []
    for item in summaries:
        error = item.error
        if error is not None:
            blocks.append(
                f"--- {item.label}: {error['stage']} failed ---\n"
                + ("".join(error["traceback"]).rstrip() or error["message"])
            )
    return "\n\n".join(blocks)


def table(summaries: Sequence[InputSummary], with_black: bool) -> str:
    """One aligned text table; a failed input shows its error after its size."""
    header = [
        "input",
        "in MiB",
        "ops",
        "build ms",
        "render ms",
        "write ms",
        "total ms",
        "json ms",
        "total/json",
        "files",
        "lines",
        "peak MiB",
        "peak/in",
        "Δpeak/in",
    ]
    if with_black:
        header += ["black ms", "black/total", "reformatted"]
    out = Table(header)
    for item in summaries:
        s = item.summary()
        size = s["input_bytes"]
        row = [
            item.label,
            "-" if size is None else f"{size / 2**20:.2f}",
            fmt_int(s["operations"]),
            fmt_ms(s["build_s"]),
            fmt_ms(s["render_s"]),
            fmt_ms(s["write_s"]),
            fmt_ms(s["total_s"]),
            fmt_ms(s["json_load_s"]),
            fmt_ratio(s["total_over_json"]),
            fmt_int(s["files"]),
            fmt_int(s["lines"]),
            fmt_mib(s["peak_rss_kib"]),
            fmt_ratio(s["peak_over_input"]),
            fmt_ratio(s["delta_peak_over_input"]),
        ]
        if with_black:
            row += [
                fmt_ms(s["black_s"]),
                fmt_ratio(s["black_over_total"]),
                fmt_int(s["black_reformatted"]),
            ]
        notes: list[str] = []
        failure = item.error
        if failure is not None:
            notes.append(
                f"ERROR in {failure['stage']}: {failure['type']}: {failure['message']}"
            )
        if any(run.get("source_changed") for run in item.runs):
            notes.append(
                "WARNING: generator/ or templates/ changed on disk during the run;"
                " figures (and errors) may mix two versions of the code"
            )
        out.add(row, notes)
    return out.render()
