"""Auth blocks (after inheritance) → named ``AuthScheme``s with credential arguments.

Secrets never reach the spec: a credential is a constructor argument named after the
variable that held it (``{{_accessToken}}`` → ``access_token``); a literal secret in the
collection is dropped, with a diagnostic, and becomes an argument too. Settings that
are not secret (a realm, a region, a token URL, a signature method) are kept as the
scheme's ``options`` when the collection writes them literally; one that names a
variable becomes an argument like a credential.

Every auth type of Postman's v2.1 schema is mapped here: ``bearer``, ``basic``,
``apikey``, ``digest``, ``oauth1``, ``oauth2``, ``hawk`` and ``awsv4`` are reproduced by
the runtime; the others (``ntlm``, ``edgegrid``, ``akamai``, ``asap``, ``jwt``, ...) and
OAuth 1.0 with an RSA signature become an ``external`` scheme: the client takes an
``httpx.Auth`` the user supplies, and a warning names the file, JSON path and type.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from ..errors import Level
from ..naming import NameScope, snake
from ..postman.model import PmAuth
from .model import AuthKind, AuthScheme, Credential
from .variables import is_single_variable, substitute, variables_in

if TYPE_CHECKING:
    from .context import BuildContext

OptionValue = str | bool


@dataclass(frozen=True)
class _Param:
    """One parameter of a Postman auth block and the runtime argument it fills."""

    keys: tuple[str, ...]  # the collection's key(s) for it, the first preferred
    role: str  # the runtime scheme's argument
    secret: bool = False  # a credential (never a default) or an option
    required: bool = True  # credentials only: an argument even when absent
    absent: OptionValue = ""  # options: what Postman does when the key is absent
    default: OptionValue = ""  # options: the runtime's default (then left out)
    choices: dict[str, str] | None = None  # options: collection value → runtime value


def _secret(*keys: str, role: str, required: bool = True) -> _Param:
    return _Param(keys, role, secret=True, required=required)


def _text(*keys: str, role: str, absent: str = "", default: str = "") -> _Param:
    return _Param(keys, role, absent=absent, default=default)


def _flag(*keys: str, role: str, absent: bool = False, default: bool = False) -> _Param:
    return _Param(keys, role, absent=absent, default=default)


_DIGEST = (
    _secret("username", role="username"),
    _secret("password", role="password"),
    # A saved challenge: Postman answers it up front (the client too).
    _text("realm", role="realm"),
    _text("nonce", role="nonce"),
    _Param(("algorithm",), "algorithm", absent="MD5", default="MD5"),
    _text("qop", role="qop"),
    _text("opaque", role="opaque"),
)
_OAUTH1 = (
    _secret("consumerKey", role="consumer_key"),
    _secret("consumerSecret", role="consumer_secret"),
    _secret("token", role="token", required=False),
    _secret("tokenSecret", role="token_secret", required=False),
    _secret("verifier", role="verifier", required=False),
    _text(
        "signatureMethod",
        role="signature_method",
        absent="HMAC-SHA1",
        default="HMAC-SHA1",
    ),
    _text("version", role="version", default="1.0"),
    _text("realm", role="realm"),
    _text("timestamp", role="timestamp"),
    _text("nonce", role="nonce"),
    _text("callback", role="callback"),
    _flag("addParamsToHeader", role="add_params_to_header"),
    _flag("addEmptyParamsToSign", role="add_empty_params_to_sign"),
    _flag("includeBodyHash", role="include_body_hash"),
)
_HAWK = (
    _secret("authId", role="auth_id"),
    _secret("authKey", role="auth_key"),
    _Param(
        ("algorithm",),
        "algorithm",
        absent="sha256",
        default="sha256",
        choices={"sha256": "sha256", "sha1": "sha1"},
    ),
    _text("user", role="user"),
    _text("nonce", role="nonce"),
    _text("extraData", "ext", role="ext"),
    _text("app", role="app"),
    _text("delegation", "dlg", role="dlg"),
    _text("timestamp", role="timestamp"),
    _flag("includePayloadHash", role="include_payload_hash"),
)
_AWS = (
    _secret("accessKey", role="access_key"),
    _secret("secretKey", role="secret_key"),
    _secret("sessionToken", role="session_token", required=False),
    _text("region", role="region", absent="us-east-1", default="us-east-1"),
    _text("service", role="service", absent="execute-api", default="execute-api"),
)
_OAUTH2_COMMON = (
    _text("headerPrefix", role="header_prefix", absent="Bearer", default="Bearer"),
    _Param(
        ("addTokenTo",),
        "add_token_to",
        absent="header",
        default="header",
        choices={"header": "header", "queryParams": "query"},
    ),
)
_OAUTH2_TOKEN = (_secret("accessToken", role="access_token"), *_OAUTH2_COMMON)
_OAUTH2_GRANT = (
    _secret("clientId", role="client_id"),
    _secret("clientSecret", role="client_secret"),
    _text("accessTokenUrl", role="token_url"),
    _Param(
        ("grant_type",),
        "grant_type",
        absent="client_credentials",
        default="client_credentials",
        choices={
            "client_credentials": "client_credentials",
            "password_credentials": "password",
        },
    ),
    _text("scope", role="scope"),
    _Param(
        ("client_authentication",),
        "client_authentication",
        absent="header",
        default="header",
        choices={"header": "header", "body": "body"},
    ),
    *_OAUTH2_COMMON,
)
_OAUTH2_PASSWORD = (
    *_OAUTH2_GRANT,
    _secret("username", role="username"),
    _secret("password", role="password"),
)

# Postman type → (our kind, its parameters, the scheme's name stem).
_TABLE: dict[str, tuple[AuthKind, tuple[_Param, ...], str]] = {
    "digest": ("digest", _DIGEST, "digest"),
    "oauth1": ("oauth1", _OAUTH1, "oauth1"),
    "hawk": ("hawk", _HAWK, "hawk"),
    "awsv4": ("aws_sigv4", _AWS, "aws_sigv4"),
}
_FETCHED_GRANTS = ("client_credentials", "password_credentials")


def _parameters(auth: PmAuth) -> tuple[AuthKind, tuple[_Param, ...], str]:
    """The kind, parameters and name stem of a reproduced (not basic/bearer/apikey) type."""
    if auth.type == "oauth2":
        grant = str(auth.params.get("grant_type") or "")
        token_url = str(auth.params.get("accessTokenUrl") or "")
        if grant in _FETCHED_GRANTS and token_url:
            if grant == "password_credentials":
                return "oauth2", _OAUTH2_PASSWORD, "oauth2"
            return "oauth2", _OAUTH2_GRANT, "oauth2"
        return "oauth2", _OAUTH2_TOKEN, "oauth2"
    return _TABLE[auth.type]


def _value(params: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        if key in params and params[key] is not None:
            return params[key]
    return None


def secret_texts(auth: PmAuth) -> list[str]:
    """The values of ``auth`` that hold credentials (their variables are secrets)."""
    if auth.type in ("bearer", "basic"):
        return [v for v in auth.params.values() if isinstance(v, str)]
    if auth.type == "apikey":
        value = auth.params.get("value")
        return [value] if isinstance(value, str) else []
    if auth.type in _TABLE or auth.type == "oauth2":
        _kind, params, _stem = _parameters(auth)
        values = [_value(auth.params, p.keys) for p in params if p.secret]
        return [v for v in values if isinstance(v, str)]
    return []


class AuthPlan:
    """Hands out one scheme per distinct auth block, in first-use order."""

    def __init__(self, ctx: BuildContext, file: str = "") -> None:
        self.ctx = ctx
        self.file = file
        self._schemes: dict[tuple[Any, ...], AuthScheme] = {}
        self._names = NameScope()
        self._args = NameScope(
            {
                "base_url",
                "timeout",
                "headers",
                "http_client",
                "retry",
                "on_request",
                "on_response",
                "variables",
            }
        )
        self._by_variable: dict[str, str] = {}

    def for_request(self, auth: PmAuth | None, source: str) -> str | None:
        """The scheme name a request uses (None: no auth)."""
        if auth is None or auth.type == "noauth":
            return None
        key = (auth.type, tuple(sorted((k, str(v)) for k, v in auth.params.items())))
        if key not in self._schemes:
            self._schemes[key] = self._scheme(auth, source)
        return self._schemes[key].name

    def argument_for(self, variable: str, taken: Iterable[str]) -> str:
        """The constructor argument holding ``variable``: the credential that
        replaces it, else a new name (none of ``taken``)."""
        if variable not in self._by_variable:
            self._args.reserve(taken)
            self._by_variable[variable] = self._args.claim(
                self.ctx.credential_for(variable)
            )
        return self._by_variable[variable]

    def schemes(self) -> list[AuthScheme]:
        """Every scheme used, in first-use order."""
        return list(self._schemes.values())

    def _credential(
        self, value: Any, fallback: str, source: str, role: str = ""
    ) -> Credential:
        text = value if isinstance(value, str) else ""
        variable = is_single_variable(text) if text else None
        if variable is None:
            if text:
                self.ctx.report(
                    Level.WARNING,
                    source,
                    f"a literal {fallback} in the collection's auth is not copied into"
                    " generated code; pass it to the client instead",
                )
            name = self._args.claim(fallback)
            return Credential(
                name=name, description=f"The {fallback.replace('_', ' ')}.", role=role
            )
        if variable not in self._by_variable:
            self._by_variable[variable] = self._args.claim(
                self.ctx.credential_for(variable)
            )
        return Credential(
            name=self._by_variable[variable],
            variable=variable,
            description=f"Replaces the collection variable ``{variable}``.",
            role=role,
        )

    def _scheme(self, auth: PmAuth, source: str) -> AuthScheme:
        params = auth.params
        if auth.type == "bearer":
            return AuthScheme(
                name=self._names.claim("bearer"),
                kind="bearer",
                credentials=[
                    self._credential(params.get("token"), "token", source, "token")
                ],
            )
        if auth.type == "basic":
            return AuthScheme(
                name=self._names.claim("basic"),
                kind="basic",
                credentials=[
                    self._credential(
                        params.get("username"), "username", source, "username"
                    ),
                    self._credential(
                        params.get("password"), "password", source, "password"
                    ),
                ],
            )
        if auth.type == "apikey":
            location: Literal["header", "query"] = (
                "query" if str(params.get("in", "header")) == "query" else "header"
            )
            return AuthScheme(
                name=self._names.claim("api_key"),
                kind="api_key",
                credentials=[
                    self._credential(params.get("value"), "api_key", source, "value")
                ],
                key_name=str(params.get("key") or "X-API-Key"),
                location=location,
            )
        method = str(params.get("signatureMethod") or "")
        if auth.type == "oauth1" and method.upper().startswith("RSA"):
            return self._external(
                auth,
                source,
                f"auth type 'oauth1' with signature method {method!r} (it needs a"
                " private key) is not reproduced",
            )
        if auth.type not in _TABLE and auth.type != "oauth2":
            return self._external(
                auth, source, f"auth type {auth.type!r} is not reproduced"
            )
        return self._reproduced(auth, source)

    def _reproduced(self, auth: PmAuth, source: str) -> AuthScheme:
        kind, table, stem = _parameters(auth)
        scheme = AuthScheme(name=self._names.claim(stem), kind=kind)
        for param in table:
            value = _value(auth.params, param.keys)
            if param.secret:
                if param.required or (isinstance(value, str) and value.strip()):
                    scheme.credentials.append(
                        self._credential(value, param.role, source, param.role)
                    )
                continue
            option = self._option(param, value, source)
            if isinstance(option, Credential):
                scheme.credentials.append(option)
            elif option != param.default:
                scheme.options[param.role] = option
        if auth.type == "oauth2" and auth.params.get("grant_type") not in (
            None,
            "",
            *_FETCHED_GRANTS,
        ):
            self.ctx.report(
                Level.INFO,
                source,
                f"OAuth 2.0 grant {auth.params['grant_type']!r} needs a browser; the"
                " client takes the access token instead",
            )
        return scheme

    def _option(
        self, param: _Param, value: Any, source: str
    ) -> OptionValue | Credential:
        """An option's value for the runtime, or an argument when it names a variable."""
        if isinstance(param.absent, bool):
            if value is None or value == "":
                return param.absent
            return value is True or str(value).strip().lower() == "true"
        text = "" if value is None else str(value)
        if variables_in(text):
            substituted = self._substitute(text)
            if substituted is None:
                return self._credential(text, param.role, source, param.role)
            text = substituted
        if not text:
            return param.absent
        if param.choices is not None:
            if text not in param.choices:
                self.ctx.report(
                    Level.WARNING,
                    source,
                    f"auth {param.keys[0]} {text!r} is not supported; using"
                    f" {param.absent!r}",
                )
                return param.absent
            return param.choices[text]
        return text

    def _substitute(self, text: str) -> str | None:
        """``text`` with its variables' values, or None when one has no value."""
        values: dict[str, str] = {}
        for variable in variables_in(text):
            value = self.ctx.value(variable)
            if value is None or variables_in(value):
                return None
            values[variable] = value
        return substitute(text, values)

    def _external(self, auth: PmAuth, source: str, what: str) -> AuthScheme:
        stem = snake(auth.type, fallback="custom")
        where = f"{self.file}: {auth.where}" if self.file else auth.where
        self.ctx.report(
            Level.WARNING,
            source,
            f"{what} ({where}); the generated client takes an httpx.Auth for it"
            f" as {stem}_auth=",
        )
        name = self._args.claim(f"{stem}_auth")
        return AuthScheme(
            name=self._names.claim(stem),
            kind="external",
            credentials=[
                Credential(
                    name=name,
                    description=(
                        f"An ``httpx.Auth`` for the collection's {auth.type!r} auth,"
                        " which pmgen does not reproduce."
                    ),
                    role="auth",
                )
            ],
            protocol=auth.type,
        )
