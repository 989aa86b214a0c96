"""Sync and async base clients: request building, auth, retries, errors, capture."""

from __future__ import annotations

import inspect
import json as jsonlib
import re
import time
import urllib.parse
from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Awaitable,
    Callable,
    Generator,
    Iterator,
    Mapping,
    Sequence,
)
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from types import MappingProxyType, TracebackType
from typing import Any, ClassVar, TypeAlias, TypeVar

import httpx

from ._auth import Authenticator, TokenSource
from ._dynamic import expand_dynamic, expand_dynamic_json
from ._errors import ApiConnectionError, ApiTimeoutError, error_for_response
from ._files import BodySource
from ._models import to_jsonable
from ._multipart import FormField, MultipartBody
from ._retry import RetryPolicy
from ._types import (
    UNSET,
    AsyncFileContent,
    FileContent,
    Flag,
    HeaderValues,
    QueryValue,
    Unset,
)
from ._variables import BodyVariables

__all__ = [
    "DEFAULT_TIMEOUT",
    "AsyncClient",
    "AsyncRequestHook",
    "AsyncResponseHook",
    "Captured",
    "RequestHook",
    "ResponseHook",
    "SyncClient",
]

DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0)

_TimeoutValue: TypeAlias = float | httpx.Timeout | None
_Body: TypeAlias = bytes | BodySource | MultipartBody | None
_PLACEHOLDER = re.compile(r"\{([^{}/]+)\}")
_LEADING_SETTINGS = re.compile(r"(?:\{\w+\})+(?=/|$)")
# Entries kept per client in each of its caches (path plans, parsed URLs): when a
# cache is full it is emptied, so that paths built per call cannot grow it forever.
_CACHE_SIZE = 256
_NOTHING_REMOVED: frozenset[str] = frozenset()
# ``json.dumps(value, separators=(",", ":"), ensure_ascii=False)``, made once.
_JSON = jsonlib.JSONEncoder(separators=(",", ":"), ensure_ascii=False)
_JSON_HEADERS: Mapping[str, str] = MappingProxyType(
    {"Content-Type": "application/json"}
)
_FORM_HEADERS: Mapping[str, str] = MappingProxyType(
    {"Content-Type": "application/x-www-form-urlencoded"}
)
_NO_HEADERS: Mapping[str, str] = MappingProxyType({})
_SyncSelf = TypeVar("_SyncSelf", bound="SyncClient")
_AsyncSelf = TypeVar("_AsyncSelf", bound="AsyncClient")
_Resource = TypeVar("_Resource")

# Event hooks: called with every request before it is sent and every response
# received, once per attempt; what they return is ignored. Sync clients take plain
# callables; async clients plain or ``async`` ones (an awaitable result is awaited).
RequestHook: TypeAlias = Callable[[httpx.Request], object]
ResponseHook: TypeAlias = Callable[[httpx.Response], object]
AsyncRequestHook: TypeAlias = Callable[[httpx.Request], object]
AsyncResponseHook: TypeAlias = Callable[[httpx.Response], object]
_RequestHookT = TypeVar("_RequestHookT", bound=RequestHook)
_ResponseHookT = TypeVar("_ResponseHookT", bound=ResponseHook)


@dataclass
class Captured:
    """Responses received inside a ``capture_response()`` block.

    Attributes:
        responses: Every response, retried ones included, in order.
    """

    responses: list[httpx.Response] = field(default_factory=list)

    @property
    def response(self) -> httpx.Response | None:
        """The last response received, or ``None``."""
        return self.responses[-1] if self.responses else None


# (client, Captured) pairs of the active capture blocks of this thread / task.
_CAPTURES: ContextVar[tuple[tuple[object, Captured], ...]] = ContextVar(
    "_runtime_captures", default=()
)


@dataclass(slots=True)
class _Call:
    """Everything needed to build the request again for each attempt (never changed)."""

    method: str
    url: str
    headers: httpx.Headers
    removed: frozenset[str]
    body: _Body
    auth: str | None
    timeout: _TimeoutValue | Unset
    follow_redirects: bool | None = None

    @property
    def replayable(self) -> bool:
        if isinstance(self.body, BodySource | MultipartBody):
            return self.body.replayable
        return True


