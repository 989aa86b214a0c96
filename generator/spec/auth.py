"""Auth blocks (after inheritance) → named ``AuthScheme``s with credential arguments.

Secrets never reach the spec: a credential is a constructor argument named after the
variable that held it (``{{_accessToken}}`` → ``access_token``); a literal secret in the
collection is dropped, with a diagnostic, and becomes an argument too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from ..errors import Level
from ..naming import NameScope
from ..postman.model import PmAuth
from .model import AuthScheme, Credential
from .variables import is_single_variable

if TYPE_CHECKING:
    from .context import BuildContext

_SUPPORTED = ("bearer", "basic", "apikey")


class AuthPlan:
    """Hands out one scheme per distinct auth block, in first-use order."""

    def __init__(self, ctx: BuildContext) -> None:
        self.ctx = ctx
        self._schemes: dict[tuple[Any, ...], AuthScheme] = {}
        self._names = NameScope()
        self._args = NameScope(
            {"base_url", "timeout", "headers", "http_client", "retry"}
        )
        self._by_variable: dict[str, str] = {}
        self._reported: set[str] = set()

    def for_request(self, auth: PmAuth | None, source: str) -> str | None:
        """The scheme name a request uses (None: no auth)."""
        if auth is None or auth.type == "noauth":
            return None
        if auth.type not in _SUPPORTED:
            if auth.type not in self._reported:
                self._reported.add(auth.type)
                self.ctx.report(
                    Level.WARNING,
                    source,
                    f"auth type {auth.type!r} is not supported yet; requests using it"
                    " are sent without auth (pass headers or an httpx auth yourself)",
                )
            return None
        key = (auth.type, tuple(sorted((k, str(v)) for k, v in auth.params.items())))
        if key not in self._schemes:
            self._schemes[key] = self._scheme(auth, source)
        return self._schemes[key].name

    def schemes(self) -> list[AuthScheme]:
        """Every scheme used, in first-use order."""
        return list(self._schemes.values())

    def _credential(self, value: Any, fallback: str, source: str) -> Credential:
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
                name=name, description=f"The {fallback.replace('_', ' ')}."
            )
        if variable not in self._by_variable:
            self._by_variable[variable] = self._args.claim(
                self.ctx.credential_for(variable)
            )
        return Credential(
            name=self._by_variable[variable],
            variable=variable,
            description=f"Replaces the collection variable ``{variable}``.",
        )

    def _scheme(self, auth: PmAuth, source: str) -> AuthScheme:
        params = auth.params
        if auth.type == "bearer":
            return AuthScheme(
                name=self._names.claim("bearer"),
                kind="bearer",
                credentials=[self._credential(params.get("token"), "token", source)],
            )
        if auth.type == "basic":
            return AuthScheme(
                name=self._names.claim("basic"),
                kind="basic",
                credentials=[
                    self._credential(params.get("username"), "username", source),
                    self._credential(params.get("password"), "password", source),
                ],
            )
        location: Literal["header", "query"] = (
            "query" if str(params.get("in", "header")) == "query" else "header"
        )
        return AuthScheme(
            name=self._names.claim("api_key"),
            kind="api_key",
            credentials=[self._credential(params.get("value"), "api_key", source)],
            key_name=str(params.get("key") or "X-API-Key"),
            location=location,
        )
