"""Benchmark: how long and how much memory does generating a client take?

Run from the repository root::

    .venv/bin/python bench/run.py [--sizes 100,1000,10000] [--repeat N]
                                  [--with-black] [--json out.json]

Inputs are the synthetic collections ``synthetic-{N}.postman_collection.json`` in
``<shared>/bench`` (``<shared>`` is ``Path(__file__).resolve().parents[2] / "shared"``)
and the repository's real ``collections/salesforce-bulk-v2.postman_collection.json``.

What is measured
----------------
Every run of every input happens in a *fresh* Python subprocess, so the peak
resident set size (RSS) belongs to that input alone. Inside the subprocess, after
importing ``generator`` (not timed as a stage; reported as ``import_s`` in the JSON):

``build``
    ``generator.pipeline.build(path)``: read + parse the JSON, detect and
    schema-check the collection, normalise it, build the spec.
``render``
    ``generator.pipeline.render_files(spec)``: every file of the package as text,
    in memory (no black: the templates emit black's style already).
``write``
    ``generator.writer.write_tree(tmpdir / "client", files)``: staged write and
    atomic swap on disk.
``total``
    build + render + write.
``peak RSS``
    ``resource.getrusage(RUSAGE_SELF).ru_maxrss`` (KiB on Linux) read right after
    ``write``, i.e. the high-water mark of interpreter + imports + the pipeline.
    The baseline below runs *after* this reading so it cannot inflate it.
``json``
    Baseline in the same process: ``json.load`` of the same input file (the file
    is in the page cache: the parent reads it once before starting the child).
``black`` (only with ``--with-black``)
    ``generator.render.format.format_python(text)`` (no cache) over every
    generated ``.py`` file, after one untimed warm-up call (black loads its
    grammar on first use); what formatting at generation time would add.

How to read the ratios
----------------------
``total/json``
    Total generation time divided by the time to merely parse the input with the
    standard library. Both scale with the machine, so this figure is roughly
    machine-independent: compare it across machines, commits and input sizes. If
    it grows with input size, some stage is worse than linear.
``peak/in``
    Peak RSS divided by the input file size. For small inputs it is dominated by
    the fixed cost of the interpreter and imports (``rss_imports_kib`` in the
    JSON); for large inputs it approaches the memory the pipeline needs per byte
    of collection (a parsed JSON document alone is typically several times its
    text size).
``black/total``
    How much longer generation would take if every Python file went through black.

With ``--repeat N`` each input runs in N fresh subprocesses; the table shows the
*minimum* of each time (the least disturbed run, as ``timeit`` recommends) and the
*maximum* peak RSS. ``--json`` writes every raw run as well as these summaries.
This is a benchmark, not a test: it asserts nothing, and a failure of one input is
printed in that input's row (traceback below the table) while the others go on.

Templates are read at render time but modules at import time: if ``generator/`` or
``templates/`` changes on disk during a run (a long one, in a shared checkout), the
run may mix two versions of the code. The child compares file mtimes and sizes
before and after the pipeline and the row then carries a warning. To benchmark a
fixed commit, run the script from a snapshot (``git archive``) instead.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
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

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
SYNTHETIC = SHARED / "bench"
REAL = REPO / "collections" / "salesforce-bulk-v2.postman_collection.json"
DEFAULT_SIZES = (100, 1000, 10000)

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


def _maxrss_kib() -> int:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return peak // 1024 if sys.platform == "darwin" else peak


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
    result = RunResult(input=str(path), rss_start_kib=_maxrss_kib())
    before: list[tuple[str, int, int]] | None = None
    try:
        result["input_bytes"] = path.stat().st_size
        sys.path.insert(0, str(REPO))
        before = source_fingerprint()

        started = time.perf_counter()
        try:
            from generator.pipeline import build, render_files
            from generator.writer import write_tree
        except Exception as exc:
            raise _StageFailed(_error("import", exc)) from exc
        result["import_s"] = time.perf_counter() - started
        result["rss_imports_kib"] = _maxrss_kib()

        spec, diagnostics = _timed("build", result, "build_s", partial(build, path))
        result["operations"] = len(spec.iter_operations())
        result["models"] = len(spec.models)
        result["diagnostics"] = len(diagnostics)
        files = _timed("render", result, "render_s", partial(render_files, spec))
        with tempfile.TemporaryDirectory(prefix="pmgen-bench-") as tmp:
            target = Path(tmp) / "client"
            _timed("write", result, "write_s", partial(write_tree, target, files))
            result["peak_rss_kib"] = _maxrss_kib()
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
    result.setdefault("peak_rss_kib", _maxrss_kib())
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
            str(Path(__file__).resolve()),
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


def warm_cache(path: Path) -> None:
    """Read the file once so neither the pipeline nor json.load pays for the disk."""
    with open(path, "rb") as handle:
        while handle.read(1 << 20):
            pass


def inputs(sizes: Sequence[int]) -> list[tuple[str, Path]]:
    found = [
        (f"synthetic-{size}", SYNTHETIC / f"synthetic-{size}.postman_collection.json")
        for size in sizes
    ]
    found.append(("salesforce-bulk-v2", REAL))
    return found


def _ms(seconds: float | None) -> str:
    """Milliseconds with about three significant digits."""
    if seconds is None:
        return "-"
    ms = seconds * 1000
    if ms < 10:
        return f"{ms:.2f}"
    return f"{ms:.1f}" if ms < 100 else f"{ms:,.0f}"


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}x"


def _int(value: float | None) -> str:
    return "-" if value is None else f"{int(value):,}"


def _mib(kib: float | None) -> str:
    return "-" if kib is None else f"{kib / 1024:.1f}"


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
    rows: list[list[str]] = []
    notes_by_row: list[str | None] = []
    for item in summaries:
        s = item.summary()
        size = s["input_bytes"]
        row = [
            item.label,
            "-" if size is None else f"{size / 2**20:.2f}",
            _int(s["operations"]),
            _ms(s["build_s"]),
            _ms(s["render_s"]),
            _ms(s["write_s"]),
            _ms(s["total_s"]),
            _ms(s["json_load_s"]),
            _ratio(s["total_over_json"]),
            _int(s["files"]),
            _int(s["lines"]),
            _mib(s["peak_rss_kib"]),
            _ratio(s["peak_over_input"]),
            _ratio(s["delta_peak_over_input"]),
        ]
        if with_black:
            row += [
                _ms(s["black_s"]),
                _ratio(s["black_over_total"]),
                _int(s["black_reformatted"]),
            ]
        rows.append(row)
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
        notes_by_row.append("\n".join(notes) if notes else None)
    widths = [
        max(len(header[i]), *(len(row[i]) for row in rows)) for i in range(len(header))
    ]

    def line(cells: Sequence[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = (
            cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True)
        )
        return "  ".join([first, *rest]).rstrip()

    out = [line(header), line(["-" * width for width in widths])]
    for row, error in zip(rows, notes_by_row, strict=True):
        out.append(line(row))
        if error is not None:
            indent = " " * (widths[0] + 2)
            out.append(indent + error.replace("\n", "\n" + indent))
    return "\n".join(out)


def environment_line() -> str:
    commit = "unknown"
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "generator", "templates"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        commit = head + (" (generator/templates modified)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        pass
    return (
        f"{platform.python_implementation()} {platform.python_version()} on "
        f"{platform.platform()} ({platform.machine()}, {os.cpu_count()} CPUs); "
        f"pmgen {commit}"
    )


def parse_sizes(text: str) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated integers, got {text!r}"
        ) from None
    return sizes


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Time and measure client generation (see the module docstring)."
    )
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        default=list(DEFAULT_SIZES),
        help="synthetic collection sizes, comma-separated (default: 100,1000,10000)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="fresh subprocesses per input (default: 1)",
    )
    parser.add_argument(
        "--with-black",
        action="store_true",
        help="also time black over every generated .py file",
    )
    parser.add_argument("--json", type=Path, help="write the raw figures here")
    parser.add_argument(
        "--timeout",
        type=float,
        default=None,
        help="seconds before one run is given up (default: none)",
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child is not None:
        measured = child(args.child, args.with_black)
        text = json.dumps(measured)
        if args.result is None:
            print(text)
        else:
            args.result.write_text(text, encoding="utf-8")
        return 0

    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    summaries: list[InputSummary] = []
    for label, path in inputs(args.sizes):
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
        for index in range(args.repeat):
            print(
                f"{label}: run {index + 1}/{args.repeat} ...",
                file=sys.stderr,
                flush=True,
            )
            item.runs.append(run_child(path, args.with_black, args.timeout))

    env = environment_line()
    print(env)
    print(
        f"{args.repeat} run(s) per input, each in a fresh process; "
        "times: min over runs; peak RSS: max over runs"
    )
    print()
    print(table(summaries, args.with_black))
    failed = [item for item in summaries if item.error is not None]
    for item in failed:
        error = item.error
        assert error is not None
        print(f"\n--- {item.label}: {error['stage']} failed ---")
        print("".join(error["traceback"]).rstrip() or error["message"])

    if args.json is not None:
        report = {
            "environment": env,
            "python": sys.version,
            "platform": platform.platform(),
            "repeat": args.repeat,
            "with_black": args.with_black,
            "inputs": [
                {
                    "label": item.label,
                    "path": str(item.path),
                    "summary": item.summary(),
                    "runs": item.runs,
                }
                for item in summaries
            ],
        }
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
