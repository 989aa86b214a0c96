"""The intermediate spec: what the client will be, in our own words.

Built from a collection by ``spec.build``, dumped to YAML by ``spec.yaml_io`` (where a
user may edit it), and rendered by ``render``. Plain dataclasses, JSON-like values
only, so that the YAML round-trips and a JSON Schema can be derived from the types
(``spec.schema``). No Postman vocabulary here: folders are ``Resource``, requests are
``Operation``, saved examples are ``Example``, variables are ``Setting`` or ``Parameter``.

Types of values are written as Python type expressions in strings (``"str"``,
``"list[JobInfo]"``, ``"datetime | None"``): readable and editable in YAML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

SPEC_FORMAT = 1

ParamLocation = Literal["path", "query", "header", "body"]
BodyKind = Literal["json", "text", "file", "form", "multipart", "graphql"]
ResultKind = Literal["model", "json", "text", "empty", "auto"]
AuthKind = Literal[
    "bearer",
    "basic",
    "api_key",
    "digest",
    "oauth1",
    "oauth2",
    "hawk",
    "aws_sigv4",
    "external",  # not reproduced: the user passes an ``httpx.Auth``
]


@dataclass
class Setting:
    """A client-wide setting (``base_url``, ``api_version``), a constructor argument."""

    name: str
    default: str | None = None
    description: str = ""
    variable: str = ""  # the collection variable it replaces, for the docs
    secret: bool = False
    url: bool = False  # a base URL (of some requests): its value is scheme://host


@dataclass
class BodyVariable:
    """A secret collection variable written inside request bodies (``{{password}}``
    in a text body or a form value): its value is never copied into generated
    code; the client is constructed with it and fills the bodies when it sends them."""

    variable: str
    argument: str  # the constructor argument holding its value


@dataclass
class Credential:
    """One secret or identity the client is constructed with (never has a default)."""

    name: str
    variable: str = ""
    description: str = ""
    role: str = ""  # the runtime scheme's argument it fills ("consumer_secret")


@dataclass
class AuthScheme:
    """A way to authenticate; operations name the scheme they use."""

    name: str
    kind: AuthKind
    credentials: list[Credential] = field(default_factory=list)
    header: str = "Authorization"  # bearer / api_key in header
    prefix: str = "Bearer"  # bearer
    key_name: str = ""  # api_key: the header or query parameter name
    location: Literal["header", "query"] = "header"  # api_key
    # Settings that are not secret, by the runtime scheme's argument name ("realm",
    # "region", "token_url"); only those that differ from the runtime's default.
    options: dict[str, str | bool] = field(default_factory=dict)
    protocol: str = ""  # external: the auth protocol the user must supply


@dataclass
class Parameter:
    """One argument of an operation and where its value goes on the wire."""

    name: str
    location: ParamLocation
    key: str  # the path placeholder, query key, header name or body field key
    type: str = "str"
    required: bool = True
    default: Any = None  # JSON-like; only meaningful when ``has_default``
    has_default: bool = False
    description: str = ""
    provenance: str = ""  # where a value usually comes from (another operation)
    variable: str = ""  # the collection variable this parameter replaces
    flag: bool = False  # a query key sent alone (``?key``) unless a value is given
    example: Any = None  # a value for docs and generated tests


@dataclass
class Header:
    """A header every call of the operation sends, not exposed as a parameter."""

    name: str
    value: str


@dataclass
class FormPart:
    """One field of a multipart body, in the order the collection lists them."""

    key: str
    parameter: str  # the argument carrying its value
    file: bool = False  # a file field (else text)
    content_type: str = ""  # declared type of the part
    filenames: list[str] = field(
        default_factory=list
    )  # names of the collection's files


@dataclass
class Body:
    """The request body."""

    kind: BodyKind
    content_type: str = ""
    model: str | None = None  # request model for a JSON object (fields are parameters)
    parameter: str | None = (
        None  # the parameter carrying a whole body (text, file, JSON)
    )
    template: Any = None  # the collection's body (JSON value or text), for docs/tests
    parts: list[FormPart] = field(default_factory=list)  # multipart fields
    # Request-model fields filled by another field's argument (same variable).
    shared: dict[str, str] = field(default_factory=dict)


@dataclass
class Example:
    """A saved response."""

    name: str
    status: int
    content_type: str = ""
    body: str | None = None
    headers: list[Header] = field(default_factory=list)


@dataclass
class Result:
    """What a successful call returns."""

    kind: ResultKind
    type: str = "None"  # python type of the return value
    status: int = 200
    stream: bool = False  # also offer a streaming variant (large text/CSV bodies)
    optional: bool = False  # a 2xx example has no body: the method may return None


@dataclass
class Operation:
    """One method of a resource: one request of the collection."""

    name: str
    title: str
    method: str
    path: str  # template: "/services/data/v{api_version}/jobs/query/{job_id}"
    source: str  # item path in the collection: "Bulk v2/Query/Abort a Job Query"
    source_id: str | None = None
    key: str = ""  # stable identity (lock files, diffs): the item id, or method + path
    url: str = ""  # the URL as the collection writes it, for docs and tests
    description: str = ""
    parameters: list[Parameter] = field(default_factory=list)
    headers: list[Header] = field(default_factory=list)
    body: Body | None = None
    result: Result = field(default_factory=lambda: Result(kind="auto", type="Any"))
    examples: list[Example] = field(default_factory=list)
    auth: str | None = None  # name of an AuthScheme, None = no auth
    follow_redirects: bool | None = None
    base_url: str | None = None  # set when this request goes to another host
    # Deprecated old names of the method: each warns and calls this one.
    aliases: list[str] = field(default_factory=list)
    # Headers this request leaves out: client-wide ones of another sub-client (a
    # client made of several collections), and the system headers the collection
    # turns off (``protocolProfileBehavior.disabledSystemHeaders``).
    omit_headers: list[str] = field(default_factory=list)


@dataclass
class Resource:
    """A group of operations (a folder), possibly with nested resources."""

    name: str  # attribute on the client / parent resource: "bulk_v2"
    class_name: str  # "BulkV2"
    module: str  # module in resources/ and models/: "bulk_v2_query"
    title: str
    source: str  # item path of the folder ("" for the root)
    description: str = ""
    operations: list[Operation] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)


@dataclass
class ModelField:
    """A field of a model; ``key`` is the JSON key, ``name`` the Python attribute."""

    name: str
    key: str
    type: str
    required: bool = False
    description: str = ""


@dataclass
class ModelDef:
    """A dataclass model for a request or response JSON object."""

    name: str
    module: str  # the models/ module it lives in
    fields: list[ModelField] = field(default_factory=list)
    description: str = ""
    defaults: dict[str, Any] = field(
        default_factory=dict
    )  # request models: key → value


@dataclass
class ApiSpec:
    """The whole client."""

    title: str
    package: str
    source: str  # collection file name
    description: str = ""
    version: str = "0.1.0"
    format: int = SPEC_FORMAT
    settings: list[Setting] = field(default_factory=list)
    auth: list[AuthScheme] = field(default_factory=list)
    default_headers: list[Header] = field(default_factory=list)
    body_variables: list[BodyVariable] = field(default_factory=list)
    root: Resource = field(
        default_factory=lambda: Resource(
            name="", class_name="", module="", title="", source=""
        )
    )
    models: list[ModelDef] = field(default_factory=list)

    def credentials(self) -> list[tuple[AuthScheme, Credential]]:
        """Each constructor credential once, with the first scheme using it."""
        seen: dict[str, tuple[AuthScheme, Credential]] = {}
        for scheme in self.auth:
            for credential in scheme.credentials:
                seen.setdefault(credential.name, (scheme, credential))
        return list(seen.values())

    def call_prefixes(self) -> dict[str, str]:
        """How each resource is reached from a client: module → ``client.a.b.``.

        Keyed by module, which is unique (two folders may share an item path).
        """
        prefixes = {self.root.module: "client."}
        stack = [(self.root, "client.")]
        while stack:
            resource, prefix = stack.pop()
            for child in resource.resources:
                prefixes[child.module] = f"{prefix}{child.name}."
                stack.append((child, prefixes[child.module]))
        return prefixes

    def iter_resources(self) -> list[Resource]:
        """Every resource, parents before children, in source order (root excluded)."""
        found: list[Resource] = []
        stack = list(reversed(self.root.resources))
        while stack:
            resource = stack.pop()
            found.append(resource)
            stack.extend(reversed(resource.resources))
        return found

    def iter_operations(self) -> list[tuple[Resource, Operation]]:
        """Every operation with its resource, in source order (root operations first)."""
        pairs = [(self.root, op) for op in self.root.operations]
        for resource in self.iter_resources():
            pairs.extend((resource, op) for op in resource.operations)
        return pairs
