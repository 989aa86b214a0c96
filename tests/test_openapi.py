"""``pmgen openapi``: the OpenAPI 3.1 export of the intermediate spec.

The committed exports (Salesforce beside its client, one per golden case) are compared
byte for byte and validated with openapi-spec-validator, as is the export of every
collection of the shared corpus (in a process pool: the validator is slow on big
documents). Unit tests pin each mapping rule on small hand-made specs.
"""

from __future__ import annotations

import json
import os
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, cast

import httpx
import pytest
import yaml
from conftest import REPO_ROOT, SALESFORCE_COLLECTION, SHARED_DIR, run_python
from openapi_spec_validator import validate
from regen_openapi import REGENERATE, committed_exports, export_text

from generator.export import dump_openapi, to_openapi
from generator.export.merge import merge_operations
from generator.export.schemas import TypeSchemas, parse_type, value_schema
from generator.export.security import security_scheme
from generator.naming import error_class
from generator.pipeline import build
from generator.runtime import error_for_response
from generator.spec.model import (
    ApiSpec,
    AuthScheme,
    Body,
    Credential,
    Example,
    Header,
    ModelDef,
    ModelField,
    Operation,
    Parameter,
    Resource,
    Result,
    Setting,
)

CORPUS = SHARED_DIR / "corpus"
EXPORTS = committed_exports()


# -- committed exports ---------------------------------------------------------------


def test_every_golden_input_has_a_committed_export() -> None:
    targets = {path.relative_to(REPO_ROOT).as_posix() for _c, path, _cfg in EXPORTS}
    assert "generated/salesforce_bulk_v2.openapi.yaml" in targets
    for case in ("auth-and-params", "naming-edge-cases", "v20-format"):
        assert f"tests/golden/{case}/openapi.yaml" in targets


@pytest.mark.parametrize(
    ("collection", "target", "config"),
    EXPORTS,
    ids=[path.relative_to(REPO_ROOT).as_posix() for _c, path, _cfg in EXPORTS],
)
def test_committed_export_is_current_and_valid(
    collection: Path, target: Path, config: Any
) -> None:
    text = export_text(collection, config)
    assert target.is_file(), f"{target} is missing; run: {REGENERATE}"
    assert (
        target.read_text(encoding="utf-8") == text
    ), f"{target} is stale; run: {REGENERATE}"
    validate(yaml.safe_load(text))


def test_salesforce_export_content() -> None:
    document = yaml.safe_load(
        (REPO_ROOT / "generated" / "salesforce_bulk_v2.openapi.yaml").read_text()
    )
    assert document["openapi"] == "3.1.0"
    assert document["info"]["title"] == "Salesforce Bulk API 2.0"
    assert document["servers"][0]["url"] == "{base_url}"
    item = document["paths"]["/services/data/v{api_version}/jobs/ingest/{job_id}"]
    get = item["get"]
    assert get["operationId"] == "bulk_v2.get_job_info"
    assert get["tags"] == ["Bulk v2"]
    version = next(p for p in get["parameters"] if p.get("name") == "api_version")
    assert version["in"] == "path" and version["schema"]["default"] == "58.0"
    ok = get["responses"]["200"]["content"]["application/json"]
    assert ok["schema"] == {"$ref": "#/components/schemas/JobInfo"}
    assert get["responses"]["404"]["x-pmgen-error"] == "NotFoundError"
    assert get["security"] == [{"bearer": []}]
    patch = item["patch"]["requestBody"]["content"]["application/json"]
    assert patch["schema"] == {"$ref": "#/components/schemas/CloseOrAbortAJobRequest"}
    upload = document["paths"][
        "/services/data/v{api_version}/jobs/ingest/{job_id}/batches"
    ]
    content = upload["put"]["requestBody"]["content"]
    assert content == {"text/csv": {"schema": {"type": "string", "format": "binary"}}}
    job_info = document["components"]["schemas"]["JobInfo"]
    assert job_info["properties"]["createdDate"]["format"] == "date-time"
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    header = document["components"]["parameters"]["Sforce-Call-Options"]
    assert header["schema"]["default"] == "client=postman"


