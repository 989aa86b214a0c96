"""The CLI end to end: cold generation, no-op regeneration, one request changed.

Every run is ``python -m generator generate FILE -o OUT`` in a fresh process, run
through a tiny wrapper (``WRAPPER``: ``runpy.run_module("generator")``, exactly what
``-m`` does) that writes its own peak RSS and its children's (worker processes) at
exit; ``wait4`` gives the wall time and the peak of the whole process tree.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypedDict

from bench.common import (
    Proc,
    ProcFigures,
    Table,
    TreeDiff,
    fmt_int,
    fmt_mib,
    fmt_ratio,
    fmt_s,
    progress,
    ratio,
    run_measured,
    tree_diff,
    tree_hashes,
    warm_cache,
)

ChangeKind = Literal["query", "header", "description"]
CHANGE_KINDS: tuple[ChangeKind, ...] = ("query", "header", "description")
PROBE = "bench_probe"

# Runs pmgen's CLI as ``python -m generator ARGS`` does, and at exit (registered
# first, so it runs after every other exit handler, pools joined) writes
# "<own peak RSS> <peak RSS of the largest waited-for child>" (KiB) to argv[1].
# Own peak: VmHWM (ru_maxrss would start at the spawning process's peak).
WRAPPER = """\
import atexit, resource, runpy, sys
_report = sys.argv[1]
def _write():
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        with open("/proc/self/status") as status:
            own = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))
    except (OSError, StopIteration):
        pass
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with open(_report, "w") as handle:
        handle.write(f"{own} {children}")
atexit.register(_write)
sys.argv = [sys.argv[0], *sys.argv[2:]]
runpy.run_module("generator", run_name="__main__", alter_sys=True)
"""


# ------------------------------------------------------------------ pure helpers


def iter_requests(
    items: list[Any], prefix: str = ""
) -> Iterator[tuple[str, dict[str, Any]]]:
    """(``Folder/Sub/Name``, item) of every request item, depth first, in order."""
    for item in items:
        if not isinstance(item, dict):
            continue
        name = f"{prefix}{item.get('name', '')}"
        if isinstance(item.get("item"), list):
            yield from iter_requests(item["item"], name + "/")
        elif isinstance(item.get("request"), dict | str):
            yield name, item


def edit_one_request(
    collection: dict[str, Any], kind: ChangeKind
) -> tuple[dict[str, Any], str]:
    """A copy of ``collection`` with ONE request changed, and what was changed.

    The request is the middle one in depth-first order (deterministic). ``query``
    adds the query parameter ``bench_probe=1``; ``header`` changes the value of
    its first header (or adds ``X-Bench-Probe: 1``); ``description`` appends a
    sentence to its description.
    """
    edited = copy.deepcopy(collection)
    found = list(iter_requests(edited.get("item", [])))
    if not found:
        raise ValueError("the collection has no request")
    position = len(found) // 2
    name, item = found[position]
    request = item["request"]
    if isinstance(request, str):  # the short form: the request is its URL
        request = item["request"] = {"method": "GET", "url": request}
    if kind == "query":
        url = request.get("url")
        if isinstance(url, dict):
            query = url.setdefault("query", [])
            query.append({"key": PROBE, "value": "1"})
            raw = str(url.get("raw", ""))
            url["raw"] = raw + ("&" if "?" in raw else "?") + f"{PROBE}=1"
        else:
            text = str(url or "")
            request["url"] = text + ("&" if "?" in text else "?") + f"{PROBE}=1"
        what = f"added query parameter {PROBE}=1"
    elif kind == "header":
        headers = request.setdefault("header", [])
        usable = [h for h in headers if isinstance(h, dict) and "key" in h]
        if usable:
            usable[0]["value"] = f"{usable[0].get('value', '')}-changed"
            what = f"changed the value of header {usable[0]['key']!r}"
        else:
            headers.append({"key": "X-Bench-Probe", "value": "1"})
            what = "added header 'X-Bench-Probe: 1'"
    else:
        old = request.get("description")
        if isinstance(old, dict):
            old["content"] = f"{old.get('content', '')} Changed by the benchmark."
        else:
            request["description"] = f"{old or ''} Changed by the benchmark.".strip()
        what = "appended a sentence to the description"
    return edited, f"{what} of request {position + 1}/{len(found)} {name!r}"


def package_for(label: str) -> str:
    """A Python package name for an input label (``synthetic-100`` → ``synthetic_100``)."""
    name = re.sub(r"\W+", "_", label).strip("_").lower()
    return name if name[:1].isalpha() else f"p_{name}"


# --------------------------------------------------------------------- measuring


@dataclass(frozen=True)
class CliOptions:
    """What this pmgen's ``generate`` accepts (read from its ``--help``)."""

    cache_dir: bool
    no_cache: bool
    jobs: bool
    help_s: float  # wall time of ``python -m generator generate --help`` (min of 3)


