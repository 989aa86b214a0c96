"""The lock file (``pmgen.lock``): stable names across regenerations.

A lock maps each operation (by a stable key, see ``operation_key``) to the method
name it was given, each resource (by its folder path) to its attribute, class and
module names, and each inferred model (by the name pmgen would give it) to its class
name. A build with a lock claims those names first, so renaming a request, moving
it, reordering items or adding a colliding request never renames what exists.

``rename=True`` (``pmgen generate --rename``) gives every operation its fresh name
instead; an operation whose name changes keeps its old one as a deprecated alias
(``Operation.aliases``). The lock records each alias with the package version it
was introduced in; the alias is dropped once the package version moves on.

The lock also keeps the version of the package, a fingerprint of the spec and the
public surface of the client (``summary``, made by ``generator.diff``), from which
the next version is derived when a version policy is configured.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..config import yaml_problem
from ..errors import InputError
from .model import ApiSpec

LOCK_FORMAT = 1
# libyaml when available: a lock of a large collection is a few MB of YAML.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_VARIABLE_RE = re.compile(r"\{\{[^{}]*\}\}")
_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def normalised_url(url: str) -> str:
    """The path of a URL as written, for identity: no scheme, host or query;
    every ``{{variable}}`` and ``:name`` segment written ``{}``; lower case."""
    text = _SCHEME_RE.sub("", url.strip()).split("?", 1)[0].split("#", 1)[0]
    segments = text.split("/")[1:]  # the first segment is the host
    out = []
    for segment in segments:
        segment = _VARIABLE_RE.sub("{}", segment)
        if segment.startswith(":") and len(segment) > 1:
            segment = "{}"
        out.append(segment.lower())
    return "/" + "/".join(s for s in out if s)


def operation_key(source_id: str | None, method: str, url: str) -> str:
    """An operation's identity: the item id when it has one, else
    ``METHOD /normalised/path`` (made unique by ``unique_keys``)."""
    if source_id:
        return f"id:{source_id}"
    return f"{method.upper() or 'GET'} {normalised_url(url)}"


def unique_keys(items: list[tuple[str | None, str, str, str, str]]) -> list[str]:
    """Keys of (id, method, url, title, item path) tuples, in order. Items sharing a
    key (no id, same method and path) are told apart by title (``#Title``), then by
    item path (``#Folder/Title``), then by rank (``#2``)."""
    keys = [operation_key(i, m, u) for i, m, u, _t, _s in items]
    for part in (3, 4):
        counts: dict[str, int] = {}
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
        keys = [
            f"{key} #{item[part]}" if counts[key] > 1 else key
            for key, item in zip(keys, items, strict=True)
        ]
    result: list[str] = []
    seen: set[str] = set()
    for key in keys:
        candidate, rank = key, 2
        while candidate in seen:
            candidate, rank = f"{key} #{rank}", rank + 1
        seen.add(candidate)
        result.append(candidate)
    return result


def spec_keys(spec: ApiSpec) -> list[str]:
    """The key of every operation of a spec (its own ``key``, else computed)."""
    ops = [op for _r, op in spec.iter_operations()]
    computed = unique_keys(
        [(op.source_id, op.method, op.url, op.title, op.source) for op in ops]
    )
    return [op.key or key for op, key in zip(ops, computed, strict=True)]


@dataclass
class Alias:
    """A deprecated old name of a method, and the version it was introduced in."""

    name: str
    since: str


@dataclass
class LockedOperation:
    """The names one operation keeps."""

    name: str
    resource: str  # folder path of its resource ("" for the client itself)
    aliases: list[Alias] = field(default_factory=list)


@dataclass
class LockedResource:
    """The names one resource (folder) keeps."""

    attribute: str
    class_name: str
    module: str


@dataclass
class Lock:
    """The contents of a lock file."""

    version: str = ""
    fingerprint: str = ""
    operations: dict[str, LockedOperation] = field(default_factory=dict)
    resources: dict[str, LockedResource] = field(default_factory=dict)
    models: dict[str, str] = field(default_factory=dict)  # inferred name → class
    summary: dict[str, Any] = field(default_factory=dict)

    def resource_names(self, folders: tuple[str, ...]) -> LockedResource | None:
        """The locked names of a folder."""
        return self.resources.get("/".join(folders))


def fingerprint(text: str) -> str:
    """A short content hash (of the spec as canonical JSON)."""
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def make_lock(
    spec: ApiSpec,
    model_keys: dict[str, str],
    *,
    previous: Lock | None,
    summary: dict[str, Any],
    spec_text: str,
) -> Lock:
    """The lock describing ``spec`` (aliases carried over from ``previous`` are in
    the spec's operations; their ``since`` comes from ``previous`` or is now)."""
    old_aliases: dict[tuple[str, str], str] = {}
    if previous is not None:
        for key, entry in previous.operations.items():
            for alias in entry.aliases:
                old_aliases[(key, alias.name)] = alias.since
    lock = Lock(
        version=spec.version,
        fingerprint=fingerprint(spec_text),
        models=dict(sorted(model_keys.items())),
        summary=summary,
    )
    for resource in spec.iter_resources():
        lock.resources[resource.source] = LockedResource(
            resource.name, resource.class_name, resource.module
        )
    for (resource, op), key in zip(
        spec.iter_operations(), spec_keys(spec), strict=True
    ):
        lock.operations[key] = LockedOperation(
            name=op.name,
            resource=resource.source,
            aliases=[
                Alias(name, old_aliases.get((key, name), spec.version))
                for name in op.aliases
            ],
        )
    lock.operations = dict(sorted(lock.operations.items()))
    lock.resources = dict(sorted(lock.resources.items()))
    return lock


def dump_lock(lock: Lock) -> str:
    """The lock as YAML text (stable order)."""
    data: dict[str, Any] = {
        "lock_format": LOCK_FORMAT,
        "version": lock.version,
        "fingerprint": lock.fingerprint,
        "operations": {
            key: {
                "name": entry.name,
                "resource": entry.resource,
                **(
                    {
                        "aliases": [
                            {"name": a.name, "since": a.since} for a in entry.aliases
                        ]
                    }
                    if entry.aliases
                    else {}
                ),
            }
            for key, entry in lock.operations.items()
        },
        "resources": {
            path: {
                "attribute": entry.attribute,
                "class_name": entry.class_name,
                "module": entry.module,
            }
            for path, entry in lock.resources.items()
        },
        "models": lock.models,
        "summary": lock.summary,
    }
    header = (
        "# pmgen lock file: the names of the generated client, kept across"
        " regenerations.\n# Written by `pmgen generate`; commit it. `pmgen check`"
        " fails when it is stale.\n"
    )
    return header + yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )


def load_lock(path: Path) -> Lock | None:
    """Read a lock file; None when there is none yet."""
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise InputError(file, "$", f"cannot read: {exc.strerror}") from None
    try:
        data = yaml.load(text, Loader=_Loader)  # a safe loader (C or Python)
    except yaml.YAMLError as exc:
        raise InputError(file, "$", yaml_problem(exc)) from None
    return parse_lock(data, file)


def parse_lock(data: Any, file: str) -> Lock:
    """A ``Lock`` from parsed YAML, checking its shape."""
    if not isinstance(data, dict) or data.get("lock_format") != LOCK_FORMAT:
        raise InputError(
            file, "$.lock_format", f"not a pmgen lock (format {LOCK_FORMAT})"
        )
    lock = Lock(
        version=_text(data, "version", file, "$"),
        fingerprint=_text(data, "fingerprint", file, "$"),
        models=_mapping(data.get("models", {}), file, "$.models"),
        summary=_mapping(data.get("summary", {}), file, "$.summary"),
    )
    for key, raw in _mapping(data.get("operations", {}), file, "$.operations").items():
        where = f"$.operations[{key!r}]"
        entry = _mapping(raw, file, where)
        aliases = entry.get("aliases", [])
        if not isinstance(aliases, list):
            raise InputError(file, f"{where}.aliases", "expected a list")
        lock.operations[str(key)] = LockedOperation(
            name=_text(entry, "name", file, where, required=True),
            resource=_text(entry, "resource", file, where),
            aliases=[
                Alias(
                    _text(
                        _mapping(a, file, f"{where}.aliases[{i}]"),
                        "name",
                        file,
                        where,
                        required=True,
                    ),
                    _text(a, "since", file, where),
                )
                for i, a in enumerate(aliases)
            ],
        )
    for path, raw in _mapping(data.get("resources", {}), file, "$.resources").items():
        where = f"$.resources[{path!r}]"
        entry = _mapping(raw, file, where)
        lock.resources[str(path)] = LockedResource(
            attribute=_text(entry, "attribute", file, where, required=True),
            class_name=_text(entry, "class_name", file, where, required=True),
            module=_text(entry, "module", file, where, required=True),
        )
    if not all(isinstance(v, str) for v in lock.models.values()):
        raise InputError(file, "$.models", "expected class names")
    return lock


def _mapping(value: Any, file: str, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InputError(file, where, "expected a mapping")
    return {str(k): v for k, v in value.items()}


def _text(
    data: dict[str, Any], key: str, file: str, where: str, *, required: bool = False
) -> str:
    value = data.get(key, "")
    if not isinstance(value, str) or (required and not value):
        raise InputError(file, f"{where}.{key}", "expected a string")
    return value


@dataclass
class LockPlan:
    """What a build takes from a lock: the lock (empty: none) and ``--rename``."""

    lock: Lock
    rename: bool = False
