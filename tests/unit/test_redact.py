"""``generator.spec.redact``: secrets become placeholders before the spec is built."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conftest import run_python

from generator.pipeline import render_files
from generator.postman import collection_from_dict
from generator.spec.build import build_spec
from generator.spec.redact import redact, secret_name
from generator.spec.serialize import dump_yaml
from generator.writer import write_tree

SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N"
TOKEN = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"


def kv(key: str, value: str) -> dict[str, str]:
    return {"key": key, "value": value}


def make(**request: Any) -> dict[str, Any]:
    response = request.pop("response", [])
    return {
        "info": {"name": "R", "schema": SCHEMA, "description": request.pop("doc", "")},
        "variable": request.pop("variable", []),
        "item": [
            {
                "name": "Get thing",
                "request": {"method": "GET", "url": "https://api.test/x", **request},
                "response": response,
            }
        ],
    }


def example(body: object, *headers: dict[str, str]) -> dict[str, Any]:
    return {
        "name": "ok",
        "code": 200,
        "status": "OK",
        "header": [kv("Content-Type", "application/json"), *headers],
        "body": json.dumps(body),
    }


def redacted(data: dict[str, Any]) -> tuple[str, dict[str, str]]:
    _loaded, _env, secrets = redact(collection_from_dict(data, "r.json"))
    spec, _ = build_spec(collection_from_dict(data, "r.json"))
    return dump_yaml(spec), secrets


def test_secret_names() -> None:
    assert secret_name("X-Api-Key") and secret_name("client_secret")
    assert secret_name("Set-Cookie") and secret_name("access_token")
    assert not secret_name("token_type") and not secret_name("authorization_id")
    assert not secret_name("next_page_url") and not secret_name("name")


def test_example_body_secret_and_its_placeholder_are_consistent() -> None:
    body = {"access_token": TOKEN, "token_type": "Bearer", "echo": f"got {TOKEN}"}
    text, secrets = redacted(make(response=[example(body)]))
    assert TOKEN not in text
    assert secrets == {TOKEN: "REDACTED-1"}
    assert "got REDACTED-1" in text and "Bearer" in text


def test_headers_query_and_auth_literals() -> None:
    data = make(
        header=[kv("Authorization", "Basic dXNlcjpwYXNzd29yZA=="), kv("X-Trace", "t")],
        url={
            "raw": "https://api.test/x?api_key=abcd1234XYZ&page=2",
            "host": ["api", "test"],
            "path": ["x"],
            "query": [kv("api_key", "abcd1234XYZ"), kv("page", "2")],
        },
        auth={"type": "bearer", "bearer": [kv("token", "plainword")]},
        response=[example({"id": "1"}, kv("Set-Cookie", "sid=Zx81fj2k9; Path=/"))],
    )
    text, secrets = redacted(data)
    for secret in ("dXNlcjpwYXNzd29yZA==", "abcd1234XYZ", "plainword", "Zx81fj2k9"):
        assert secret not in text, secret
    assert "Basic dXNlcjpwYXNzd29yZA==" in secrets
    assert "page" in text and "X-Trace" in text


def test_variables_named_like_secrets_and_used_in_auth() -> None:
    data = make(
        variable=[
            kv("client_id", "AbCdEf123456789"),
            kv("client_secret", "s3cr3t-VALUE-xyz"),
            kv("region", "eu-west-1"),
        ],
        auth={"type": "basic", "basic": [kv("username", "{{client_id}}")]},
        doc="Use AbCdEf123456789 as the id and s3cr3t-VALUE-xyz as the secret.",
        response=[example({"partner_client_id": "AbCdEf123456789"})],
    )
    text, secrets = redacted(data)
    assert "AbCdEf123456789" not in text and "s3cr3t-VALUE-xyz" not in text
    assert "eu-west-1" not in secrets
    assert len(set(secrets.values())) == 2


def test_jwt_anywhere_and_short_secrets_only_where_found() -> None:
    body = {"note": f"jwt {JWT}", "password": "password", "kind": "password"}
    text, secrets = redacted(make(response=[example(body)], doc="the password field"))
    assert JWT not in text
    assert "the password field" in text  # a plain word stays in prose
    # ... and as a value only under the key it was found under
    assert '"password": "REDACTED-' in text or '\\"password\\": \\"REDACTED-' in text
    assert '"kind": "password"' in text or '\\"kind\\": \\"password\\"' in text
    assert set(secrets) == {JWT, "password"}


def test_stand_ins_are_kept() -> None:
    body = {"api_key": "YOUR_API_KEY", "token": "<token>", "secret": "your secret"}
    text, secrets = redacted(make(response=[example(body)]))
    assert secrets == {} and "YOUR_API_KEY" in text and "<token>" in text


def test_nothing_to_redact_returns_the_same_collection() -> None:
    loaded = collection_from_dict(make(), "r.json")
    assert redact(loaded)[0] is loaded


def test_placeholders_are_deterministic() -> None:
    data = make(response=[example({"token": TOKEN, "secret": "Q9w8E7r6T5y4"})])
    assert redacted(data) == redacted(data)


def test_generated_tests_pass_on_redacted_examples(tmp_path: Path) -> None:
    """The generated tests serve the redacted example and check the redacted field:
    the same placeholder on both sides, so they pass, and no secret is written."""
    token_example = example({"access_token": TOKEN, "expires_in": 3600})
    data = make(
        header=[kv("X-Api-Key", "k3y-Value-0001")],
        response=[token_example, {**example({"token": JWT}), "name": "jwt"}],
        doc=f"Returns a token like {TOKEN}.",
    )
    spec, _ = build_spec(collection_from_dict(data, "r.json"))
    spec.package = "redacted_client"
    files = render_files(spec)
    write_tree(tmp_path / "redacted_client", files)
    for secret in (TOKEN, JWT, "k3y-Value-0001"):
        assert not any(secret in text for text in files.values()), secret
    tests = next(t for p, t in files.items() if p.startswith("tests/test_"))
    assert 'expected = "REDACTED-' in tests  # the checked field is a placeholder
    result = run_python(
        ["-m", "pytest", "-q", "-p", "no:cacheprovider", "redacted_client/tests"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
