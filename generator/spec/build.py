"""Collection → ``ApiSpec``: the spec stage's entry point.

Two passes. The first walks every request and records where each variable is used
(and what scripts say about it); roles follow from that (``variables.py``). The second
builds resources and operations, registering example shapes; models are made last,
when every shape is known, so that one model can serve many requests.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from ..config import ClientConfig
from ..errors import Diagnostic, Level
from ..naming import (
    RESERVED_CLIENT_ATTRIBUTES,
    NameScope,
    comment_text,
    package_name,
    pascal,
    resource_attribute,
    snake,
)
from ..postman.model import PmAuth, PmCollection, PmItem
from .auth import AuthPlan, secret_texts
from .context import BuildContext
from .lock import Lock, LockedOperation, LockPlan, unique_keys
from .model import ApiSpec, BodyVariable, Header, Resource, Setting
from .operations import build_operation, host_and_path, origin_of, report_profile
from .redact import redact
from .scripts import read_script
from .variables import VAR_RE, is_single_variable, substitute, variables_in


@dataclass
class _Request:
    """A request item with what it inherits from its folders."""

    item: PmItem
    source: str  # item path
    folders: tuple[str, ...]
    auth: PmAuth | None
    headers: tuple[tuple[str, str], ...]  # from folder pre-request scripts
    profile: dict[str, Any]  # protocolProfileBehavior: collection, folders, item
    key: str = ""  # stable identity (see ``lock.unique_keys``)


def build_spec(
    collection: PmCollection,
    config: ClientConfig | None = None,
    environment: dict[str, str] | None = None,
) -> tuple[ApiSpec, list[Diagnostic]]:
    """Build the intermediate spec of a collection; never raises for content problems."""
    owner = [collection]
    del collection  # see _build: the collection can be freed before types resolve
    spec, found, _names = _build(owner, config, environment, None, False)
    return spec, found


def build_locked_spec(
    collection: PmCollection,
    config: ClientConfig | None = None,
    environment: dict[str, str] | None = None,
    lock: Lock | None = None,
    rename: bool = False,
) -> tuple[ApiSpec, list[Diagnostic], dict[str, str]]:
    """``build_spec`` with a lock: the names it records are claimed first
    (``rename``: methods get fresh names, a changed one keeps its old name as a
    deprecated alias). Also returns the class name of each model by its lock key."""
    owner = [collection]
    del collection
    return _build(owner, config, environment, lock, rename)


def _build(
    owner: list[PmCollection],
    config: ClientConfig | None,
    environment: dict[str, str] | None,
    lock: Lock | None,
    rename: bool,
) -> tuple[ApiSpec, list[Diagnostic], dict[str, str]]:
    """The work of ``build_locked_spec``. The collection comes in a list it is taken
    out of, so that when the caller keeps no reference of its own (``pipeline.build``)
    it is freed once every request is built, before the types are resolved: for a
    large collection that is tens of MiB less at the peak."""
    collection, environment, _secrets = redact(owner.pop(), environment)
    ctx = BuildContext(config=config or ClientConfig())
    ctx.registry.overrides = dict(ctx.config.model_names)
    report_profile(ctx, "(collection)", collection.protocol_profile)
    requests = list(
        _walk(
            ctx,
            collection.items,
            (),
            collection.auth,
            (),
            collection.protocol_profile,
        )
    )
    keys = unique_keys(
        [
            (
                r.item.id,
                r.item.request.method,
                r.item.request.url.raw,
                r.item.name,
                r.source,
            )
            for r in requests
            if r.item.request is not None
        ]
    )
    for request, key in zip(requests, keys, strict=True):
        request.key = key
    plan = LockPlan(lock or Lock(), rename)
    ctx.registry.locked = dict(plan.lock.models)
    ctx.classes.reserve(plan.lock.models.values())
    _collect_variables(ctx, collection, requests, environment or {})
    spec = ApiSpec(
        title=collection.name,
        package=ctx.config.package_name or package_name(collection.name),
        source=collection.source.replace("\\", "/").rsplit("/", 1)[-1],
        description=collection.description,
        version=ctx.config.version,
    )
    auth = AuthPlan(ctx, spec.source)
    spec.settings = _settings(ctx, requests)
    spec.default_headers = _default_headers(ctx, collection, requests)
    spec.settings += [
        Setting(
            name=arg,
            variable=variable,
            secret=True,
            description=f"Sent in a header (the collection's ``{variable}``).",
        )
        for variable, arg in ctx.header_credentials.items()
    ]
    ctx.client_headers = {h.name.lower() for h in spec.default_headers}
    spec.root = _resources(ctx, requests, auth, spec, plan)
    _prune(spec.root)
    del requests, collection  # every request is built (see the docstring)
    ctx.run_pending()
    spec.auth = auth.schemes()
    spec.body_variables = _body_variables(ctx, auth, spec)
    spec.models = sorted(
        [
            *ctx.request_models,
            *(m for b in ctx.request_builders.values() for m in b.models),
            *ctx.models().models,
        ],
        key=lambda m: (m.module, m.name),
    )
    _apply_provenance(ctx, spec)
    classes = {m.name for m in spec.models}
    names = {k: v for k, v in sorted(ctx.registry.named.items()) if v in classes}
    found = sorted(ctx.diagnostics, key=lambda d: (d.location, d.message))
    return spec, found, names


def _body_variables(
    ctx: BuildContext, auth: AuthPlan, spec: ApiSpec
) -> list[BodyVariable]:
    """The secret variables left in bodies, each with the constructor argument that
    holds its value: the setting or credential replacing it, else one of its own."""
    settings = {s.variable: s.name for s in spec.settings if s.variable}
    names = {s.name for s in spec.settings}
    return [
        BodyVariable(
            variable=variable,
            argument=settings.get(variable) or auth.argument_for(variable, names),
        )
        for variable in ctx.body_secrets
    ]


def _walk(
    ctx: BuildContext,
    items: tuple[PmItem, ...],
    folders: tuple[str, ...],
    auth: PmAuth | None,
    headers: tuple[tuple[str, str], ...],
    profile: dict[str, Any],
) -> list[_Request]:
    found: list[_Request] = []
    for item in items:
        path = "/".join((*folders, item.name))
        own = item.request.auth if item.request is not None else item.auth
        item_auth = own if own is not None else auth
        # Like auth, protocol behaviour set on a folder applies to what it holds.
        item_profile = {**profile, **item.protocol_profile}
        report_profile(ctx, path, item.protocol_profile)
        if item.is_folder:
            folder_headers = headers + tuple(_script_headers(ctx, item, path))
            if not item.items:
                ctx.report(Level.INFO, path, "empty folder: nothing to generate")
            found += _walk(
                ctx,
                item.items,
                (*folders, item.name),
                item_auth,
                folder_headers,
                item_profile,
            )
        elif item.request is not None:
            found.append(
                _Request(item, path, folders, item_auth, headers, item_profile)
            )
    return found


def _script_headers(
    ctx: BuildContext, item: PmItem, path: str
) -> list[tuple[str, str]]:
    headers: list[tuple[str, str]] = []
    for script in item.scripts:
        effects = read_script(script.lines)
        if script.listen == "prerequest":
            headers += effects.headers
        _report_untranslated(ctx, path, script.listen, effects.untranslated)
    return headers


def _report_untranslated(
    ctx: BuildContext, path: str, listen: str, lines: list[str]
) -> None:
    if lines:
        more = f" (+{len(lines) - 1} more lines)" if len(lines) > 1 else ""
        ctx.report(
            Level.INFO,
            path or "(collection)",
            f"{listen} script not reproduced: {comment_text(lines[0])[:80]!r}{more}",
        )


def _collect_variables(
    ctx: BuildContext,
    collection: PmCollection,
    requests: list[_Request],
    environment: dict[str, str],
) -> None:
    table = ctx.table
    for variable in collection.variables:
        if not variable.disabled:
            table.values[variable.key] = variable.value or ""
    for item in _folders(collection.items):
        for variable in item.variables:
            table.values.setdefault(variable.key, variable.value or "")
    table.values.update(environment)
    for request in requests:
        _record_uses(ctx, request)
    names = sorted(set(table.usages) | set(table.values))
    ctx.roles = table.roles(names, ctx.config.variables)
    for name, (source, response_field) in sorted(ctx.produced.items()):
        if name not in table.usages:
            ctx.report(
                Level.INFO,
                source,
                f"test script stores the response's {response_field!r} in variable"
                f" {name!r}, which no request uses",
            )


def _folders(items: tuple[PmItem, ...]) -> list[PmItem]:
    found = []
    for item in items:
        if item.is_folder:
            found.append(item)
            found += _folders(item.items)
    return found


def _record_uses(ctx: BuildContext, request: _Request) -> None:
    pm = request.item.request
    assert pm is not None
    key, table = request.source, ctx.table
    host, path = host_and_path(pm.url)
    joined = ".".join(host)
    names = variables_in(joined)
    if len(names) > 1 and joined.startswith("{{"):
        # "{{url}}{{site}}": the first holds the scheme://host, the others are
        # appended to it as they are (parts of the origin, not URLs themselves).
        table.use("{{" + names[0] + "}}", "host", key)
        for name in names[1:]:
            table.use("{{" + name + "}}", "origin", key)
    else:
        table.use(joined, "host", key)
    for segment in path:
        table.use(segment, "path", key)
    for entry in pm.url.query:
        table.use(entry.value, "query", key)
    for header in pm.headers:
        if not header.disabled:
            table.use(header.value, "header", key)
    if pm.body is not None:
        table.use(pm.body.raw, "body", key)
        for entry in pm.body.urlencoded:
            table.use(entry.value, "body", key)
    if request.auth is not None:
        for value in secret_texts(request.auth):
            table.use(value, "auth", key)
    for script in request.item.scripts:
        effects = read_script(script.lines)
        if script.listen == "test":
            for variable, response_field in effects.produced.items():
                ctx.produced.setdefault(variable, (key, response_field))
        for variable, value in effects.constants.items():
            table.values.setdefault(variable, value)
        _report_untranslated(ctx, key, script.listen, effects.untranslated)


def _settings(ctx: BuildContext, requests: list[_Request]) -> list[Setting]:
    origins = Counter(origin_of(r.item.request.url) for r in requests if r.item.request)
    main = origins.most_common(1)[0][0] if origins else ""
    ctx.main_origin = main
    single = is_single_variable(main) if main else None
    default = ctx.value(single) if single else _origin_default(ctx, main)
    settings = [
        Setting(
            name="base_url",
            default=default or None,
            description="Where the API is served"
            + (f" (the collection's ``{single}``)." if single else "."),
            variable=single or "",
        )
    ]
    scope = NameScope({"base_url"})
    for variable, role in sorted(ctx.roles.items()):
        in_main_origin = variable in variables_in(main)  # part of base_url already
        if role == "setting" and not in_main_origin and variable in ctx.table.usages:
            name = scope.claim(ctx.setting_for(variable))
            ctx.setting_names[variable] = name
            settings.append(
                Setting(
                    name=name,
                    default=ctx.value(variable) or None,
                    description=f"The collection variable ``{variable}``.",
                    variable=variable,
                    url="host" in ctx.table.usages[variable].places,
                )
            )
    return settings


def _other_origin(ctx: BuildContext, origin: str) -> str:
    """The base URL of a request served elsewhere than the client's base_url: a
    literal URL, or ``{setting}`` when a host variable (a client setting) names it."""
    names = variables_in(origin)
    only_variables = names and not VAR_RE.sub("", origin)  # "{{url}}{{site}}"
    if only_variables and all(ctx.role(n) == "setting" for n in names):
        return "".join("{" + ctx.setting_for(n) + "}" for n in names)
    return _origin_default(ctx, origin) or origin


def _origin_default(ctx: BuildContext, origin: str) -> str:
    names = variables_in(origin)
    if any(not ctx.value(n) for n in names):
        return ""
    return substitute(origin, {n: ctx.value(n) or "" for n in names})


def _default_headers(
    ctx: BuildContext, collection: PmCollection, requests: list[_Request]
) -> list[Header]:
    headers: list[Header] = []
    for script in collection.scripts:
        effects = read_script(script.lines)
        if script.listen == "prerequest":
            headers += [Header(name=k, value=v) for k, v in effects.headers]
        _report_untranslated(ctx, "(collection)", script.listen, effects.untranslated)
    seen = {h.name.lower() for h in headers}
    for request in requests:
        pm = request.item.request
        assert pm is not None
        for entry in pm.headers:
            names = variables_in(entry.value)
            client_wide = [n for n in names if ctx.role(n) in ("credential", "setting")]
            if entry.disabled or not client_wide or entry.key.lower() in seen:
                continue
            seen.add(entry.key.lower())
            headers.append(
                Header(name=entry.key, value=_header_template(ctx, entry.value or ""))
            )
    return headers


def _header_template(ctx: BuildContext, value: str) -> str:
    """A header value with ``{name}`` for each setting/credential it uses."""
    text = value.replace("{", "{{").replace("}", "}}")
    for name in variables_in(value):
        token = "{{{{" + name + "}}}}"
        if ctx.role(name) == "credential":
            ctx.header_credentials[name] = ctx.credential_for(name)
            text = text.replace(token, "{" + ctx.credential_for(name) + "}")
        elif ctx.role(name) == "setting":
            text = text.replace(token, "{" + ctx.setting_for(name) + "}")
        else:
            known = ctx.value(name)
            literal = "{{" + name + "}}" if known is None else known  # as Postman
            text = text.replace(token, literal.replace("{", "{{").replace("}", "}}"))
    return text


class _Scopes:
    """The name scopes of one build: per folder (methods and sub-resources), for
    modules, and the names a lock keeps in each of them."""

    def __init__(self, requests: list[_Request], plan: LockPlan, version: str) -> None:
        self.plan = plan
        # Top-level requests become methods of the client: keep its own names free.
        self.by_folder: dict[tuple[str, ...], NameScope] = {}
        self.modules = NameScope({"_root"})
        self.reserved: dict[tuple[str, ...], set[str]] = {}
        self.classes: set[str] = set()
        version_paths: set[tuple[str, ...]] = set()
        for request in requests:
            entry = plan.lock.operations.get(request.key)
            if entry is not None:
                names = self.reserved.setdefault(request.folders, set())
                fresh = snake(request.item.name, fallback="call")
                # --rename: an old name stays free for its alias (same resource).
                if not plan.rename or (
                    fresh != entry.name and entry.resource == "/".join(request.folders)
                ):
                    names.add(entry.name)
                names.update(a.name for a in entry.aliases if a.since == version)
            for depth in range(1, len(request.folders) + 1):
                version_paths.add(request.folders[:depth])
        for folders in sorted(version_paths):
            locked = plan.lock.resource_names(folders)
            if locked is not None:
                self.reserved.setdefault(folders[:-1], set()).add(locked.attribute)
                self.modules.reserve([locked.module])
                self.classes.update({locked.class_name, "Async" + locked.class_name})
        self.scope((), RESERVED_CLIENT_ATTRIBUTES)

    def scope(
        self, folders: tuple[str, ...], taken: set[str] | frozenset[str]
    ) -> NameScope:
        """The scope of a folder's attributes, made with ``taken`` on first use."""
        if folders not in self.by_folder:
            scope = NameScope(taken)
            scope.reserve(self.reserved.get(folders, ()))
            self.by_folder[folders] = scope
        return self.by_folder[folders]


