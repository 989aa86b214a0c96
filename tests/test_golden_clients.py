"""Behaviour of the golden clients (the ``expected/`` trees) through their public
API, offline: the features the Salesforce collection lacks (auth kinds and
inheritance, path/query/header/form parameters, v2.0 input, odd names)."""

from __future__ import annotations

import asyncio
import importlib
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
from conftest import PackageUnderTest


@pytest.fixture(scope="session")
def load(
    packages: dict[str, PackageUnderTest],
) -> Iterator[Callable[[str], ModuleType]]:
    """Import a golden package by case name (from the session copies)."""
    parent = str(next(iter(packages.values())).path.parent)
    sys.path.append(parent)

    def load_case(case: str) -> ModuleType:
        return importlib.import_module(packages[case].name)

    yield load_case
    sys.path.remove(parent)


class Recorder:
    def __init__(self, response: httpx.Response | None = None) -> None:
        self.response = response or httpx.Response(
            200, json={}, headers={"Content-Type": "application/json"}
        )
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.response

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]


WIDGET = {"id": "w-1", "name": "Sprocket", "price": 9.5, "tags": ["metal"]}
NOTE = {
    "id": 3,
    "title": "Shopping",
    "createdAt": "2024-03-04T05:06:07Z",
    "tags": [],
    "author": {"name": "Ann", "email": "ann@example.org", "id": 7},
}


def _http(recorder: Recorder) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(recorder))


# --- auth-and-params ---------------------------------------------------------------


@pytest.fixture
def auth_client(
    load: Callable[[str], ModuleType],
) -> Iterator[tuple[Any, Recorder]]:
    package = load("auth-and-params")
    recorder = Recorder()
    client = package.Client(
        username="ann",
        password="s3cret",
        api_key="key-123",
        http_client=_http(recorder),
    )
    yield client, recorder
    client.close()


def test_folder_api_key_goes_in_a_header(auth_client: tuple[Any, Recorder]) -> None:
    client, recorder = auth_client
    recorder.response = httpx.Response(200, json=WIDGET)
    widget = client.widgets.get_widget("w 1/2")
    assert type(widget).__name__ == "WidgetDetails" and widget.tags == ["metal"]
    request = recorder.last
    assert request.headers["X-API-Key"] == "key-123"
    assert "Authorization" not in request.headers
    assert request.url.raw_path.startswith(b"/widgets/w%201%2F2?")


def test_collection_basic_auth_is_inherited(auth_client: tuple[Any, Recorder]) -> None:
    client, recorder = auth_client
    client.accounts.get_account("A-42")
    request = recorder.last
    assert request.url.path == "/accounts/A-42"
    assert (
        request.headers["Authorization"]
        == httpx.BasicAuth("ann", "s3cret")._auth_header
    )
    assert "X-API-Key" not in request.headers


def test_enabled_and_disabled_query_params_and_headers(
    auth_client: tuple[Any, Recorder],
) -> None:
    client, recorder = auth_client
    recorder.response = httpx.Response(200, json=WIDGET)
    client.widgets.get_widget("w-1")
    assert recorder.last.url.params.multi_items() == [("expand", "parts")]
    assert recorder.last.headers["Accept"] == "application/json"
    assert "X-Trace" not in recorder.last.headers  # disabled: left out by default
    client.widgets.get_widget("w-1", expand="all", debug=1, x_trace="on")
    assert recorder.last.url.params.multi_items() == [("expand", "all"), ("debug", "1")]
    assert recorder.last.headers["X-Trace"] == "on"


def test_path_variable_descriptions_become_docs(
    load: Callable[[str], ModuleType],
) -> None:
    widgets = importlib.import_module(
        load("auth-and-params").__name__ + ".resources.widgets"
    )
    doc = widgets.Widgets.get_widget.__doc__
    assert "id: The widget identifier." in doc
    assert "expand: Related objects to include." in doc


