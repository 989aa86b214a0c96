"""Error classes, error-body parsing and ``str()`` of API errors."""

from __future__ import annotations

import json

import httpx
import pytest

from generator.runtime import (
    ApiConnectionError,
    ApiError,
    ApiTimeoutError,
    AuthenticationError,
    BadRequestError,
    ClientError,
    ConflictError,
    ErrorDetail,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseValidationError,
    ServerError,
    error_for_response,
)

JOB_URL = "https://example.my.salesforce.com/services/data/v62.0/jobs/query/750R0000000zlh9IAA"


def response(
    status: int,
    body: bytes | str | object = b"",
    *,
    method: str = "GET",
    url: str = JOB_URL,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    if isinstance(body, str):
        content = body.encode()
    elif isinstance(body, bytes):
        content = body
    else:
        content = json.dumps(body).encode()
    return httpx.Response(
        status,
        content=content,
        headers=headers,
        request=httpx.Request(method, url),
    )


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (429, RateLimitError),
        (500, ServerError),
        (502, ServerError),
        (503, ServerError),
        (599, ServerError),
        (405, ApiError),
        (418, ApiError),
        (302, ApiError),
    ],
)
def test_error_for_response_picks_class_by_status(status: int, cls: type) -> None:
    err = error_for_response(response(status))
    assert type(err) is cls
    assert isinstance(err, ApiError)
    assert isinstance(err, ClientError)
    assert err.status_code == status


def test_hierarchy() -> None:
    for cls in (ApiError, ApiConnectionError, ResponseValidationError):
        assert issubclass(cls, ClientError)
    assert issubclass(ApiTimeoutError, ApiConnectionError)
    assert issubclass(ClientError, Exception)
    assert not issubclass(ResponseValidationError, ApiError)


def test_str_uses_first_error_code_and_message() -> None:
    body = [
        {
            "errorCode": "INVALIDJOBSTATE",
            "message": "Aborting already Completed Job not allowed",
        },
        {"errorCode": "OTHER", "message": "ignored in str()"},
    ]
    err = error_for_response(response(409, body, method="PATCH"))
    assert str(err) == (
        f"409 Conflict: PATCH {JOB_URL}: INVALIDJOBSTATE: "
        "Aborting already Completed Job not allowed"
    )
    assert [d.error_code for d in err.errors] == ["INVALIDJOBSTATE", "OTHER"]


def test_attributes() -> None:
    resp = response(404, b'{"message": "nope"}', headers={"X-Trace": "abc"})
    err = error_for_response(resp)
    assert err.response is resp
    assert err.method == "GET"
    assert err.url == JOB_URL
    assert err.body == b'{"message": "nope"}'
    assert err.text == '{"message": "nope"}'
    assert err.headers["x-trace"] == "abc"
    assert err.errors == [ErrorDetail(message="nope")]


def test_str_falls_back_to_first_200_chars_of_body() -> None:
    body = "<html>" + "x" * 500 + "</html>"
    err = error_for_response(response(502, body))
    prefix = f"502 Bad Gateway: GET {JOB_URL}: "
    assert str(err) == prefix + body[:200]
    assert err.errors == []


def test_str_with_empty_body() -> None:
    err = error_for_response(response(500))
    assert str(err) == f"500 Internal Server Error: GET {JOB_URL}"


def test_str_leaves_out_query_string_but_url_keeps_it() -> None:
    err = error_for_response(
        response(401, url="https://api.example.com/x?api_key=s3cret")
    )
    assert "s3cret" not in str(err)
    assert str(err) == "401 Unauthorized: GET https://api.example.com/x"
    assert err.url == "https://api.example.com/x?api_key=s3cret"


def test_text_decodes_leniently() -> None:
    err = error_for_response(response(400, b"bad \xff\xfe byte"))
    assert err.text == "bad \ufffd\ufffd byte"
    assert "bad" in str(err)


def test_text_uses_declared_charset() -> None:
    resp = response(
        400,
        "café".encode("latin-1"),
        headers={"Content-Type": "text/plain; charset=latin-1"},
    )
    assert error_for_response(resp).text == "café"


def test_response_without_request() -> None:
    err = error_for_response(httpx.Response(404, content=b"missing"))
    assert err.method == ""
    assert err.url == ""
    assert str(err) == "404 Not Found: missing"