class _BaseClient:
    """Request preparation shared by the sync and async clients.

    Attributes:
        resource_classes: Resource classes to use instead of the generated ones,
            by call path (``"users"``, ``"users.admins"``); each must subclass
            the class it replaces. Set it on a subclass of the client.
    """

    _http: httpx.Client | httpx.AsyncClient
    resource_classes: ClassVar[Mapping[str, type[Any]]] = {}

    def __init__(
        self,
        *,
        base_url: str,
        settings: Mapping[str, str] | None,
        auth: Mapping[str, Authenticator] | None,
        headers: Mapping[str, str] | None,
        retry: RetryPolicy | None,
        owns_http: bool,
        variables: Mapping[str, TokenSource | None] | None = None,
    ) -> None:
        self._base_url = base_url
        self._settings: Mapping[str, str] = MappingProxyType(dict(settings or {}))
        self._auth = dict(auth or {})
        self._headers = dict(headers or {})
        self._retry = retry if retry is not None else RetryPolicy()
        self._owns_http = owns_http
        filled = BodyVariables(variables or {})
        self._variables = filled if filled else None  # None: one test per call
        # What is worked out once and kept between calls (see docs/runtime-contract.md,
        # "What a client keeps"): none of it changes what is sent.
        self._default_headers = _static_headers(self._headers)
        # Path template -> how to fill it (base URL, literal parts, placeholders).
        self._paths: dict[str, _PathPlan] = {}
        # URL text -> httpx.URL: parsing it is a good part of what httpx costs.
        self._parsed_urls: dict[str, httpx.URL] = {}
        # (body headers, call headers) -> what ``_merge_headers`` made of them.
        self._merged_headers: dict[object, tuple[httpx.Headers, frozenset[str]]] = {}

    @property
    def base_url(self) -> str:
        """The URL every request path is appended to."""
        return self._base_url

    @property
    def settings(self) -> Mapping[str, str]:
        """Read-only values that fill path placeholders not given per call."""
        return self._settings

    def create_resource(self, path: str, default: type[_Resource]) -> _Resource:
        """The resource at call path ``path``, bound to this client.

        Generated clients and resources create every resource through this method:
        the class is ``resource_classes[path]`` when a subclass sets it, else
        ``default``. Override it to build resources differently.
        """
        chosen: Callable[[_BaseClient], _Resource] = self.resource_classes.get(
            path, default
        )
        if not _subclass_of(chosen, default):
            raise TypeError(
                f"resource_classes[{path!r}] must be a subclass of"
                f" {default.__qualname__}, not {chosen!r}"
            )
        made: _Resource = chosen(self)
        return made

    @contextmanager
    def capture_response(self) -> Iterator[Captured]:
        """Record the responses this client receives inside the ``with`` block.

        Works per thread and per asyncio task (a plain ``with`` in async code).
        """
        captured = Captured()
        token = _CAPTURES.set((*_CAPTURES.get(), (self, captured)))
        try:
            yield captured
        finally:
            _CAPTURES.reset(token)

    def _record(self, response: httpx.Response) -> None:
        for owner, captured in _CAPTURES.get():
            if owner is self:
                captured.responses.append(response)

    def _prepare(
        self,
        method: str,
        path: str,
        *,
        path_params: Mapping[str, str | int] | None,
        query: Sequence[tuple[str, QueryValue]] | None,
        headers: HeaderValues | None,
        json: Any,
        content: Any,
        form: Sequence[tuple[str, str | None]] | None,
        multipart: Sequence[FormField] | None,
        auth: str | None,
        timeout: _TimeoutValue | Unset,
        follow_redirects: bool | None = None,
    ) -> _Call:
        body, body_headers = _encode_body(
            json, content, form, multipart, self._variables
        )
        merged, removed = self._merge_headers(body_headers, headers)
        url = self._url(path, path_params)
        return _Call(
            method=method.upper(),
            url=_with_query(url, query) if query else url,
            headers=merged,
            removed=removed,
            body=body,
            auth=auth,
            timeout=timeout,
            follow_redirects=follow_redirects,
        )

    def _merge_headers(
        self, body_headers: Mapping[str, str], overrides: HeaderValues | None
    ) -> tuple[httpx.Headers, frozenset[str]]:
        """The client's headers, then the body's, then the call's; and the names a
        ``None`` value removed."""
        defaults = self._default_headers
        if defaults is None:  # a default header holds a dynamic variable
            return _merge_headers(self._headers, body_headers, overrides)
        if not body_headers and not overrides:
            return defaults, _NOTHING_REMOVED  # never changed: httpx copies it
        # The same few layers come again and again (a method's own headers): the
        # merged headers are kept, as httpx only ever reads (copies) them.
        try:
            key = (
                tuple(body_headers.items()),
                tuple(overrides.items()) if overrides else (),
            )
            merged = self._merged_headers.get(key)
        except TypeError:  # an unhashable value: let httpx say what is wrong
            return _merge_headers(defaults, body_headers, overrides)
        if merged is None:
            merged = _merge_headers(defaults, body_headers, overrides)
            # Kept for the bodies whose headers are always the same (not those
            # with a multipart boundary or a length), and only when no call header
            # holds a dynamic variable (a new value per call).
            if (
                body_headers is _JSON_HEADERS
                or body_headers is _FORM_HEADERS
                or not body_headers
            ) and not (
                overrides
                and any(v is not None and "{{" in v for v in overrides.values())
            ):
                if len(self._merged_headers) >= _CACHE_SIZE:
                    self._merged_headers.clear()
                self._merged_headers[key] = merged
        return merged

    def _url(self, path: str, path_params: Mapping[str, str | int] | None) -> str:
        """The URL of ``path`` (dynamic variables expanded, placeholders filled)."""
        kept = self._paths.get(path)
        if kept is not None:
            plan = kept
        elif "{{" in path:  # dynamic variables: a new path each time, not kept
            plan = self._plan(expand_dynamic(path))
        else:
            plan = self._plan(path)
            if len(self._paths) >= _CACHE_SIZE:
                self._paths.clear()
            self._paths[path] = plan
        base, expanded, slots, template = plan
        if slots:
            values = path_params or {}
            pieces = [expanded]
            for name, setting, literal in slots:
                value = values.get(name)
                if value is not None:
                    pieces.append(_quote_segment(value))
                elif setting is not None:
                    pieces.append(setting)
                else:
                    raise ValueError(
                        f"no value for path placeholder {{{name}}} in {template!r}"
                    )
                pieces.append(literal)
            expanded = "".join(pieces)
        if expanded.startswith(("https://", "http://")):
            return expanded
        if expanded and not expanded.startswith("/"):
            expanded = "/" + expanded
        return base + expanded

    def _plan(self, path: str) -> _PathPlan:
        """Split ``path`` once: the base URL, the text before the first placeholder,
        then each placeholder's name, setting (encoded) and the text after it."""
        base = self._base_url
        # An operation served by another host names it first: a literal URL, or
        # ``{setting}``s holding one ("{url}{site}"), filled as they are (not
        # percent-encoded like path segments).
        leading = _LEADING_SETTINGS.match(path)
        if leading:
            origin = _PLACEHOLDER.sub(
                lambda m: self._settings.get(m[1], m[0]), leading.group(0)
            )
            if "://" in origin:
                base, path = origin, path[leading.end() :]
        split = _PLACEHOLDER.split(path)
        slots = []
        for name, literal in zip(split[1::2], split[2::2], strict=True):
            setting = self._settings.get(name)
            encoded = None if setting is None else _quote_segment(setting)
            slots.append((name, encoded, literal))
        return base.rstrip("/"), split[0], tuple(slots), path

    def _parsed(self, url: str) -> httpx.URL:
        """``httpx.URL(url)``, kept: a client sends to the same URLs again and again."""
        parsed = self._parsed_urls.get(url)
        if parsed is None:
            parsed = httpx.URL(url)
            if len(self._parsed_urls) >= _CACHE_SIZE:
                self._parsed_urls.clear()
            self._parsed_urls[url] = parsed
        return parsed

    def _build(
        self,
        call: _Call,
        content: bytes | Iterator[bytes] | AsyncIterator[bytes] | None,
    ) -> httpx.Request:
        request = self._http.build_request(
            call.method,
            self._parsed(call.url),
            headers=call.headers,
            content=content,
            timeout=(
                httpx.USE_CLIENT_DEFAULT
                if isinstance(call.timeout, Unset)
                else call.timeout
            ),
        )
        for name in call.removed:
            request.headers.pop(name, None)
        # An unknown scheme name sends no credentials: the injected httpx client
        # may authenticate itself, and otherwise the server answers 401.
        scheme = self._auth.get(call.auth) if call.auth else None
        if scheme is not None and not isinstance(scheme, httpx.Auth):
            scheme.apply(request)
        return request

    def _flow(self, call: _Call) -> httpx.Auth | httpx._client.UseClientDefault:
        """The ``httpx.Auth`` flow to send ``call`` with, else the client default."""
        scheme = self._auth.get(call.auth) if call.auth else None
        if isinstance(scheme, httpx.Auth):
            return scheme
        return httpx.USE_CLIENT_DEFAULT

    def _retry_delay(
        self, call: _Call, attempt: int, response: httpx.Response | None
    ) -> float | None:
        """Seconds to wait before retrying, or ``None`` to give up."""
        if not call.replayable:
            return None
        if response is None:
            retry = self._retry.should_retry_error(call.method, attempt)
        else:
            retry = self._retry.should_retry_status(
                call.method, response.status_code, attempt
            )
        return self._retry.delay(attempt, response) if retry else None

    def _error_delay(
        self, call: _Call, attempt: int, exc: httpx.RequestError
    ) -> float | None:
        """Like ``_retry_delay`` for an exception; only transport errors are retried."""
        if not isinstance(exc, httpx.TransportError):
            return None
        return self._retry_delay(call, attempt, None)


