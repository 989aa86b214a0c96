"""Postman environment files give their enabled variables."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.errors import InputError
from generator.postman import environment_from_dict, load_environment

from .paths import FIXTURES


def test_enabled_values_only() -> None:
    assert load_environment(FIXTURES / "environment.json") == {
        "baseUrl": "https://sandbox.example.com",
        "token": "abc123",
        "retries": "3",
        "verbose": "true",
        "empty": "",
    }


def test_environment_without_scope_key(shared: Path) -> None:
    values = load_environment(
        shared / "sf-bulk-v2-raw" / "_salesforce_template_environment.json"
    )
    assert values["url"] == "https://test.salesforce.com"
    assert values["version"] == "50.0"
    assert len(values) == 10


def test_collection_given_as_environment(shared: Path) -> None:
    with pytest.raises(
        InputError, match="this is a Postman collection, not an environment"
    ):
        load_environment(shared / "corpus" / "xero-oauth2.postman_collection.json")


def test_malformed_environment(tmp_path: Path) -> None:
    path = tmp_path / "env.json"
    path.write_text('{"values": [', encoding="utf-8")
    with pytest.raises(InputError, match="invalid JSON at line 1"):
        load_environment(path)


@pytest.mark.parametrize(
    ("data", "where"),
    [
        ([], "$"),
        ({"name": "x"}, "$"),
        ({"values": ["x"]}, "$.values[0]"),
        ({"values": [{"value": "v"}]}, "$.values[0].key"),
    ],
)
def test_bad_environments(data: object, where: str) -> None:
    with pytest.raises(InputError) as caught:
        environment_from_dict(json.loads(json.dumps(data)), "env.json")
    assert caught.value.json_path == where