def test_secret_variables_in_bodies_are_filled_when_sent(
    load: Callable[[str], ModuleType], auth_client: tuple[Any, Recorder]
) -> None:
    """A secret ``{{variable}}`` in a text body or a form value is not copied into
    the code: the client fills it from its constructor argument when it sends."""
    client, recorder = auth_client
    client.accounts.rotate_password()
    body = recorder.last.content.decode()
    assert "<old>s3cret</old>" in body  # the basic credential's value
    assert "<sig>{{signingSecret}}</sig>" in body  # no value given: as written
    assert "<x>{{unknown}}</x>" in body and "{{$guid}}" not in body
    client.accounts.revoke_key()
    form = parse_qsl(recorder.last.content.decode())
    assert form == [("key", "key-123"), ("note", "by {{signingSecret}}")]
    package = load("auth-and-params")
    source = Path(package.__file__).parent / "resources" / "accounts.py"
    assert "{{signingSecret}}" in source.read_text(encoding="utf-8")
    with package.Client(
        username="ann",
        password="s3cret",
        api_key="key-123",
        signing_secret=lambda: "sig-1",
        http_client=_http(recorder),
    ) as signed:
        signed.accounts.revoke_key()
    assert parse_qsl(recorder.last.content.decode())[1] == ("note", "by sig-1")


def test_urlencoded_body(auth_client: tuple[Any, Recorder]) -> None:
    client, recorder = auth_client
    client.widgets.update_widget("w-1", color="blue")
    request = recorder.last
    assert request.method == "POST"
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert request.headers["X-Request-Source"] == "postman"
    form = httpx.QueryParams(request.content.decode())
    assert form.get("name") == "Sprocket" and form.get("color") == "blue"


def test_disabled_form_field_is_left_out(auth_client: tuple[Any, Recorder]) -> None:
    client, recorder = auth_client
    client.widgets.update_widget("w-1")
    assert "legacy" not in recorder.last.content.decode()


def test_request_level_api_key_goes_in_the_query(
    auth_client: tuple[Any, Recorder],
) -> None:
    client, recorder = auth_client
    client.widgets.search_widgets()
    request = recorder.last
    assert request.url.params.get("api_key") == "key-123"
    assert "X-API-Key" not in request.headers


def test_top_level_request(auth_client: tuple[Any, Recorder]) -> None:
    client, recorder = auth_client
    client.ping()
    assert recorder.last.url.path == "/ping"


def test_noauth_request_sends_no_credentials(
    load: Callable[[str], ModuleType],
) -> None:
    root = importlib.import_module(
        load("auth-and-params").__name__ + ".resources._root"
    )
    calls: list[dict[str, Any]] = []

    class FakeClient:
        def request(self, *args: Any, **kwargs: Any) -> httpx.Response:
            calls.append(kwargs)
            return httpx.Response(200, json={})

    root.Root(FakeClient()).ping()
    assert calls and calls[0].get("auth") is None


def test_model_name_override_from_config(load: Callable[[str], ModuleType]) -> None:
    package = load("auth-and-params")
    assert package.WidgetDetails.__name__ == "WidgetDetails"
    widget = package.WidgetDetails.from_dict(
        {"id": "w-1", "name": "S", "price": 9, "tags": ["a"], "x": 1}
    )
    assert widget.price == 9.0 and widget.additional_properties == {"x": 1}


# --- v20-format --------------------------------------------------------------------


@pytest.fixture
def notes_client(
    load: Callable[[str], ModuleType],
) -> Iterator[tuple[Any, Any, Recorder]]:
    package = load("v20-format")
    recorder = Recorder()
    client = package.Client(token="tok", http_client=_http(recorder))
    yield package, client, recorder
    client.close()


