"""Generate a project's clients while its wheel or sdist is built.

``generate_for_build(root)`` is the backend-neutral entry point: it reads the clients
configured for the project at ``root`` (``[tool.pmgen]`` in its ``pyproject.toml``, or
a ``pmgen.yaml``) and writes each one, so that the package exists before the build
backend collects files. The hatchling plugin (``generator.hatch_hook``) calls it; any
other backend can call it from its own hook, or run ``python -m generator generate
--config pyproject.toml`` (one client) before building.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .config import ClientConfig, client_from_mapping, load_clients
from .errors import Diagnostic, Level, UsageError
from .pipeline import build_with_lock, generate


@dataclass(frozen=True)
class BuiltClient:
    """One client written for a build."""

    output: Path  # the package folder
    package: str
    files: int
    diagnostics: list[Diagnostic]


def project_clients(root: Path, config: Path | None = None) -> list[ClientConfig]:
    """The clients configured for the project at ``root``.

    ``config`` (relative to ``root``) names the config file; without it, ``pmgen.yaml``
    at the root, else ``pyproject.toml`` with a ``[tool.pmgen]`` table, is used.
    """
    if config is not None:
        return load_clients(root / config)
    yaml_file = root / "pmgen.yaml"
    if yaml_file.is_file():
        return load_clients(yaml_file)
    pyproject = root / "pyproject.toml"
    if pyproject.is_file() and "[tool.pmgen" in pyproject.read_text(encoding="utf-8"):
        return load_clients(pyproject)
    raise UsageError(f"{root}: no [tool.pmgen] in pyproject.toml and no pmgen.yaml")


def inline_client(options: dict[str, Any], root: Path, file: str) -> ClientConfig:
    """A client given by the options of a build hook's own table (paths relative to
    ``root``), checked like any client table."""
    return client_from_mapping(options, file=file, where="$", base=root)


def generate_for_build(
    root: Path,
    config: Path | None = None,
    *,
    clients: list[ClientConfig] | None = None,
) -> list[BuiltClient]:
    """Write every configured client of the project at ``root``; returns what was built.

    Raises ``PmgenError`` for bad configuration or input, and ``UsageError`` when a
    client lacks ``collection`` or ``output``, or its collection has error-level
    diagnostics (a build must not ship a client missing requests silently).
    """
    root = root.resolve()
    built: list[BuiltClient] = []
    for client in clients if clients is not None else project_clients(root, config):
        if (client.collection is None and not client.collections) or (
            client.output is None
        ):
            raise UsageError(
                f"{root}: every client built by pmgen needs `collection` and"
                " `output` (`collections` instead of `collection` for several)"
            )
        collection = _under(root, client.collection) if client.collection else None
        output = _under(root, client.output)
        if client.environment is not None:
            client = replace(client, environment=_under(root, client.environment))
        client = replace(
            client,
            collections=tuple(
                replace(p, collection=_under(root, p.collection))
                for p in client.collections
            ),
        )
        if client.lock is not None and client.collections:
            raise UsageError(
                f"{root}: a lock file applies to one collection, not to several"
            )
        if client.lock is not None and collection is not None:  # names as locked
            client = replace(client, lock=_under(root, client.lock))
            assert client.lock is not None
            locked = build_with_lock(collection, client, client.lock)
            report = generate(None, output, client, spec=locked.spec)
            report.diagnostics = locked.diagnostics
        else:
            report = generate(collection, output, client)
        errors = [d for d in report.diagnostics if d.level is Level.ERROR]
        if errors:
            raise UsageError(
                f"{collection or output}: {len(errors)} error(s), first: {errors[0]}"
            )
        built.append(
            BuiltClient(
                output, report.spec.package, len(report.files), report.diagnostics
            )
        )
    return built


def _under(root: Path, path: Path) -> Path:
    return path if path.is_absolute() else root / path
