"""``generator.spec.auth``: every Postman auth type → a scheme with arguments/options."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.errors import Diagnostic, Level
from generator.pipeline import build, render_files
from generator.spec.model import ApiSpec, AuthScheme
from generator.spec.serialize import to_data

V21 = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
V20 = "https://schema.getpostman.com/json/collection/v2.0.0/collection.json"


def block(kind: str, params: dict[str, Any], shape: str = "2.1") -> dict[str, Any]:
    """An auth block in the v2.1 (key/value list) or v2.0 (object) shape."""
    if shape == "2.0":
        return {"type": kind, kind: params}
    return {"type": kind, kind: [{"key": k, "value": v} for k, v in params.items()]}


def spec_of(
    tmp_path: Path,
    auth: dict[str, Any] | None,
    *,
    shape: str = "2.1",
    variables: dict[str, str] | None = None,
    items: list[dict[str, Any]] | None = None,
) -> tuple[ApiSpec, list[Diagnostic]]:
    collection = {
        "info": {"name": "Demo", "schema": V20 if shape == "2.0" else V21},
        "variable": [{"key": k, "value": v} for k, v in (variables or {}).items()],
        "item": items
        or [{"name": "Get", "request": {"method": "GET", "url": "https://a.test/x"}}],
    }
    if auth is not None:
        collection["auth"] = auth
    path = tmp_path / "demo.json"
    path.write_text(json.dumps(collection), encoding="utf-8")
    return build(path)


def only_scheme(spec: ApiSpec) -> AuthScheme:
    [scheme] = spec.auth
    return scheme


def roles(scheme: AuthScheme) -> dict[str, str]:
    return {c.role: c.name for c in scheme.credentials}


CASES: list[tuple[str, dict[str, Any], str, dict[str, str], dict[str, Any]]] = [
    (
        "digest",
        {"username": "{{user}}", "password": "{{pw}}", "algorithm": "MD5"},
        "digest",
        {"username": "user", "password": "pw"},
        {},
    ),
    (
        "oauth1",
        {
            "consumerKey": "{{ck}}",
            "consumerSecret": "{{cs}}",
            "token": "{{tok}}",
            "tokenSecret": "{{ts}}",
            "signatureMethod": "HMAC-SHA256",
            "version": "1.0",
            "realm": "Photos",
            "nonce": "",
            "timestamp": "",
            "addParamsToHeader": True,
            "addEmptyParamsToSign": "true",
            "includeBodyHash": False,
        },
        "oauth1",
        {
            "consumer_key": "ck",
            "consumer_secret": "cs",
            "token": "tok",
            "token_secret": "ts",
        },
        {
            "signature_method": "HMAC-SHA256",
            "realm": "Photos",
            "add_params_to_header": True,
            "add_empty_params_to_sign": True,
        },
    ),
    (
        "hawk",
        {
            "authId": "{{hawkId}}",
            "authKey": "{{hawkKey}}",
            "algorithm": "sha1",
            "user": "Steve",
            "extraData": "ext-data",
            "app": "a1",
            "delegation": "d1",
            "includePayloadHash": True,
        },
        "hawk",
        {"auth_id": "hawk_id", "auth_key": "hawk_key"},
        {
            "algorithm": "sha1",
            "user": "Steve",
            "ext": "ext-data",
            "app": "a1",
            "dlg": "d1",
            "include_payload_hash": True,
        },
    ),
    (
        "awsv4",
        {
            "accessKey": "{{ak}}",
            "secretKey": "{{sk}}",
            "sessionToken": "",
            "region": "eu-west-1",
            "service": "",
        },
        "aws_sigv4",
        {"access_key": "ak", "secret_key": "sk"},
        {"region": "eu-west-1"},
    ),
    (
        "oauth2",
        {
            "grant_type": "client_credentials",
            "accessTokenUrl": "https://auth.test/token",
            "clientId": "{{cid}}",
            "clientSecret": "{{csec}}",
            "scope": "read",
            "client_authentication": "body",
            "addTokenTo": "queryParams",
        },
        "oauth2",
        {"client_id": "cid", "client_secret": "csec"},
        {
            "token_url": "https://auth.test/token",
            "scope": "read",
            "client_authentication": "body",
            "add_token_to": "query",
        },
    ),
    (
        "oauth2",
        {"accessToken": "{{tok}}", "headerPrefix": "Token", "tokenType": "bearer"},
        "oauth2",
        {"access_token": "tok"},
        {"header_prefix": "Token"},
    ),
]


@pytest.mark.parametrize("shape", ["2.1", "2.0"])
@pytest.mark.parametrize(("kind", "params", "spec_kind", "args", "options"), CASES)
def test_each_type_in_both_shapes(
    tmp_path: Path,
    shape: str,
    kind: str,
    params: dict[str, Any],
    spec_kind: str,
    args: dict[str, str],
    options: dict[str, Any],
) -> None:
    spec, diagnostics = spec_of(tmp_path, block(kind, params, shape), shape=shape)
    scheme = only_scheme(spec)
    assert scheme.kind == spec_kind
    assert roles(scheme) == args
    assert scheme.options == options
    assert not [d for d in diagnostics if d.level is not Level.INFO]
    assert spec.root.operations[0].auth == scheme.name


def test_v20_and_v21_shapes_give_the_same_schemes(tmp_path: Path) -> None:
    for kind, params, *_ in CASES:
        v21, _ = spec_of(tmp_path, block(kind, params, "2.1"))
        v20, _ = spec_of(tmp_path, block(kind, params, "2.0"), shape="2.0")
        assert to_data(v21.auth) == to_data(v20.auth), kind


def test_literal_secrets_are_dropped_and_options_kept(tmp_path: Path) -> None:
    auth = block(
        "awsv4",
        {
            "accessKey": "AKIDLITERAL",
            "secretKey": "wJalrLITERAL",
            "region": "us-west-2",
        },
    )
    spec, diagnostics = spec_of(tmp_path, auth)
    scheme = only_scheme(spec)
    assert roles(scheme) == {"access_key": "access_key", "secret_key": "secret_key"}
    assert scheme.options == {"region": "us-west-2"}
    assert sum("not copied" in d.message for d in diagnostics) == 2
    client = render_files(spec)["client.py"]
    assert "AKIDLITERAL" not in client and "wJalrLITERAL" not in client
    assert 'region="us-west-2"' in client


def test_option_variables_are_filled_or_become_arguments(tmp_path: Path) -> None:
    auth = block(
        "oauth2",
        {
            "grant_type": "client_credentials",
            "accessTokenUrl": "{{loginHost}}/oauth/token",
            "clientId": "{{cid}}",
            "clientSecret": "{{csec}}",
            "scope": "{{scopes}}",
        },
    )
    spec, _ = spec_of(tmp_path, auth, variables={"loginHost": "https://login.test"})
    scheme = only_scheme(spec)
    assert scheme.options == {"token_url": "https://login.test/oauth/token"}
    assert roles(scheme) == {
        "client_id": "cid",
        "client_secret": "csec",
        "scope": "scopes",  # no value: an argument named after the variable
    }
    # loginHost is not made a secret by appearing in an auth block.
    assert "login_host" not in {s.name for s in spec.settings}


def test_password_grant_and_browser_grants(tmp_path: Path) -> None:
    password = block(
        "oauth2",
        {
            "grant_type": "password_credentials",
            "accessTokenUrl": "https://a.test/t",
            "clientId": "{{cid}}",
            "clientSecret": "{{cs}}",
            "username": "{{user}}",
            "password": "{{pw}}",
        },
    )
    scheme = only_scheme(spec_of(tmp_path, password)[0])
    assert scheme.options["grant_type"] == "password"
    assert roles(scheme)["username"] == "user" and roles(scheme)["password"] == "pw"
    code = block(
        "oauth2",
        {"grant_type": "authorization_code", "accessTokenUrl": "https://a.test/t"},
    )
    spec, diagnostics = spec_of(tmp_path, code)
    assert roles(only_scheme(spec)) == {"access_token": "access_token"}
    assert any("needs a browser" in d.message for d in diagnostics)


@pytest.mark.parametrize(
    ("kind", "params"),
    [
        ("ntlm", {"username": "{{u}}", "password": "{{p}}"}),
        ("edgegrid", {"accessToken": "{{a}}"}),
        ("akamai", {"clientToken": "x"}),
        ("asap", {"kid": "k"}),
        ("jwt", {"secret": "{{s}}"}),
        ("oauth1", {"consumerKey": "{{ck}}", "signatureMethod": "RSA-SHA256"}),
    ],
)
def test_unreproduced_types_are_external_with_a_warning(
    tmp_path: Path, kind: str, params: dict[str, Any]
) -> None:
    spec, diagnostics = spec_of(tmp_path, block(kind, params))
    scheme = only_scheme(spec)
    assert scheme.kind == "external" and scheme.protocol == kind
    assert [c.name for c in scheme.credentials] == [f"{kind}_auth"]
    [warning] = [d for d in diagnostics if d.level is Level.WARNING]
    assert "demo.json: $.auth" in warning.message and repr(kind) in warning.message
    client = render_files(spec)["client.py"]
    assert f"{kind}_auth: httpx.Auth," in client
    assert f'"{kind}": {kind}_auth' in client


def test_inheritance_and_noauth(tmp_path: Path) -> None:
    items = [
        {
            "name": "F",
            "auth": block("hawk", {"authId": "{{i}}", "authKey": "{{k}}"}),
            "item": [
                {
                    "name": "Inherits",
                    "request": {"method": "GET", "url": "https://a.test/1"},
                },
                {
                    "name": "Own",
                    "request": {
                        "method": "GET",
                        "url": "https://a.test/2",
                        "auth": block(
                            "digest", {"username": "{{u}}", "password": "{{p}}"}
                        ),
                    },
                },
                {
                    "name": "None",
                    "request": {
                        "method": "GET",
                        "url": "https://a.test/3",
                        "auth": {"type": "noauth"},
                    },
                },
            ],
        },
        {"name": "Top", "request": {"method": "GET", "url": "https://a.test/4"}},
    ]
    top = block("awsv4", {"accessKey": "{{ak}}", "secretKey": "{{sk}}"})
    spec, _ = spec_of(tmp_path, top, items=items)
    used = {op.title: op.auth for _r, op in spec.iter_operations()}
    assert used == {
        "Top": "aws_sigv4",
        "Inherits": "hawk",
        "Own": "digest",
        "None": None,
    }


def test_a_credential_shared_with_a_str_scheme_is_typed_str(tmp_path: Path) -> None:
    items = [
        {
            "name": "Bearer",
            "request": {
                "method": "GET",
                "url": "https://a.test/1",
                "auth": block("bearer", {"token": "{{secret}}"}),
            },
        },
        {
            "name": "Digest",
            "request": {
                "method": "GET",
                "url": "https://a.test/2",
                "auth": block(
                    "digest", {"username": "{{u}}", "password": "{{secret}}"}
                ),
            },
        },
    ]
    spec, _ = spec_of(tmp_path, None, items=items)
    client = render_files(spec)["client.py"]
    assert "        secret: str,\n" in client  # DigestAuth takes no callable
    assert "DigestAuth(username=u, password=secret)" in client


def test_digest_saved_challenge_values_become_options(tmp_path: Path) -> None:
    auth = block(
        "digest",
        {"username": "{{u}}", "password": "{{p}}", "realm": "r", "nonce": "abc"},
    )
    spec, _diagnostics = spec_of(tmp_path, auth)
    # Answered up front with the saved challenge, as Postman does.
    assert only_scheme(spec).options == {"realm": "r", "nonce": "abc"}


def test_schemes_round_trip_through_the_spec_yaml(tmp_path: Path) -> None:
    from generator.spec.serialize import dump_yaml, load_yaml

    spec, _ = spec_of(tmp_path, block(*CASES[1][:2]))  # oauth1: str and bool options
    path = tmp_path / "spec.yaml"
    path.write_text(dump_yaml(spec), encoding="utf-8")
    assert to_data(load_yaml(path).auth) == to_data(spec.auth)
    assert load_yaml(path).auth[0].options["add_params_to_header"] is True