def test_v20_bearer_auth_and_string_url(
    notes_client: tuple[Any, Any, Recorder],
) -> None:
    _package, client, recorder = notes_client
    recorder.response = httpx.Response(
        200,
        json=[
            {
                "id": 1,
                "title": "First",
                "createdAt": "2024-01-02T03:04:05Z",
                "tags": [],
                "author": {"name": "Ann", "email": None, "id": 7},
            }
        ],
    )
    notes = client.notes.list_notes()
    request = recorder.last
    assert str(request.url) == "https://notes.example.org/api/notes?limit=20"
    assert request.headers["Authorization"] == "Bearer tok"
    assert [type(n).__name__ for n in notes] == ["Note"]
    assert notes[0].author.name == "Ann" and notes[0].author.email is None
    assert notes[0].created_at.year == 2024


def test_v20_nested_json_body_defaults(notes_client: tuple[Any, Any, Recorder]) -> None:
    _package, client, recorder = notes_client
    recorder.response = httpx.Response(201, json=NOTE)
    assert client.notes.create_note().id == 3
    assert json.loads(recorder.last.content) == {
        "title": "Shopping",
        "meta": {"pinned": True, "color": "yellow", "priority": 2},
        "items": ["milk", "eggs"],
        "checklist": [{"text": "milk", "done": False}],
    }
    client.notes.create_note(title="Other", items=["bread"])
    sent = json.loads(recorder.last.content)
    assert sent["title"] == "Other" and sent["items"] == ["bread"]


def test_v20_raw_text_body(notes_client: tuple[Any, Any, Recorder]) -> None:
    _package, client, recorder = notes_client
    client.notes.append_text("n1")
    assert recorder.last.method == "PUT"
    assert recorder.last.url.path == "/api/notes/n1/text"
    assert recorder.last.headers["Content-Type"] == "text/plain"
    assert recorder.last.content == b"Remember the milk.\nAnd the eggs."
    client.notes.append_text("n1", body="Ünïcode ☃")
    assert recorder.last.content == "Ünïcode ☃".encode()


def test_v20_not_found_example(notes_client: tuple[Any, Any, Recorder]) -> None:
    package, client, recorder = notes_client
    recorder.response = httpx.Response(
        404, json={"code": "NOT_FOUND", "message": "No note with id 999"}
    )
    with pytest.raises(package.NotFoundError) as raised:
        client.notes.get_note("999")
    assert raised.value.errors[0].error_code == "NOT_FOUND"
    assert raised.value.errors[0].message == "No note with id 999"


# --- naming-edge-cases -------------------------------------------------------------


def test_odd_names_map_to_the_right_requests(load: Callable[[str], ModuleType]) -> None:
    package = load("naming-edge-cases")
    recorder = Recorder()
    client = package.Client(http_client=_http(recorder))
    calls = {
        "/close/class": lambda: client.close_.class_(),
        "/close/import": lambda: client.close_.import_(),
        "/go/123": lambda: client.odd_names.call_123_go(),
        "/quotes": lambda: client.odd_names.say_hello_and_bye(),
        "/lines": lambda: client.odd_names.two_lines_name(),
        "/unicode": lambda: client.odd_names.unicode(),
        "/items/first": lambda: client.odd_names.get_item(),
        "/items/second": lambda: client.odd_names.get_item_2(),
    }
    for path, call in calls.items():
        call()
        assert recorder.last.url.path == path
    assert recorder.requests[1].method == "DELETE"
    client.close()  # the client's own close() is not shadowed by the folder


def test_close_folder_does_not_shadow_async_close(
    load: Callable[[str], ModuleType],
) -> None:
    package = load("naming-edge-cases")

    async def run() -> str:
        async def handler(request: httpx.Request) -> httpx.Response:
            return httpx.Response(200, json={"ok": True})

        http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        async with package.AsyncClient(http_client=http) as client:
            await client.close_.class_()
            await client.aclose()
            return "done"

    assert asyncio.run(run()) == "done"


def test_unicode_docs_survive(load: Callable[[str], ModuleType]) -> None:
    package = load("naming-edge-cases")
    module = importlib.import_module(package.__name__ + ".resources.odd_names")
    assert "Ünïcode ☃" in module.OddNames.unicode.__doc__
    assert "Quotes: \" ' ''' \"\"\" end" in module.OddNames.say_hello_and_bye.__doc__
    close = importlib.import_module(package.__name__ + ".resources.close")
    assert 'Ends with """ and \\ backslashes \\n' in close.Close.class_.__doc__
    assert Path(close.__file__).read_text(encoding="utf-8").count("def class_(") == 2


