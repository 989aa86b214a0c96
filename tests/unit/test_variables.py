"""``generator.spec.variables``: where a variable is used decides its role."""

from __future__ import annotations

import pytest

from generator.config import VariableOverride
from generator.spec.variables import (
    VariableTable,
    is_single_variable,
    substitute,
    variables_in,
)


def _table(values: dict[str, str] | None = None) -> VariableTable:
    return VariableTable(values=dict(values or {}))


def test_variables_in() -> None:
    assert variables_in("{{a}}/x/{{ b }}/{{a}}") == ["a", "b"]
    assert variables_in("") == [] and variables_in(None) == []
    assert variables_in("{{}} {single}") == []


def test_is_single_variable_and_substitute() -> None:
    assert is_single_variable("{{_endpoint}}") == "_endpoint"
    assert is_single_variable(" {{ token }} ") == "token"
    assert is_single_variable("Bearer {{token}}") is None
    assert substitute("{{a}}-{{b}}", {"a": "1"}) == "1-{{b}}"


def test_host_variable_is_a_setting() -> None:
    table = _table()
    table.use("{{_endpoint}}", "host", "op1")
    table.use("{{other}}", "path", "op1")
    assert table.role("_endpoint", None) == "setting"


def test_path_variable_with_value_in_every_request_is_a_setting() -> None:
    table = _table({"version": "58.0", "jobId": "750x"})
    for op in ("a", "b", "c"):
        table.use("v{{version}}", "path", op)
    table.use("{{jobId}}", "path", "b")
    assert table.role("version", None) == "setting"
    assert table.role("jobId", None) == "parameter"


def test_path_variable_in_every_request_without_value_is_a_parameter() -> None:
    table = _table({"tenant": ""})
    for op in ("a", "b"):
        table.use("{{tenant}}", "path", op)
    assert table.role("tenant", None) == "parameter"


def test_path_variable_with_value_in_some_requests_is_a_parameter() -> None:
    table = _table({"version": "58.0"})
    table.use("v{{version}}", "path", "a")
    table.use("static", "path", "b")
    assert table.role("version", None) == "parameter"


def test_auth_variable_is_a_credential() -> None:
    table = _table({"_accessToken": "secret"})
    table.use("{{_accessToken}}", "auth", "a")
    table.use("{{_accessToken}}", "host", "a")  # auth wins over everything
    assert table.role("_accessToken", None) == "credential"


def test_secret_looking_header_variable_is_a_credential() -> None:
    table = _table()
    table.use("Bearer {{apiToken}}", "header", "a")
    table.use("{{tenant}}", "header", "a")
    assert table.role("apiToken", None) == "credential"
    assert table.role("tenant", None) == "parameter"  # only one request


def test_header_variable_in_every_request_is_a_setting() -> None:
    table = _table()
    for op in ("a", "b", "c"):
        table.use("{{orgId}}", "header", op)
    assert table.role("orgId", None) == "setting"


def test_anything_else_is_a_parameter() -> None:
    table = _table({"limit": "10"})
    table.use("{{limit}}", "query", "a")
    table.use("{{limit}}", "query", "b")
    table.use('{"name": "{{name}}"}', "body", "a")
    assert table.role("limit", None) == "parameter"
    assert table.role("name", None) == "parameter"
    assert table.role("never_used", None) == "parameter"


@pytest.mark.parametrize("role", ["setting", "parameter", "constant", "credential"])
def test_config_override_wins(role: str) -> None:
    table = _table({"version": "58.0"})
    table.use("{{version}}", "host", "a")
    table.use("{{version}}", "auth", "a")
    override = VariableOverride(role=role)  # type: ignore[arg-type]
    assert table.role("version", override) == role


def test_override_without_role_keeps_the_rules() -> None:
    table = _table()
    table.use("{{_endpoint}}", "host", "a")
    assert table.role("_endpoint", VariableOverride(name="root_url")) == "setting"


def test_roles_applies_overrides_by_name() -> None:
    table = _table({"version": "58.0"})
    for op in ("a", "b"):
        table.use("{{_endpoint}}", "host", op)
        table.use("v{{version}}", "path", op)
    roles = table.roles(
        ["_endpoint", "version"], {"version": VariableOverride(role="parameter")}
    )
    assert roles == {"_endpoint": "setting", "version": "parameter"}
