"""``generator.spec.variables``: where a variable is used decides its role."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.config import ClientConfig, VariableOverride
from generator.pipeline import build
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


# --- the rules applied to a whole collection (Salesforce Bulk API 2.0) --------------

SALESFORCE = (
    Path(__file__).resolve().parents[2]
    / "collections"
    / "salesforce-bulk-v2.postman_collection.json"
)


def _abort_query(overrides: dict[str, VariableOverride]) -> tuple[Any, Any]:
    spec, _ = build(SALESFORCE, ClientConfig(variables=overrides))
    op = next(o for _r, o in spec.iter_operations() if o.name == "abort_a_job_query")
    return spec, op


def test_salesforce_roles_by_the_rules() -> None:
    spec, op = _abort_query({})
    assert [(s.name, s.variable, s.default) for s in spec.settings] == [
        ("base_url", "_endpoint", None),
        ("api_version", "version", "58.0"),
    ]
    assert [c.variable for scheme in spec.auth for c in scheme.credentials] == [
        "_accessToken"
    ]
    assert op.path == "/services/data/v{api_version}/jobs/query/{job_id}"
    first = op.parameters[0]
    assert (first.name, first.location, first.variable) == ("job_id", "path", "_jobId")


def test_salesforce_role_overrides() -> None:
    spec, op = _abort_query({"version": VariableOverride(role="parameter")})
    assert [s.name for s in spec.settings] == ["base_url"]
    assert ("version", "path", "58.0") in [
        (p.name, p.location, p.default) for p in op.parameters
    ]
    spec, op = _abort_query({"version": VariableOverride(role="constant")})
    assert op.path == "/services/data/v58.0/jobs/query/{job_id}"
    spec, op = _abort_query({"_jobId": VariableOverride(role="setting", name="job")})
    assert "job" in [s.name for s in spec.settings]
    assert op.path.endswith("/{job}") and "job_id" not in [
        p.name for p in op.parameters
    ]
    spec, op = _abort_query(
        {"version": VariableOverride(name="sf_version", value="61.0")}
    )
    assert ("sf_version", "61.0") in [(s.name, s.default) for s in spec.settings]
    assert op.path.startswith("/services/data/v{sf_version}/")