def _resources(
    ctx: BuildContext,
    requests: list[_Request],
    auth: AuthPlan,
    spec: ApiSpec,
    plan: LockPlan,
) -> Resource:
    root = Resource(name="", class_name="", module="_root", title=spec.title, source="")
    by_path: dict[tuple[str, ...], Resource] = {(): root}
    scopes = _Scopes(requests, plan, spec.version)
    ctx.classes.reserve(scopes.classes)
    for request in requests:
        parent = _resource_for(ctx, request.folders, by_path, scopes)
        ctx.module = parent.module
        scope = scopes.scope(request.folders, _taken_by_children(parent))
        entry = plan.lock.operations.get(request.key)
        fresh = snake(request.item.name, fallback="call")
        # --rename: the fresh name, unless another method or alias holds it.
        if entry is not None and (
            not plan.rename or fresh == entry.name or fresh in scope
        ):
            name = scope.claim_locked(entry.name)
        else:
            name = scope.claim(fresh)
        op = build_operation(
            ctx,
            request.item,
            request.source,
            name,
            auth.for_request(request.auth, request.source),
            request.profile,
            request.key,
        )
        if op is None:  # its name stays claimed, so other names do not shift
            continue
        if entry is not None:
            op.aliases = _aliases(scope, entry, name, request, spec.version, plan)
        op.headers += [Header(name=k, value=v) for k, v in request.headers]
        if op.base_url is None and request.item.request is not None:
            origin = origin_of(request.item.request.url)
            if origin != ctx.main_origin:
                op.base_url = _other_origin(ctx, origin)
        parent.operations.append(op)
    return root


