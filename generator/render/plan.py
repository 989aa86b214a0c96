"""Spec → the files of the generated package, rendered (path → text).

Each file is rendered on its own (one template, one view), so a later step can render
files in parallel or skip unchanged ones.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..spec.model import ApiSpec, ModelDef, Resource
from .environment import render
from .keys import FileKeys, digest
from .models_view import models_module
from .package_view import client_module, models_init, package_init
from .readme_view import readme
from .tests_view import clients_module, test_module
from .views import module_docstring, resource_module

_RUNTIME = Path(__file__).resolve().parent.parent / "runtime"
_TEST_SUPPORT = Path(__file__).resolve().parent.parent / "testsupport" / "_support.py"


@dataclass(frozen=True)
class PlannedFile:
    """One output file: where it goes and how to make its text."""

    path: str  # relative to the package folder, "/"-separated
    make: Callable[[], str]
    python: bool
    template: str | None = None  # the template it is rendered from, if any
    # Its content key (see ``keys``): the same key, the same text.
    key: Callable[[FileKeys], str] | None = None


def plan(spec: ApiSpec, overlay: Path | None = None) -> list[PlannedFile]:
    """Every file of the package, in a stable order."""
    models_of = {m.name: m.module for m in spec.models}
    users = _model_users(spec)
    resources = _resources(spec)
    prefixes = spec.call_prefixes()
    files = [
        _template(
            "__init__.py",
            "package/init.py.jinja",
            overlay,
            lambda: package_init(spec, models_of),
        ),
        _template(
            "client.py", "package/client.py.jinja", overlay, lambda: client_module(spec)
        ),
        _static("py.typed", ""),
        _template(
            "README.md",
            "package/README.md.jinja",
            overlay,
            lambda: readme(spec),
            python=False,
        ),
        _static(
            "resources/__init__.py",
            _docstring_module("Resource classes, one module per folder.", spec),
        ),
        _template(
            "models/__init__.py",
            "package/init.py.jinja",
            overlay,
            lambda: models_init(spec, models_of),
        ),
        _static(
            "tests/__init__.py",
            _docstring_module("Offline tests of the generated client.", spec),
        ),
        _template(
            "tests/_clients.py",
            "tests/clients.py.jinja",
            overlay,
            lambda: clients_module(spec),
        ),
        _static("tests/_support.py", _TEST_SUPPORT.read_text(encoding="utf-8")),
    ]
    for runtime in sorted(_RUNTIME.glob("*.py")):
        files.append(
            _static(f"_runtime/{runtime.name}", runtime.read_text(encoding="utf-8"))
        )
    for resource in resources:
        files += _resource_files(spec, resource, models_of, overlay, prefixes)
    by_module: dict[str, list[ModelDef]] = {}
    for model in spec.models:
        by_module.setdefault(model.module, []).append(model)
    for module, models in sorted(by_module.items()):
        view = _models_view(spec, module, models, models_of, users)
        path = f"models/{module}.py"
        used = repr([(m.name, users.get(m.name)) for m in models])
        files.append(
            _template(
                path,
                "package/models.py.jinja",
                overlay,
                view,
                key=_models_key(path, used),
            )
        )
    return sorted(files, key=lambda f: f.path)


def _models_view(
    spec: ApiSpec,
    module: str,
    models: list[ModelDef],
    models_of: dict[str, str],
    users: dict[str, list[str]],
) -> Callable[[], object]:
    return lambda: models_module(spec, module, models, models_of, users)


def _models_key(path: str, used: str) -> Callable[[FileKeys], str]:
    return lambda keys: keys.for_models(path, used)


def _resources(spec: ApiSpec) -> list[Resource]:
    found = [spec.root] if spec.root.operations else []
    return found + [r for r in spec.iter_resources() if r.operations or r.resources]


def _resource_files(
    spec: ApiSpec,
    resource: Resource,
    models_of: dict[str, str],
    overlay: Path | None,
    prefixes: dict[str, str],
) -> list[PlannedFile]:
    module = f"resources/{resource.module}.py"
    files = [
        _template(
            module,
            "package/resource.py.jinja",
            overlay,
            lambda: resource_module(spec, resource, models_of, prefixes),
            key=lambda keys: keys.for_resource(module, resource),
        )
    ]
    if resource.operations:
        prefix = prefixes[resource.module]
        tests = f"tests/test_{resource.module.lstrip('_')}.py"
        files.append(
            _template(
                tests,
                "tests/test_resource.py.jinja",
                overlay,
                lambda: test_module(spec, resource, prefix),
                key=lambda keys: keys.for_resource(tests, resource, prefix),
            )
        )
    return files


def _model_users(spec: ApiSpec) -> dict[str, list[str]]:
    users: dict[str, list[str]] = {}
    for _resource, op in spec.iter_operations():
        name = op.result.type.split("[")[-1].split("]")[0].split(" ")[0]
        users.setdefault(name, []).append(op.source)
    return users


def _docstring_module(title: str, spec: ApiSpec) -> str:
    return f'"""{module_docstring(title, spec.source)}\n"""\n'


def _template(
    path: str,
    template: str,
    overlay: Path | None,
    view: Callable[[], object],
    *,
    python: bool = True,
    key: Callable[[FileKeys], str] | None = None,
) -> PlannedFile:
    return PlannedFile(
        path,
        lambda: render(template, overlay, view=view()),
        python,
        template,
        key or (lambda keys: keys.for_package(path)),
    )


def _static(path: str, text: str) -> PlannedFile:
    # Static files are pmgen's own black-formatted sources: never formatted again.
    return PlannedFile(
        path, lambda: text, python=False, key=lambda _keys: digest(path, text)
    )
