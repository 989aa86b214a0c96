"""Reading a collection for the equivalence run, and the temporary copy Newman runs.

- every request item with its item path (folder names and its name joined by ``/``,
  as ``Operation.source``), its id, and its effective auth (inherited from folders and
  the collection);
- every variable the collection uses, each given one deterministic value
  (``v-<name>``), except the variables naming where the API is served, which point at
  the recording proxy;
- the copy Newman runs: hard-coded hosts pointed at the proxy, missing item ids
  filled in (so requests can be matched to items), empty path variables given
  ``v-<key>``, and file bodies pointed at one local file of known bytes.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

VAR_RE = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")
FILE_BYTES = b"Id,Name\n001,Acme\n"


def value_for(name: str) -> str:
    """The one value every variable gets on both sides."""
    return f"v-{name}"


@dataclass
class Item:
    """One request of the collection."""

    path: str  # "Folder/Sub/Name"
    id: str  # the item's id (filled in when the collection has none)
    data: dict[str, Any]  # the item in the Newman copy
    auth: dict[str, Any] | None  # effective auth block (None: no auth)
    scripts: list[str] = field(default_factory=list)  # pre-request lines that apply

    @property
    def request(self) -> dict[str, Any]:
        request = self.data.get("request")
        if isinstance(request, str):
            return {"url": request, "method": "GET"}
        return request if isinstance(request, dict) else {}

    @property
    def body_mode(self) -> str | None:
        body = self.request.get("body")
        return body.get("mode") if isinstance(body, dict) else None


@dataclass
class Prepared:
    """The Newman copy of a collection and what the client needs to match it."""

    collection: dict[str, Any]
    items: list[Item]
    values: dict[str, str]  # variable → value given to Newman
    origin: str  # the proxy's origin, http://127.0.0.1:port
    url_variables: dict[str, str]  # variables placed where the API is served
    hosts: dict[str, str]  # hard-coded origin in the collection → origin used
    file_path: Path


def _strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    if isinstance(node, dict):
        return [s for k, v in node.items() for s in _strings(k) + _strings(v)]
    return []


def used_variables(collection: dict[str, Any]) -> list[str]:
    """Every ``{{name}}`` in the collection and every declared variable, once
    (dynamic variables such as ``{{$guid}}`` included: supplied up front, they are
    deterministic)."""
    names: dict[str, None] = {}
    for text in _strings(collection):
        for match in VAR_RE.finditer(text):
            names.setdefault(match.group(1), None)
    for var in collection.get("variable") or []:
        if isinstance(var, dict) and var.get("key"):
            names.setdefault(str(var["key"]), None)
    return list(names)  # dynamic ones too: a defined ``$guid`` wins over Newman's


def declared_values(collection: dict[str, Any]) -> dict[str, str]:
    out = {}
    for var in collection.get("variable") or []:
        if isinstance(var, dict) and var.get("key") is not None:
            out[str(var["key"])] = "" if var.get("value") is None else str(var["value"])
    return out


def _raw_url(request: dict[str, Any]) -> str:
    url = request.get("url")
    if isinstance(url, str):
        return url
    if isinstance(url, dict):
        raw = url.get("raw")
        if isinstance(raw, str):
            return raw
        host = url.get("host")
        host_text = ".".join(host) if isinstance(host, list) else str(host or "")
        protocol = url.get("protocol")
        return (f"{protocol}://" if protocol else "") + host_text
    return ""


def _script_lines(events: Any) -> list[str]:
    lines: list[str] = []
    for event in events or []:
        if isinstance(event, dict) and event.get("listen") == "prerequest":
            script = event.get("script") or {}
            exec_ = script.get("exec") if isinstance(script, dict) else None
            if isinstance(exec_, str):
                exec_ = exec_.split("\n")
            lines += [str(line).strip() for line in exec_ or [] if str(line).strip()]
    return lines


def walk(collection: dict[str, Any]) -> list[Item]:
    """Every request item in run order, ids filled in where missing."""
    found: list[Item] = []
    counter = 0

    def visit(
        node: dict[str, Any],
        folders: list[str],
        auth: dict[str, Any] | None,
        scripts: list[str],
    ) -> None:
        nonlocal counter
        for child in node.get("item") or []:
            if not isinstance(child, dict):
                continue
            counter += 1
            if not child.get("id"):
                child["id"] = f"eq-item-{counter}"
            child_auth = auth
            own = child.get("auth")
            if isinstance(child.get("item"), list):
                if isinstance(own, dict):
                    child_auth = own
                visit(
                    child,
                    [*folders, str(child.get("name", ""))],
                    child_auth,
                    scripts + _script_lines(child.get("event")),
                )
                continue
            request = child.get("request")
            if isinstance(request, dict) and isinstance(request.get("auth"), dict):
                child_auth = request["auth"]
            if child_auth is not None and child_auth.get("type") == "noauth":
                child_auth = None
            found.append(
                Item(
                    path="/".join([*folders, str(child.get("name", ""))]),
                    id=str(child["id"]),
                    data=child,
                    auth=child_auth,
                    scripts=scripts + _script_lines(child.get("event")),
                )
            )

    root_auth = (
        collection.get("auth") if isinstance(collection.get("auth"), dict) else None
    )
    visit(collection, [], root_auth, _script_lines(collection.get("event")))
    return found


def _origin(url: str) -> str | None:
    """``scheme://host[:port]`` of a hard-coded URL (None when the host is a variable)."""
    if "://" not in url:
        return None
    parts = urlsplit(url)
    if not parts.netloc or "{{" in parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def _leading_variable(url: str) -> tuple[str | None, bool]:
    """The variable a URL starts with, and whether it is written after a scheme
    (``https://{{host}}/...``, where it names a host, not an origin)."""
    text = url.strip()
    scheme = re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", text)
    rest = text[scheme.end() :] if scheme else text
    match = VAR_RE.match(rest)
    if not match:
        return None, False
    return match.group(1), bool(scheme)