# --- body-modes ----------------------------------------------------------------------


def _parts(request: httpx.Request) -> list[tuple[str, str | None, str | None, bytes]]:
    """(name, file name, part Content-Type, payload) of each multipart part."""
    import email.parser
    import email.policy

    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    parser = email.parser.BytesParser(policy=email.policy.HTTP)
    message = parser.parsebytes(head + request.read())
    out = []
    for part in message.iter_parts():
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        name = str(part.get_param("name", header="content-disposition"))
        out.append((name, part.get_filename(), part.get("content-type"), payload))
    return out


@pytest.fixture
def body_client(load: Callable[[str], ModuleType]) -> Iterator[tuple[Any, Recorder]]:
    package = load("body-modes")
    recorder = Recorder()
    client = package.Client(http_client=_http(recorder))
    yield client, recorder
    client.close()


def test_multipart_fields_in_collection_order(
    body_client: tuple[Any, Recorder], tmp_path: Path
) -> None:
    client, recorder = body_client
    scan = tmp_path / "scan.png"
    scan.write_bytes(b"\x89PNG")
    client.upload_documents(attachment=[b"%PDF-1.7", scan])
    request = recorder.last
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert _parts(request) == [
        ("folder_id", None, None, b"0"),
        ("metadata", None, "application/json", b'{"type":"invoice"}'),
        # bytes take the collection's file name; a path keeps its own name
        ("attachment", "first.pdf", "application/pdf", b"%PDF-1.7"),
        ("attachment", "scan.png", "image/png", b"\x89PNG"),
        # "thumbnail" (no file) and "note" (disabled) are left out, as Postman does
        ("empty", None, None, b""),
    ]


def test_multipart_declared_file_type_and_upload_names(
    body_client: tuple[Any, Recorder],
) -> None:
    client, recorder = body_client
    upload = client.upload_one_file  # bound method: the path parameter comes first
    upload("f-1", file=b"a,b\n")
    assert recorder.last.url.path == "/files/f-1/content"
    assert _parts(recorder.last) == [("file", "report.csv", "text/csv", b"a,b\n")]
    package = sys.modules[type(client).__module__.split(".")[0]]
    upload("f-1", file=package._runtime.Upload(b"x", "mine.txt", "text/x-mine"))
    assert _parts(recorder.last) == [("file", "mine.txt", "text/x-mine", b"x")]


def test_graphql_body_sends_collection_variables(
    body_client: tuple[Any, Recorder],
) -> None:
    client, recorder = body_client
    client.query_graph()
    assert json.loads(recorder.last.content) == {
        "query": "query ($id: ID!) { node(id: $id) { id } }",
        "variables": {"id": "1"},
    }
    client.query_graph(variables={"id": "2"})
    assert json.loads(recorder.last.content)["variables"] == {"id": "2"}


def test_raw_bodies_keep_their_content_type(body_client: tuple[Any, Recorder]) -> None:
    client, recorder = body_client
    client.send_xml()
    assert recorder.last.headers["content-type"] == "text/xml"
    assert recorder.last.content == b'<Envelope><Body kind="invoice"/></Envelope>'
    client.send_csv()
    assert recorder.last.headers["content-type"] == "text/csv"
    client.send_text()
    assert recorder.last.content == b"hello"
    client.empty_body()
    assert recorder.last.method == "DELETE" and recorder.last.content == b""


# --- auth-types (and auth-types-v20: the same blocks in the v2.0 shape) -------------

