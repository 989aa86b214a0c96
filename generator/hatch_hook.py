"""A hatchling build hook: generate the project's clients when its wheel/sdist is built.

Registered as the hatch plugin ``pmgen`` (``[project.entry-points.hatch]`` of pmgen).
A consumer enables it with a table in its ``pyproject.toml``::

    [build-system]
    requires = ["hatchling", "pmgen"]
    build-backend = "hatchling.build"

    [tool.hatch.build.hooks.pmgen]
    # either options of one client here (paths relative to the project root) ...
    collection = "acme.postman_collection.json"
    output = "acme_client"
    # ... or nothing here, and the clients of [tool.pmgen] / pmgen.yaml are built;
    # config = "clients.yaml" names another config file.

The generated folders are added to the build as artifacts, so they are packed even
when they are ignored by version control (generated code usually is).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface
from hatchling.plugin import hookimpl

from .build import generate_for_build, inline_client

# Options every hatch build hook accepts; they are hatch's, not client options.
_HATCH_OPTIONS = frozenset(
    {
        "dependencies",
        "require-runtime-dependencies",
        "require-runtime-features",
        "enable-by-default",
    }
)


class PmgenBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Writes every configured client before hatchling collects the files."""

    PLUGIN_NAME = "pmgen"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        root = Path(self.root)
        options = {k: v for k, v in self.config.items() if k not in _HATCH_OPTIONS}
        config = options.pop("config", None)
        clients = None
        if options:
            where = "pyproject.toml [tool.hatch.build.hooks.pmgen]"
            clients = [inline_client(options, root, where)]
        built = generate_for_build(
            root, Path(config) if isinstance(config, str) else None, clients=clients
        )
        for client in built:
            relative = client.output.relative_to(root.resolve()).as_posix()
            build_data["artifacts"].append(f"/{relative}/")
            self.app.display_info(
                f"pmgen: wrote {client.package} ({client.files} files) to {relative}"
            )


@hookimpl
def hatch_register_build_hook() -> type[PmgenBuildHook]:
    """The hatch plugin entry point."""
    return PmgenBuildHook