def _path_part(value: str) -> str:
    """The path of a URL value, without a trailing slash ("https://x/v3/" → "/v3")."""
    if "://" not in value:
        return ""
    return urlsplit(value).path.rstrip("/")


def prepare(collection_file: Path, origin: str, work: Path) -> Prepared:
    """The Newman copy of a collection, its items and the variable values."""
    original = json.loads(collection_file.read_text(encoding="utf-8"))
    collection = copy.deepcopy(original)
    items = walk(collection)
    declared = declared_values(collection)
    netloc = urlsplit(origin).netloc
    file_path = work / "upload.csv"
    file_path.write_bytes(FILE_BYTES)

    url_variables: dict[str, str] = {}
    hosts: dict[str, str] = {}
    for item in items:
        request = item.request
        raw = _raw_url(request)
        variable, after_scheme = _leading_variable(raw)
        if variable is not None:
            url_variables[variable] = (
                netloc
                if after_scheme
                else origin + _path_part(declared.get(variable, ""))
            )
        hard = _origin(raw)
        if hard is not None:
            hosts[hard] = origin
        _retarget(item, origin, netloc, after_scheme and variable is not None)
        _fill_path_variables(request)
        _point_files(request, file_path)

    _retarget_scripts(collection, origin)
    values = {name: value_for(name) for name in used_variables(collection)}
    values.update(url_variables)
    return Prepared(collection, items, values, origin, url_variables, hosts, file_path)


def _retarget(item: Item, origin: str, netloc: str, host_variable: bool) -> None:
    """Point a hard-coded host (or the scheme before a host variable) at the proxy."""
    request = item.data.get("request")
    if isinstance(request, str):
        hard = _origin(request)
        if hard:
            item.data["request"] = origin + request[len(hard) :]
        return
    if not isinstance(request, dict):
        return
    url = request.get("url")
    if isinstance(url, str):
        hard = _origin(url)
        if hard:
            request["url"] = origin + url[len(hard) :]
        elif host_variable:
            request["url"] = "http://" + url.split("://", 1)[1]
        return
    if not isinstance(url, dict):
        return
    raw = str(url["raw"]) if isinstance(url.get("raw"), str) else _raw_url(request)
    hard = _origin(raw)
    if hard:
        url["raw"] = origin + raw[len(hard) :]
        url["protocol"] = "http"
        url["host"] = netloc.split(":")[0].split(".")
        url["port"] = netloc.split(":")[1]
    elif host_variable:
        url["raw"] = "http://" + raw.split("://", 1)[1]
        url["protocol"] = "http"


_HOST_RE = re.compile(r"https?://(?!127\.0\.0\.1[:/])[A-Za-z0-9.-]+(?::\d+)?")


def _retarget_scripts(node: Any, origin: str) -> None:
    """Point every hard-coded host in scripts at the proxy: a script's own
    ``pm.sendRequest`` must never leave this machine."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "exec" and isinstance(value, list):
                node[key] = [
                    _HOST_RE.sub(origin, v) if isinstance(v, str) else v for v in value
                ]
            elif key == "exec" and isinstance(value, str):
                node[key] = _HOST_RE.sub(origin, value)
            else:
                _retarget_scripts(value, origin)
    elif isinstance(node, list):
        for value in node:
            _retarget_scripts(value, origin)


def _fill_path_variables(request: dict[str, Any]) -> None:
    url = request.get("url")
    if not isinstance(url, dict):
        return
    for var in url.get("variable") or []:
        if isinstance(var, dict) and var.get("key") and var.get("value") in (None, ""):
            var["value"] = value_for(str(var["key"]))


def path_variable_value(item: Item, key: str) -> str | None:
    """The value Newman uses for ``:key`` in the item's path (None: not declared)."""
    url = item.request.get("url")
    if not isinstance(url, dict):
        return None
    for var in url.get("variable") or []:
        if isinstance(var, dict) and var.get("key") == key:
            return str(var.get("value"))
    return None


def _point_files(request: dict[str, Any], file_path: Path) -> None:
    body = request.get("body")
    if not isinstance(body, dict):
        return
    if body.get("mode") == "file" and isinstance(body.get("file"), dict):
        body["file"]["src"] = str(file_path)
    for part in body.get("formdata") or []:
        if isinstance(part, dict) and part.get("type") == "file":
            part["src"] = str(file_path)


def auth_value(auth: dict[str, Any] | None, key: str) -> str | None:
    """A parameter of an auth block (v2.1 list or v2.0 mapping form)."""
    if auth is None:
        return None
    params = auth.get(str(auth.get("type")))
    if isinstance(params, list):
        for entry in params:
            if isinstance(entry, dict) and entry.get("key") == key:
                value = entry.get("value")
                return None if value is None else str(value)
        return None
    if isinstance(params, dict):
        value = params.get(key)
        return None if value is None else str(value)
    return None