# -- the shared corpus -----------------------------------------------------------------


def _export_and_validate(collection: str) -> tuple[str, float, float, int, str]:
    """Build, export and validate one collection (run in a worker process)."""
    started = time.perf_counter()
    spec, _diagnostics = build(Path(collection))
    text = dump_openapi(to_openapi(spec), "json")
    exported = time.perf_counter()
    try:
        validate(json.loads(text))
        problem = ""
    except Exception as exc:  # reported by the test, with the collection's name
        problem = f"{type(exc).__name__}: {str(exc)[:2000]}"
    return (
        Path(collection).name,
        exported - started,
        time.perf_counter() - exported,
        len(text),
        problem,
    )


@pytest.fixture(scope="module")
def corpus_results() -> dict[str, tuple[str, float, float, int, str]]:
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    collections = sorted(str(p) for p in CORPUS.glob("*.postman_collection.json"))
    workers = max(1, min(4, os.cpu_count() or 1))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(_export_and_validate, collections))
    for name, export_s, validate_s, size, _problem in results:
        print(f"{name}: export {export_s:.2f}s validate {validate_s:.2f}s {size} bytes")
    return {name: result for result in results for name in [result[0]]}


def test_every_corpus_collection_exports_valid_openapi(
    corpus_results: dict[str, tuple[str, float, float, int, str]],
) -> None:
    assert len(corpus_results) == 22
    problems = {name: r[4] for name, r in corpus_results.items() if r[4]}
    assert not problems


# -- type schemas --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "schema"),
    [
        ("str", {"type": "string"}),
        ("int | None", {"type": ["integer", "null"]}),
        ("datetime", {"type": "string", "format": "date-time"}),
        ("date | None", {"type": ["string", "null"], "format": "date"}),
        ("list[JobInfo]", {"type": "array", "items": {"$ref": "#/s/JobInfo"}}),
        (
            "JobInfo | None",
            {"anyOf": [{"$ref": "#/s/JobInfo"}, {"type": "null"}]},
        ),
        ("dict[str, Any]", {"type": "object"}),
        (
            "dict[str, int]",
            {"type": "object", "additionalProperties": {"type": "integer"}},
        ),
        ("list[Any]", {"type": "array"}),
        ("Any | None", {}),
        ("FileContent", {"type": "string", "format": "binary"}),
        ("Optional[str]", {"type": ["string", "null"]}),
        ("str | int", {"type": ["string", "integer"]}),
        ("Literal['a']", {"x-python-type": "Literal['a']"}),
        ("Mystery", {"x-python-type": "Mystery"}),
    ],
)
def test_type_schemas(text: str, schema: dict[str, Any]) -> None:
    assert TypeSchemas({"JobInfo"}, "#/s/").schema(text) == schema


def test_optional_arguments_are_not_nullable_on_the_wire() -> None:
    types = TypeSchemas(set(), "#/s/")
    assert types.schema("str | None", nullable=False) == {"type": "string"}
    assert types.schema("None", nullable=False) == {"type": "null"}


def test_parse_type_rejects_what_it_cannot_read() -> None:
    assert parse_type("list[") is None
    assert parse_type("a b") is None
    assert parse_type("") is None
    node = parse_type("dict[str, list[int]]")
    assert node is not None and node.name == "dict" and len(node.args) == 2


def test_value_schema() -> None:
    assert value_schema([{"errorCode": "X", "n": 1.5, "ok": True, "v": None}]) == {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "errorCode": {"type": "string"},
                "n": {"type": "number"},
                "ok": {"type": "boolean"},
                "v": {"type": "null"},
            },
        },
    }
    assert value_schema([]) == {"type": "array"}
    assert value_schema({}) == {"type": "object"}
    assert value_schema(3) == {"type": "integer"}