AUTH_CREDENTIALS = {
    "client_id": "app",
    "client_secret": "app-secret",
    "access_token": "given-token",
    "owner_name": "olga",
    "owner_password": "olga-pw",
    "digest_user": "dave",
    "digest_password": "dave-pw",
    "consumer_key": "ck",
    "consumer_secret": "cs",
    "oauth_token": "ot",
    "oauth_token_secret": "ots",
    "hawk_id": "dh37fgj492je",
    "hawk_key": "werxhqb98rpaxn39848xrunpaw3489ruxnpa98w4rxn",
    "aws_access_key": "AKIDEXAMPLE",
    "aws_secret_key": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    "aws_session_token": "session-1",
    "api_key": "key-1",
}


class AuthServer:
    """A token endpoint, a digest-protected path, and an echo of everything else."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.tokens: list[dict[str, str]] = []
        self.sent: list[str | None] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if str(request.url) == "https://auth.example.com/oauth/token":
            form = dict(httpx.QueryParams(request.content.decode()))
            self.tokens.append(form)
            return httpx.Response(
                200, json={"access_token": f"fetched-{len(self.tokens)}"}
            )
        self.requests.append(request)
        self.sent.append(request.headers.get("Authorization"))
        if request.url.path == "/digest/resource" and not request.headers.get(
            "Authorization", ""
        ).startswith("Digest "):
            challenge = 'Digest realm="r", nonce="n1", qop="auth", algorithm=MD5'
            return httpx.Response(401, headers={"WWW-Authenticate": challenge})
        return httpx.Response(200, json={})


class NtlmStandIn(httpx.Auth):
    def auth_flow(self, request: httpx.Request) -> Any:
        request.headers["Authorization"] = "NTLM stand-in"
        yield request


@pytest.fixture(params=["auth-types", "auth-types-v20"])
def auth_types(
    request: pytest.FixtureRequest, load: Callable[[str], ModuleType]
) -> Iterator[tuple[Any, AuthServer]]:
    package = load(request.param)
    server = AuthServer()
    client = package.Client(
        **AUTH_CREDENTIALS,
        ntlm_auth=NtlmStandIn(),
        edgegrid_auth=NtlmStandIn(),
        http_client=httpx.Client(transport=httpx.MockTransport(server)),
    )
    yield client, server
    client.close()


def test_collection_oauth2_grant_is_fetched_once_and_cached(
    auth_types: tuple[Any, AuthServer],
) -> None:
    client, server = auth_types
    client.whoami()
    client.whoami()
    assert server.tokens == [
        {
            "grant_type": "client_credentials",
            "scope": "read write",
            "client_id": "app",
            "client_secret": "app-secret",
        }
    ]
    assert server.sent == ["Bearer fetched-1", "Bearer fetched-1"]
    client.password_grant()  # its own scheme, its own token
    assert server.tokens[1] == {
        "grant_type": "password",
        "username": "olga",
        "password": "olga-pw",
    }
    assert server.sent[-1] == "Bearer fetched-2"


def test_request_level_oauth2_token_prefix_and_query(
    auth_types: tuple[Any, AuthServer],
) -> None:
    client, server = auth_types
    client.static_token()
    assert server.sent[-1] == "Token given-token"
    client.token_in_query()
    assert server.requests[-1].url.params.multi_items() == [
        ("page", "1"),
        ("access_token", "given-token"),
    ]
    assert server.tokens == []


def test_folder_digest_answers_the_challenge_and_noauth_request(
    auth_types: tuple[Any, AuthServer],
) -> None:
    client, server = auth_types
    client.digest.get_digest()
    assert server.sent[0] is None
    assert server.sent[1] is not None and server.sent[1].startswith(
        'Digest username="dave", realm="r", nonce="n1", uri="/digest/resource"'
    )
    client.digest.public()
    assert server.sent[-1] is None


def test_oauth1_header_and_form_body_placement(
    auth_types: tuple[Any, AuthServer],
) -> None:
    client, server = auth_types
    client.o_auth1.list_statuses()
    header = server.requests[-1].headers["Authorization"]
    assert header.startswith('OAuth realm="Example",oauth_consumer_key="ck"')
    assert 'oauth_token="ot"' in header and "oauth_signature=" in header
    client.o_auth1.update_status()
    request = server.requests[-1]
    assert "Authorization" not in request.headers
    form = dict(httpx.QueryParams(request.content.decode()))
    assert form["status"] == "Hello Ladies + Gentlemen"
    assert form["oauth_signature_method"] == "HMAC-SHA256"
    assert "oauth_token" not in form


def test_hawk_header_with_payload_hash(auth_types: tuple[Any, AuthServer]) -> None:
    client, server = auth_types
    client.hawk.send_note()
    header = server.requests[-1].headers["Authorization"]
    assert header.startswith('Hawk id="dh37fgj492je", ts="')
    # The Hawk spec's payload hash of this body and content type.
    assert 'hash="Yi9LfIIFRtBEPt74PVmbTF/xVAwPn7ub15ePICfgnuY="' in header
    assert 'ext="some-app-ext-data"' in header


def test_aws_sigv4_region_service_and_session_token(
    auth_types: tuple[Any, AuthServer],
) -> None:
    client, server = auth_types
    client.aws.list_items()
    request = server.requests[-1]
    assert request.headers["X-Amz-Security-Token"] == "session-1"
    assert request.headers["Authorization"].startswith(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"
    )
    assert "/eu-west-1/execute-api/aws4_request" in request.headers["Authorization"]


def test_api_key_in_query_and_external_auth(
    auth_types: tuple[Any, AuthServer],
) -> None:
    client, server = auth_types
    client.keys.search()
    assert server.requests[-1].url.params.multi_items() == [
        ("q", "widgets"),
        ("api_key", "key-1"),
    ]
    client.legacy.intranet_report()
    client.legacy.akamai_purge()
    assert server.sent[-2:] == ["NTLM stand-in", "NTLM stand-in"]


def test_auth_types_async_fetches_the_token(
    load: Callable[[str], ModuleType],
) -> None:
    package = load("auth-types")
    server = AuthServer()

    async def run() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(server))
        async with package.AsyncClient(
            **AUTH_CREDENTIALS,
            ntlm_auth=NtlmStandIn(),
            edgegrid_auth=NtlmStandIn(),
            http_client=http,
        ) as client:
            await client.whoami()
            await client.digest.get_digest()
            await client.whoami()

    asyncio.run(run())
    assert len(server.tokens) == 1
    assert server.sent[0] == "Bearer fetched-1" and server.sent[-1] == server.sent[0]
    assert server.sent[2] is not None and server.sent[2].startswith("Digest ")


def test_protocol_profile_behaviour(body_client: tuple[Any, Recorder]) -> None:
    client, recorder = body_client
    client.search_with_body()
    assert recorder.last.method == "GET"
    assert json.loads(recorder.last.content) == {"q": "pens"}  # disableBodyPruning
    client.get_pruned()
    assert recorder.last.content == b""  # Postman prunes a GET body by default
    recorder.response = httpx.Response(302, headers={"Location": "/new"})
    package = sys.modules[type(client).__module__.split(".")[0]]
    following = httpx.Client(
        transport=httpx.MockTransport(recorder), follow_redirects=True
    )
    with (
        package.Client(http_client=following) as redirecting,
        pytest.raises(Exception, match="302"),
    ):
        redirecting.old_location()  # followRedirects: false — 302 not followed
    assert [r.url.path for r in recorder.requests[-1:]] == ["/old"]


def test_disabled_system_headers_are_left_out(
    body_client: tuple[Any, Recorder],
) -> None:
    """``disabledSystemHeaders``: Postman sends neither its Content-Type for the
    form nor its User-Agent; a Content-Type the request sets itself is kept."""
    client, recorder = body_client
    client.revoke_token()
    sent = recorder.last
    assert sent.content == b"token=t-1"
    assert "content-type" not in sent.headers
    assert "user-agent" not in sent.headers
    assert sent.headers["accept"] == "*/*"  # false: still sent
    assert "host" in sent.headers  # HTTP needs it (a diagnostic says so)
    client.revoke_typed()
    assert recorder.last.headers["content-type"] == "text/plain"
    assert "user-agent" in recorder.last.headers
