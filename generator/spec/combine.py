"""Several ``ApiSpec`` → one: a client made of sub-clients, one per collection.

Each collection's spec is built on its own (``spec.build``); ``combine`` then merges
them so that the renderer works on the result as on any spec:

- each spec's root becomes a top-level resource (``client.billing``), its folders
  nested below it; resource classes and modules are prefixed with the part's name;
- settings and credentials keep their names unless two parts use the same name for
  different things: then each becomes ``<part>_<name>``. A ``base_url`` the parts
  share stays ``base_url``; different ones become ``<part>_base_url`` settings that
  the part's requests are sent to;
- auth schemes are renamed the same way where their names clash;
- models with the same structure (fields, keys, types, required flags and request
  defaults; nested models compared by structure too) become one class; different
  structures wanting the same name get the part's prefix (``BillingAccount``);
- client-wide headers the parts do not all send become headers of the part's
  requests, so one API's headers never reach another;
- secret variables filled in bodies keep the argument of the first part that has
  them (the client fills ``{{name}}`` in every part's bodies with one value).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from ..errors import Diagnostic, Level
from ..naming import (
    RESERVED_CLASSES,
    RESERVED_CLIENT_ATTRIBUTES,
    ClassScope,
    NameScope,
    pascal,
)
from .model import (
    ApiSpec,
    AuthScheme,
    BodyVariable,
    Header,
    ModelDef,
    Operation,
    Resource,
    Setting,
)

_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_PLACEHOLDER_RE = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)\}(?!\})")
SHARED_MODELS_MODULE = "common"


@dataclass(frozen=True)
class Part:
    """One spec and the attribute its sub-client gets on the combined client."""

    name: str
    spec: ApiSpec


@dataclass
class _Renames:
    """How one part's names change in the combined spec."""

    settings: dict[str, str] = field(default_factory=dict)  # settings + credentials
    schemes: dict[str, str] = field(default_factory=dict)
    models: dict[str, str] = field(default_factory=dict)
    model_modules: dict[str, str] = field(default_factory=dict)
    base_url: str | None = None  # the setting its requests go to, if not base_url


def combine(
    parts: Sequence[Part], *, package: str, version: str = "0.1.0"
) -> tuple[ApiSpec, list[Diagnostic]]:
    """Merge the specs of ``parts`` (in order) into one spec; see the module doc."""
    if len({p.name for p in parts}) != len(parts):
        raise ValueError("two parts of a combined client have the same name")
    specs = [copy.deepcopy(p.spec) for p in parts]
    names = [p.name for p in parts]
    renames = [_Renames() for _ in parts]
    diagnostics: list[Diagnostic] = []
    combined = ApiSpec(
        title=", ".join(s.title for s in specs),
        package=package,
        source=", ".join(s.source for s in specs),
        description=_description(names, specs),
        version=version,
    )
    combined.settings = _settings(names, specs, renames)
    combined.auth = _schemes(names, specs, renames)
    classes = ClassScope(RESERVED_CLASSES)
    combined.models = _models(names, specs, renames, classes)
    combined.default_headers = _headers(names, specs, renames, diagnostics)
    combined.body_variables = _body_variables(names, specs, renames, diagnostics)
    combined.root.name, combined.root.module = "", "_root"
    combined.root.title = combined.title
    modules = NameScope({"_root"})
    attributes = NameScope(RESERVED_CLIENT_ATTRIBUTES)
    for name, spec, rename in zip(names, specs, renames, strict=True):
        top = spec.root
        top.name = attributes.claim(name)
        top.title = spec.title
        top.description = spec.description
        top.source = name
        _rename_resources(top, name, rename, classes, modules, is_top=True)
        combined.root.resources.append(top)
    return combined, diagnostics


def _description(names: list[str], specs: list[ApiSpec]) -> str:
    subs = [f"``client.{n}`` ({s.title})" for n, s in zip(names, specs, strict=True)]
    return f"One client for several APIs, a sub-client each: {', '.join(subs)}."


# --- settings, credentials and auth schemes -----------------------------------------


def _same_setting(a: Setting, b: Setting) -> bool:
    """Whether two parts' settings are one: the same known value (two APIs may both
    leave ``{{baseUrl}}`` without a value, meaning different hosts)."""
    same = (a.default, a.variable, a.url, a.secret) == (
        b.default,
        b.variable,
        b.url,
        b.secret,
    )
    return same and not a.secret and a.default is not None