# -- mapping rules on small specs ----------------------------------------------------


def _spec(*operations: Operation, **changes: Any) -> ApiSpec:
    folder = Resource(
        name="things",
        class_name="Things",
        module="things",
        title="Things",
        source="Things",
        description="All the things.",
        operations=list(operations),
    )
    spec = ApiSpec(
        title="Demo",
        package="demo",
        source="demo.json",
        description="A demo.",
        version="1.2.3",
        settings=[Setting(name="base_url", default="https://api.example.com/")],
        root=Resource(name="", class_name="", module="_root", title="", source=""),
    )
    spec.root.resources.append(folder)
    for key, value in changes.items():
        setattr(spec, key, value)
    return spec


def _op(
    name: str, method: str = "GET", path: str = "/things", **changes: Any
) -> Operation:
    op = Operation(
        name=name,
        title=name.replace("_", " ").title(),
        method=method,
        path=path,
        source=f"Things/{name}",
    )
    for key, value in changes.items():
        setattr(op, key, value)
    return op


def _valid(spec: ApiSpec) -> dict[str, Any]:
    document = to_openapi(spec)
    validate(document)
    return document


def test_info_servers_tags_and_operation_ids() -> None:
    document = _valid(_spec(_op("list_things")))
    assert document["info"] == {
        "title": "Demo",
        "description": "A demo.",
        "version": "1.2.3",
    }
    assert document["servers"] == [{"url": "https://api.example.com"}]
    assert document["tags"] == [
        {
            "name": "Things",
            "description": "All the things.",
            "x-pmgen-attribute": "client.things",
        }
    ]
    get = document["paths"]["/things"]["get"]
    assert get["operationId"] == "things.list_things"
    assert get["responses"]["default"] == {"$ref": "#/components/responses/Error"}


def test_base_url_without_default_is_a_server_variable() -> None:
    spec = _spec(_op("list_things"))
    spec.settings = [Setting(name="base_url", description="Where it is.")]
    server = _valid(spec)["servers"][0]
    assert server["url"] == "{base_url}"
    assert server["variables"]["base_url"]["default"] == ""


def test_parameters_types_required_defaults_and_settings_in_the_path() -> None:
    op = _op(
        "get_thing",
        path="/v{api_version}/things/{thing_id}",
        parameters=[
            Parameter(
                name="thing_id",
                location="path",
                key="thingId",
                description="Which thing.",
                provenance="From list_things.",
            ),
            Parameter(
                name="limit",
                location="query",
                key="limit",
                type="int",
                required=False,
                default=10,
                has_default=True,
            ),
            Parameter(
                name="cursor",
                location="query",
                key="cursor",
                type="str | None",
                required=False,
                has_default=True,
            ),
            Parameter(name="x_trace", location="header", key="X-Trace", example="on"),
        ],
        headers=[Header("Accept", "application/json"), Header("X-Fixed", "1")],
    )
    spec = _spec(op)
    spec.settings.append(Setting(name="api_version", default="58.0", description="V."))
    params = _valid(spec)["paths"]["/v{api_version}/things/{thing_id}"]["get"][
        "parameters"
    ]
    by_name = {p["name"]: p for p in params}
    assert list(by_name) == [
        "api_version",
        "thing_id",
        "limit",
        "cursor",
        "X-Trace",
        "X-Fixed",
    ]
    assert by_name["api_version"]["schema"] == {"type": "string", "default": "58.0"}
    assert by_name["api_version"]["x-pmgen-setting"] == "api_version"
    assert by_name["thing_id"]["required"] is True
    assert by_name["thing_id"]["description"] == "Which thing. From list_things."
    assert by_name["limit"] == {
        "name": "limit",
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "default": 10},
    }
    assert by_name["cursor"]["schema"] == {"type": "string"}
    assert by_name["X-Trace"]["required"] is True
    assert by_name["X-Trace"]["example"] == "on"
    assert by_name["X-Trace"]["x-python-name"] == "x_trace"
    assert by_name["X-Fixed"]["schema"] == {"type": "string", "default": "1"}


