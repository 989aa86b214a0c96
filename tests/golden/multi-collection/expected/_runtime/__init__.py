"""Runtime support copied verbatim into every generated client as ``_runtime``.

Generated clients, resources and models only use the names exported here.
"""

from ._auth import (
    ApiKeyAuth,
    Authenticator,
    AuthScheme,
    BasicAuth,
    BearerAuth,
    TokenSource,
)
from ._auth_flow import DigestAuth, OAuth2Auth
from ._auth_sign import AwsSigV4Auth, HawkAuth, OAuth1Auth
from ._client import DEFAULT_TIMEOUT, AsyncClient, Captured, SyncClient
from ._errors import (
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
from ._files import async_content, sync_content
from ._models import Model, decode, make, to_jsonable
from ._multipart import (
    FormField,
    FormFile,
    FormFiles,
    MultipartBody,
    Upload,
    file_field,
    text_field,
)
from ._resource import AsyncResource, SyncResource, decode_auto
from ._retry import RetryPolicy
from ._types import (
    UNSET,
    AsyncFileContent,
    FileContent,
    HeaderValues,
    QueryValue,
    Unset,
)

__all__ = [
    "DEFAULT_TIMEOUT",
    "UNSET",
    "ApiConnectionError",
    "ApiError",
    "ApiKeyAuth",
    "ApiTimeoutError",
    "AsyncClient",
    "AsyncFileContent",
    "AsyncResource",
    "AuthScheme",
    "AuthenticationError",
    "Authenticator",
    "AwsSigV4Auth",
    "BadRequestError",
    "BasicAuth",
    "BearerAuth",
    "Captured",
    "ClientError",
    "ConflictError",
    "DigestAuth",
    "ErrorDetail",
    "FileContent",
    "FormField",
    "FormFile",
    "FormFiles",
    "HawkAuth",
    "HeaderValues",
    "Model",
    "MultipartBody",
    "NotFoundError",
    "OAuth1Auth",
    "OAuth2Auth",
    "PermissionDeniedError",
    "QueryValue",
    "RateLimitError",
    "ResponseValidationError",
    "RetryPolicy",
    "ServerError",
    "SyncClient",
    "SyncResource",
    "TokenSource",
    "Unset",
    "Upload",
    "async_content",
    "decode",
    "decode_auto",
    "error_for_response",
    "file_field",
    "make",
    "sync_content",
    "text_field",
    "to_jsonable",
]
