"""The two senders: Newman on the prepared copy, and the generated client.

Both send through the recording proxy; each recorded request is tied to its item:
Newman's by the ``Postman-Token`` its JSON report lists for each execution, the
client's by the proxy's record count before and after each call.
"""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from generator.config import ClientConfig
from generator.pipeline import generate
from generator.spec.model import ApiSpec, AuthScheme, Credential, Operation

from .collection import (
    FILE_BYTES,
    VAR_RE,
    Item,
    Prepared,
    auth_value,
    path_variable_value,
    value_for,
)
from .peers import NEWMAN
from .proxy import Recorded, RecordingProxy

NEWMAN_TIMEOUT = 600


def _drop_test_scripts(node: dict[str, Any]) -> None:
    """Test scripts only read responses (httpbin's echo here) and steer the run
    (``setNextRequest`` skips); every variable is supplied up front instead."""
    events = node.get("event")
    if isinstance(events, list):
        node["event"] = [
            e for e in events if not (isinstance(e, dict) and e.get("listen") == "test")
        ]
    for child in node.get("item") or []:
        if isinstance(child, dict):
            _drop_test_scripts(child)


def write_environment(path: Path, values: dict[str, str]) -> Path:
    """A Postman environment file giving each variable its value."""
    entries = [
        {"key": k, "value": v, "type": "default", "enabled": True}
        for k, v in values.items()
    ]
    environment = {"name": "equivalence", "values": entries}
    path.write_text(json.dumps(environment), encoding="utf-8")
    return path


def run_newman(
    prepared: Prepared, proxy: RecordingProxy, work: Path
) -> dict[str, Recorded]:
    """Run the copy through Newman; the first request recorded for each item id."""
    _drop_test_scripts(prepared.collection)
    collection = work / "newman-collection.json"
    collection.write_text(json.dumps(prepared.collection), encoding="utf-8")
    environment = write_environment(work / "newman-environment.json", prepared.values)
    report = work / "newman-report.json"
    by_token: dict[str, Recorded] = {}

    def index(recorded: Recorded) -> None:
        for name, value in recorded.headers:
            if name.lower() == "postman-token":
                by_token.setdefault(value, recorded)

    proxy.on_record = index
    try:
        completed = subprocess.run(
            [
                str(NEWMAN),
                "run",
                str(collection),
                "--environment",
                str(environment),
                "--reporters",
                "json",
                "--reporter-json-export",
                str(report),
                "--timeout-request",
                "20000",
                "--working-dir",
                str(work),
                "--no-insecure-file-read",
            ],
            capture_output=True,
            text=True,
            timeout=NEWMAN_TIMEOUT,
            cwd=work,
        )
    finally:
        proxy.on_record = None
    if not report.exists():
        raise RuntimeError(
            f"newman wrote no report (exit {completed.returncode}): "
            f"{completed.stderr[-2000:]}"
        )
    data = json.loads(report.read_text(encoding="utf-8"))
    found: dict[str, Recorded] = {}
    for execution in data["run"]["executions"]:
        item_id = execution.get("item", {}).get("id")
        headers = (execution.get("request") or {}).get("header") or []
        token = next(
            (
                h.get("value")
                for h in headers
                if h.get("key", "").lower() == "postman-token"
            ),
            None,
        )
        if item_id and token in by_token and item_id not in found:
            found[item_id] = by_token[token]
    return found


@dataclass
class ClientRun:
    """What the generated client sent, by item path or id."""

    spec: ApiSpec
    sent: dict[str, Recorded] = field(default_factory=dict)  # item id → request
    errors: dict[str, str] = field(default_factory=dict)  # item id → exception
    operations: dict[str, Operation] = field(default_factory=dict)  # item id → op


def _fill(text: str, values: dict[str, str]) -> str:
    return VAR_RE.sub(lambda m: values.get(m.group(1), m.group(0)), text)


_CREDENTIAL_KEYS = {
    "token": "token",
    "username": "username",
    "password": "password",
    "api_key": "value",
}


def credential_value(
    spec: ApiSpec,
    scheme: AuthScheme,
    credential: Credential,
    prepared: Prepared,
    items: dict[str, Item],
) -> str:
    """The value Newman used for a credential: its variable's, or the literal the
    collection's auth block holds (the generator never copies literals)."""
    if credential.variable:
        return prepared.values.get(credential.variable, value_for(credential.variable))
    base = re.sub(r"_\d+$", "", credential.role or credential.name)
    # The auth block's own key: "auth_id" -> "authId", "api_key" -> "value".
    camel = re.sub(r"_(\w)", lambda m: m.group(1).upper(), base)
    for key in dict.fromkeys([_CREDENTIAL_KEYS.get(base, base), camel]):
        for op_id, op in _ops_by_item(spec, items).items():
            if op.auth == scheme.name:
                literal = auth_value(items[op_id].auth, key)
                if literal:
                    return _fill(literal, prepared.values)
    return value_for(credential.name)


