"""Views of the package-level modules: ``client.py`` and the ``__init__`` files."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..naming import ERROR_CLASSES, docstring_text, py_string
from ..spec.model import ApiSpec, AuthScheme, BodyVariable
from .imports import ImportSet
from .pyfmt import all_list, bracket, docstring_block, fits, mapping
from .views import ASYNC, SYNC, ChildView, Flavour, child_view, module_docstring


@dataclass
class ClientClassView:
    """``Client`` or ``AsyncClient``."""

    name: str
    bases: str  # the runtime client, then the top-level requests mixin if any
    docstring: list[str]
    signature: list[str]
    super_call: list[str]
    children: list[ChildView] = field(default_factory=list)


@dataclass
class ClientModuleView:
    """``client.py``."""

    docstring: str
    imports: list[str]
    type_checking_imports: list[str]
    exports: list[str]
    classes: list[ClientClassView]


@dataclass
class LazyModule:
    """A submodule whose names are re-exported lazily: its entry of ``_LAZY``."""

    module: str
    names: list[str]

    @property
    def lines(self) -> list[str]:
        """``"module": ("Name", ...),`` laid out as black lays it out."""
        module = py_string(self.module)
        if len(self.names) == 1:
            line = f"    {module}: ({py_string(self.names[0])},),"
            if fits(line):
                return [line]
        names = [f"        {py_string(name)}," for name in self.names]
        return [f"    {module}: (", *names, "    ),"]


@dataclass
class InitView:
    """An ``__init__.py`` that re-exports names, importing submodules only on use.

    Either ``lazy`` lists each submodule and its names (``models/__init__.py``), or
    ``lazy_package`` names the subpackage every name of ``__all__`` not defined in
    the module comes from (the package ``__init__.py``: one subpackage needs no
    table of names, which keeps the module small to compile for a large client).
    """

    docstring: str
    eager_imports: list[str]
    type_checking_imports: list[str]
    exports: list[str]
    lazy: list[LazyModule] = field(default_factory=list)
    lazy_package: str = ""  # a string literal (``".models"``), or empty
    version: list[str] = field(default_factory=list)  # ``__version__ = "..."``


def client_module(spec: ApiSpec) -> ClientModuleView:
    """The view of ``client.py``."""
    imports = ImportSet()
    imports.add("__future__", "annotations")
    imports.add("collections.abc", "Mapping")
    imports.add("httpx")
    imports.add("._runtime", "DEFAULT_TIMEOUT", "RetryPolicy")
    checking = ImportSet()
    classes = [_client_class(spec, f, imports, checking) for f in (SYNC, ASYNC)]
    if spec.root.resources:
        imports.add("functools", "cached_property")
    if checking.lines():
        imports.add("typing", "TYPE_CHECKING")
    return ClientModuleView(
        docstring=module_docstring(f"Clients for {spec.title}.", spec.source),
        imports=imports.lines(),
        type_checking_imports=checking.lines(4),
        exports=all_list(sorted(c.name for c in classes)),
        classes=classes,
    )


def _client_class(
    spec: ApiSpec, flavour: Flavour, imports: ImportSet, checking: ImportSet
) -> ClientClassView:
    base = "AsyncClient" if flavour.is_async else "SyncClient"
    imports.add(".", "_runtime")
    root = None
    if spec.root.operations:
        root = flavour.prefix + "Root"
        imports.add(".resources._root", root)
    view = ClientClassView(
        name=f"{flavour.prefix}Client",
        bases=f"_runtime.{base}" + (f", {root}" if root else ""),
        docstring=docstring_block(_client_doc(spec, flavour), 4),
        signature=_signature(spec, flavour, imports),
        super_call=_super_call(spec, imports)
        # Top-level requests are methods of the client itself: it is their client.
        + (["        self._client = self"] if root else []),
    )
    for child in spec.root.resources:
        name = flavour.prefix + child.class_name
        module = f".resources.{child.module}"
        checking.add(module, name)
        view.children.append(
            child_view(child.name, name, module, child.source, "self", child.name)
        )
    return view


def _client_doc(spec: ApiSpec, flavour: Flavour) -> str:
    kind = "Asynchronous" if flavour.is_async else "Synchronous"
    lines = [f"{kind} client for {spec.title}.", "", "Args:"]
    credentials = {c.name for _scheme, c in spec.credentials()}
    for setting in spec.settings:
        if setting.name not in credentials:  # described once, as a credential
            description = " ".join(setting.description.split())
            lines.append(f"    {setting.name}: {description}")
    for scheme, credential in spec.credentials():
        lines.append(
            f"    {credential.name}: {scheme.kind} credential. {credential.description}"
        )
    for variable in own_body_variables(spec):
        name = " ".join(variable.variable.split())  # one line of the Args list
        lines.append(
            f"    {variable.argument}: The collection's secret ``{name}``,"
            " filled in request bodies when they are sent (None: left as written)."
        )
    lines += [
        "    headers: Headers sent with every request (added to the defaults).",
        "    timeout: Seconds, or an ``httpx.Timeout``; None waits forever.",
        "    retry: When and how to retry; ``RetryPolicy()`` by default.",
        "    http_client: An httpx client to use instead of a new one (its own",
        "        timeout and redirect settings then apply).",
        "    on_request: Hooks called with every request before it is sent (each",
        "        attempt); they may change it, e.g. add a header or sign it.",
        "    on_response: Hooks called with every response received (each attempt,",
        "        retried and error responses too), before it is checked.",
    ]
    if flavour.is_async:
        lines.append("        Hooks may be plain or ``async`` callables.")
    return docstring_text("\n".join(lines))


def _signature(spec: ApiSpec, flavour: Flavour, imports: ImportSet) -> list[str]:
    credentials = {c.name for _scheme, c in spec.credentials()}
    settings = [s for s in spec.settings if s.name not in credentials]
    base = next((s for s in settings if s.name == "base_url"), None)
    others = [s for s in settings if s.name != "base_url"]
    required = [s for s in others if s.default is None]
    optional = [s for s in others if s.default is not None]
    # base_url is always the first, positional argument (with the collection's
    # host as default when it names one). A client of several APIs served apart
    # has a base URL setting per API instead.
    items = ["self"]
    if base is not None:
        default = "" if base.default is None else f" = {py_string(base.default)}"
        items.append(f"base_url: str{default}")
    keyword: list[str] = [f"{s.name}: str" for s in required]
    for _scheme, credential in spec.credentials():
        keyword.append(_credential_arg(spec, credential.name, imports))
    keyword += [f"{s.name}: str = {py_string(s.default or '')}" for s in optional]
    keyword += [f"{v.argument}: str | None = None" for v in own_body_variables(spec)]
    http = "httpx.AsyncClient" if flavour.is_async else "httpx.Client"
    keyword += [
        "headers: Mapping[str, str] | None = None",
        "timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT",
        "retry: RetryPolicy | None = None",
        f"http_client: {http} | None = None",
        f"on_request: Sequence[{flavour.prefix}RequestHook] = ()",
        f"on_response: Sequence[{flavour.prefix}ResponseHook] = ()",
    ]
    imports.add("collections.abc", "Sequence")
    imports.add(
        "._runtime", f"{flavour.prefix}RequestHook", f"{flavour.prefix}ResponseHook"
    )
    return bracket("def __init__(", [*items, "*", *keyword], " -> None:", 4)


def own_body_variables(spec: ApiSpec) -> list[BodyVariable]:
    """The body variables with a constructor argument of their own (the others
    share a setting's or a credential's)."""
    shared = {s.name for s in spec.settings} | {c.name for _s, c in spec.credentials()}
    return [v for v in spec.body_variables if v.argument not in shared]


def _credential_arg(spec: ApiSpec, name: str, imports: ImportSet) -> str:
    """``name: type`` of a credential; a ``TokenSource`` only if every use takes one."""
    uses = [(a, c) for a in spec.auth for c in a.credentials if c.name == name]
    if any(a.kind == "external" for a, _c in uses):
        return f"{name}: httpx.Auth"
    if any(s.name == name for s in spec.settings):
        return f"{name}: str"  # also put in a header: a text, not a function
    if all(
        a.kind in ("bearer", "api_key") or c.role == "access_token" for a, c in uses
    ):
        imports.add("._runtime", "TokenSource")
        return f"{name}: TokenSource"
    return f"{name}: str"


def _super_call(spec: ApiSpec, imports: ImportSet) -> list[str]:
    has_base = any(s.name == "base_url" for s in spec.settings)
    args = [
        "base_url=base_url" if has_base else 'base_url=""',
        *_joined(
            "settings=",
            mapping(
                [
                    (py_string(s.name), s.name)
                    for s in spec.settings
                    if s.name != "base_url" and not s.secret
                ],
                12,
            ),
        ),
        *_joined("auth=", _auth_mapping(spec, imports)),
        *_joined("headers=", _headers_expr(spec)),
        *(
            _joined(
                "variables=",
                mapping(
                    [(py_string(v.variable), v.argument) for v in spec.body_variables],
                    12,
                ),
            )
            if spec.body_variables
            else []
        ),
        "timeout=timeout",
        "retry=retry",
        "http_client=http_client",
        "on_request=on_request",
        "on_response=on_response",
    ]
    return bracket("super().__init__(", args, "", 8)


def _joined(prefix: str, lines: list[str]) -> list[str]:
    first, *rest = lines
    text = prefix + first.strip()
    if not rest:
        return [text]
    return ["\n".join([text, *rest])]


def _headers_expr(spec: ApiSpec) -> list[str]:
    if not spec.default_headers:
        return ["headers"]
    pairs = [
        (py_string(h.name), _header_value(h.value, spec)) for h in spec.default_headers
    ]
    pairs.append(("**(headers or {})", ""))
    items = [f"{k}: {v}" if v else k for k, v in pairs]
    return bracket("{", items, "", 12, closer="}")


def _header_value(value: str, spec: ApiSpec) -> str:
    names = {s.name for s in spec.settings} | {
        c.name for a in spec.auth for c in a.credentials
    }
    if any("{" + n + "}" in value for n in names):
        return "f" + py_string(value)
    return py_string(value.replace("{{", "{").replace("}}", "}"))


# Runtime class of each reproduced kind whose arguments are all keywords.
_KEYWORD_SCHEMES = {
    "digest": "DigestAuth",
    "oauth1": "OAuth1Auth",
    "oauth2": "OAuth2Auth",
    "hawk": "HawkAuth",
    "aws_sigv4": "AwsSigV4Auth",
}


def _auth_mapping(spec: ApiSpec, imports: ImportSet) -> list[str]:
    """The ``auth`` mapping of the client; a call too long for its line is exploded."""
    calls = [(py_string(a.name), *_auth_call(a, imports)) for a in spec.auth]
    one_line = mapping(
        [
            (key, f"{callee}({', '.join(args)})" if args else callee)
            for key, callee, args in calls
        ],
        12,
    )
    if len(one_line) == 1:
        return one_line
    lines = ["            {"]
    for key, callee, args in calls:
        if args:
            lines += bracket(f"{key}: {callee}(", args, ",", 16)
        else:
            lines.append(f"                {key}: {callee},")
    return [*lines, "            }"]


def _auth_call(scheme: AuthScheme, imports: ImportSet) -> tuple[str, list[str]]:
    """The runtime scheme's constructor and its arguments (none: a plain name)."""
    names = [c.name for c in scheme.credentials]
    if scheme.kind == "external":
        return names[0], []
    if scheme.kind == "bearer":
        imports.add("._runtime", "BearerAuth")
        return "BearerAuth", [names[0]]
    if scheme.kind == "basic":
        imports.add("._runtime", "BasicAuth")
        return "BasicAuth", names[:2]
    if scheme.kind == "api_key":
        imports.add("._runtime", "ApiKeyAuth")
        return "ApiKeyAuth", [
            py_string(scheme.key_name),
            names[0],
            py_string(scheme.location),
        ]
    callee = _KEYWORD_SCHEMES[scheme.kind]
    imports.add("._runtime", callee)
    args = [f"{c.role}={c.name}" for c in scheme.credentials]
    args += [f"{role}={_option(value)}" for role, value in scheme.options.items()]
    return callee, args