class SyncClient(_BaseClient):
    """Base of generated sync clients, over ``httpx.Client``.

    Args:
        base_url: URL every request path is appended to.
        settings: Values for path placeholders not given per call (e.g. a version).
        auth: Named auth schemes; each operation names the one it uses.
        headers: Default headers of every request.
        timeout: Timeout of the owned httpx client.
        retry: Retry policy; ``None`` means ``RetryPolicy()``.
        follow_redirects: Whether the owned httpx client follows redirects.
        http_client: An httpx client to use instead; the caller owns (and closes)
            it, and its own timeout and redirect settings apply.
        on_request: Hooks called with each request before it is sent (every
            attempt); they may change it in place, e.g. add a header or sign it.
        on_response: Hooks called with each response received (every attempt,
            retried and error responses included), before it is checked.
        variables: Values of collection variables written in bodies (``{{name}}``
            in a text body, a form value or a JSON string): filled when a request
            is sent; a value may be a function, called for every request.
    """

    _http: httpx.Client

    def __init__(
        self,
        *,
        base_url: str,
        settings: Mapping[str, str] | None = None,
        auth: Mapping[str, Authenticator] | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        follow_redirects: bool = True,
        http_client: httpx.Client | None = None,
        on_request: Sequence[RequestHook] = (),
        on_response: Sequence[ResponseHook] = (),
        variables: Mapping[str, TokenSource | None] | None = None,
    ) -> None:
        super().__init__(
            base_url=base_url,
            settings=settings,
            auth=auth,
            headers=headers,
            retry=retry,
            owns_http=http_client is None,
            variables=variables,
        )
        self._http = (
            http_client
            if http_client is not None
            else httpx.Client(timeout=timeout, follow_redirects=follow_redirects)
        )
        self._sleep: Callable[[float], None] = time.sleep
        self.request_hooks: list[RequestHook] = list(on_request)
        self.response_hooks: list[ResponseHook] = list(on_response)

    def add_request_hook(self, hook: _RequestHookT) -> _RequestHookT:
        """Call ``hook(request)`` before every request is sent; returns ``hook``.

        Usable as a decorator. Hooks run in the order they were added.
        """
        self.request_hooks.append(hook)
        return hook

    def add_response_hook(self, hook: _ResponseHookT) -> _ResponseHookT:
        """Call ``hook(response)`` with every response received; returns ``hook``."""
        self.response_hooks.append(hook)
        return hook

    def request(
        self,
        method: str,
        path: str,
        *,
        path_params: Mapping[str, str | int] | None = None,
        query: Sequence[tuple[str, QueryValue]] | None = None,
        headers: HeaderValues | None = None,
        json: Any = UNSET,
        content: FileContent | None = None,
        form: Sequence[tuple[str, str | None]] | None = None,
        multipart: Sequence[FormField] | None = None,
        auth: str | None = None,
        timeout: float | httpx.Timeout | Unset | None = UNSET,
        follow_redirects: bool | None = None,
    ) -> httpx.Response:
        """Send a request and return its 2xx response (body read).

        Raises:
            ApiError: A non-2xx response (the matching subclass).
            ApiConnectionError: A transport failure after the last retry.
            ValueError: A path placeholder has no value, or several bodies given.
        """
        call = self._prepare(
            method,
            path,
            path_params=path_params,
            query=query,
            headers=headers,
            json=json,
            content=content,
            form=form,
            multipart=multipart,
            auth=auth,
            timeout=timeout,
            follow_redirects=follow_redirects,
        )
        response = self._send(call, stream=False)
        if not response.is_success:
            raise error_for_response(response)
        return response

    def stream(
        self,
        method: str,
        path: str,
        *,
        path_params: Mapping[str, str | int] | None = None,
        query: Sequence[tuple[str, QueryValue]] | None = None,
        headers: HeaderValues | None = None,
        json: Any = UNSET,
        content: FileContent | None = None,
        form: Sequence[tuple[str, str | None]] | None = None,
        multipart: Sequence[FormField] | None = None,
        auth: str | None = None,
        timeout: float | httpx.Timeout | Unset | None = UNSET,
        follow_redirects: bool | None = None,
        chunk_size: int = 65536,
    ) -> Generator[bytes, None, None]:
        """Send a request and yield the 2xx response body in chunks.

        The request is sent when iteration starts; the connection is closed when
        the iterator ends or is closed. Raises like ``request``.
        """
        call = self._prepare(
            method,
            path,
            path_params=path_params,
            query=query,
            headers=headers,
            json=json,
            content=content,
            form=form,
            multipart=multipart,
            auth=auth,
            timeout=timeout,
            follow_redirects=follow_redirects,
        )
        response = self._send(call, stream=True)
        try:
            if not response.is_success:
                _read_error_body(response)
                raise error_for_response(response)
            yield from _iter_chunks(response, chunk_size)
        finally:
            response.close()

    def close(self) -> None:
        """Close the httpx client unless it was passed in by the caller."""
        if self._owns_http:
            self._http.close()

    def __enter__(self: _SyncSelf) -> _SyncSelf:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _send(self, call: _Call, *, stream: bool) -> httpx.Response:
        attempt = 0
        while True:
            request = self._build(call, _sync_body(call.body))
            for request_hook in self.request_hooks:
                _no_awaitable(request_hook(request), request_hook)
            try:
                response = self._http.send(
                    request,
                    stream=stream,
                    auth=self._flow(call),
                    follow_redirects=_redirects(call),
                )
            except httpx.RequestError as exc:
                delay = self._error_delay(call, attempt, exc)
                if delay is None:
                    raise _connection_error(exc, request) from exc
            else:
                self._record(response)
                try:
                    for response_hook in self.response_hooks:
                        _no_awaitable(response_hook(response), response_hook)
                except BaseException:
                    response.close()
                    raise
                delay = self._retry_delay(call, attempt, response)
                if delay is None:
                    return response
                response.close()
            self._sleep(delay)
            attempt += 1