def test_repeated_header_keeps_the_other_values_as_examples() -> None:
    op = _op(
        "get",
        parameters=[
            Parameter("prefer", "header", "Prefer", "str", False, "a=1", True),
            Parameter(
                "prefer_2",
                "header",
                "Prefer",
                "str | None",
                False,
                None,
                True,
                example="b=2",
            ),
        ],
    )
    (param,) = _valid(_spec(op))["paths"]["/things"]["get"]["parameters"]
    assert param["schema"]["default"] == "a=1"
    assert param["examples"] == {"prefer_2": {"value": "b=2"}}


def _body_op(
    body: Body, *params: Parameter, name: str = "send", **changes: Any
) -> Operation:
    return _op(name, "POST", body=body, parameters=list(params), **changes)


def _request_body(spec: ApiSpec) -> dict[str, Any]:
    return cast(dict[str, Any], _valid(spec)["paths"]["/things"]["post"]["requestBody"])


def test_json_model_body() -> None:
    model = ModelDef(
        "SendRequest",
        "things",
        [
            ModelField("state", "state", "str | None"),
            ModelField("n", "count", "int", True),
        ],
        defaults={"state": "Open"},
    )
    op = _body_op(
        Body(kind="json", model="SendRequest", template={"state": "Open"}),
        Parameter("state", "body", "state", "str", False, "Open", True),
        headers=[Header("Content-Type", "application/vnd.api+json; charset=utf-8")],
    )
    document = _valid(_spec(op, models=[model]))
    body = document["paths"]["/things"]["post"]["requestBody"]
    assert body == {
        "required": True,
        "content": {
            "application/vnd.api+json": {
                "schema": {"$ref": "#/components/schemas/SendRequest"},
                "example": {"state": "Open"},
            }
        },
    }
    schema = document["components"]["schemas"]["SendRequest"]
    # a request model's None means "not sent", not null
    assert schema["properties"]["state"] == {"type": "string", "default": "Open"}
    assert schema["properties"]["count"]["x-python-name"] == "n"
    assert schema["required"] == ["count"]


def test_text_file_form_and_graphql_bodies() -> None:
    text = _body_op(
        Body(kind="text", content_type="text/xml", parameter="body", template="<a/>"),
        Parameter("body", "body", "", "str", False, "<a/>", True),
    )
    assert _request_body(_spec(text)) == {
        "required": False,
        "content": {
            "text/xml": {
                "schema": {"type": "string", "default": "<a/>"},
                "example": "<a/>",
            }
        },
    }
    file = _body_op(
        Body(kind="file", content_type="application/octet-stream", parameter="content"),
        Parameter("content", "body", "", "FileContent"),
    )
    assert _request_body(_spec(file))["content"] == {
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
    }
    form = _body_op(
        Body(kind="form", content_type="application/x-www-form-urlencoded"),
        Parameter("grant_type", "body", "grant_type", "str", False, "password", True),
        Parameter("scope", "body", "scope", "str", True),
        Parameter("scope_2", "body", "scope", "str", False, "b", True),
    )
    form_body = _request_body(_spec(form))
    schema = form_body["content"]["application/x-www-form-urlencoded"]["schema"]
    assert schema["properties"]["grant_type"] == {
        "type": "string",
        "default": "password",
    }
    assert schema["properties"]["scope"] == {
        "type": "array",
        "items": {"type": "string"},
    }
    assert schema["required"] == ["scope"]
    graphql = _body_op(
        Body(kind="graphql", content_type="application/json"),
        Parameter("query", "body", "query", "str", False, "{ a }", True),
        Parameter(
            "variables", "body", "variables", "dict[str, Any] | None", False, None, True
        ),
    )
    content = _request_body(_spec(graphql))["content"]["application/json"]
    assert content["schema"]["properties"]["variables"] == {"type": "object"}
    assert content["example"] == {"query": "{ a }"}