def test_unread_streaming_response_does_not_raise() -> None:
    resp = httpx.Response(
        500, stream=httpx.ByteStream(b"later"), request=httpx.Request("GET", JOB_URL)
    )
    err = error_for_response(resp)
    assert err.body == b""
    assert isinstance(err, ServerError)


def test_rate_limit_retry_after() -> None:
    err = error_for_response(response(429, headers={"Retry-After": "7"}))
    assert isinstance(err, RateLimitError)
    assert err.retry_after == 7.0
    assert error_for_response(response(429)).retry_after is None  # type: ignore[attr-defined]


# --- error body parsing -------------------------------------------------------


def details(body: object) -> list[ErrorDetail]:
    return error_for_response(response(400, body)).errors


def test_parse_salesforce_list_with_fields() -> None:
    body = [
        {
            "message": "Required fields are missing: [Name]",
            "errorCode": "REQUIRED_FIELD_MISSING",
            "fields": ["Name"],
        }
    ]
    [detail] = details(body)
    assert detail.error_code == "REQUIRED_FIELD_MISSING"
    assert detail.message == "Required fields are missing: [Name]"
    assert detail.fields == ("Name",)
    assert detail.raw == body[0]


def test_parse_list_skips_entries_without_code_or_message() -> None:
    body = [{"foo": 1}, "text", 3, {"errorCode": "ONLY_CODE"}, {"message": "only msg"}]
    assert details(body) == [
        ErrorDetail(error_code="ONLY_CODE"),
        ErrorDetail(message="only msg"),
    ]


def test_parse_single_object_error_code() -> None:
    [detail] = details(
        {"errorCode": "NOT_FOUND", "message": "The requested resource does not exist"}
    )
    assert (detail.error_code, detail.message) == (
        "NOT_FOUND",
        "The requested resource does not exist",
    )


def test_parse_oauth_style() -> None:
    [detail] = details(
        {"error": "invalid_grant", "error_description": "authentication failure"}
    )
    assert detail == ErrorDetail(
        error_code="invalid_grant", message="authentication failure"
    )


def test_parse_code_message_style_with_numeric_code() -> None:
    [detail] = details({"code": 40401, "message": "no such thing"})
    assert detail == ErrorDetail(error_code="40401", message="no such thing")


def test_parse_stripe_style() -> None:
    body = {
        "error": {
            "type": "card_error",
            "message": "Your card was declined.",
            "param": "number",
        }
    }
    [detail] = details(body)
    assert detail == ErrorDetail(
        error_code="card_error", message="Your card was declined.", fields=("number",)
    )
    [with_code] = details(
        {
            "error": {
                "code": "resource_missing",
                "type": "invalid_request_error",
                "message": "No such customer",
            }
        }
    )
    assert with_code.error_code == "resource_missing"


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"<html><body>Oops</body></html>",
        b"\xff\xfe\x00garbage",
        b"null",
        b"42",
        b'"just a string"',
        b"[]",
        b"[1, 2, 3]",
        b"{}",
        b'{"unrelated": true}',
        b'{"error": {"nothing": 1}}',
        b'{"error": null}',
        b"[" * 100_000,
    ],
)
def test_odd_bodies_parse_to_empty_list(body: bytes) -> None:
    err = error_for_response(response(400, body))
    assert err.errors == []
    assert str(err).startswith("400 Bad Request: GET ")


def test_error_detail_is_hashable_and_frozen() -> None:
    detail = ErrorDetail(error_code="X", message="m", raw={"errorCode": "X"})
    assert hash(detail) == hash(ErrorDetail(error_code="X", message="m"))
    with pytest.raises(AttributeError):
        detail.message = "changed"  # type: ignore[misc]


def test_connection_and_validation_errors_carry_context() -> None:
    err = ApiTimeoutError("GET https://x: ReadTimeout", method="GET", url="https://x")
    assert (err.method, err.url, str(err)) == (
        "GET",
        "https://x",
        "GET https://x: ReadTimeout",
    )
    verr = ResponseValidationError(
        "JobInfo: missing required key 'id'", model="JobInfo", key="id"
    )
    assert (verr.model, verr.key) == ("JobInfo", "id")
