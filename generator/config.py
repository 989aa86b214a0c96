"""pmgen configuration: per-client options and where they are read from.

A client is configured by a ``ClientConfig`` (collection, output folder, package name,
variable overrides, model names, environment file). ``pmgen check`` reads the list of
clients from ``[tool.pmgen]`` in ``pyproject.toml`` or from a YAML file with the same
keys. Every option is documented once, here and in the README.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import yaml

from .errors import InputError
from .naming import RESERVED_CLIENT_ATTRIBUTES, is_identifier

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

VariableRole = Literal["setting", "parameter", "constant", "credential"]
VersionPolicy = Literal["fixed", "semver"]


@dataclass(frozen=True)
class VariableOverride:
    """Forces the role (and optionally the Python name or value) of one variable."""

    role: VariableRole | None = None
    name: str | None = None
    value: str | None = None


@dataclass(frozen=True)
class CollectionPart:
    """One collection of a client made from several: it becomes a sub-client.

    ``name`` is its attribute on the client (``client.billing``); without it, the
    collection's name gives one. ``environment``, ``variables`` and ``model_names``
    apply to this collection only, over the client's own.
    """

    collection: Path
    name: str | None = None
    environment: Path | None = None
    variables: dict[str, VariableOverride] = field(default_factory=dict)
    model_names: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ClientConfig:
    """Everything that shapes one generated client besides the collection itself."""

    collection: Path | None = None
    output: Path | None = None
    package_name: str | None = None
    environment: Path | None = None
    variables: dict[str, VariableOverride] = field(default_factory=dict)
    model_names: dict[str, str] = field(default_factory=dict)
    version: str = "0.1.0"
    format: bool = False  # run black over the output (only needed for custom templates)
    templates: Path | None = None  # a folder of templates replacing pmgen's by name
    config_dir: Path | None = None  # folder of the config file (its .pmgenignore)
    lock: Path | None = None  # the lock file keeping generated names stable
    # "semver": derive the version from the changes since the lock's (see README)
    version_policy: VersionPolicy = "fixed"
    # Several collections, one package: each a sub-client (instead of ``collection``).
    collections: tuple[CollectionPart, ...] = ()

    def part_config(self, part: CollectionPart) -> ClientConfig:
        """The options one collection of a multi-collection client is built with."""
        return replace(
            self,
            collection=part.collection,
            collections=(),
            package_name=None,
            environment=part.environment or self.environment,
            variables={**self.variables, **part.variables},
            model_names={**self.model_names, **part.model_names},
        )


_CLIENT_KEYS = {
    "collection",
    "output",
    "package_name",
    "environment",
    "variables",
    "model_names",
    "version",
    "format",
    "templates",
    "lock",
    "version_policy",
    "collections",
}
_PART_KEYS = {"collection", "name", "environment", "variables", "model_names"}
_ROLES = ("setting", "parameter", "constant", "credential")


def client_from_mapping(
    data: Any, *, file: str, where: str, base: Path
) -> ClientConfig:
    """Build a ``ClientConfig`` from parsed TOML/YAML, checking every key."""
    if not isinstance(data, dict):
        raise InputError(file, where, "expected a table/mapping of client options")
    unknown = sorted(set(data) - _CLIENT_KEYS)
    if unknown:
        raise InputError(file, f"{where}.{unknown[0]}", "unknown option")

    def path_of(key: str) -> Path | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise InputError(file, f"{where}.{key}", "expected a path string")
        return base / value

    collections = _parts(data.get("collections"), file, f"{where}.collections", base)
    if collections and data.get("collection") is not None:
        raise InputError(
            file, f"{where}.collections", "give `collection` or `collections`, not both"
        )
    return ClientConfig(
        collections=collections,
        collection=path_of("collection"),
        output=path_of("output"),
        package_name=_optional_str(data, "package_name", file, where),
        environment=path_of("environment"),
        variables=_variables(data.get("variables", {}), file, f"{where}.variables"),
        model_names=_str_map(data.get("model_names", {}), file, f"{where}.model_names"),
        version=_optional_str(data, "version", file, where) or "0.1.0",
        format=bool(data.get("format", False)),
        templates=path_of("templates"),
        config_dir=base,
        lock=path_of("lock"),
        version_policy=_policy(data, file, where),
    )


def _policy(data: dict[str, Any], file: str, where: str) -> VersionPolicy:
    value = data.get("version_policy", "fixed")
    if value == "semver":
        return "semver"
    if value != "fixed":
        raise InputError(
            file, f"{where}.version_policy", "expected 'fixed' or 'semver'"
        )
    return "fixed"


def _parts(data: Any, file: str, where: str, base: Path) -> tuple[CollectionPart, ...]:
    """The ``collections`` list: ``[{collection: a.json, name: a}, ...]``."""
    if data is None:
        return ()
    if not isinstance(data, list) or not data:
        raise InputError(file, where, "expected a non-empty list of collections")
    parts: list[CollectionPart] = []
    names: set[str] = set()
    for index, raw in enumerate(data):
        spot = f"{where}[{index}]"
        if isinstance(raw, str):
            raw = {"collection": raw}
        if not isinstance(raw, dict):
            raise InputError(file, spot, "expected {collection, name}")
        unknown = sorted(set(raw) - _PART_KEYS)
        if unknown:
            raise InputError(file, f"{spot}.{unknown[0]}", "unknown option")
        collection = raw.get("collection")
        if not isinstance(collection, str):
            raise InputError(file, f"{spot}.collection", "expected a path string")
        name = _optional_str(raw, "name", file, spot)
        if name is not None:
            if not is_identifier(name) or name.startswith("_"):
                raise InputError(
                    file, f"{spot}.name", f"{name!r} is not a Python attribute name"
                )
            if name in RESERVED_CLIENT_ATTRIBUTES:
                raise InputError(
                    file, f"{spot}.name", f"{name!r} is an attribute of every client"
                )
            if name in names:
                raise InputError(file, f"{spot}.name", f"{name!r} is used twice")
            names.add(name)
        environment = _optional_str(raw, "environment", file, spot)
        parts.append(
            CollectionPart(
                collection=base / collection,
                name=name,
                environment=base / environment if environment else None,
                variables=_variables(
                    raw.get("variables", {}), file, f"{spot}.variables"
                ),
                model_names=_str_map(
                    raw.get("model_names", {}), file, f"{spot}.model_names"
                ),
            )
        )
    return tuple(parts)


def _optional_str(data: dict[str, Any], key: str, file: str, where: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise InputError(file, f"{where}.{key}", "expected a string")
    return value


def _str_map(data: Any, file: str, where: str) -> dict[str, str]:
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise InputError(file, where, "expected a mapping of strings to strings")
    return dict(data)


def _variables(data: Any, file: str, where: str) -> dict[str, VariableOverride]:
    if not isinstance(data, dict):
        raise InputError(file, where, "expected a mapping of variable names")
    result: dict[str, VariableOverride] = {}
    for name, raw in data.items():
        spot = f"{where}.{name}"
        if isinstance(raw, str):
            raw = {"role": raw}
        if not isinstance(raw, dict) or set(raw) - {"role", "name", "value"}:
            raise InputError(file, spot, "expected {role, name, value}")
        role = raw.get("role")
        if role is not None and role not in _ROLES:
            raise InputError(file, f"{spot}.role", f"role must be one of {_ROLES}")
        result[str(name)] = VariableOverride(
            role=role,
            name=_optional_str(raw, "name", file, spot),
            value=_optional_str(raw, "value", file, spot),
        )
    return result


def yaml_problem(exc: yaml.YAMLError) -> str:
    """A one-line description of a YAML syntax error, with its position."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).split("\n", 1)[0]
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    return f"invalid YAML{where}: {problem}"


