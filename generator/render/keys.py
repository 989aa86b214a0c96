"""Content keys of the files a spec renders to.

A file's key is a hash of everything its text can depend on: pmgen's own code and
templates (and the user's template overlay), the spec's client-wide parts, the
resource tree's shape, every model, and the spec fragment the file is about (one
resource and its sub-resources, or the whole spec for the package-wide files). Two
runs giving a file the same key give it the same text, so a file whose key has not
changed since the last run need not be rendered again.

The keys hash ``repr`` of the spec's dataclasses: their ``repr`` lists every field
(lists and dicts in order, no sets, no object addresses), and it is much faster than
serialising the spec to plain data.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import sys
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only types: a run with nothing to do imports this, not the spec
    from ..spec.model import ApiSpec, Resource

_GENERATOR = Path(__file__).resolve().parent.parent
_TEMPLATES = (_GENERATOR / "_templates", _GENERATOR.parent / "templates")


def digest(*parts: str) -> str:
    """A short, stable hash of some strings (NUL-separated)."""
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        hasher.update(part.encode("utf-8", "surrogatepass"))
        hasher.update(b"\0")
    return hasher.hexdigest()


def tree_digest(folders: Iterable[Path], suffixes: tuple[str, ...] = ()) -> str:
    """A hash of the names and bytes of every file under ``folders`` (caches
    skipped; with ``suffixes``, only files ending so)."""
    hasher = hashlib.blake2b(digest_size=16)
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if "__pycache__" in path.parts or not path.is_file():
                continue
            if suffixes and not path.name.endswith(suffixes):
                continue
            hasher.update(path.relative_to(folder).as_posix().encode() + b"\0")
            hasher.update(path.read_bytes() + b"\0")
    return hasher.hexdigest()


@cache
def generator_digest() -> str:
    """A hash of pmgen itself: its code, its templates, and the versions of the
    libraries that shape its output (so a changed pmgen never reuses old output)."""
    libraries = [f"{name}={library_version(name)}" for name in ("black", "jinja2")]
    code = tree_digest([_GENERATOR], (".py", ".jinja", ".json"))
    templates = tree_digest([t for t in _TEMPLATES if t.is_dir()][:1])
    return digest(code, templates, *libraries)


def library_version(name: str) -> str:
    """``importlib.metadata.version(name)`` ("?" when not installed), without
    importing ``importlib.metadata`` (a third of a run with nothing to do) in the
    common case: a ``.dist-info`` folder in a folder of ``sys.path``."""
    found = _dist_info_version(name)
    if found is not None:
        return found
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:  # pragma: no cover - both are dependencies
        return "?"


def _dist_info_version(name: str) -> str | None:
    """The version the first ``<name>-*.dist-info`` on ``sys.path`` declares, as
    ``importlib.metadata`` finds it; None for any case it might find otherwise (a
    zip file or an egg on the path, two candidates in one folder, an unusual
    header): ``importlib.metadata`` answers those."""
    wanted = re.sub(r"[-_.]+", "_", name).lower()
    for entry in sys.path:
        try:
            children = os.listdir(entry or ".")
        except NotADirectoryError:
            return None  # a zip file: importlib.metadata looks inside
        except OSError:
            continue
        matches = [
            child
            for child in children
            if child.lower().endswith((".dist-info", ".egg-info"))
            and re.sub(
                r"[-_.]+", "_", child.lower().rpartition(".")[0].partition("-")[0]
            )
            == wanted
        ]
        if entry.lower().endswith(".egg") or len(matches) > 1:
            return None
        if matches:
            if not matches[0].lower().endswith(".dist-info"):
                return None
            return _declared_version(os.path.join(entry or ".", matches[0], "METADATA"))
    return None


def _declared_version(metadata: str) -> str | None:
    """The ``Version:`` header of a METADATA file (None if unusual or missing)."""
    try:
        with open(metadata, encoding="utf-8") as handle:
            lines = handle.read().split("\n")
    except (OSError, UnicodeDecodeError):
        return None
    for index, line in enumerate(lines):
        if not line.strip():
            return None  # the end of the headers
        if line.startswith("Version:"):
            following = lines[index + 1] if index + 1 < len(lines) else ""
            if following[:1] in (" ", "\t"):
                return None  # a folded header
            return line[len("Version:") :].strip() or None
    return None


class FileKeys:
    """The key of each kind of file of one spec (see the module docstring)."""

    def __init__(self, spec: ApiSpec, salt: str) -> None:
        client_wide = dataclasses.replace(spec, root=_leaf(spec.root), models=[])
        # Model by model: one ``repr`` of all of them is tens of MiB at once.
        models = hashlib.blake2b(digest_size=16)
        for model in spec.models:
            models.update(repr(model).encode("utf-8", "surrogatepass") + b"\0")
        self._global = digest(
            salt,
            generator_digest(),
            repr(client_wide),
            repr(spec.call_prefixes()),
            models.hexdigest(),
        )
        self._root = spec.root
        self._resources: dict[int, str] = {}

    def resource(self, resource: Resource) -> str:
        """The key part of a resource: its own fields and its sub-resources'."""
        known = self._resources.get(id(resource))
        if known is None:
            children = [self.resource(child) for child in resource.resources]
            known = digest(repr(_leaf(resource)), *children)
            self._resources[id(resource)] = known
        return known

    def for_resource(self, path: str, resource: Resource, *extra: str) -> str:
        """The key of a file about one resource (its module, its tests)."""
        return digest(self._global, path, self.resource(resource), *extra)

    def for_models(self, path: str, *extra: str) -> str:
        """The key of a models module (every model is in the client-wide part;
        ``extra``: what else it shows, such as the requests using its models)."""
        return digest(self._global, path, *extra)

    def for_package(self, path: str) -> str:
        """The key of a package-wide file: depends on the whole spec."""
        return digest(self._global, path, self.resource(self._root))


def _leaf(resource: Resource) -> Resource:
    """``resource`` without its sub-resources (they are hashed on their own)."""
    return dataclasses.replace(resource, resources=[])