def _settings(
    names: list[str], specs: list[ApiSpec], renames: list[_Renames]
) -> list[Setting]:
    """Settings (and credential names) of every part, namespaced where they clash."""
    owners: dict[str, list[int]] = {}  # argument name → parts using it
    for index, spec in enumerate(specs):
        used = [s.name for s in spec.settings]
        used += [c.name for _scheme, c in spec.credentials()]
        used += [v.argument for v in spec.body_variables]
        for name in dict.fromkeys(used):
            owners.setdefault(name, []).append(index)
    scope = NameScope()
    # Plain names that stay plain are claimed first, so a prefixed one cannot take them.
    shared: set[str] = set()
    for name, users in owners.items():
        if len(users) == 1 or _all_same(name, [specs[i] for i in users]):
            shared.add(name)
            scope.claim(name)
    settings: list[Setting] = []
    kept: set[str] = set()
    for index, spec in enumerate(specs):
        rename = renames[index]
        for name in owners:
            if index in owners[name] and name not in shared:
                rename.settings[name] = scope.claim(f"{names[index]}_{name}")
        for setting in spec.settings:
            new = rename.settings.get(setting.name, setting.name)
            if new in kept:
                continue
            kept.add(new)
            if setting.name == "base_url" and new != "base_url":
                rename.base_url = new
                settings.append(
                    replace(
                        setting,
                        name=new,
                        url=True,
                        description=f"Where {spec.title} is served"
                        + (
                            f" (the collection's ``{setting.variable}``)."
                            if setting.variable
                            else "."
                        ),
                    )
                )
            else:
                settings.append(replace(setting, name=new))
        for scheme in spec.auth:
            for credential in scheme.credentials:
                credential.name = rename.settings.get(credential.name, credential.name)
    # The base URL first (the renderer's positional argument, when shared).
    return sorted(settings, key=lambda s: s.name != "base_url")


def _body_variables(
    names: list[str],
    specs: list[ApiSpec],
    renames: list[_Renames],
    diagnostics: list[Diagnostic],
) -> list[BodyVariable]:
    """Every part's body variables with their renamed arguments; a variable two
    parts fill from different arguments takes the first part's (with a warning)."""
    found: dict[str, BodyVariable] = {}
    for index, spec in enumerate(specs):
        for variable in spec.body_variables:
            argument = renames[index].settings.get(variable.argument, variable.argument)
            first = found.setdefault(
                variable.variable, BodyVariable(variable.variable, argument)
            )
            if first.argument != argument:
                diagnostics.append(
                    Diagnostic(
                        Level.WARNING,
                        f"{names[index]}/(collection)",
                        f"bodies fill the variable {variable.variable!r} from"
                        f" `{first.argument}` in every sub-client, not `{argument}`",
                    )
                )
    return list(found.values())


def _all_same(name: str, specs: list[ApiSpec]) -> bool:
    found = [next((s for s in spec.settings if s.name == name), None) for spec in specs]
    first = found[0]
    return first is not None and all(
        s is not None and _same_setting(first, s) for s in found
    )


def _schemes(
    names: list[str], specs: list[ApiSpec], renames: list[_Renames]
) -> list[AuthScheme]:
    counts: dict[str, int] = {}
    for spec in specs:
        for scheme in spec.auth:
            counts[scheme.name] = counts.get(scheme.name, 0) + 1
    scope = NameScope(n for n, c in counts.items() if c == 1)
    schemes: list[AuthScheme] = []
    for index, spec in enumerate(specs):
        for scheme in spec.auth:
            new = scheme.name
            if counts[scheme.name] > 1:
                new = scope.claim(f"{names[index]}_{scheme.name}")
            renames[index].schemes[scheme.name] = new
            schemes.append(replace(scheme, name=new))
    return schemes