def test_responses_per_status_with_examples_and_errors() -> None:
    model = ModelDef("Thing", "things", [ModelField("id", "id", "str", True)])
    op = _op(
        "get_thing",
        result=Result(kind="model", type="Thing", status=200),
        examples=[
            Example(
                "Found",
                200,
                "application/json;charset=UTF-8",
                '{"id": "1"}',
                [Header("X-Rate", "5"), Header("Content-Type", "application/json")],
            ),
            Example("Missing", 404, "application/json", '[{"errorCode": "NOT_FOUND"}]'),
            Example("Broken", 503, "text/html", "<h1>down</h1>"),
            Example("Not HTTP", 999, "text/plain", "?"),
        ],
    )
    responses = _valid(_spec(op, models=[model]))["paths"]["/things"]["get"][
        "responses"
    ]
    assert list(responses) == ["200", "404", "503", "default"]
    assert responses["200"]["headers"] == {
        "X-Rate": {"schema": {"type": "string"}, "example": "5"}
    }
    assert responses["200"]["content"] == {
        "application/json": {
            "schema": {"$ref": "#/components/schemas/Thing"},
            "examples": {"Found": {"summary": "Found", "value": {"id": "1"}}},
        }
    }
    missing = responses["404"]
    assert missing["description"] == "Not Found"
    assert missing["x-pmgen-error"] == "NotFoundError"
    assert missing["content"]["application/json"]["schema"]["type"] == "array"
    assert responses["503"]["x-pmgen-error"] == "ServerError"
    assert responses["503"]["content"]["text/html"]["schema"] == {"type": "string"}


def test_text_empty_and_unknown_results() -> None:
    text = _op(
        "csv",
        result=Result(kind="text", type="str"),
        headers=[Header("Accept", "text/csv")],
    )
    empty = _op(
        "delete", "DELETE", result=Result(kind="empty", type="None", status=204)
    )
    unknown = _op("poke", "PUT")
    paths = _valid(_spec(text, empty, unknown))["paths"]["/things"]
    assert paths["get"]["responses"]["200"]["content"] == {
        "text/csv": {"schema": {"type": "string"}}
    }
    assert paths["delete"]["responses"]["204"] == {"description": "No Content"}
    assert paths["put"]["responses"]["200"] == {"description": "OK"}


def test_error_classes_are_the_runtimes() -> None:
    for status in range(300, 600):
        response = httpx.Response(status, request=httpx.Request("GET", "https://x"))
        assert (
            error_class(status) == type(error_for_response(response)).__name__
        ), status


def test_security_schemes() -> None:
    def scheme(**kwargs: Any) -> dict[str, Any]:
        return security_scheme(
            AuthScheme(name="s", credentials=[Credential("t")], **kwargs)
        )

    assert scheme(kind="bearer")["scheme"] == "bearer"
    assert scheme(kind="bearer", header="X-Token", prefix="") == {
        "type": "apiKey",
        "in": "header",
        "name": "X-Token",
        "description": "Client credentials: ``t``. Sent as ``X-Token: <token>``.",
    }
    assert scheme(kind="basic") == {
        "type": "http",
        "scheme": "basic",
        "description": "Client credentials: ``t``.",
    }
    assert scheme(kind="api_key", key_name="key", location="query")["in"] == "query"
    # a kind added to the spec later: the closest HTTP scheme, the kind kept
    digest = scheme(kind=cast(Any, "digest"))
    assert digest["type"] == "http" and digest["scheme"] == "digest"
    assert digest["x-pmgen-auth-kind"] == "digest"
    other = scheme(kind=cast(Any, "edge_magic"))
    assert other["scheme"] == "edge-magic"


