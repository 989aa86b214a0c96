"""What every part of the benchmark shares: paths, measured subprocesses, tables."""

from __future__ import annotations

import hashlib
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
SYNTHETIC = SHARED / "bench"
CORPUS = SHARED / "corpus"
SALESFORCE = REPO / "collections" / "salesforce-bulk-v2.postman_collection.json"
CORPUS_INPUTS = ("stripe-api", "sabre-booking-management-api-v2026-04")
PEERS_DIR = REPO / ".cache" / "bench-peers"


def synthetic_path(size: int) -> Path:
    return SYNTHETIC / f"synthetic-{size}.postman_collection.json"


def corpus_path(name: str) -> Path:
    return CORPUS / f"{name}.postman_collection.json"


def progress(message: str) -> None:
    """A progress line on stderr (stdout holds only the tables)."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ------------------------------------------------------------ measured processes


class ProcFigures(TypedDict, total=False):
    """One child process: wall time, resources, how it ended (JSON-ready)."""

    command: list[str]
    wall_s: float
    returncode: int
    timed_out: bool
    maxrss_kib: int
    user_s: float
    sys_s: float
    stderr_tail: list[str]
    stdout_tail: list[str]


@dataclass
class Proc:
    """A finished child process and what ``wait4`` said about it."""

    figures: ProcFigures
    stdout: str = ""
    stderr: str = ""

    @property
    def ok(self) -> bool:
        return self.figures.get("returncode") == 0 and not self.figures.get("timed_out")

    @property
    def wall_s(self) -> float:
        return self.figures["wall_s"]

    def reason(self) -> str:
        """Why it failed, in one short line."""
        if self.figures.get("timed_out"):
            return f"timed out after {self.figures['wall_s']:.0f} s"
        lines = [
            line.strip()
            for line in (self.stderr + "\n" + self.stdout).splitlines()
            if line.strip()
        ]
        last = lines[-1] if lines else "(no output)"
        if len(last) > 160:
            last = last[:157] + "..."
        return f"exit {self.figures.get('returncode')}: {last}"


LAUNCHER = Path(__file__).resolve().with_name("launch.py")


def run_measured(
    command: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str] | None = None,
    timeout: float | None = None,
    keep_output: bool = True,
) -> Proc:
    """Run ``command`` to completion; wall time and ``wait4`` resource use.

    The command is started by ``bench/launch.py``, a small process of its own (so
    its peak RSS does not start at the bench's, see there), which times it and
    reaps it with ``wait4``: ``maxrss_kib`` is the peak RSS of the child or of any
    descendant it waited for (Linux merges a reaped child's usage into its
    parent's, ``ru_maxrss`` being the maximum). Output goes to files (no pipe to
    drain while the child runs). On timeout the child's whole process group is
    killed.
    """
    with tempfile.TemporaryDirectory(prefix="pmgen-bench-proc-") as tmp:
        folder = Path(tmp)
        spec = {
            "command": list(command),
            "cwd": str(cwd),
            "stdout": str(folder / "stdout"),
            "stderr": str(folder / "stderr"),
            "timeout": timeout,
        }
        (folder / "spec.json").write_text(json.dumps(spec), encoding="utf-8")
        launched = subprocess.run(
            [
                sys.executable,
                "-S",
                "-E",
                str(LAUNCHER),
                str(folder / "spec.json"),
                str(folder / "result.json"),
            ],
            env=dict(env) if env is not None else None,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
        )
        if launched.returncode != 0 or not (folder / "result.json").is_file():
            raise RuntimeError(
                f"bench/launch.py failed ({launched.returncode}): {launched.stderr}"
            )
        found = json.loads((folder / "result.json").read_text(encoding="utf-8"))
        stdout = stderr = ""
        if keep_output:
            stdout = (folder / "stdout").read_bytes().decode("utf-8", "replace")
            stderr = (folder / "stderr").read_bytes().decode("utf-8", "replace")
    figures = ProcFigures(
        command=list(command),
        wall_s=float(found["wall_s"]),
        returncode=int(found["returncode"]),
        timed_out=bool(found["timed_out"]),
        maxrss_kib=int(found["maxrss_kib"]),
        user_s=float(found["user_s"]),
        sys_s=float(found["sys_s"]),
        stderr_tail=stderr.splitlines()[-15:],
        stdout_tail=stdout.splitlines()[-5:],
    )
    return Proc(figures, stdout, stderr)


def peak_rss_kib() -> int:
    """This process's own peak RSS (KiB).

    ``VmHWM`` from ``/proc/self/status`` where there is one: ``ru_maxrss`` of
    ``RUSAGE_SELF`` starts at the peak of whichever process spawned this one.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak


def warm_cache(path: Path) -> None:
    """Read a file once so no measured run pays for the disk."""
    with open(path, "rb") as handle:
        while handle.read(1 << 20):
            pass


def tree_hashes(root: Path) -> dict[str, str]:
    """sha256 of every file under ``root`` by relative path (``__pycache__`` left out)."""
    found: dict[str, str] = {}
    if not root.is_dir():
        return found
    for path in sorted(root.rglob("*")):
        if "__pycache__" in path.parts or not path.is_file():
            continue
        found[path.relative_to(root).as_posix()] = hashlib.sha256(
            path.read_bytes()
        ).hexdigest()
    return found


@dataclass(frozen=True)
class TreeDiff:
    """Files added, removed and modified between two ``tree_hashes``."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    modified: tuple[str, ...] = ()

    @property
    def count(self) -> int:
        return len(self.added) + len(self.removed) + len(self.modified)

    def describe(self, limit: int = 4) -> str:
        names = [
            *(f"+{n}" for n in self.added),
            *(f"-{n}" for n in self.removed),
            *(f"~{n}" for n in self.modified),
        ]
        more = len(names) - limit
        shown = ", ".join(names[:limit])
        return shown + (f", ... (+{more})" if more > 0 else "")


def tree_diff(before: Mapping[str, str], after: Mapping[str, str]) -> TreeDiff:
    return TreeDiff(
        added=tuple(sorted(set(after) - set(before))),
        removed=tuple(sorted(set(before) - set(after))),
        modified=tuple(
            sorted(n for n in set(before) & set(after) if before[n] != after[n])
        ),
    )


# --------------------------------------------------------------------- formatting


def fmt_ms(seconds: float | None) -> str:
    """Milliseconds with about three significant digits."""
    if seconds is None:
        return "-"
    ms = seconds * 1000
    if ms < 10:
        return f"{ms:.2f}"
    return f"{ms:.1f}" if ms < 100 else f"{ms:,.0f}"


def fmt_s(seconds: float | None) -> str:
    """Seconds with about three significant digits."""
    if seconds is None:
        return "-"
    if seconds < 1:
        return f"{seconds:.3f}"
    return f"{seconds:.2f}" if seconds < 100 else f"{seconds:,.0f}"


def fmt_us(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1e6:,.1f}"


def fmt_ratio(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}x"


def fmt_int(value: float | None) -> str:
    return "-" if value is None else f"{int(value):,}"


def fmt_mib(kib: float | None) -> str:
    return "-" if kib is None else f"{kib / 1024:.1f}"


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


@dataclass
class Table:
    """An aligned text table; a row may carry note lines printed under it."""

    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    notes: list[list[str]] = field(default_factory=list)
    left: int = 1  # leading columns aligned left

    def add(self, row: Sequence[str], notes: Sequence[str] = ()) -> None:
        if len(row) != len(self.header):
            raise ValueError(f"row of {len(row)} cells for {len(self.header)} columns")
        self.rows.append(list(row))
        self.notes.append(list(notes))

    def render(self) -> str:
        widths = [
            max([len(self.header[i]), *(len(row[i]) for row in self.rows)])
            for i in range(len(self.header))
        ]

        def line(cells: Sequence[str]) -> str:
            parts = [
                cell.ljust(width) if index < self.left else cell.rjust(width)
                for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
            ]
            return "  ".join(parts).rstrip()

        out = [line(self.header), line(["-" * width for width in widths])]
        indent = " " * (widths[0] + 2)
        for row, notes in zip(self.rows, self.notes, strict=True):
            out.append(line(row))
            out.extend(indent + note for note in notes)
        return "\n".join(out)


def section(title: str, *lines: str) -> None:
    """Print a titled block to stdout (flushed: a long run shows each as it ends)."""
    print()
    print(f"## {title}")
    for text in lines:
        print(text)
    sys.stdout.flush()


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