def detect_options(cwd: Path, timeout: float | None) -> CliOptions:
    """Run ``generate --help`` three times: its options, and the CLI's floor time."""
    runs = [
        run_measured(
            [sys.executable, "-m", "generator", "generate", "--help"],
            cwd=cwd,
            timeout=timeout,
        )
        for _ in range(3)
    ]
    text = runs[-1].stdout
    return CliOptions(
        cache_dir="--cache-dir" in text,
        no_cache="--no-cache" in text,
        jobs="--jobs" in text,
        help_s=min(run.wall_s for run in runs),
    )


class CliRunFigures(TypedDict, total=False):
    process: ProcFigures
    parent_kib: int
    children_kib: int
    files: int
    changed: int
    changed_files: list[str]
    error: str


@dataclass
class CliRun:
    """One ``pmgen generate`` run."""

    proc: Proc
    parent_kib: int | None
    children_kib: int | None
    files: int | None = None
    diff: TreeDiff | None = None

    @property
    def wall_s(self) -> float:
        return self.proc.wall_s

    @property
    def tree_kib(self) -> int:
        return self.proc.figures["maxrss_kib"]

    def figures(self) -> CliRunFigures:
        found = CliRunFigures(process=self.proc.figures)
        if self.parent_kib is not None:
            found["parent_kib"] = self.parent_kib
        if self.children_kib is not None:
            found["children_kib"] = self.children_kib
        if self.files is not None:
            found["files"] = self.files
        if self.diff is not None:
            found["changed"] = self.diff.count
            found["changed_files"] = [
                *(f"+{n}" for n in self.diff.added),
                *(f"-{n}" for n in self.diff.removed),
                *(f"~{n}" for n in self.diff.modified),
            ]
        if not self.proc.ok:
            found["error"] = self.proc.reason()
        return found


def run_cli(
    collection: Path,
    output: Path,
    package: str,
    cache: Path | None,
    *,
    no_cache: bool = False,
    jobs: int | None = None,
    cwd: Path,
    timeout: float | None,
) -> CliRun:
    report = cwd / "rusage.txt"
    report.unlink(missing_ok=True)
    command = [
        sys.executable,
        "-c",
        WRAPPER,
        str(report),
        "generate",
        str(collection),
        "-o",
        str(output),
        "--package-name",
        package,
    ]
    if cache is not None:
        command += ["--cache-dir", str(cache)]
    if no_cache:
        command.append("--no-cache")
    if jobs is not None:
        command += ["--jobs", str(jobs)]
    proc = run_measured(command, cwd=cwd, timeout=timeout)
    parent = children = None
    if report.is_file():
        own, _, kids = report.read_text().partition(" ")
        parent, children = int(own), int(kids)
        if sys.platform == "darwin":
            parent, children = parent // 1024, children // 1024
    return CliRun(proc, parent, children)