def _headers(
    names: list[str],
    specs: list[ApiSpec],
    renames: list[_Renames],
    diagnostics: list[Diagnostic],
) -> list[Header]:
    """Client-wide headers: those every part sends. A static one only some parts send
    becomes a header of their requests; one naming a setting or credential stays
    client-wide (renamed) and the other parts' requests leave it out."""
    common = [
        h
        for h in specs[0].default_headers
        if all(
            any((o.name, o.value) == (h.name, h.value) for o in s.default_headers)
            and not _templated(h.value, s)
            for s in specs
        )
    ]
    client_wide = list(common)
    owner: dict[str, int] = {}  # lower-case name of a part's client-wide header
    for index, spec in enumerate(specs):
        moved: list[Header] = []
        for header in spec.default_headers:
            if any((c.name, c.value) == (header.name, header.value) for c in common):
                continue
            if not _templated(header.value, spec):
                unescaped = header.value.replace("{{", "{").replace("}}", "}")
                moved.append(Header(header.name, unescaped))
                continue
            where = f"{names[index]}/(collection)"
            if header.name.lower() in owner or any(
                c.name.lower() == header.name.lower() for c in common
            ):
                diagnostics.append(
                    Diagnostic(
                        Level.WARNING,
                        where,
                        f"header {header.name!r} is a client-wide header of another"
                        " sub-client too: not sent (pass it with `headers=`)",
                    )
                )
                continue
            owner[header.name.lower()] = index
            value = _placeholders(header.value, renames[index].settings.get)
            client_wide.append(Header(header.name, value))
            diagnostics.append(
                Diagnostic(
                    Level.INFO,
                    where,
                    f"header {header.name!r} carries a client setting or credential:"
                    " the client sends it, other sub-clients' requests leave it out",
                )
            )
        for _resource, op in spec.iter_operations():
            own = {h.name.lower() for h in op.headers}
            own |= {p.key.lower() for p in op.parameters if p.location == "header"}
            op.headers = [h for h in moved if h.name.lower() not in own] + op.headers
    for index, spec in enumerate(specs):
        for _resource, op in spec.iter_operations():
            own = {h.name.lower() for h in op.headers}
            own |= {p.key.lower() for p in op.parameters if p.location == "header"}
            op.omit_headers += [
                h.name
                for h in client_wide
                if owner.get(h.name.lower(), index) != index
                and h.name.lower() not in own
            ]
    return client_wide


def _templated(value: str, spec: ApiSpec) -> bool:
    names = {s.name for s in spec.settings} | {c.name for _s, c in spec.credentials()}
    return any(m.group(1) in names for m in _PLACEHOLDER_RE.finditer(value))


def _placeholders(text: str, new: Callable[[str], str | None]) -> str:
    """``text`` with each ``{name}`` placeholder renamed (``{{`` escapes kept)."""
    return _PLACEHOLDER_RE.sub(
        lambda m: "{" + (new(m.group(1)) or m.group(1)) + "}", text
    )


# --- models --------------------------------------------------------------------------


def _rename_type(text: str, names: dict[str, str]) -> str:
    return _NAME_RE.sub(lambda m: names.get(m.group(0), m.group(0)), text)


class _Shapes:
    """A structural identity of every model: equal ids mean interchangeable classes."""

    def __init__(self, specs: list[ApiSpec]) -> None:
        self.models = [{m.name: m for m in s.models} for s in specs]
        self.ids: dict[str, int] = {}
        self.memo: dict[tuple[int, str], str] = {}

    def key(self, part: int, name: str, busy: frozenset[str] = frozenset()) -> str:
        if (part, name) in self.memo:
            return self.memo[(part, name)]
        if name in busy:  # a model nested in itself: compared by name
            return f"@{name}"
        model = self.models[part][name]
        inner = busy | {name}

        def ref(match: re.Match[str]) -> str:
            word = match.group(0)
            if word in self.models[part]:
                return self.key(part, word, inner)
            return word

        fields = [
            [f.name, f.key, _NAME_RE.sub(ref, f.type), f.required] for f in model.fields
        ]
        text = json.dumps([fields, model.defaults], sort_keys=True, default=str)
        found = "#" + str(self.ids.setdefault(text, len(self.ids)))
        if not busy:
            self.memo[(part, name)] = found
        return found


def _request_bound(spec: ApiSpec) -> set[str]:
    """Models with request defaults and every model nested in one."""
    by_name = {m.name: m for m in spec.models}
    stack = [m.name for m in spec.models if m.defaults]
    bound: set[str] = set()
    while stack:
        name = stack.pop()
        if name in bound:
            continue
        bound.add(name)
        for f in by_name[name].fields:
            stack += [w for w in _NAME_RE.findall(f.type) if w in by_name]
    return bound


