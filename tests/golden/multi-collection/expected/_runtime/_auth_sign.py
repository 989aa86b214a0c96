"""Request-signing schemes: OAuth 1.0, Hawk and AWS Signature Version 4.

Each signs the built request in place (``apply``), as Postman's runtime signs it, and
is called again for every attempt, so a retried request gets a fresh nonce and time.
A body that is streamed (a file or an iterator) is not read for signing: OAuth 1.0
and Hawk then leave the body hash out, AWS sends ``UNSIGNED-PAYLOAD``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
import urllib.parse
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Literal

import httpx

__all__ = ["AwsSigV4Auth", "HawkAuth", "OAuth1Auth"]

Clock = Callable[[], float]
"""Seconds since the epoch (``time.time``); tests pass a fixed one."""

_ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_FORM = "application/x-www-form-urlencoded"
_OAUTH1_DIGESTS = {
    "HMAC-SHA1": "sha1",
    "HMAC-SHA256": "sha256",
    "HMAC-SHA512": "sha512",
}


def _nonce(length: int) -> str:
    return "".join(secrets.choice(_ALPHANUMERIC) for _ in range(length))


def _body(request: httpx.Request) -> bytes | None:
    """The request body, or ``None`` when it is streamed (not in memory)."""
    try:
        return request.content
    except httpx.RequestNotRead:
        return None


def _is_form(request: httpx.Request) -> bool:
    content_type = str(request.headers.get("Content-Type", ""))
    return content_type.split(";")[0].strip().lower() == _FORM


def _percent(text: str) -> str:
    """RFC 3986 percent-encoding (OAuth 1.0, AWS): only unreserved characters kept."""
    return urllib.parse.quote(text, safe="-._~")


class OAuth1Auth:
    """OAuth 1.0 (RFC 5849) request signing, the way Postman signs.

    Args:
        consumer_key: The consumer key.
        consumer_secret: The consumer secret.
        token: The access token (``""`` for none).
        token_secret: The token secret (``""`` for none).
        signature_method: ``HMAC-SHA1``, ``HMAC-SHA256``, ``HMAC-SHA512`` or
            ``PLAINTEXT`` (RSA methods need a private key and are not supported).
        version: ``oauth_version`` (``""`` leaves it out).
        realm: ``realm`` of the ``Authorization`` header (not signed).
        timestamp: A fixed ``oauth_timestamp``; ``""`` uses the current time.
        nonce: A fixed ``oauth_nonce``; ``""`` generates one per request.
        callback: ``oauth_callback``, sent and signed when not empty.
        verifier: ``oauth_verifier``, sent and signed when not empty.
        add_params_to_header: Send the parameters in the ``Authorization`` header;
            otherwise in the urlencoded body of a POST/PUT, else in the query string.
        add_empty_params_to_sign: Sign (and send) empty ``oauth_*`` parameters too.
        include_body_hash: Add ``oauth_body_hash`` for a body that is not a form.
        clock: Source of the current time.
    """

    def __init__(
        self,
        consumer_key: str,
        consumer_secret: str,
        token: str = "",
        token_secret: str = "",
        *,
        signature_method: str = "HMAC-SHA1",
        version: str = "1.0",
        realm: str = "",
        timestamp: str = "",
        nonce: str = "",
        callback: str = "",
        verifier: str = "",
        add_params_to_header: bool = False,
        add_empty_params_to_sign: bool = False,
        include_body_hash: bool = False,
        clock: Clock = time.time,
    ) -> None:
        method = signature_method.upper()
        if method not in _OAUTH1_DIGESTS and method != "PLAINTEXT":
            raise ValueError(
                f"OAuth 1.0 signature method {signature_method!r} is not supported"
                " (use HMAC-SHA1, HMAC-SHA256, HMAC-SHA512 or PLAINTEXT)"
            )
        self.consumer_key = consumer_key
        self._consumer_secret = consumer_secret
        self._token = token
        self._token_secret = token_secret
        self.signature_method = method
        self.version = version
        self.realm = realm
        self.timestamp = timestamp
        self.nonce = nonce
        self.callback = callback
        self.verifier = verifier
        self.add_params_to_header = add_params_to_header
        self.add_empty_params_to_sign = add_empty_params_to_sign
        self.include_body_hash = include_body_hash
        self._clock = clock

    def oauth_params(self, request: httpx.Request) -> list[tuple[str, str]]:
        """The ``oauth_*`` parameters of ``request``, ``oauth_signature`` last."""
        body = _body(request)
        candidates = [
            ("oauth_consumer_key", self.consumer_key),
            ("oauth_token", self._token),
            ("oauth_signature_method", self.signature_method),
            ("oauth_timestamp", self.timestamp or str(int(self._clock()))),
            ("oauth_nonce", self.nonce or _nonce(11)),
            ("oauth_version", self.version),
            ("oauth_callback", self.callback),
            ("oauth_verifier", self.verifier),
        ]
        if self.include_body_hash and not _is_form(request) and body is not None:
            digest = _OAUTH1_DIGESTS.get(self.signature_method, "sha1")
            body_hash = base64.b64encode(hashlib.new(digest, body).digest()).decode()
            candidates.append(("oauth_body_hash", body_hash))
        params = [
            (key, value)
            for key, value in candidates
            if value or (self.add_empty_params_to_sign and key in _SIGNED_WHEN_EMPTY)
        ]
        signed = [*params, *request.url.params.multi_items()]
        if _is_form(request) and body is not None:
            text = body.decode("utf-8", errors="replace")
            signed += urllib.parse.parse_qsl(text, keep_blank_values=True)
        base = signature_base_string(request.method, request.url, signed)
        params.append(("oauth_signature", self._sign(base)))
        return params

    def apply(self, request: httpx.Request) -> None:
        """Sign ``request`` and add the parameters where Postman puts them."""
        params = self.oauth_params(request)
        if self.add_params_to_header:
            request.headers["Authorization"] = authorization_header(params, self.realm)
        elif (
            request.method in ("POST", "PUT")
            and _is_form(request)
            and (body := _body(request)) is not None
        ):
            extra = _pairs(params).encode()
            _replace_body(request, (body + b"&" if body else b"") + extra)
        else:
            query = request.url.query
            request.url = request.url.copy_with(
                query=(query + b"&" if query else b"") + _pairs(params).encode()
            )

    def _sign(self, base: str) -> str:
        key = f"{_percent(self._consumer_secret)}&{_percent(self._token_secret)}"
        if self.signature_method == "PLAINTEXT":
            return key
        digest = hmac.new(
            key.encode(), base.encode(), _OAUTH1_DIGESTS[self.signature_method]
        ).digest()
        return base64.b64encode(digest).decode()

    def __repr__(self) -> str:
        return (
            f"OAuth1Auth(consumer_key={self.consumer_key!r},"
            f" signature_method={self.signature_method!r}, consumer_secret=***,"
            " token=***, token_secret=***)"
        )


# Postman signs these even when empty if asked to (callback/verifier/body hash only
# when set).
_SIGNED_WHEN_EMPTY = frozenset(
    {
        "oauth_consumer_key",
        "oauth_token",
        "oauth_signature_method",
        "oauth_timestamp",
        "oauth_nonce",
        "oauth_version",
    }
)


def _pairs(params: list[tuple[str, str]]) -> str:
    return "&".join(f"{_percent(key)}={_percent(value)}" for key, value in params)


def signature_base_string(
    method: str, url: httpx.URL, params: list[tuple[str, str]]
) -> str:
    """RFC 5849 section 3.4.1: method, base string URI and normalised parameters."""
    port = url.port
    host = url.host.lower()
    if port is not None and not (
        (url.scheme == "http" and port == 80) or (url.scheme == "https" and port == 443)
    ):
        host = f"{host}:{port}"
    base_uri = f"{url.scheme.lower()}://{host}{url.path}"
    encoded = sorted((_percent(k), _percent(v)) for k, v in params)
    normalised = "&".join(f"{k}={v}" for k, v in encoded)
    return "&".join(_percent(part) for part in (method.upper(), base_uri, normalised))


def authorization_header(params: list[tuple[str, str]], realm: str = "") -> str:
    """``OAuth realm="…",oauth_consumer_key="…",…`` as Postman writes it."""
    parts = [f'realm="{realm}"'] if realm else []
    parts += [f'{_percent(key)}="{_percent(value)}"' for key, value in params]
    return "OAuth " + ",".join(parts)


def _replace_body(request: httpx.Request, content: bytes) -> None:
    rebuilt = httpx.Request(
        request.method, request.url, headers=request.headers, content=content
    )
    request.headers["Content-Length"] = str(len(content))
    request.stream = rebuilt.stream
    request._content = content


class HawkAuth:
    """Hawk (``hueniverse/hawk`` 1.x) request authentication, as Postman sends it.

    Args:
        auth_id: Hawk key identifier.
        auth_key: Hawk key.
        algorithm: ``sha256`` or ``sha1``.
        user: User name, sent as nothing by Postman's Hawk client (kept for docs).
        nonce: A fixed nonce; ``""`` generates six characters per request.
        ext: Application-specific data (``ext``).
        app: Application id (Oz).
        dlg: Delegated-by application id (Oz).
        timestamp: A fixed timestamp (seconds); ``""`` uses the current time.
        include_payload_hash: Add the payload ``hash`` of an in-memory body.
        clock: Source of the current time.
    """

    def __init__(
        self,
        auth_id: str,
        auth_key: str,
        *,
        algorithm: Literal["sha256", "sha1"] = "sha256",
        user: str = "",
        nonce: str = "",
        ext: str = "",
        app: str = "",
        dlg: str = "",
        timestamp: str = "",
        include_payload_hash: bool = False,
        clock: Clock = time.time,
    ) -> None:
        if algorithm not in ("sha256", "sha1"):
            raise ValueError(
                f"Hawk algorithm must be sha256 or sha1, not {algorithm!r}"
            )
        self.auth_id = auth_id
        self._auth_key = auth_key
        self.algorithm = algorithm
        self.user = user
        self.nonce = nonce
        self.ext = ext
        self.app = app
        self.dlg = dlg
        self.timestamp = timestamp
        self.include_payload_hash = include_payload_hash
        self._clock = clock

    def payload_hash(self, content_type: str, payload: bytes) -> str:
        """``hash`` of a payload: its MIME type (parameters dropped) and bytes."""
        mime = content_type.split(";")[0].strip().lower()
        text = b"hawk.1.payload\n" + mime.encode() + b"\n" + payload + b"\n"
        return base64.b64encode(hashlib.new(self.algorithm, text).digest()).decode()

    def header(self, request: httpx.Request) -> str:
        """The ``Authorization`` header value for ``request``."""
        ts = self.timestamp or str(int(self._clock()))
        nonce = self.nonce or _nonce(6)
        body = _body(request)
        payload = ""
        if self.include_payload_hash and body is not None:
            payload = self.payload_hash(request.headers.get("Content-Type", ""), body)
        url = request.url
        port = url.port or (443 if url.scheme == "https" else 80)
        resource = url.raw_path.decode("ascii")
        lines = [
            "hawk.1.header",
            ts,
            nonce,
            request.method.upper(),
            resource,
            url.host.lower(),
            str(port),
            payload,
            self.ext.replace("\\", "\\\\").replace("\n", "\\n"),
        ]
        if self.app:
            lines += [self.app, self.dlg]
        normalised = "\n".join(lines) + "\n"
        mac = base64.b64encode(
            hmac.new(
                self._auth_key.encode(), normalised.encode(), self.algorithm
            ).digest()
        ).decode()
        parts = [f'id="{self.auth_id}"', f'ts="{ts}"', f'nonce="{nonce}"']
        if payload:
            parts.append(f'hash="{payload}"')
        if self.ext:
            parts.append(f'ext="{_hawk_escape(self.ext)}"')
        parts.append(f'mac="{mac}"')
        if self.app:
            parts.append(f'app="{self.app}"')
            if self.dlg:
                parts.append(f'dlg="{self.dlg}"')
        return "Hawk " + ", ".join(parts)

    def apply(self, request: httpx.Request) -> None:
        """Set ``Authorization: Hawk …`` on ``request``."""
        request.headers["Authorization"] = self.header(request)

    def __repr__(self) -> str:
        return f"HawkAuth(auth_id={self.auth_id!r}, algorithm={self.algorithm!r}, auth_key=***)"


def _hawk_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


# Headers aws4 (the library Postman signs with) never signs.
_AWS_UNSIGNED = frozenset(
    {
        "authorization",
        "connection",
        "x-amzn-trace-id",
        "user-agent",
        "expect",
        "presigned-expires",
        "range",
    }
)


class AwsSigV4Auth:
    """AWS Signature Version 4 (header signing), as Postman's ``awsv4`` auth.

    Postman's defaults: region ``us-east-1``, service ``execute-api`` (API Gateway).
    Every header of the request is signed except those aws4 leaves out
    (``user-agent``, ``connection``, ...). A body in memory is hashed into
    ``X-Amz-Content-Sha256`` (as Postman does); a streamed one is sent as
    ``UNSIGNED-PAYLOAD``, which only S3 accepts.

    Args:
        access_key: AWS access key id.
        secret_key: AWS secret access key.
        session_token: Temporary session token (``X-Amz-Security-Token``), or ``""``.
        region: AWS region.
        service: Service name (``execute-api``, ``s3``, ``es``, ...).
        clock: Source of the current time.
    """

    def __init__(
        self,
        access_key: str,
        secret_key: str,
        session_token: str = "",
        *,
        region: str = "us-east-1",
        service: str = "execute-api",
        clock: Clock = time.time,
    ) -> None:
        self.access_key = access_key
        self._secret_key = secret_key
        self._session_token = session_token
        self.region = region or "us-east-1"
        self.service = service or "execute-api"
        self._clock = clock

    def apply(self, request: httpx.Request) -> None:
        """Add ``X-Amz-Date`` (and the token and body hash) and ``Authorization``."""
        for name in ("Authorization", "X-Amz-Date", "X-Amz-Security-Token"):
            request.headers.pop(name, None)
        now = datetime.fromtimestamp(self._clock(), tz=timezone.utc)
        stamp = now.strftime("%Y%m%dT%H%M%SZ")
        request.headers["X-Amz-Date"] = stamp
        if self._session_token:
            request.headers["X-Amz-Security-Token"] = self._session_token
        body = _body(request)
        if body is None:
            request.headers["X-Amz-Content-Sha256"] = "UNSIGNED-PAYLOAD"
        elif body:
            request.headers["X-Amz-Content-Sha256"] = hashlib.sha256(body).hexdigest()
        payload_hash = request.headers.get(
            "X-Amz-Content-Sha256", hashlib.sha256(b"").hexdigest()
        )
        headers = {
            name.lower(): " ".join(value.strip().split())
            for name, value in request.headers.items()
            if name.lower() not in _AWS_UNSIGNED
        }
        signed = ";".join(sorted(headers))
        canonical = "\n".join(
            [
                request.method.upper(),
                _aws_path(request.url, self.service),
                _aws_query(request.url),
                *(f"{name}:{headers[name]}" for name in sorted(headers)),
                "",
                signed,
                payload_hash,
            ]
        )
        scope = f"{stamp[:8]}/{self.region}/{self.service}/aws4_request"
        to_sign = "\n".join(
            [
                "AWS4-HMAC-SHA256",
                stamp,
                scope,
                hashlib.sha256(canonical.encode()).hexdigest(),
            ]
        )
        key = ("AWS4" + self._secret_key).encode()
        for part in (stamp[:8], self.region, self.service, "aws4_request"):
            key = hmac.new(key, part.encode(), hashlib.sha256).digest()
        signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
        request.headers["Authorization"] = (
            f"AWS4-HMAC-SHA256 Credential={self.access_key}/{scope}, "
            f"SignedHeaders={signed}, Signature={signature}"
        )

    def __repr__(self) -> str:
        return (
            f"AwsSigV4Auth(access_key={self.access_key!r}, region={self.region!r},"
            f" service={self.service!r}, secret_key=***, session_token=***)"
        )


def _aws_path(url: httpx.URL, service: str) -> str:
    path = urllib.parse.unquote(url.raw_path.decode("ascii").split("?")[0]) or "/"
    if service == "s3":
        return urllib.parse.quote(path, safe="/-._~")
    # Other services normalise the path and encode it twice (aws4's behaviour).
    segments: list[str] = []
    for segment in path.split("/"):
        if segment == "..":
            if segments:
                segments.pop()
        elif segment not in (".", ""):
            segments.append(segment)
    normalised = "/" + "/".join(segments)
    if path.endswith("/") and normalised != "/":
        normalised += "/"
    once = urllib.parse.quote(normalised, safe="/-._~")
    return urllib.parse.quote(once, safe="/-._~")


def _aws_query(url: httpx.URL) -> str:
    pairs = urllib.parse.parse_qsl(url.query.decode("ascii"), keep_blank_values=True)
    encoded = sorted((_percent(k), _percent(v)) for k, v in pairs)
    return "&".join(f"{k}={v}" for k, v in encoded)