@dataclass
class CliInput:
    """Every CLI run of one input."""

    label: str
    path: Path
    input_bytes: int = 0
    cold: list[CliRun] = field(default_factory=list)
    noop: list[CliRun] = field(default_factory=list)
    change: list[CliRun] = field(default_factory=list)
    no_cache: CliRun | None = None
    no_cache_identical: bool | None = None
    change_what: str | None = None
    error: str | None = None
    notes: list[str] = field(default_factory=list)

    def best(self, runs: list[CliRun]) -> float | None:
        good = [run.wall_s for run in runs if run.proc.ok]
        return min(good) if good else None

    @property
    def cold_s(self) -> float | None:
        return self.best(self.cold)

    @property
    def noop_s(self) -> float | None:
        return self.best(self.noop)

    @property
    def change_s(self) -> float | None:
        return self.best(self.change)

    def peak(self, which: Literal["parent", "children", "tree"]) -> int | None:
        values: list[int] = []
        for run in self.cold:
            value = {
                "parent": run.parent_kib,
                "children": run.children_kib,
                "tree": run.tree_kib,
            }[which]
            if value is not None:
                values.append(value)
        return max(values) if values else None

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "path": str(self.path),
            "input_bytes": self.input_bytes,
            "cold_s": self.cold_s,
            "noop_s": self.noop_s,
            "change_s": self.change_s,
            "change_what": self.change_what,
            "parent_peak_kib": self.peak("parent"),
            "children_peak_kib": self.peak("children"),
            "tree_peak_kib": self.peak("tree"),
            "no_cache_identical": self.no_cache_identical,
            "error": self.error,
            "notes": self.notes,
            "runs": {
                "cold": [run.figures() for run in self.cold],
                "noop": [run.figures() for run in self.noop],
                "change": [run.figures() for run in self.change],
                "no_cache": self.no_cache.figures() if self.no_cache else None,
            },
        }


def measure_input(
    label: str,
    source: Path,
    workdir: Path,
    options: CliOptions,
    *,
    repeat: int,
    change_kind: ChangeKind,
    timeout: float | None,
    keep: bool,
    jobs: int | None = None,
    after_noop: Callable[[Path, str], None] | None = None,
) -> CliInput:
    """Cold, no-op and one-change runs of ``source``, ``repeat`` times.

    Each repetition works in a folder of its own: a copy of the collection (the
    edit later overwrites that same path, as a user editing the file would), an
    output folder and, when pmgen has ``--cache-dir``, a fresh empty cache folder.
    ``after_noop(output, package)`` runs once, after the first no-op run.
    ``jobs`` is passed as ``--jobs`` when pmgen has the option.
    """
    result = CliInput(label, source)
    if not source.is_file():
        result.error = f"{source} not found"
        return result
    result.input_bytes = source.stat().st_size
    package = package_for(label)
    try:
        original = json.loads(source.read_bytes())
        edited, result.change_what = edit_one_request(original, change_kind)
        edited_text = json.dumps(edited, ensure_ascii=True)
        del original, edited
    except (ValueError, KeyError, TypeError) as exc:
        edited_text = None
        result.notes.append(f"no one-change run: cannot edit the collection: {exc}")

    for index in range(repeat):
        where = workdir / f"cli-{label}-{index + 1}"
        shutil.rmtree(where, ignore_errors=True)
        (where / "input").mkdir(parents=True)
        collection = where / "input" / source.name
        shutil.copyfile(source, collection)
        warm_cache(collection)
        output = where / "out" / package
        cache = where / "cache" if options.cache_dir else None
        if cache is not None:
            cache.mkdir()
        step = f"{index + 1}/{repeat}"

        def cli(
            *,
            into: Path = output,
            no_cache: bool = False,
            cwd: Path = where,
            collection: Path = collection,
            cache: Path | None = cache,
        ) -> CliRun:
            return run_cli(
                collection,
                into,
                package,
                cache if not no_cache else None,
                no_cache=no_cache,
                jobs=jobs if options.jobs else None,
                cwd=cwd,
                timeout=timeout,
            )

        progress(f"cli: {label} cold {step}")
        cold = cli()
        result.cold.append(cold)
        if not cold.proc.ok:
            result.error = f"cold run: {cold.proc.reason()}"
            break
        generated = tree_hashes(output)
        cold.files = len(generated)

        progress(f"cli: {label} no-op {step}")
        noop = cli()
        result.noop.append(noop)
        after = tree_hashes(output)
        noop.diff, noop.files = tree_diff(generated, after), len(after)
        if not noop.proc.ok:
            result.error = f"no-op run: {noop.proc.reason()}"
            break
        if index == 0 and after_noop is not None:
            after_noop(output, package)

        if index == 0 and options.no_cache:
            progress(f"cli: {label} --no-cache")
            other = where / "nocache"
            other.mkdir()
            result.no_cache = cli(into=other / package, no_cache=True, cwd=other)
            if result.no_cache.proc.ok:
                result.no_cache_identical = tree_hashes(other / package) == generated
            shutil.rmtree(other, ignore_errors=True)

        if edited_text is not None:
            progress(f"cli: {label} one request changed {step}")
            before = tree_hashes(output)
            collection.write_text(edited_text, encoding="utf-8")
            change = cli()
            result.change.append(change)
            after = tree_hashes(output)
            change.diff, change.files = tree_diff(before, after), len(after)
            if not change.proc.ok:
                result.error = f"one-change run: {change.proc.reason()}"
                break
        if not keep:
            shutil.rmtree(where, ignore_errors=True)
    return result