class AsyncClient(_BaseClient):
    """Base of generated async clients, over ``httpx.AsyncClient``.

    Takes the same arguments as ``SyncClient`` (``http_client`` is an
    ``httpx.AsyncClient``; hooks may be plain or ``async`` callables).
    """

    _http: httpx.AsyncClient

    def __init__(
        self,
        *,
        base_url: str,
        settings: Mapping[str, str] | None = None,
        auth: Mapping[str, Authenticator] | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        follow_redirects: bool = True,
        http_client: httpx.AsyncClient | None = None,
        on_request: Sequence[AsyncRequestHook] = (),
        on_response: Sequence[AsyncResponseHook] = (),
        variables: Mapping[str, TokenSource | None] | None = None,
    ) -> None:
        # Imported here so that sync-only users never pay for importing asyncio.
        import asyncio

        super().__init__(
            base_url=base_url,
            settings=settings,
            auth=auth,
            headers=headers,
            retry=retry,
            owns_http=http_client is None,
            variables=variables,
        )
        self._http = (
            http_client
            if http_client is not None
            else httpx.AsyncClient(timeout=timeout, follow_redirects=follow_redirects)
        )
        self._sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
        self.request_hooks: list[AsyncRequestHook] = list(on_request)
        self.response_hooks: list[AsyncResponseHook] = list(on_response)

    def add_request_hook(self, hook: _RequestHookT) -> _RequestHookT:
        """Call ``hook(request)`` before every request is sent; returns ``hook``.

        Usable as a decorator; ``hook`` may be ``async``. Hooks run in order.
        """
        self.request_hooks.append(hook)
        return hook

    def add_response_hook(self, hook: _ResponseHookT) -> _ResponseHookT:
        """Call ``hook(response)`` with every response received; returns ``hook``."""
        self.response_hooks.append(hook)
        return hook

    async def request(
        self,
        method: str,
        path: str,
        *,
        path_params: Mapping[str, str | int] | None = None,
        query: Sequence[tuple[str, QueryValue]] | None = None,
        headers: HeaderValues | None = None,
        json: Any = UNSET,
        content: AsyncFileContent | None = None,
        form: Sequence[tuple[str, str | None]] | None = None,
        multipart: Sequence[FormField] | None = None,
        auth: str | None = None,
        timeout: float | httpx.Timeout | Unset | None = UNSET,
        follow_redirects: bool | None = None,
    ) -> httpx.Response:
        """Send a request and return its 2xx response (body read).

        Raises:
            ApiError: A non-2xx response (the matching subclass).
            ApiConnectionError: A transport failure after the last retry.
            ValueError: A path placeholder has no value, or several bodies given.
        """
        call = self._prepare(
            method,
            path,
            path_params=path_params,
            query=query,
            headers=headers,
            json=json,
            content=content,
            form=form,
            multipart=multipart,
            auth=auth,
            timeout=timeout,
            follow_redirects=follow_redirects,
        )
        response = await self._send(call, stream=False)
        if not response.is_success:
            raise error_for_response(response)
        return response

    async def stream(
        self,
        method: str,
        path: str,
        *,
        path_params: Mapping[str, str | int] | None = None,
        query: Sequence[tuple[str, QueryValue]] | None = None,
        headers: HeaderValues | None = None,
        json: Any = UNSET,
        content: AsyncFileContent | None = None,
        form: Sequence[tuple[str, str | None]] | None = None,
        multipart: Sequence[FormField] | None = None,
        auth: str | None = None,
        timeout: float | httpx.Timeout | Unset | None = UNSET,
        follow_redirects: bool | None = None,
        chunk_size: int = 65536,
    ) -> AsyncGenerator[bytes, None]:
        """Send a request and yield the 2xx response body in chunks.

        An async generator: the request is sent when iteration starts and the
        connection is closed when it ends or is closed. Raises like ``request``.
        """
        call = self._prepare(
            method,
            path,
            path_params=path_params,
            query=query,
            headers=headers,
            json=json,
            content=content,
            form=form,
            multipart=multipart,
            auth=auth,
            timeout=timeout,
            follow_redirects=follow_redirects,
        )
        response = await self._send(call, stream=True)
        try:
            if not response.is_success:
                await _aread_error_body(response)
                raise error_for_response(response)
            async for chunk in _aiter_chunks(response, chunk_size):
                yield chunk
        finally:
            await response.aclose()

    async def aclose(self) -> None:
        """Close the httpx client unless it was passed in by the caller."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self: _AsyncSelf) -> _AsyncSelf:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def _send(self, call: _Call, *, stream: bool) -> httpx.Response:
        attempt = 0
        while True:
            request = self._build(call, _async_body(call.body))
            for request_hook in self.request_hooks:
                await _maybe_await(request_hook(request))
            try:
                response = await self._http.send(
                    request,
                    stream=stream,
                    auth=self._flow(call),
                    follow_redirects=_redirects(call),
                )
            except httpx.RequestError as exc:
                delay = self._error_delay(call, attempt, exc)
                if delay is None:
                    raise _connection_error(exc, request) from exc
            else:
                self._record(response)
                try:
                    for response_hook in self.response_hooks:
                        await _maybe_await(response_hook(response))
                except BaseException:
                    await response.aclose()
                    raise
                delay = self._retry_delay(call, attempt, response)
                if delay is None:
                    return response
                await response.aclose()
            await self._sleep(delay)
            attempt += 1


def _subclass_of(candidate: object, base: type[Any]) -> bool:
    return isinstance(candidate, type) and issubclass(candidate, base)


def _no_awaitable(result: object, hook: Callable[..., Any]) -> None:
    """A sync client cannot await: an ``async`` hook is a usage error."""
    if inspect.isawaitable(result):
        if inspect.iscoroutine(result):
            result.close()  # never awaited: close it to avoid a warning
        raise TypeError(
            f"{getattr(hook, '__qualname__', hook)!r} is async: a sync client"
            " takes plain callables as hooks (use the async client)"
        )


async def _maybe_await(result: object) -> None:
    if inspect.isawaitable(result):
        await result


def _with_query(url: str, query: Sequence[tuple[str, QueryValue]] | None) -> str:
    """Append query pairs in order, duplicates kept, ``None`` values left out."""
    # Encoded here rather than via httpx params, which would group duplicate names;
    # as Postman encodes: ``: , [ ] / ? @ $ + ;`` are sent as written.
    encoded = []
    for name, value in query or ():
        if value is None:
            continue
        key = _quote_key(name)
        if value.__class__ is int:  # digits and "-": nothing to encode
            encoded.append(f"{key}={value}")
            continue
        text = _query_text(value)
        encoded.append(
            key if text is None else key + "=" + _quote_query(text, _VALUE_SAFE)
        )
    if not encoded:
        return url
    return url + ("&" if "?" in url else "?") + "&".join(encoded)


_VALUE_SAFE = "!$()*+,/:;=?@[]~%"
_KEY_SAFE = "!$()*+,/:;?@[]~%"
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
# Text that ``_quote_query`` returns as it is, whichever of the two safe sets
# (unreserved characters and the sub-delimiters both keep, no "%" and no "=").
_AS_IS = re.compile(r"[A-Za-z0-9_.~!$()*+,/:;?@\[\]-]*")
_KEYS: dict[str, str] = {}


def _quote_key(name: str) -> str:
    """``_quote_query(name, _KEY_SAFE)``, kept: query names are few per client."""
    quoted = _KEYS.get(name)
    if quoted is None:
        quoted = _quote_query(name, _KEY_SAFE)
        if len(_KEYS) < 4 * _CACHE_SIZE:
            _KEYS[name] = quoted
    return quoted


def _quote_query(text: str, safe: str) -> str:
    """Percent-encode a query key or value; ``%XX`` already there is kept as it is
    (collections often write values already encoded), a lone ``%`` is encoded."""
    if _AS_IS.fullmatch(text):
        return text
    return urllib.parse.quote(_LONE_PERCENT.sub("%25", text), safe=safe)


def _query_text(value: str | int | float | bool | Flag) -> str | None:
    """The text of a query value; None for ``FLAG`` (the key goes alone)."""
    if isinstance(value, Flag):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return expand_dynamic(value) if isinstance(value, str) else str(value)


# (base URL, text before the first placeholder, (name, encoded setting or None,
# text after it) per placeholder, the path template as written).
_PathPlan: TypeAlias = tuple[str, str, tuple[tuple[str, str | None, str], ...], str]
_SEGMENT_AS_IS = re.compile(r"[A-Za-z0-9_.~-]*")


def _quote_segment(value: object) -> str:
    """A path value encoded as one segment: ``quote(str(value), safe="")``."""
    text = str(value)
    if _SEGMENT_AS_IS.fullmatch(text):
        return text
    return urllib.parse.quote(text, safe="")


def _static_headers(headers: Mapping[str, str]) -> httpx.Headers | None:
    """The client's headers made once, unless one holds a dynamic variable (then
    they are made per call, as they are when httpx refuses them: errors then
    come from the call, as ever)."""
    try:
        if any("{{" in value for value in headers.values()):
            return None
        return httpx.Headers(headers)
    except Exception:
        return None


def _merge_headers(
    defaults: Mapping[str, str] | httpx.Headers,
    body_headers: Mapping[str, str],
    overrides: HeaderValues | None,
) -> tuple[httpx.Headers, frozenset[str]]:
    """Merge header layers; return them and the names a ``None`` value removed.

    ``defaults`` are the client's headers: a mapping (dynamic variables expanded
    here), or the ``httpx.Headers`` made of them once (copied here)."""
    if isinstance(defaults, httpx.Headers):
        merged = httpx.Headers(defaults)
    else:
        merged = httpx.Headers({k: expand_dynamic(v) for k, v in defaults.items()})
    if body_headers:
        merged.update(body_headers)
    if not overrides:
        return merged, _NOTHING_REMOVED
    removed: set[str] = set()
    for name, value in overrides.items():
        if value is None:
            merged.pop(name, None)
            removed.add(name.lower())
        else:
            merged[name] = expand_dynamic(value)
            removed.discard(name.lower())
    return merged, frozenset(removed) if removed else _NOTHING_REMOVED


def _encode_body(
    json: Any,
    content: Any,
    form: Sequence[tuple[str, str | None]] | None,
    multipart: Sequence[FormField] | None,
    variables: BodyVariables | None = None,
) -> tuple[_Body, Mapping[str, str]]:
    """The body to send and the headers it implies, each ``{{name}}`` in its text
    filled: the client's ``variables``, then dynamic variables."""
    if variables is None:
        expand = expand_dynamic
    else:

        def expand(text: str) -> str:
            return expand_dynamic(variables.text(text))

    given = (json is not UNSET, content is not None, form is not None)
    if sum(given) + (multipart is not None) > 1:
        raise ValueError("pass at most one of json, content, form and multipart")
    if multipart is not None and all(f.empty for f in multipart):
        return None, _NO_HEADERS  # Postman sends no body (and no Content-Type) then
    if multipart is not None:
        # Fields that send nothing are left out, as Postman leaves them out.
        parts = MultipartBody(
            [
                replace(f, text=expand(f.text)) if f.text else f
                for f in multipart
                if not f.empty
            ]
        )
        return parts, parts.headers()
    if json is not UNSET:
        data = to_jsonable(json)
        text = _JSON.encode(data)
        if "{{" in text:  # maybe a variable: only then walk the value again
            filled = data if variables is None else variables.json(data)
            text = _JSON.encode(expand_dynamic_json(filled))
        return text.encode(), _JSON_HEADERS
    if form is not None:
        # A None value leaves the field out (a disabled or unset form field).
        pairs = [(name, expand(v)) for name, v in form if v is not None]
        encoded = urllib.parse.urlencode(pairs).encode()
        return encoded, _FORM_HEADERS
    if content is not None:
        source = BodySource(expand(content) if isinstance(content, str) else content)
        length = {} if source.length is None else {"Content-Length": str(source.length)}
        return source, length
    return None, _NO_HEADERS