def _models(
    names: list[str],
    specs: list[ApiSpec],
    renames: list[_Renames],
    classes: ClassScope,
) -> list[ModelDef]:
    shapes = _Shapes(specs)
    # Models of one part that share a structure were kept apart by its build: they
    # stay apart (the n-th of a part merges with the n-th of another).
    # Request models (and the models inside them) stay in their module: their
    # defaults are built there at run time, with the nested classes.
    groups: dict[tuple[str, int], list[tuple[int, ModelDef]]] = {}
    for index, spec in enumerate(specs):
        seen: dict[str, int] = {}
        bound = _request_bound(spec)
        for model in spec.models:
            shape = shapes.key(index, model.name)
            if model.name in bound:
                shape = f"{index}:{model.name}"
            seen[shape] = seen.get(shape, -1) + 1
            groups.setdefault((shape, seen[shape]), []).append((index, model))
    wanted: dict[str, int] = {}
    for members in groups.values():
        wanted[members[0][1].name] = wanted.get(members[0][1].name, 0) + 1
    module_scope = NameScope()
    for index, spec in enumerate(specs):
        for model in spec.models:
            modules = renames[index].model_modules
            if model.module not in modules:
                own = names[index]
                if model.module != "_root":
                    own += "_" + model.module.lstrip("_")
                modules[model.module] = module_scope.claim(own)
    shared_module = module_scope.claim(SHARED_MODELS_MODULE)
    # Names every group keeps, in order: shared structures keep theirs; a name wanted
    # by structures of one part each gets the part's prefix.
    plan: list[tuple[list[tuple[int, ModelDef]], str, str, bool]] = []
    for members in groups.values():
        first_part, first = members[0]
        parts_in = {i for i, _m in members}
        name = first.name
        prefixed = wanted[name] > 1 and len(parts_in) == 1
        if prefixed:
            name = pascal(names[first_part]) + name
        module = (
            shared_module
            if len(parts_in) > 1
            else renames[first_part].model_modules[first.module]
        )
        plan.append((members, name, module, prefixed))
    final: dict[int, str] = {}
    # Plain names first, so that a prefixed name cannot take one.
    for position in sorted(range(len(plan)), key=lambda i: plan[i][3]):
        final[position] = classes.claim(plan[position][1])
    for position, (members, _name, _module, _p) in enumerate(plan):
        for index, model in members:
            renames[index].models[model.name] = final[position]
    models: list[ModelDef] = []
    for position, (members, _name, module, _p) in enumerate(plan):
        index, model = members[0]
        models.append(
            replace(
                model,
                name=final[position],
                module=module,
                fields=[
                    replace(f, type=_rename_type(f.type, renames[index].models))
                    for f in model.fields
                ],
            )
        )
    return sorted(models, key=lambda m: (m.module, m.name))


# --- resources and operations --------------------------------------------------------


def _rename_resources(
    resource: Resource,
    part: str,
    rename: _Renames,
    classes: ClassScope,
    modules: NameScope,
    *,
    is_top: bool = False,
) -> None:
    prefix = pascal(part)
    if is_top:
        resource.class_name = classes.claim_twins(prefix)
        resource.module = modules.claim(part)
    else:
        resource.class_name = classes.claim_twins(prefix + resource.class_name)
        resource.module = modules.claim(f"{part}_{resource.module.lstrip('_')}")
        resource.source = f"{part}/{resource.source}"
    for op in resource.operations:
        _rename_operation(op, part, rename)
    for child in resource.resources:
        _rename_resources(child, part, rename, classes, modules)


def _rename_operation(op: Operation, part: str, rename: _Renames) -> None:
    path_params = {p.name for p in op.parameters if p.location == "path"}
    op.path = _PLACEHOLDER_RE.sub(
        lambda m: (
            m.group(0)
            if m.group(1) in path_params or m.group(1) not in rename.settings
            else "{" + rename.settings[m.group(1)] + "}"
        ),
        op.path,
    )
    if op.base_url is not None:
        op.base_url = _placeholders(op.base_url, rename.settings.get)
    elif rename.base_url is not None:
        op.base_url = "{" + rename.base_url + "}"
    if op.auth is not None:
        op.auth = rename.schemes.get(op.auth, op.auth)
    op.source = f"{part}/{op.source}"
    models = rename.models
    op.result = replace(op.result, type=_rename_type(op.result.type, models))
    for param in op.parameters:
        param.type = _rename_type(param.type, models)
        param.provenance = param.provenance.replace("``client.", f"``client.{part}.")
    if op.body is not None and op.body.model:
        op.body.model = _rename_type(op.body.model, models)