# ------------------------------------------------------------------------ tables


def cold_table(results: list[CliInput], json_baselines: dict[str, float | None]) -> str:
    """Cold CLI runs: time, its ratio to ``json.load``, peak RSS and its ratios."""
    out = Table(
        [
            "input",
            "in MiB",
            "files",
            "cold s",
            "cold/json",
            "parent MiB",
            "parent/in",
            "workers MiB",
            "workers/in",
            "tree MiB",
            "tree/in",
        ]
    )
    for item in results:
        size = item.input_bytes or None
        parent, children, tree = (
            item.peak("parent"),
            item.peak("children"),
            item.peak("tree"),
        )
        files = next((run.files for run in item.cold if run.files is not None), None)

        def per_input(kib: int | None, size: int | None = size) -> str:
            return fmt_ratio(ratio(kib * 1024 if kib else None, size))

        out.add(
            [
                item.label,
                "-" if size is None else f"{size / 2**20:.2f}",
                fmt_int(files),
                fmt_s(item.cold_s),
                fmt_ratio(ratio(item.cold_s, json_baselines.get(item.label))),
                fmt_mib(parent),
                per_input(parent),
                fmt_mib(children or None),
                per_input(children or None),
                fmt_mib(tree),
                per_input(tree),
            ],
            [f"ERROR: {item.error}"] if item.error else [],
        )
    return out.render()


def regen_table(results: list[CliInput], options: CliOptions) -> str:
    """No-op and one-change regeneration, as ratios of the cold run."""
    header = [
        "input",
        "cold s",
        "no-op s",
        "no-op/cold",
        "changed",
        "1-change s",
        "1-change/cold",
        "changed",
    ]
    if options.no_cache:
        header += ["--no-cache s", "same bytes"]
    out = Table(header)
    for item in results:
        noop = item.noop[0] if item.noop else None
        change = item.change[0] if item.change else None
        row = [
            item.label,
            fmt_s(item.cold_s),
            fmt_s(item.noop_s),
            fmt_ratio(ratio(item.noop_s, item.cold_s), 3),
            _changed(noop),
            fmt_s(item.change_s),
            fmt_ratio(ratio(item.change_s, item.cold_s), 3),
            _changed(change),
        ]
        if options.no_cache:
            nc = item.no_cache
            row += [
                fmt_s(nc.wall_s if nc and nc.proc.ok else None),
                {None: "-", True: "yes", False: "NO"}[item.no_cache_identical],
            ]
        notes: list[str] = []
        if item.change_what and item.change:
            notes.append(f"1-change: {item.change_what}")
        if change and change.diff and change.diff.count:
            notes.append(f"1-change files: {change.diff.describe()}")
        if noop and noop.diff and noop.diff.count:
            notes.append(f"no-op changed files: {noop.diff.describe()}")
        if item.no_cache and not item.no_cache.proc.ok:
            notes.append(f"--no-cache run failed: {item.no_cache.proc.reason()}")
        notes += item.notes
        if item.error:
            notes.append(f"ERROR: {item.error}")
        out.add(row, notes)
    return out.render()


def _changed(run: CliRun | None) -> str:
    if run is None or run.diff is None or run.files is None:
        return "-"
    return f"{run.diff.count}/{run.files}"