def _option(value: str | bool) -> str:
    return repr(value) if isinstance(value, bool) else py_string(value)


def package_init(spec: ApiSpec, model_names: dict[str, str]) -> InitView:
    """The package ``__init__.py``: clients, errors and models."""
    eager = ImportSet()
    eager.add("__future__", "annotations")
    eager.add(".client", "AsyncClient", "Client")
    errors = list(ERROR_CLASSES)
    eager.add("._runtime", *errors, "RetryPolicy")
    checking = ImportSet()
    if model_names:
        checking.add(".models", *model_names)
        eager.add("importlib")
        eager.add("typing", "TYPE_CHECKING")
    return InitView(
        docstring=module_docstring(
            f"Typed Python client for {spec.title}.", spec.source
        ),
        eager_imports=eager.lines(),
        type_checking_imports=checking.lines(4),
        exports=all_list(
            sorted(["AsyncClient", "Client", "RetryPolicy", *errors, *model_names])
        ),
        lazy_package=py_string(".models") if model_names else "",
        version=["", f"__version__ = {py_string(spec.version)}"],
    )


def models_init(spec: ApiSpec, model_names: dict[str, str]) -> InitView:
    """``models/__init__.py``: every model, its module imported on first use."""
    checking = ImportSet()
    eager = ImportSet()
    eager.add("__future__", "annotations")
    for name, module in model_names.items():
        checking.add(f".{module}", name)
    if model_names:
        eager.add("importlib")
        eager.add("typing", "TYPE_CHECKING")
    return InitView(
        docstring=module_docstring("Every data model of the client.", spec.source),
        eager_imports=eager.lines(),
        type_checking_imports=checking.lines(4),
        exports=all_list(sorted(model_names)),
        lazy=[
            LazyModule(f".{module}", sorted(names))
            for module, names in sorted(_names_by_module(model_names).items())
        ],
    )


def _names_by_module(model_names: dict[str, str]) -> dict[str, list[str]]:
    by_module: dict[str, list[str]] = {}
    for name, module in model_names.items():
        by_module.setdefault(module, []).append(name)
    return by_module