def _redirects(call: _Call) -> Any:  # bool or httpx.USE_CLIENT_DEFAULT
    """The request's own redirect setting, else the httpx client's."""
    if call.follow_redirects is None:
        return httpx.USE_CLIENT_DEFAULT
    return call.follow_redirects


def _sync_body(body: _Body) -> bytes | Iterator[bytes] | None:
    return body.sync() if isinstance(body, BodySource | MultipartBody) else body


def _async_body(body: _Body) -> bytes | AsyncIterator[bytes] | None:
    return body.async_() if isinstance(body, BodySource | MultipartBody) else body


def _connection_error(
    exc: httpx.RequestError, request: httpx.Request
) -> ApiConnectionError:
    kind = (
        ApiTimeoutError
        if isinstance(exc, httpx.TimeoutException)
        else ApiConnectionError
    )
    # The query string is left out of the message because it may carry an API key.
    where = f"{request.method} {request.url.copy_with(query=None)}"
    reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return kind(f"{where}: {reason}", method=request.method, url=str(request.url))


def _read_error_body(response: httpx.Response) -> None:
    # A failure while reading an error body must not hide the status: the error
    # is then raised with whatever body was received.
    with suppress(httpx.RequestError):
        response.read()


async def _aread_error_body(response: httpx.Response) -> None:
    with suppress(httpx.RequestError):
        await response.aread()


def _iter_chunks(response: httpx.Response, chunk_size: int) -> Iterator[bytes]:
    try:
        yield from response.iter_bytes(chunk_size)
    except httpx.RequestError as exc:
        raise _connection_error(exc, response.request) from exc


async def _aiter_chunks(
    response: httpx.Response, chunk_size: int
) -> AsyncIterator[bytes]:
    try:
        async for chunk in response.aiter_bytes(chunk_size):
            yield chunk
    except httpx.RequestError as exc:
        raise _connection_error(exc, response.request) from exc
