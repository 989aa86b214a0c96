"""Shared state of one spec build: variables, roles, names, models, diagnostics."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..config import ClientConfig, VariableRole
from ..errors import Diagnostic, Level
from ..naming import (
    RESERVED_CLASSES,
    ClassScope,
    looks_secret,
    parameter_name,
    setting_name,
    snake,
)
from .infer import ModelBuilder, ModelRegistry
from .model import ModelDef
from .variables import VariableTable, substitute, variables_in


@dataclass
class BuildContext:
    """Everything the per-request builders share while one spec is built."""

    config: ClientConfig
    table: VariableTable = field(default_factory=VariableTable)
    roles: dict[str, VariableRole] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    registry: ModelRegistry = field(default_factory=ModelRegistry)
    # Objects inside request bodies are unified only with each other, per module:
    # their models carry the collection's values as defaults, built at run time, so
    # they must live in the module of the requests that use them.
    request_builders: dict[str, ModelBuilder] = field(default_factory=dict)
    classes: ClassScope = field(default_factory=lambda: ClassScope(RESERVED_CLASSES))
    builder: ModelBuilder | None = None
    # variable → (operation source path, response field) from test scripts
    produced: dict[str, tuple[str, str]] = field(default_factory=dict)
    request_models: list[ModelDef] = field(default_factory=list)
    module: str = ""  # the models/resources module of the resource being built
    main_origin: str = ""  # scheme://host of most requests: the client's base_url
    setting_names: dict[str, str] = field(default_factory=dict)  # variable → setting
    header_credentials: dict[str, str] = field(default_factory=dict)  # variable → arg
    # Secret variables left as ``{{name}}`` in bodies, in first-use order.
    body_secrets: dict[str, None] = field(default_factory=dict)
    client_headers: set[str] = field(default_factory=set)  # sent by the client itself
    param_variables: dict[tuple[str, str], str] = field(default_factory=dict)
    _first: list[Callable[[], None]] = field(default_factory=list)
    _then: list[Callable[[], None]] = field(default_factory=list)

    def later(self, step: Callable[[], None], *, first: bool = False) -> None:
        """Run ``step`` once every example shape is registered (types need all of them).

        ``first`` steps (type resolution) run before the others (copying types).
        """
        (self._first if first else self._then).append(step)

    def run_pending(self) -> None:
        """Run the deferred steps, ``first`` ones first, each group in order."""
        steps = [*self._first, *self._then]
        self._first, self._then = [], []
        for step in steps:
            step()

    def report(self, level: Level, location: str, message: str) -> None:
        """Add a diagnostic."""
        self.diagnostics.append(Diagnostic(level, location, message))

    def role(self, variable: str) -> VariableRole:
        """The decided role of ``variable`` (parameter when never seen in a URL)."""
        return self.roles.get(variable, "parameter")

    def fill(self, text: str) -> str:
        """``text`` with each variable that has a value replaced by it; the others
        stay ``{{name}}``, as Postman sends a variable it does not know."""
        values = {v: self.value(v) for v in variables_in(text)}
        return substitute(text, {k: v for k, v in values.items() if v is not None})

    def fill_body(self, text: str) -> str:
        """``fill`` for the text of a body. A secret variable it leaves as
        ``{{name}}`` is recorded: the client fills it when it sends the body."""
        for name in variables_in(text):
            if looks_secret(name) and self.value(name) is None:
                self.body_secrets.setdefault(name, None)
        return self.fill(text)

    def value(self, variable: str) -> str | None:
        """The variable's value from the environment, config or collection.

        A variable named like a secret has no value here: its value must never be
        written into generated code, docs or tests (the config can still give one).
        """
        override = self.config.variables.get(variable)
        if override and override.value is not None:
            return override.value
        if looks_secret(variable):
            return None
        return self.table.values.get(variable)

    def setting_for(self, variable: str) -> str:
        """The client setting name a variable becomes."""
        if variable in self.setting_names:
            return self.setting_names[variable]
        override = self.config.variables.get(variable)
        if override and override.name:
            return override.name
        return setting_name(variable)

    def parameter_for(self, variable: str) -> str:
        """The method parameter name a variable becomes (``_jobId`` → ``job_id``)."""
        override = self.config.variables.get(variable)
        if override and override.name:
            return override.name
        return parameter_name(variable)

    def credential_for(self, variable: str) -> str:
        """The constructor argument name of a secret variable."""
        override = self.config.variables.get(variable)
        if override and override.name:
            return override.name
        return snake(variable, fallback="credential")

    def class_name(self, key: str, default: str) -> str:
        """A class name for the model known by ``key``: the lock's, else ``default``
        (made unique)."""
        locked = self.registry.locked.get(key) if key else None
        name = (
            self.classes.claim_locked(locked) if locked else self.classes.claim(default)
        )
        if key:
            self.registry.named.setdefault(key, name)
        return name

    def models(self) -> ModelBuilder:
        """The model builder (created on first use, after all shapes are registered)."""
        if self.builder is None:
            self.builder = ModelBuilder(self.registry, self.classes)
        return self.builder

    def request_models_builder(self, module: str) -> ModelBuilder:
        """The builder of models nested in request bodies of one module."""
        if module not in self.request_builders:
            registry = ModelRegistry(
                overrides=self.registry.overrides,
                locked=self.registry.locked,
                named=self.registry.named,
            )
            self.request_builders[module] = ModelBuilder(registry, self.classes)
        return self.request_builders[module]
