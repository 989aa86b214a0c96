"""Auth schemes of the spec → OpenAPI security schemes."""

from __future__ import annotations

from typing import Any

from ..spec.model import AuthScheme


def security_scheme(scheme: AuthScheme) -> dict[str, Any]:
    """The OpenAPI security scheme closest to one of the spec's auth schemes.

    Unknown kinds (added to the spec after this exporter) do not fail: they become an
    HTTP scheme named after the kind, and keep the kind in ``x-pmgen-auth-kind``.
    """
    kind = str(scheme.kind)
    header = str(getattr(scheme, "header", "Authorization") or "Authorization")
    prefix = str(getattr(scheme, "prefix", "Bearer") or "")
    credentials = ", ".join(f"``{c.name}``" for c in scheme.credentials)
    text = f"Client credentials: {credentials}." if credentials else ""
    result: dict[str, Any]
    if kind == "bearer" and header.lower() == "authorization" and prefix == "Bearer":
        result = {"type": "http", "scheme": "bearer"}
    elif kind == "bearer":
        result = {"type": "apiKey", "in": "header", "name": header}
        text += f" Sent as ``{header}: {prefix + ' ' if prefix else ''}<token>``."
    elif kind == "basic":
        result = {"type": "http", "scheme": "basic"}
    elif kind == "api_key":
        location = str(getattr(scheme, "location", "header"))
        result = {
            "type": "apiKey",
            "in": location if location in ("header", "query", "cookie") else "header",
            "name": str(getattr(scheme, "key_name", "") or "X-API-Key"),
        }
    else:
        result = {
            "type": "http",
            "scheme": _HTTP_SCHEMES.get(kind, kind.replace("_", "-")),
            "x-pmgen-auth-kind": kind,
        }
    if text.strip():
        result["description"] = text.strip()
    return result


# Closest HTTP authentication scheme (IANA registry names) of auth kinds the spec may
# grow; anything else keeps its own name.
_HTTP_SCHEMES = {
    "digest": "digest",
    "oauth1": "oauth",
    "oauth2": "bearer",
    "ntlm": "negotiate",
    "hawk": "hawk",
    "awsv4": "aws4-hmac-sha256",
    "aws_sigv4": "aws4-hmac-sha256",
    "akamai": "eg1-hmac-sha256",
    "edgegrid": "eg1-hmac-sha256",
    "jwt": "bearer",
    "asap": "bearer",
}