def test_security_requirements_and_header_credentials() -> None:
    spec = _spec(_op("list_things", auth="bearer"), _op("open", "POST"))
    spec.auth = [
        AuthScheme(name="bearer", kind="bearer", credentials=[Credential("token")])
    ]
    spec.settings.append(Setting(name="app_key", secret=True))
    spec.default_headers = [
        Header("X-App-Key", "{app_key}"),
        Header("X-Client", "demo {{1}}"),
    ]
    document = _valid(spec)
    schemes = document["components"]["securitySchemes"]
    assert schemes["app_key_header"]["in"] == "header"
    assert schemes["app_key_header"]["name"] == "X-App-Key"
    get = document["paths"]["/things"]["get"]
    assert get["security"] == [{"app_key_header": [], "bearer": []}]
    assert document["paths"]["/things"]["post"]["security"] == [{"app_key_header": []}]
    client = document["components"]["parameters"]["X-Client"]
    assert client["schema"]["default"] == "demo {1}"
    assert {"$ref": "#/components/parameters/X-Client"} in get["parameters"]


def test_requests_sharing_method_and_path_become_one_operation() -> None:
    first = _body_op(
        Body(kind="text", content_type="text/xml", parameter="body", template="<a/>"),
        Parameter("body", "body", "", "str", False, "<a/>", True),
        Parameter("action", "header", "SOAPAction", "str", False, "A", True),
        Parameter("trace", "query", "trace", "str", True),
    )
    second = _body_op(
        Body(kind="text", content_type="text/xml", parameter="body", template="<b/>"),
        Parameter("body", "body", "", "str", False, "<b/>", True),
        Parameter("action", "header", "SOAPAction", "str", False, "B", True),
        Parameter("trace", "query", "trace", "str", True),
        Parameter("extra", "query", "extra", "str", True),
        name="send_b",
        title="Send B",
        base_url="{soap_endpoint}",
    )
    spec = _spec(first, second)
    spec.settings.append(Setting(name="soap_endpoint", url=True))
    post = _valid(spec)["paths"]["/things"]["post"]
    assert post["operationId"] == "things.send"
    assert post["x-pmgen-variants"] == [
        {"operationId": "things.send_b", "summary": "Send B"}
    ]
    params = {p["name"]: p for p in post["parameters"]}
    assert params["trace"]["required"] is True  # every variant requires it
    assert params["extra"]["required"] is False  # only one does
    assert "default" not in params["SOAPAction"]["schema"]
    assert params["SOAPAction"]["examples"] == {
        "first": {"value": "A"},
        "things.send_b": {"value": "B"},
    }
    content = post["requestBody"]["content"]["text/xml"]
    assert content["schema"] == {"type": "string"}
    assert content["examples"] == {
        "things.send": {"value": "<a/>"},
        "things.send_b": {"value": "<b/>"},
    }
    assert [s["url"] for s in post["servers"]] == [
        "https://api.example.com",
        "{soap_endpoint}",
    ]


def test_merge_of_different_schemas_is_any_of() -> None:
    def fragment(name: str, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "summary": name,
            "operationId": name,
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": schema}},
            },
            "responses": {"200": {"description": "OK"}},
        }

    merged = merge_operations(
        [fragment("a", {"type": "string"}), fragment("b", {"type": "integer"})],
        {"url": "/"},
    )
    schema = merged["requestBody"]["content"]["application/json"]["schema"]
    assert schema == {"anyOf": [{"type": "string"}, {"type": "integer"}]}


def test_paths_with_other_placeholder_names_share_one_template() -> None:
    get = _op(
        "get",
        path="/things/{thing_id}",
        parameters=[Parameter("thing_id", "path", "id")],
    )
    put = _op(
        "put", "PUT", path="/things/{id}", parameters=[Parameter("id", "path", "id")]
    )
    paths = _valid(_spec(get, put))["paths"]
    assert list(paths) == ["/things/{thing_id}"]
    assert paths["/things/{thing_id}"]["put"]["parameters"][0]["name"] == "thing_id"


