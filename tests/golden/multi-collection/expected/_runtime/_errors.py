"""Exceptions raised by generated clients.

::

    ClientError(Exception)                  base of everything the client raises
    ├── ApiError                            a non-2xx response
    │   ├── BadRequestError          400
    │   ├── AuthenticationError      401
    │   ├── PermissionDeniedError    403
    │   ├── NotFoundError            404
    │   ├── ConflictError            409
    │   ├── RateLimitError           429   (+ retry_after)
    │   └── ServerError              5xx
    ├── ApiConnectionError                  transport failure after retries
    │   └── ApiTimeoutError                 a timeout
    └── ResponseValidationError             a 2xx body that does not fit the model
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from ._retry import parse_retry_after

__all__ = [
    "ApiConnectionError",
    "ApiError",
    "ApiTimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ClientError",
    "ConflictError",
    "ErrorDetail",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseValidationError",
    "ServerError",
    "error_for_response",
]

_BODY_PREVIEW = 200


@dataclass(frozen=True)
class ErrorDetail:
    """One error reported in an error response body.

    Attributes:
        error_code: Machine-readable code (``errorCode``, ``code``, ``error``, ``type``).
        message: Human-readable message.
        fields: Names of the offending fields, when the API reports them.
        raw: The JSON object the detail was parsed from.
    """

    error_code: str = ""
    message: str = ""
    fields: tuple[str, ...] = ()
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)


class ClientError(Exception):
    """Base class of every exception a generated client raises."""


class ApiError(ClientError):
    """The server answered with a non-2xx status.

    Attributes:
        status_code: HTTP status.
        headers: Response headers.
        body: Raw response body.
        errors: Error details parsed from the body (may be empty).
        method: Request method.
        url: Request URL.
        response: The ``httpx.Response`` itself.
    """

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self.status_code = response.status_code
        self.headers = response.headers
        self.body = _body_of(response)
        self.errors = parse_error_details(self.body)
        request = _request_of(response)
        self.method = request.method if request is not None else ""
        self.url = str(request.url) if request is not None else ""
        super().__init__(self._summary(request))

    @property
    def text(self) -> str:
        """The body decoded leniently (undecodable bytes are replaced)."""
        return _decode(self.body, self.response.charset_encoding)

    def _summary(self, request: httpx.Request | None) -> str:
        parts = [f"{self.status_code} {self.response.reason_phrase}".rstrip()]
        if request is not None:
            # The query string is left out because it may carry an API key.
            parts.append(f"{request.method} {request.url.copy_with(query=None)}")
        detail = _describe(self.errors[0]) if self.errors else ""
        detail = detail or self.text.strip()[:_BODY_PREVIEW]
        if detail:
            parts.append(detail)
        return ": ".join(parts)


class BadRequestError(ApiError):
    """HTTP 400."""


class AuthenticationError(ApiError):
    """HTTP 401."""


class PermissionDeniedError(ApiError):
    """HTTP 403."""


class NotFoundError(ApiError):
    """HTTP 404."""


class ConflictError(ApiError):
    """HTTP 409."""


class RateLimitError(ApiError):
    """HTTP 429.

    Attributes:
        retry_after: Seconds the server asked to wait (``Retry-After``), if given.
    """

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(response)
        self.retry_after = parse_retry_after(response.headers.get("Retry-After"))


class ServerError(ApiError):
    """HTTP 5xx."""


class ApiConnectionError(ClientError):
    """The request could not be completed (connection, read or protocol failure).

    The underlying ``httpx`` exception is chained as ``__cause__``.

    Attributes:
        method: Request method.
        url: Request URL.
    """

    def __init__(self, message: str, *, method: str = "", url: str = "") -> None:
        super().__init__(message)
        self.method = method
        self.url = url


class ApiTimeoutError(ApiConnectionError):
    """The request timed out."""


class ResponseValidationError(ClientError):
    """A successful response body does not fit the declared model.

    Attributes:
        model: Name of the model class, when known.
        key: The offending JSON key, when known.
    """

    def __init__(self, message: str, *, model: str = "", key: str = "") -> None:
        super().__init__(message)
        self.model = model
        self.key = key


_STATUS_ERRORS: dict[int, type[ApiError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    429: RateLimitError,
}


def error_for_response(response: httpx.Response) -> ApiError:
    """Build the ``ApiError`` subclass matching the status of a read response."""
    status = response.status_code
    if 500 <= status <= 599:
        return ServerError(response)
    return _STATUS_ERRORS.get(status, ApiError)(response)


def parse_error_details(body: bytes) -> list[ErrorDetail]:
    """Parse the error details of a JSON error body; ``[]`` for anything unknown."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return []
    if isinstance(data, list):
        details = (_detail_from_object(item) for item in data)
        return [detail for detail in details if detail is not None]
    detail = _detail_from_object(data)
    return [detail] if detail is not None else []


def _detail_from_object(data: object) -> ErrorDetail | None:
    if not isinstance(data, dict):
        return None
    nested = data.get("error")
    if isinstance(nested, dict):
        return _stripe_detail(nested)
    code = _first(data, "errorCode", "code", "error")
    message = _first(data, "message", "error_description")
    if code is None and message is None:
        return None
    return ErrorDetail(
        error_code=_text(code),
        message=_text(message),
        fields=_field_names(data.get("fields")),
        raw=data,
    )


def _stripe_detail(error: dict[str, Any]) -> ErrorDetail | None:
    code = _first(error, "code", "type")
    message = error.get("message")
    if code is None and message is None:
        return None
    param = error.get("param")
    return ErrorDetail(
        error_code=_text(code),
        message=_text(message),
        fields=(str(param),) if isinstance(param, str) and param else (),
        raw=error,
    )


def _first(data: Mapping[str, Any], *keys: str) -> Any:
    for key in keys:
        if data.get(key) is not None:
            return data[key]
    return None


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _field_names(value: Any) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(str(item) for item in value)
    if isinstance(value, str) and value:
        return (value,)
    return ()


def _describe(detail: ErrorDetail) -> str:
    return ": ".join(part for part in (detail.error_code, detail.message) if part)


def _body_of(response: httpx.Response) -> bytes:
    try:
        return response.content
    except httpx.ResponseNotRead:
        return b""


def _request_of(response: httpx.Response) -> httpx.Request | None:
    try:
        return response.request
    except RuntimeError:
        return None


def _decode(body: bytes, charset: str | None) -> str:
    try:
        return body.decode(charset or "utf-8", errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")