def _prune(resource: Resource) -> bool:
    """Drop folders left without operations (all skipped, or empty); True if empty."""
    resource.resources = [r for r in resource.resources if not _prune(r)]
    return not resource.operations and not resource.resources


def _aliases(
    scope: NameScope,
    entry: LockedOperation,
    name: str,
    request: _Request,
    version: str,
    plan: LockPlan,
) -> list[str]:
    """The deprecated old names a method keeps: those of the lock still current in
    this version, plus its locked name when ``rename`` changed it (same resource)."""
    kept = [a.name for a in entry.aliases if a.since == version and a.name != name]
    if (
        plan.rename
        and entry.name != name
        and entry.resource == "/".join(request.folders)
        and entry.name not in kept
    ):
        kept.append(entry.name)
    aliases = []
    for alias in kept:
        if scope.claim_locked(alias) == alias:
            aliases.append(alias)
    return aliases


def _taken_by_children(resource: Resource) -> set[str]:
    return {child.name for child in resource.resources}


def _resource_for(
    ctx: BuildContext,
    folders: tuple[str, ...],
    by_path: dict[tuple[str, ...], Resource],
    scopes: _Scopes,
) -> Resource:
    if folders in by_path:
        return by_path[folders]
    parent = _resource_for(ctx, folders[:-1], by_path, scopes)
    scope = scopes.scope(folders[:-1], set())
    locked = scopes.plan.lock.resource_names(folders)
    if locked is not None:
        name = scope.claim_locked(locked.attribute)
        class_name = ctx.classes.claim_locked_twins(locked.class_name)
        module = scopes.modules.claim_locked(locked.module)
    else:
        name = scope.claim(resource_attribute(folders[-1]))
        class_name = ctx.classes.claim_twins(
            pascal(" ".join(folders), fallback="Resource")
        )
        module = scopes.modules.claim(snake(" ".join(folders), fallback="resource"))
    resource = Resource(
        name=name,
        class_name=class_name,
        module=module,
        title=folders[-1],
        source="/".join(folders),
    )
    parent.resources.append(resource)
    by_path[folders] = resource
    return resource


def _apply_provenance(ctx: BuildContext, spec: ApiSpec) -> None:
    """Document where path ids come from, using what test scripts store."""
    prefixes = spec.call_prefixes()
    calls = {
        op.source: prefixes[res.module] + op.name for res, op in spec.iter_operations()
    }
    for _resource, op in spec.iter_operations():
        for param in op.parameters:
            origin = ctx.produced.get(
                ctx.param_variables.get((op.source, param.name), "")
            )
            if origin and origin[0] in calls:
                variable = ctx.param_variables[(op.source, param.name)]
                param.provenance = (
                    f"The ``{origin[1]}`` field of the result of ``{calls[origin[0]]}()``"
                    f" (collection variable ``{variable}``, stored by the test script"
                    f" of {origin[0]!r})."
                )