def test_methods_openapi_lacks_are_kept_as_an_extension() -> None:
    paths = _valid(_spec(_op("purge", "PURGE"), _op("list_things")))["paths"]
    assert (
        paths["/things"]["x-additionalOperations"]["PURGE"]["operationId"]
        == "things.purge"
    )
    assert list(paths["/things"]) == ["get", "x-additionalOperations"]


def test_secret_setting_defaults_stay_out() -> None:
    spec = _spec(_op("list_things", base_url="https://{{host}}"))
    spec.settings.append(
        Setting(name="host", variable="host", default="s3cr3t.example", secret=True)
    )
    text = dump_openapi(_valid(spec))
    assert "s3cr3t" not in text


# -- determinism and the command line -------------------------------------------------


def test_output_is_byte_identical_across_processes(tmp_path: Path) -> None:
    collection = CORPUS / "contentstack-graphql-api.postman_collection.json"
    if not collection.is_file():
        collection = SALESFORCE_COLLECTION
    outputs = []
    for seed in ("1", "2"):
        target = tmp_path / f"{seed}.yaml"
        result = run_python(
            ["-m", "generator", "-q", "openapi", str(collection), "-o", str(target)],
            cwd=tmp_path,
            env={"PYTHONHASHSEED": seed},
        )
        assert result.returncode == 0, result.stderr
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]
    spec, _ = build(collection)
    assert outputs[0].decode("utf-8") == dump_openapi(to_openapi(spec))


def test_cli_formats_and_spec_input(tmp_path: Path, pmgen: Any) -> None:
    printed = pmgen("openapi", SALESFORCE_COLLECTION, cwd=tmp_path)
    assert printed.returncode == 0, printed.stderr
    as_yaml = yaml.safe_load(printed.stdout)
    assert as_yaml["info"]["title"] == "Salesforce Bulk API 2.0"
    written = pmgen(
        "openapi", SALESFORCE_COLLECTION, "-o", tmp_path / "out.json", cwd=tmp_path
    )
    assert written.returncode == 0, written.stderr
    assert json.loads((tmp_path / "out.json").read_text()) == as_yaml
    forced = pmgen("openapi", SALESFORCE_COLLECTION, "--format", "json", cwd=tmp_path)
    assert json.loads(forced.stdout) == as_yaml
    spec_file = tmp_path / "spec.yaml"
    assert (
        pmgen("spec", SALESFORCE_COLLECTION, "-o", spec_file, cwd=tmp_path).returncode
        == 0
    )
    spec_file.write_text(
        spec_file.read_text().replace("name: get_job_info", "name: job_info"),
        encoding="utf-8",
    )
    edited = pmgen("openapi", "--spec", spec_file, cwd=tmp_path)
    assert edited.returncode == 0, edited.stderr
    assert "operationId: bulk_v2.job_info\n" in edited.stdout


def test_cli_config_and_environment(tmp_path: Path, pmgen: Any) -> None:
    environment = tmp_path / "env.json"
    environment.write_text(
        json.dumps(
            {
                "name": "prod",
                "values": [
                    {"key": "_endpoint", "value": "https://acme.my.salesforce.com"}
                ],
            }
        )
    )
    config = tmp_path / "pmgen.yaml"
    config.write_text(
        f"collection: {SALESFORCE_COLLECTION}\npackage_name: bulk\nversion: 9.9.9\n"
    )
    result = pmgen(
        "openapi", "--config", config, "--environment", environment, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    document = yaml.safe_load(result.stdout)
    assert document["servers"] == [{"url": "https://acme.my.salesforce.com"}]
    assert document["info"]["version"] == "9.9.9"
    assert document["x-pmgen"]["package"] == "bulk"


def test_cli_errors(tmp_path: Path, pmgen: Any) -> None:
    missing = pmgen("openapi", cwd=tmp_path)
    assert missing.returncode == 2
    assert "give a COLLECTION" in missing.stderr
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    result = pmgen("openapi", bad, "-o", tmp_path / "x.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.yaml").exists()