def load_clients(path: Path) -> list[ClientConfig]:
    """Read the configured clients from ``pyproject.toml`` or a YAML file."""
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(file, "$", f"cannot read: {exc.strerror}") from None
    if path.suffix == ".toml":
        try:
            table = tomllib.loads(text).get("tool", {}).get("pmgen")
        except tomllib.TOMLDecodeError as exc:
            raise InputError(file, "$", f"invalid TOML: {exc}") from None
        where = "$.tool.pmgen"
    else:
        try:
            table = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise InputError(file, "$", yaml_problem(exc)) from None
        where = "$"
    if table is None:
        raise InputError(file, where, "no pmgen configuration found")
    if not isinstance(table, dict):
        raise InputError(file, where, "expected a mapping")
    clients = table.get("clients")
    if clients is None:  # a single-client file: the options at the top level
        return [client_from_mapping(table, file=file, where=where, base=path.parent)]
    if not isinstance(clients, list) or not clients:
        raise InputError(file, f"{where}.clients", "expected a non-empty list")
    return [
        client_from_mapping(
            c, file=file, where=f"{where}.clients[{i}]", base=path.parent
        )
        for i, c in enumerate(clients)
    ]


def find_config(start: Path) -> Path | None:
    """The nearest ``pmgen.yaml`` or ``pyproject.toml`` with ``[tool.pmgen]``."""
    for folder in [start, *start.parents]:
        candidate = folder / "pmgen.yaml"
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "[tool.pmgen" in pyproject.read_text(
            encoding="utf-8"
        ):
            return pyproject
    return None
