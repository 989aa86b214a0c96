"""pmgen's benchmark, one command (from the repository root)::

    .venv/bin/python bench/run.py [--quick] [--no-peers] [--json out.json] ...

Prints, in tables with ratios against baselines measured in the same run:

1. ``stages``: cold generation in-process, stage by stage (build, render, write),
   peak RSS, ``json.load`` of the input as the baseline;
2. ``cli``: ``python -m generator generate`` end to end (cold, with a fresh cache
   folder), peak RSS of the process and of its workers; no-op regeneration and
   regeneration after one request changed, as ratios of the cold run;
3. ``imports``: import time of the largest generated synthetic package, top level
   and one resource, against ``import httpx``;
4. ``calls``: per-call overhead of a generated method against raw httpx
   (MockTransport and a loopback server, sync and async);
5. ``peers``: postman-to-openapi + openapi-python-client on the synthetic inputs
   (installed by the bench under ``.cache/bench-peers/``), as a ratio of pmgen;
6. ``targets``: the issue's targets, measured figure, pass or fail.

Progress goes to stderr, tables to stdout. Inputs: ``synthetic-{N}`` from
``<shared>/bench`` (``<shared>`` is ``Path(__file__).resolve().parents[2] /
"shared"``), ``stripe-api`` and ``sabre-booking-management-api-v2026-04`` from
``<shared>/corpus``, and this repository's Salesforce Bulk collection. Every
option is described in ``bench/README.md``. A benchmark, not a test: it prints
figures and asserts nothing; a failure is printed in its row.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import regen, stages
from bench.common import (
    CORPUS_INPUTS,
    SALESFORCE,
    corpus_path,
    environment_line,
    progress,
    section,
    synthetic_path,
)

DEFAULT_SIZES = (100, 1000, 10000)
QUICK_SIZES = (100, 1000)
SECTIONS = ("stages", "cli", "imports", "calls", "peers")
SABRE = "sabre-booking-management-api-v2026-04"


def parse_sizes(text: str) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated integers, got {text!r}"
        ) from None
    return sizes


def parse_sections(text: str) -> list[str]:
    names = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [name for name in names if name not in SECTIONS]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS)}"
        )
    return names


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description="Benchmark pmgen (see bench/README.md): generation, regeneration,"
        " imports, per-call overhead and the peer pipeline, with ratios.",
    )
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        default=None,
        help="synthetic collection sizes, comma-separated (default: 100,1000,10000)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke run: sizes 100,1000 (unless --sizes is given) and no sabre input",
    )
    parser.add_argument(
        "--no-peers",
        action="store_true",
        help="skip the peer pipeline (postman-to-openapi + openapi-python-client)",
    )
    parser.add_argument(
        "--skip",
        type=parse_sections,
        default=[],
        help=f"sections to leave out, comma-separated: {', '.join(SECTIONS)}",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="fresh runs per input of the stages and of the CLI (cold, no-op,"
        " one change); tables show the minimum time (default: 1)",
    )
    parser.add_argument(
        "--import-repeat",
        type=int,
        default=5,
        help="fresh processes per import measurement, after a first one that"
        " writes the bytecode; the table shows the minimum (default: 5)",
    )
    parser.add_argument(
        "--change",
        choices=regen.CHANGE_KINDS,
        default="query",
        help="the one-request edit: add a query parameter, change a header value,"
        " or change the description (default: query)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=None,
        help="CLI runs: pass --jobs N to pmgen generate (default: pmgen's own,"
        " one worker per core)",
    )
    parser.add_argument(
        "--with-black",
        action="store_true",
        help="stages: also time black over every generated .py file",
    )
    parser.add_argument("--json", type=Path, help="also write every raw figure here")
    parser.add_argument(
        "--timeout",
        type=float,
        default=None,
        help="seconds before any one measured process is given up (default: none)",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the work folder (generated packages, peer output) and print its path",
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)

    if args.child is not None:  # one in-process stage run (bench.stages)
        measured = stages.child(args.child, args.with_black)
        text = json.dumps(measured)
        if args.result is None:
            print(text)
        else:
            args.result.write_text(text, encoding="utf-8")
        return 0

    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.jobs is not None and args.jobs < 1:
        parser.error("--jobs must be at least 1")
    if args.import_repeat < 1:
        parser.error("--import-repeat must be at least 1")
    sizes: list[int] = args.sizes or list(QUICK_SIZES if args.quick else DEFAULT_SIZES)
    skip = set(args.skip)
    if args.no_peers:
        skip.add("peers")
    corpus = [name for name in CORPUS_INPUTS if not (args.quick and name == SABRE)]
    inputs = [(f"synthetic-{size}", synthetic_path(size)) for size in sizes] + [
        (name, corpus_path(name)) for name in corpus
    ]
    biggest = f"synthetic-{max(sizes)}" if sizes else None

    # Measured processes cache bytecode as a user's Python does (this variable,
    # set in some sandboxes, would make every run compile pmgen from source).
    bytecode_note = (
        "PYTHONDONTWRITEBYTECODE unset for the measured processes"
        if os.environ.pop("PYTHONDONTWRITEBYTECODE", None) is not None
        else ""
    )
    env = environment_line()
    report: dict[str, Any] = {
        "environment": env,
        "python": sys.version,
        "platform": platform.platform(),
        "options": {
            "sizes": sizes,
            "quick": args.quick,
            "skip": sorted(skip),
            "repeat": args.repeat,
            "import_repeat": args.import_repeat,
            "change": args.change,
            "with_black": args.with_black,
            "timeout": args.timeout,
            "jobs": args.jobs,
        },
        "repeat": args.repeat,
        "with_black": args.with_black,
    }
    print(env)
    if bytecode_note:
        print(bytecode_note)
    sys.stdout.flush()

    workdir = Path(tempfile.mkdtemp(prefix="pmgen-bench-"))
    try:
        _run_sections(args, inputs, biggest, skip, workdir, report)
    finally:
        if args.keep:
            print(f"\nwork folder kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
        if args.json is not None:
            args.json.write_text(
                json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8"
            )
    return 0


def _run_sections(
    args: argparse.Namespace,
    inputs: list[tuple[str, Path]],
    biggest: str | None,
    skip: set[str],
    workdir: Path,
    report: dict[str, Any],
) -> None:
    # Imported here: the stage child (``--child``) needs none of them (nor httpx).
    from bench import calls, importing, peers, targets

    json_baselines: dict[str, float | None] = {}
    stage_results: list[stages.InputSummary] = []
    if "stages" not in skip:
        stage_results = stages.measure(
            [*inputs, ("salesforce-bulk-v2", SALESFORCE)],
            args.repeat,
            args.with_black,
            args.timeout,
        )
        report["inputs"] = [
            {
                "label": item.label,
                "path": str(item.path),
                "summary": item.summary(),
                "runs": item.runs,
            }
            for item in stage_results
        ]
        json_baselines = {
            item.label: item.summary()["json_load_s"] for item in stage_results
        }
        section(
            "1. Cold generation in-process, by stage"
            " (fresh process per run; baseline: json.load of the input)",
            f"{args.repeat} run(s) per input; times: min over runs;"
            " peak RSS: max over runs",
            "",
            stages.table(stage_results, args.with_black),
        )

    imports: importing.ImportResult | None = None

    def measure_imports(output: Path, package: str) -> None:
        nonlocal imports
        imports = importing.measure(
            biggest or package,
            output,
            workdir / "pycache",
            repeat=args.import_repeat,
            timeout=args.timeout,
        )

    cli_results: list[regen.CliInput] = []
    if "cli" in skip and "imports" not in skip and biggest is not None:
        # The imports need the package: one plain CLI run makes it.
        where = workdir / "imports-only"
        where.mkdir()
        made = regen.run_cli(
            dict(inputs)[biggest],
            where / "out" / regen.package_for(biggest),
            regen.package_for(biggest),
            None,
            cwd=where,
            timeout=args.timeout,
        )
        if made.proc.ok:
            measure_imports(where / "out" / regen.package_for(biggest), "")
        else:
            section("3. Import time", f"ERROR: generation failed: {made.proc.reason()}")
    if "cli" not in skip:
        progress("cli: reading generate --help")
        options = regen.detect_options(workdir, args.timeout)
        for label, path in inputs:
            wanted = label == biggest and "imports" not in skip
            cli_results.append(
                regen.measure_input(
                    label,
                    path,
                    workdir,
                    options,
                    repeat=args.repeat,
                    change_kind=args.change,
                    timeout=args.timeout,
                    keep=args.keep,
                    jobs=args.jobs,
                    after_noop=measure_imports if wanted else None,
                )
            )
        report["cli"] = {
            "options": {
                "cache_dir": options.cache_dir,
                "no_cache": options.no_cache,
                "jobs": options.jobs,
                "generate_help_s": options.help_s,
            },
            "inputs": [item.to_json() for item in cli_results],
        }
        cache_note = (
            "a fresh empty --cache-dir per cold run"
            if options.cache_dir
            else "pmgen has no --cache-dir option: its default cache location"
        )
        if args.jobs is not None:
            cache_note += (
                f"; --jobs {args.jobs}"
                if options.jobs
                else f"; pmgen has no --jobs option (--jobs {args.jobs} not passed)"
            )
        section(
            "2a. CLI cold generation: python -m generator generate FILE -o OUT"
            " (fresh process, wall time; baseline: json.load of the input)",
            f"cache: {cache_note}; peak RSS from wait4/getrusage: parent = the CLI"
            " process, workers = its largest child, tree = the largest of all;"
            " x/in = peak RSS / input file size",
            "",
            regen.cold_table(cli_results, json_baselines),
        )
        section(
            "2b. Regeneration into the same output folder (same cache);"
            " baseline: the cold run",
            f"changed = files added, removed or modified on disk / files in the"
            f" output; CLI floor (python -m generator generate --help):"
            f" {options.help_s * 1000:.0f} ms",
            "",
            regen.regen_table(cli_results, options),
        )
    if imports is not None:
        report["imports"] = imports.to_json()
        section(
            f"3. Import time of the generated {imports.label} package"
            " (fresh process each; baseline: import httpx)",
            f"min of {args.import_repeat} runs after a first one that writes the"
            " bytecode (first ms); Δ ms: over the row above; modules: len(sys.modules)",
            "",
            importing.table(imports),
        )

    call_figures: calls.CallsFigures | None = None
    if "calls" not in skip:
        call_figures = calls.measure(workdir, args.timeout)
        report["calls"] = call_figures
        section(
            "4. Per-call overhead: generated method vs raw httpx, same request"
            " (Salesforce Bulk client)",
            "medians over interleaved batches; generated/raw: median of the"
            " per-batch ratios",
            "",
            calls.table(call_figures),
        )

    peer_results: list[peers.PeerResult] = []
    if "peers" not in skip:
        installed = peers.install(timeout=args.timeout or 900)
        synthetic = [
            (label, path) for label, path in inputs if label.startswith("synthetic-")
        ]
        cold = {item.label: item.cold_s for item in cli_results}
        for label, path in synthetic:
            if isinstance(installed, str):
                result = peers.PeerResult(label, error=f"not installed: {installed}")
            else:
                result = peers.run_peer(
                    label, path, installed, workdir, args.timeout, args.keep
                )
            result.pmgen_s = cold.get(label)
            peer_results.append(result)
        report["peers"] = {
            "postman_to_openapi": peers.P2O_VERSION,
            "openapi_python_client": peers.OPC_VERSION,
            "inputs": [item.to_json() for item in peer_results],
        }
        section(
            f"5. Peer pipeline: postman-to-openapi {peers.P2O_VERSION} then"
            f" openapi-python-client {peers.OPC_VERSION} (default ruff formatting)",
            "fresh processes, wall time; pmgen = its CLI cold run above;"
            " peer/pmgen = how many times longer the peer takes",
            "",
            peers.table(peer_results),
        )

    found = targets.evaluate(cli_results, biggest, peer_results, imports, call_figures)
    report["targets"] = targets.to_json(found)
    section("6. Targets (issue 6)", "", targets.table(found))

    failed = stages.tracebacks(stage_results)
    if failed:
        section("Stage failures", failed)


if __name__ == "__main__":
    sys.exit(main())