def _ops_by_item(spec: ApiSpec, items: dict[str, Item]) -> dict[str, Operation]:
    """Each operation under the id of the item it came from."""
    by_path: dict[str, list[str]] = {}
    for item_id, item in items.items():
        by_path.setdefault(item.path, []).append(item_id)
    found: dict[str, Operation] = {}
    for _resource, op in spec.iter_operations():
        if op.source_id and op.source_id in items and op.source_id not in found:
            found[op.source_id] = op
            continue
        candidates = [i for i in by_path.get(op.source, []) if i not in found]
        if candidates:
            found[candidates[0]] = op
    return found


def client_kwargs(
    spec: ApiSpec, prepared: Prepared, items: dict[str, Item]
) -> dict[str, Any]:
    """The constructor arguments: every setting and credential as given to Newman."""
    kwargs: dict[str, Any] = {}
    for setting in spec.settings:
        if setting.name == "base_url" or setting.url:
            value = prepared.url_variables.get(setting.variable, prepared.origin)
            kwargs[setting.name] = value if "://" in value else prepared.origin
        elif setting.variable:
            kwargs[setting.name] = prepared.values.get(
                setting.variable, value_for(setting.variable)
            )
    for scheme, credential in spec.credentials():
        kwargs[credential.name] = credential_value(
            spec, scheme, credential, prepared, items
        )
    for variable in spec.body_variables:  # secrets written in bodies
        kwargs.setdefault(
            variable.argument,
            prepared.values.get(variable.variable, value_for(variable.variable)),
        )
    return kwargs


class ToProxy(httpx.HTTPTransport):
    """Sends requests for the collection's hard-coded hosts to the proxy instead
    (the copy Newman runs points them there too)."""

    def __init__(self, origin: str, hosts: set[str]) -> None:
        super().__init__()
        self.target = httpx.URL(origin)
        self.hosts = hosts

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        origin = f"{request.url.scheme}://{request.url.netloc.decode('ascii')}"
        if origin in self.hosts:
            request.url = request.url.copy_with(
                scheme=self.target.scheme, host=self.target.host, port=self.target.port
            )
        return super().handle_request(request)


def call_arguments(op: Operation, item: Item, prepared: Prepared) -> dict[str, Any]:
    """Arguments whose values are the ones Newman used; collection defaults kept."""
    args: dict[str, Any] = {}
    body = item.request.get("body")
    form = body.get("formdata") if isinstance(body, dict) else None
    files = {
        part.get("key")
        for part in (form if isinstance(form, list) else [])
        if isinstance(part, dict)
        and part.get("type") == "file"
        and not part.get("disabled")
    }
    for param in op.parameters:
        if param.type == "FormFiles | None" and param.key in files:
            args[param.name] = prepared.file_path  # the file Newman's copy points at
        elif param.variable:
            args[param.name] = prepared.values.get(
                param.variable, value_for(param.variable)
            )
        elif param.has_default:
            continue
        elif param.type.startswith("FileContent"):
            args[param.name] = FILE_BYTES
        elif param.location == "path":
            value = path_variable_value(item, param.key)
            args[param.name] = (
                value_for(param.key) if value is None else _fill(value, prepared.values)
            )
        else:
            args[param.name] = value_for(param.key)
    return args


def run_client(
    prepared: Prepared,
    proxy: RecordingProxy,
    work: Path,
    package: str,
    collection: Path,
) -> ClientRun:
    """Generate the client, construct it with Newman's values and call every
    operation once with them."""
    output = work / "client" / package
    # The client is generated with the values Newman is given (as an environment
    # file, the documented way to give variables values at generation time).
    values = {k: v for k, v in prepared.values.items() if not k.startswith("$")}
    environment = write_environment(work / "client-environment.json", values)
    config = ClientConfig(package_name=package, environment=environment)
    report = generate(collection, output, config)
    spec = report.spec
    sys.path.insert(0, str(output.parent))
    try:
        module = importlib.import_module(package)
    finally:
        sys.path.remove(str(output.parent))
    # Dynamic variables ({{$guid}}) get the values Newman was given up front.
    dynamic = importlib.import_module(f"{package}._runtime._dynamic").DYNAMIC_VARIABLES
    for name, value in prepared.values.items():
        if name.startswith("$"):
            dynamic[name] = lambda value=value: value
    items = {item.id: item for item in prepared.items}
    run = ClientRun(spec)
    run.operations = _ops_by_item(spec, items)
    resource_of = {id(op): resource for resource, op in spec.iter_operations()}
    prefixes = spec.call_prefixes()
    http = httpx.Client(
        timeout=20.0,
        follow_redirects=True,
        transport=ToProxy(prepared.origin, set(prepared.hosts)),
    )
    with (
        http,
        module.Client(
            **client_kwargs(spec, prepared, items), http_client=http
        ) as client,
    ):
        for item_id, op in run.operations.items():
            target: Any = client
            for attr in prefixes[resource_of[id(op)].module].split(".")[1:-1]:
                target = getattr(target, attr)
            method = getattr(target, op.name)
            args = call_arguments(op, items[item_id], prepared)
            mark = proxy.snapshot()
            try:
                method(**args)
            except Exception as exc:  # the echo's response need not fit the result type
                run.errors[item_id] = f"{type(exc).__name__}: {exc}"[:300]
            sent = proxy.since(mark)
            if sent:
                run.sent[item_id] = sent[0]
    return run
