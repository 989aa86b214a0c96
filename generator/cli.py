"""Command line: argument parsing, messages and exit codes only.

Exit codes: 0 success; 1 diagnostics at error level, or ``check`` found drift;
2 bad input or usage (message names the file and JSON path; never a traceback).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from . import incremental
from .config import ClientConfig, CollectionPart, find_config, load_clients
from .errors import Diagnostic, Level, PmgenError, UsageError
from .ignore import IgnoreRules, load_ignore
from .incremental import default_cache_dir

# The stages (black, jsonschema, jinja2...) are imported by the commands that need
# them, not here: a ``generate`` with nothing to do answers before loading them.
if TYPE_CHECKING:
    from .pipeline import LockedBuild
    from .spec.model import ApiSpec

EXIT_OK, EXIT_FAILED, EXIT_INPUT = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pmgen",
        description="Generate a typed, tested Python client from a Postman collection.",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    gen = commands.add_parser("generate", help="write the client package")
    gen.add_argument(
        "collection",
        nargs="*",
        type=Path,
        help="Postman collection (v2.0/v2.1 JSON); several make one client with a"
        " sub-client each",
    )
    gen.add_argument(
        "-o",
        "--output",
        type=Path,
        help="package folder (default: generated/<package>)",
    )
    gen.add_argument(
        "--package-name", help="Python package name (default: from the collection name)"
    )
    gen.add_argument(
        "--spec", type=Path, help="render from an (edited) spec YAML instead"
    )
    _common(gen)
    gen.add_argument(
        "--templates",
        type=Path,
        help="folder of templates overriding pmgen's by name (default: configured)",
    )
    gen.add_argument(
        "--format", action="store_true", help="run black over the generated code"
    )
    gen.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    gen.add_argument(
        "--lock",
        type=Path,
        help="lock file keeping generated names stable (default: the configured one)",
    )
    gen.add_argument(
        "--rename",
        action="store_true",
        help="give methods their fresh names; old ones stay as deprecated aliases",
    )
    gen.add_argument(
        "--cache-dir",
        type=Path,
        help="where to keep what makes the next run incremental (default:"
        " $PMGEN_CACHE_DIR, else $XDG_CACHE_HOME/pmgen, else ~/.cache/pmgen)",
    )
    gen.add_argument(
        "--no-cache",
        action="store_true",
        help="render every file and record nothing (the output is the same)",
    )
    gen.add_argument(
        "-j",
        "--jobs",
        type=_positive,
        help="worker processes for rendering (default: one per core)",
    )

    spec = commands.add_parser(
        "spec", help="print or write the intermediate spec as YAML"
    )
    spec.add_argument(
        "collection",
        nargs="*",
        type=Path,
        help="Postman collection (v2.0/v2.1 JSON); several are combined",
    )
    spec.add_argument(
        "-o", "--output", type=Path, help="YAML file (default: standard output)"
    )
    _common(spec)

    openapi = commands.add_parser(
        "openapi", help="print or write the OpenAPI 3.1 description of the client"
    )
    openapi.add_argument(
        "collection",
        nargs="*",
        type=Path,
        help="Postman collection (v2.0/v2.1 JSON); several are combined",
    )
    openapi.add_argument(
        "-o", "--output", type=Path, help="output file (default: standard output)"
    )
    openapi.add_argument(
        "--format",
        dest="output_format",
        choices=("yaml", "json"),
        help="output format (default: json for a .json output file, else yaml)",
    )
    openapi.add_argument(
        "--spec", type=Path, help="export an (edited) spec YAML instead"
    )
    _common(openapi)

    diff = commands.add_parser(
        "diff", help="list the changes between two collections (or spec YAML files)"
    )
    diff.add_argument("old", type=Path, help="the old collection or spec YAML")
    diff.add_argument("new", type=Path, help="the new collection or spec YAML")
    _common(diff)
    diff.add_argument(
        "--format",
        dest="output_format",
        choices=("text", "markdown", "json"),
        default="text",
        help="report format (markdown: a changelog fragment)",
    )
    diff.add_argument(
        "--fail-on-breaking",
        action="store_true",
        help="exit 1 when a change is breaking",
    )

    check = commands.add_parser("check", help="exit 1 if generated/ is stale")
    check.add_argument(
        "--config", type=Path, help="pyproject.toml or pmgen.yaml listing the clients"
    )
    check.add_argument(
        "--lock", type=Path, help="the lock file (a config with a single client)"
    )
    return parser


def _common(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--config", type=Path, help="client options (YAML, or pyproject.toml)"
    )
    command.add_argument(
        "--environment", type=Path, help="Postman environment file with values"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    say = _Printer(quiet=args.quiet)
    enabled = gc.isenabled()
    gc.disable()  # see pipeline.without_gc (not imported here: it is slow to import)
    try:
        if args.command == "generate":
            return _generate(args, say)
        if args.command == "spec":
            return _spec(args, say)
        if args.command == "openapi":
            return _openapi(args, say)
        if args.command == "diff":
            return _diff(args, say)
        return _check(args, say)
    except PmgenError as exc:
        say.error(f"pmgen: error: {exc}")
        return EXIT_INPUT
    except KeyboardInterrupt:
        say.error("pmgen: interrupted; nothing was written")
        return EXIT_FAILED
    except Exception as exc:  # a bug in pmgen: say so in one line, no traceback
        if os.environ.get("PMGEN_DEBUG"):
            raise
        say.error(
            f"pmgen: internal error: {type(exc).__name__}: {exc}"
            " (nothing was written; set PMGEN_DEBUG=1 for the traceback)"
        )
        return EXIT_FAILED
    finally:
        if enabled:  # main() is also called in-process (tests, build hooks)
            gc.enable()


class _Printer:
    """Progress and results go to stderr; ``--quiet`` keeps only errors."""

    def __init__(self, *, quiet: bool) -> None:
        self.quiet = quiet

    def info(self, text: str) -> None:
        if not self.quiet:
            print(text, file=sys.stderr)

    def progress(self, text: str) -> None:
        if not self.quiet and sys.stderr.isatty():
            print(f"\r{text}", end="", file=sys.stderr, flush=True)

    def error(self, text: str) -> None:
        print(text, file=sys.stderr)

    def diagnostics(self, found: list[Diagnostic]) -> None:
        for diagnostic in found:
            if diagnostic.level is Level.ERROR:
                self.error(str(diagnostic))
            else:
                self.info(str(diagnostic))


def _client_config(args: argparse.Namespace) -> tuple[Path | None, ClientConfig]:
    """The collection to build (None: the configured one(s)) and the client options.

    Several collections on the command line make one client with a sub-client each
    (named after each collection, or as a config listing these collections names them).
    """
    given: list[Path] = list(getattr(args, "collection", None) or [])
    config = ClientConfig()
    if args.config is not None:
        clients = load_clients(args.config)
        if len(clients) != 1:
            raise UsageError(
                f"{args.config}: lists {len(clients)} clients; use `pmgen check`"
            )
        config = clients[0]
    elif given:
        config = _configured(given) or config
    if len(given) > 1:
        by_path = {p.collection.resolve(): p for p in config.collections}
        parts = [by_path.get(c.resolve(), CollectionPart(c)) for c in given]
        config = replace(
            config,
            collection=None,
            collections=tuple(
                replace(p, collection=c) for p, c in zip(parts, given, strict=True)
            ),
        )
    if getattr(args, "package_name", None):
        config = replace(config, package_name=args.package_name)
    if args.environment is not None:
        config = replace(config, environment=args.environment)
    if getattr(args, "format", False):
        config = replace(config, format=True)
    collection = given[0] if len(given) == 1 else None
    if collection is None and not config.collections:
        collection = config.collection
    return collection, config


def _configured(collections: list[Path]) -> ClientConfig | None:
    """The configured client for these collections (the same ones, in the same
    order) in the nearest project config, if any."""
    found = find_config(Path.cwd())
    if found is None:
        return None
    wanted = [c.resolve() for c in collections]
    for client in load_clients(found):
        paths: list[Path | None] = [p.collection for p in client.collections]
        if [p.resolve() if p else None for p in paths or [client.collection]] == wanted:
            return client
    return None


def _need_input(
    collection: Path | None, config: ClientConfig, *, spec_option: bool = True
) -> None:
    if collection is None and not config.collections:
        alternatives = "COLLECTION, --spec FILE," if spec_option else "COLLECTION"
        raise UsageError(f"give a {alternatives} or a --config naming a collection")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def _inputs(
    args: argparse.Namespace, collection: Path | None, config: ClientConfig
) -> str:
    """The fingerprint of everything a ``generate`` run reads (see ``incremental``)."""
    files: list[Path | None] = [collection, config.collection, config.environment]
    for part in config.collections:
        files += [part.collection, part.environment]
    files += [config.templates, args.templates, config.lock, args.lock, args.spec]
    files += [args.config, args.output and args.output / ".pmgenignore"]
    if config.output is not None:
        files.append(config.output / ".pmgenignore")
    if config.config_dir is not None:
        files.append(config.config_dir / ".pmgenignore")
    options = repr(
        (config, args.output, args.templates, args.lock, args.spec, args.rename)
    )
    return incremental.fingerprint(files, f"{Path.cwd()}\0{options}")


def _ignore_rules(output: Path, config: ClientConfig) -> IgnoreRules:
    """The ``.pmgenignore`` rules of a client (next to its config, then in its
    output folder); the same as ``pipeline.ignore_rules``, without its imports."""
    return load_ignore(output, [config.config_dir] if config.config_dir else [])


def _up_to_date(
    args: argparse.Namespace, config: ClientConfig, cache: Path, fingerprint: str
) -> Path | None:
    """The output folder, if a run with the same inputs wrote it and it is intact."""
    output = (
        args.output or config.output or incremental.previous_output(cache, fingerprint)
    )
    if output is None:
        return None
    manifest = incremental.load(cache, output)
    if manifest is None or manifest.fingerprint != fingerprint:
        return None
    if not manifest.up_to_date(output.resolve(), _ignore_rules(output, config)):
        return None
    return output


def _generate(args: argparse.Namespace, say: _Printer) -> int:
    started = time.perf_counter()
    collection, config = _client_config(args)
    cache = None if args.no_cache else (args.cache_dir or default_cache_dir())
    fingerprint = _inputs(args, collection, config) if cache is not None else ""
    if cache is not None:
        current = _up_to_date(args, config, cache, fingerprint)
        if current is not None:
            manifest = incremental.load(cache, current)
            replayed = manifest.replay() if manifest is not None else []
            say.diagnostics(replayed)
            say.info(
                f"{current} is up to date (inputs unchanged); nothing written in"
                f" {time.perf_counter() - started:.2f}s"
            )
            return _exit_for(replayed, strict=args.strict)
    from .pipeline import build, build_with_lock, generate
    from .render.environment import check_overlay

    spec = None
    if args.spec is not None:
        from .spec.serialize import load_yaml

        spec = load_yaml(args.spec)
    if spec is None:
        _need_input(collection, config)
    package = config.package_name or (spec.package if spec else None)
    lock_path = args.lock or config.lock
    locked: LockedBuild | None = None
    if lock_path is None and args.rename:
        raise UsageError("--rename needs a lock file (--lock FILE or `lock:`)")
    if spec is None:
        if lock_path is not None:
            if collection is None:
                raise UsageError(
                    "a lock file applies to one collection, not to several"
                )
            locked = build_with_lock(collection, config, lock_path, rename=args.rename)
            parsed, found = locked.spec, locked.diagnostics
        else:
            parsed, found = build(collection, config)
        package = package or parsed.package
        spec = parsed
    else:
        if lock_path is not None:
            raise UsageError("a lock file applies to a collection, not to --spec")
        found = []
    output = (
        args.output or config.output or Path("generated") / (package or spec.package)
    )
    overlay = args.templates if args.templates is not None else config.templates
    unused = check_overlay(overlay) if overlay is not None else []
    say.diagnostics(unused)  # before rendering, which a typo'd name may break
    report = generate(
        None,
        output,
        config,
        spec=spec,
        overlay=overlay,
        progress=say.progress,
        cache_dir=cache,
        jobs=args.jobs,
    )
    say.diagnostics(found)
    found = [*found, *unused]
    if report.removed:
        shown = ", ".join(report.removed[:5])
        more = f" and {len(report.removed) - 5} more" if len(report.removed) > 5 else ""
        say.info(
            f"info: {output}: removed {len(report.removed)} file(s) pmgen does not"
            f" generate: {shown}{more} (list them in {output / '.pmgenignore'}"
            " to keep them)"
        )
    reused = len(report.files) - len(report.rendered)
    say.info(
        f"wrote {len(report.files)} files to {output} in"
        f" {time.perf_counter() - started:.2f}s"
        + (f" ({reused} unchanged, reused)" if reused else "")
    )
    if locked is not None and lock_path is not None:
        if locked.lock_text != locked.previous_text:
            from .export import write_text_atomic  # its package is slow to import

            write_text_atomic(lock_path, locked.lock_text)
            say.info(f"wrote {lock_path}")
        if locked.changes:
            say.info(f"version {spec.version}:")
            for change in locked.changes:
                say.info(f"  {change.level}: {change.subject}: {change.text}")
    if cache is not None:
        # Taken again: writing the lock may have changed an input.
        fingerprint = _inputs(args, collection, config)
        incremental.remember(cache, output, fingerprint, found)
    return _exit_for(found, strict=args.strict)


def _exit_for(found: list[Diagnostic], *, strict: bool) -> int:
    worst = {d.level for d in found}
    if Level.ERROR in worst or (strict and Level.WARNING in worst):
        return EXIT_FAILED
    return EXIT_OK


def _spec(args: argparse.Namespace, say: _Printer) -> int:
    from .pipeline import build
    from .spec.serialize import dump_yaml

    collection, config = _client_config(args)
    _need_input(collection, config, spec_option=False)  # `spec` takes no --spec
    spec, found = build(collection, config)
    text = dump_yaml(spec)
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
        say.info(f"wrote {args.output}")
    say.diagnostics(found)
    return _exit_for(found, strict=False)


def _openapi(args: argparse.Namespace, say: _Printer) -> int:
    from .export import dump_openapi, to_openapi, write_text_atomic
    from .pipeline import build
    from .spec.serialize import load_yaml

    collection, config = _client_config(args)
    found: list[Diagnostic] = []
    if args.spec is not None:
        spec = load_yaml(args.spec)
    else:
        _need_input(collection, config)
        spec, found = build(collection, config)
    if config.package_name:
        spec = replace(spec, package=config.package_name)
    output_format = args.output_format or (
        "json" if args.output is not None and args.output.suffix == ".json" else "yaml"
    )
    text = dump_openapi(to_openapi(spec), output_format)
    if args.output is None:
        sys.stdout.write(text)
    else:
        write_text_atomic(args.output, text)
        say.info(f"wrote {args.output}")
    say.diagnostics(found)
    return _exit_for(found, strict=False)


def _load_side(path: Path, config: ClientConfig) -> ApiSpec:
    """One side of ``pmgen diff``: a spec YAML, or a collection to build."""
    from .pipeline import build
    from .spec.serialize import load_yaml

    if path.suffix in (".yaml", ".yml"):
        return load_yaml(path)
    spec, _found = build(path, config)
    return spec


def _diff(args: argparse.Namespace, say: _Printer) -> int:
    from .diff import compare, render_report, surface

    _collection, config = _client_config(args)
    old, new = _load_side(args.old, config), _load_side(args.new, config)
    changes = compare(surface(old), surface(new))
    sys.stdout.write(render_report(changes, old.version, args.output_format))
    breaking = any(c.level == "breaking" for c in changes)
    return EXIT_FAILED if breaking and args.fail_on_breaking else EXIT_OK


def _stale_lock(lock_path: Path, locked: LockedBuild, say: _Printer) -> bool:
    """Whether the lock file differs from what ``generate`` would write (and why)."""
    import difflib

    if locked.lock_text == locked.previous_text:
        return False
    if locked.previous_text is None:
        say.error(f"{lock_path} is missing")
        return True
    say.error(f"{lock_path} is stale:")
    lines = list(
        difflib.unified_diff(
            locked.previous_text.splitlines(),
            locked.lock_text.splitlines(),
            str(lock_path),
            "(regenerated)",
            lineterm="",
            n=1,
        )
    )
    for line in lines[:60]:
        say.error(line)
    if len(lines) > 60:
        say.error(f"... ({len(lines) - 60} more lines)")
    return True


def _check(args: argparse.Namespace, say: _Printer) -> int:
    from .pipeline import build, build_with_lock, render_files
    from .render.environment import check_overlay
    from .writer import diff_tree

    config_path = args.config or find_config(Path.cwd())
    if config_path is None:
        raise UsageError("no [tool.pmgen] in pyproject.toml and no pmgen.yaml found")
    stale = 0
    clients = load_clients(config_path)
    if args.lock is not None:
        if len(clients) != 1:
            raise UsageError(
                f"{config_path}: lists {len(clients)} clients; give each its `lock`"
            )
        clients = [replace(clients[0], lock=args.lock)]
    for client in clients:
        if (client.collection is None and not client.collections) or (
            client.output is None
        ):
            raise UsageError(
                f"{config_path}: every client needs `collection` and `output`"
                " (`collections` instead of `collection` for several)"
            )
        if client.lock is not None and client.collections:
            raise UsageError(  # as `generate` refuses it
                f"{config_path}: a lock file applies to one collection, not to several"
            )
        lock_stale = False
        if client.lock is not None and client.collection is not None:
            locked = build_with_lock(client.collection, client, client.lock)
            spec = locked.spec
            lock_stale = _stale_lock(client.lock, locked, say)
        else:
            spec, _found = build(None, client)
        if client.templates is not None:
            check_overlay(client.templates)  # a missing folder is an error
        files = render_files(spec, overlay=client.templates, format_code=client.format)
        drift = diff_tree(
            client.output, files, ignore=_ignore_rules(client.output, client)
        )
        sources = " ".join(str(p.collection) for p in client.collections)
        templates = f" --templates {client.templates}" if client.templates else ""
        # The config given by hand is not found again by `generate` on its own.
        config_option = f" --config {config_path}" if args.config else ""
        fix = (
            f"pmgen generate {sources or client.collection} -o {client.output}"
            + config_option
            + templates
            + (f" --lock {client.lock}" if client.lock is not None else "")
        )
        if lock_stale and not drift:
            stale += 1
            say.error(f"run: {fix}")
        elif drift:
            stale += 1
            say.error(f"{client.output} is stale; run: {fix}")
            for line in drift:
                say.error(line)
        else:
            say.info(f"{client.output}: up to date")
    return EXIT_FAILED if stale else EXIT_OK
