"""Normalisation of a parsed collection (plain JSON data) into the ``model`` dataclasses.

Every object gets ``where``, its JSON path in the file. The input is normally
schema-checked already, but nothing here relies on that: a value of the wrong type
raises ``InputError`` naming its JSON path, so ``validate=False`` is safe too.
Conversely, whatever the schema accepts loads: keys it leaves unchecked and that only
annotate (a field's ``type``, an example's ``name``) become ``""`` when not text,
and example responses that are not objects are skipped.
"""

from __future__ import annotations

import re
from typing import Any

from generator.errors import InputError

from ._parse import (
    UrlParts,
    join_url,
    path_variable_names,
    split_header_lines,
    split_host,
    split_path,
    split_url,
)
from ._values import kind_of, loose_text, value_text
from .model import (
    PmAuth,
    PmBody,
    PmCollection,
    PmFormField,
    PmItem,
    PmKeyValue,
    PmRequest,
    PmResponse,
    PmScript,
    PmUrl,
)

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class Builder:
    """Builds model objects for one collection file (``source`` names it in errors)."""

    def __init__(self, source: str) -> None:
        self.source = source

    # ----------------------------------------------------------------- typed access

    def fail(self, where: str, message: str) -> InputError:
        """An ``InputError`` for this file at ``where``."""
        return InputError(self.source, where, message)

    def obj(self, value: object, where: str) -> dict[str, Any]:
        """``value`` if it is a JSON object, else an error."""
        if not isinstance(value, dict):
            raise self.fail(where, f"expected an object, found {kind_of(value)}")
        return value

    def arr(self, value: object, where: str) -> list[Any]:
        """``value`` if it is an array (``null``/absent counts as empty), else an error."""
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(where, f"expected an array, found {kind_of(value)}")
        return value

    def text(self, value: object, where: str) -> str:
        """``value`` if it is a string (``null``/absent counts as ``""``), else an error."""
        if value is None:
            return ""
        if not isinstance(value, str):
            raise self.fail(where, f"expected a string, found {kind_of(value)}")
        return value

    def opt_text(self, value: object, where: str) -> str | None:
        """Like ``text`` but keeps ``None``."""
        return None if value is None else self.text(value, where)

    def description(self, value: object, where: str) -> str:
        """A description given as a string or as ``{content, type}``."""
        if isinstance(value, dict):
            content = value.get("content")
            return content if isinstance(content, str) else ""
        return self.text(value, where)

    def profile(self, value: object, where: str) -> dict[str, Any]:
        """``protocolProfileBehavior``: an object, kept as it is."""
        return {} if value is None else dict(self.obj(value, where))

    # ------------------------------------------------------------------- collection

    def collection(self, root: dict[str, Any], version: str, base: str) -> PmCollection:
        """The whole collection; ``base`` is the JSON path of ``root`` in the file."""
        info = self.obj(root.get("info"), f"{base}.info")
        return PmCollection(
            name=self.text(info.get("name"), f"{base}.info.name"),
            schema_version=version,
            source=self.source,
            id=self.opt_text(info.get("_postman_id"), f"{base}.info._postman_id"),
            description=self.description(
                info.get("description"), f"{base}.info.description"
            ),
            items=self.items(root.get("item"), f"{base}.item"),
            auth=self.auth(root.get("auth"), f"{base}.auth"),
            variables=self.variables(root.get("variable"), f"{base}.variable"),
            scripts=self.scripts(root.get("event"), f"{base}.event"),
            protocol_profile=self.profile(
                root.get("protocolProfileBehavior"), f"{base}.protocolProfileBehavior"
            ),
        )

    def items(self, value: object, where: str) -> tuple[PmItem, ...]:
        """An ``item`` array: requests and folders in file order."""
        return tuple(
            self.item(entry, f"{where}[{i}]")
            for i, entry in enumerate(self.arr(value, where))
        )

    def item(self, value: object, where: str) -> PmItem:
        """A folder (has ``item``) or a request item (has ``request``).

        With both, an ``item`` array wins (Postman's rule); ``id`` may also be
        written ``_postman_id`` (older exports).
        """
        data = self.obj(value, where)
        ident = loose_text(data.get("id", data.get("_postman_id"))) or None
        is_folder = "item" in data and (
            "request" not in data or isinstance(data["item"], list)
        )
        if not is_folder and "request" not in data:
            raise self.fail(
                where, "an item needs `request` (a request) or `item` (a folder)"
            )
        return PmItem(
            name=self.text(data.get("name"), f"{where}.name"),
            id=ident,
            request=(
                None if is_folder else self.request(data["request"], f"{where}.request")
            ),
            items=self.items(data["item"], f"{where}.item") if is_folder else (),
            is_folder=is_folder,
            responses=(
                ()
                if is_folder
                else self.responses(data.get("response"), f"{where}.response")
            ),
            scripts=self.scripts(data.get("event"), f"{where}.event"),
            auth=self.auth(data.get("auth"), f"{where}.auth") if is_folder else None,
            variables=self.variables(data.get("variable"), f"{where}.variable"),
            description=self.description(
                data.get("description"), f"{where}.description"
            ),
            protocol_profile=self.profile(
                data.get("protocolProfileBehavior"), f"{where}.protocolProfileBehavior"
            ),
            where=where,
        )

    # ------------------------------------------------------------- key/value lists

    def key_value(self, value: object, where: str) -> PmKeyValue:
        """A header, query parameter, urlencoded field or variable.

        A variable may have ``id`` and no ``key``: the ``id`` is its name then.
        """
        data = self.obj(value, where)
        key = data.get("key")
        if key is None:
            key = data.get("id")
        return PmKeyValue(
            key=self.text(key, f"{where}.key"),
            value=value_text(data.get("value")),
            disabled=data.get("disabled") is True,
            description=self.description(
                data.get("description"), f"{where}.description"
            ),
            type=loose_text(data.get("type")),
            where=where,
        )

    def key_values(self, value: object, where: str) -> tuple[PmKeyValue, ...]:
        """An array of key/value objects."""
        return tuple(
            self.key_value(entry, f"{where}[{i}]")
            for i, entry in enumerate(self.arr(value, where))
        )

    def variables(self, value: object, where: str) -> tuple[PmKeyValue, ...]:
        """A ``variable`` array (collection, folder or item level)."""
        return self.key_values(value, where)

    def headers(self, value: object, where: str) -> tuple[PmKeyValue, ...]:
        """Headers given as an array of objects (or ``"Key: v"`` strings) or as one string."""
        if isinstance(value, str):
            return self.header_string(value, where)
        found: list[PmKeyValue] = []
        for i, entry in enumerate(self.arr(value, where)):
            if isinstance(entry, str):
                found.extend(self.header_string(entry, f"{where}[{i}]"))
            else:
                found.append(self.key_value(entry, f"{where}[{i}]"))
        return tuple(found)

    @staticmethod
    def header_string(text: str, where: str) -> tuple[PmKeyValue, ...]:
        """``"Key: value\\nKey2: v2"`` as headers (``//Key: v`` is a disabled one)."""
        return tuple(
            PmKeyValue(key=key, value=value, disabled=disabled, where=where)
            for key, value, disabled in split_header_lines(text)
        )

    # ------------------------------------------------------------------------ auth

    def auth(self, value: object, where: str) -> PmAuth | None:
        """An auth block in the v2.0 or v2.1 shape; ``None`` (inherit) when absent/null."""
        if value is None:
            return None
        data = self.obj(value, where)
        kind = data.get("type")
        if not isinstance(kind, str) or not kind:
            raise self.fail(
                f"{where}.type",
                f"expected the auth type as a string, found {kind_of(kind)}",
            )
        if kind == "noauth":
            return PmAuth(type="noauth", where=where)
        return PmAuth(
            type=kind,
            params=self.auth_params(data.get(kind), f"{where}.{kind}"),
            where=where,
        )

    def auth_params(self, value: object, where: str) -> dict[str, Any]:
        """v2.1 ``[{key, value, type}]`` or v2.0 ``{key: value}`` as one ``{key: value}``."""
        if value is None:
            return {}
        if isinstance(value, dict):
            return dict(value)
        params: dict[str, Any] = {}
        for i, entry in enumerate(self.arr(value, where)):
            attribute = self.obj(entry, f"{where}[{i}]")
            key = attribute.get("key")
            if not isinstance(key, str):
                raise self.fail(
                    f"{where}[{i}].key", f"expected a string, found {kind_of(key)}"
                )
            params[key] = attribute.get("value")
        return params

    # --------------------------------------------------------------------- scripts

    def scripts(self, value: object, where: str) -> tuple[PmScript, ...]:
        """An ``event`` array; disabled events are left out (Postman does not run them)."""
        found: list[PmScript] = []
        for i, entry in enumerate(self.arr(value, where)):
            event_where = f"{where}[{i}]"
            event = self.obj(entry, event_where)
            if event.get("disabled") is True:
                continue
            script = event.get("script")
            code = (
                None
                if script is None
                else self.obj(script, f"{event_where}.script").get("exec")
            )
            found.append(
                PmScript(
                    listen=self.text(event.get("listen"), f"{event_where}.listen"),
                    lines=self.script_lines(code, f"{event_where}.script.exec"),
                    where=event_where,
                )
            )
        return tuple(found)

    def script_lines(self, value: object, where: str) -> tuple[str, ...]:
        """Script ``exec`` given as one string or as a list of lines."""
        if isinstance(value, str):
            return tuple(_LINE_BREAK.split(value)) if value else ()
        return tuple(
            self.text(line, f"{where}[{i}]")
            for i, line in enumerate(self.arr(value, where))
        )

    # --------------------------------------------------------------------- request

    def request(self, value: object, where: str) -> PmRequest:
        """A request object, or a URL string (which means a GET of that URL)."""
        if isinstance(value, str):
            return PmRequest(method="GET", url=self.url(value, where), where=where)
        data = self.obj(value, where)
        method = self.text(data.get("method"), f"{where}.method")
        return PmRequest(
            method=method.upper() or "GET",
            url=self.url(data.get("url"), f"{where}.url"),
            headers=self.headers(data.get("header"), f"{where}.header"),
            body=self.body(data.get("body"), f"{where}.body"),
            auth=self.auth(data.get("auth"), f"{where}.auth"),
            description=self.description(
                data.get("description"), f"{where}.description"
            ),
            where=where,
        )

    # ------------------------------------------------------------------------- url

    def url(self, value: object, where: str) -> PmUrl:
        """A URL given as a string (parsed like Postman does) or as an object."""
        if value is None:
            return PmUrl(raw="", where=where)
        if isinstance(value, str):
            return self.url_from_string(value, where)
        data = self.obj(value, where)
        raw = self.opt_text(data.get("raw"), f"{where}.raw")
        if raw is not None and "host" not in data and "path" not in data:
            parts = split_url(raw)  # only `raw` (and perhaps query): the string decides
        else:
            parts = UrlParts(
                protocol=self.text(data.get("protocol"), f"{where}.protocol"),
                host=self.url_host(data.get("host"), f"{where}.host"),
                port=self.url_port(data.get("port"), f"{where}.port"),
                path=self.url_path(data.get("path"), f"{where}.path"),
                hash=self.text(data.get("hash"), f"{where}.hash"),
            )
        if "query" in data:
            query = self.key_values(data["query"], f"{where}.query")
        else:
            query = self.query_from_pairs(parts, where)
        variables = self.with_path_variables(
            self.key_values(data.get("variable"), f"{where}.variable"),
            parts.path,
            where,
        )
        if raw is None:
            raw = join_url(parts, [(q.key, q.value) for q in query if not q.disabled])
        return PmUrl(
            raw=raw,
            protocol=parts.protocol,
            host=parts.host,
            port=parts.port,
            path=parts.path,
            query=query,
            variables=variables,
            hash=parts.hash,
            where=where,
        )

    def url_from_string(self, raw: str, where: str) -> PmUrl:
        """A URL string split into protocol, host, port, path, query and hash."""
        parts = split_url(raw)
        return PmUrl(
            raw=raw,
            protocol=parts.protocol,
            host=parts.host,
            port=parts.port,
            path=parts.path,
            query=self.query_from_pairs(parts, where),
            variables=self.with_path_variables((), parts.path, where),
            hash=parts.hash,
            where=where,
        )

    @staticmethod
    def query_from_pairs(parts: UrlParts, where: str) -> tuple[PmKeyValue, ...]:
        """Query parameters from a parsed string (all located at the URL itself)."""
        return tuple(
            PmKeyValue(key=key, value=value, where=where) for key, value in parts.query
        )

    @staticmethod
    def with_path_variables(
        variables: tuple[PmKeyValue, ...], path: tuple[str, ...], where: str
    ) -> tuple[PmKeyValue, ...]:
        """``variables`` plus a bare entry for each ``:name`` path segment they lack."""
        known = {variable.key for variable in variables}
        missing = [name for name in path_variable_names(path) if name not in known]
        return variables + tuple(
            PmKeyValue(key=name, value=None, where=where) for name in missing
        )

    def url_host(self, value: object, where: str) -> tuple[str, ...]:
        """``host`` as a string (split on ``.``) or as an array of labels."""
        if isinstance(value, str):
            return split_host(value)
        return tuple(
            self.text(label, f"{where}[{i}]")
            for i, label in enumerate(self.arr(value, where))
        )

    def url_path(self, value: object, where: str) -> tuple[str, ...]:
        """``path`` as a string (split on ``/``) or as an array of segments.

        A segment may be an object ``{type, value}``; its ``value`` is the segment.
        """
        if isinstance(value, str):
            return split_path(value)
        segments: list[str] = []
        for i, segment in enumerate(self.arr(value, where)):
            if isinstance(segment, dict):
                segment = segment.get("value")
            segments.append(self.text(segment, f"{where}[{i}]"))
        return tuple(segments)

    def url_port(self, value: object, where: str) -> str:
        """``port`` as a string (a number is accepted)."""
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        return self.text(value, where)

    # ------------------------------------------------------------------------ body

    def body(self, value: object, where: str) -> PmBody | None:
        """A request body; no ``mode`` means mode ``none``, a null body means no body."""
        if value is None:
            return None
        data = self.obj(value, where)
        mode = self.text(data.get("mode"), f"{where}.mode") or "none"
        graphql = data.get("graphql") if mode == "graphql" else None
        graphql_data = {} if graphql is None else self.obj(graphql, f"{where}.graphql")
        return PmBody(
            mode=mode,
            raw=self.text(data.get("raw"), f"{where}.raw") if mode == "raw" else "",
            language=self.raw_language(data.get("options"), f"{where}.options"),
            urlencoded=(
                self.key_values(data.get("urlencoded"), f"{where}.urlencoded")
                if mode == "urlencoded"
                else ()
            ),
            formdata=(
                self.form_fields(data.get("formdata"), f"{where}.formdata")
                if mode == "formdata"
                else ()
            ),
            file_src=(
                self.file_src(data.get("file"), f"{where}.file")
                if mode == "file"
                else None
            ),
            graphql_query=value_text(graphql_data.get("query")) or "",
            graphql_variables=value_text(graphql_data.get("variables")) or "",
            disabled=data.get("disabled") is True,
            where=where,
        )

    def raw_language(self, options: object, where: str) -> str:
        """``options.raw.language`` ("json", "xml", ...) or ``""``."""
        if options is None:
            return ""
        raw = self.obj(options, where).get("raw")
        if not isinstance(raw, dict):
            return ""
        return loose_text(raw.get("language"))

    def file_src(self, value: object, where: str) -> str | None:
        """``file.src`` of a binary body (``None`` when no file was chosen)."""
        if value is None:
            return None
        return self.opt_text(self.obj(value, where).get("src"), f"{where}.src")

    def form_fields(self, value: object, where: str) -> tuple[PmFormField, ...]:
        """The ``formdata`` array."""
        return tuple(
            self.form_field(entry, f"{where}[{i}]")
            for i, entry in enumerate(self.arr(value, where))
        )

    def form_field(self, value: object, where: str) -> PmFormField:
        """One form field: ``type: file`` fields carry ``src`` (a string, a list or null)."""
        data = self.obj(value, where)
        return PmFormField(
            key=self.text(data.get("key"), f"{where}.key"),
            kind="file" if data.get("type") == "file" else "text",
            value=value_text(data.get("value")),
            src=self.sources(data.get("src"), f"{where}.src"),
            content_type=self.text(data.get("contentType"), f"{where}.contentType"),
            disabled=data.get("disabled") is True,
            description=self.description(
                data.get("description"), f"{where}.description"
            ),
            where=where,
        )

    def sources(self, value: object, where: str) -> tuple[str, ...]:
        """A form field's ``src``: one path, several, or none."""
        if isinstance(value, str):
            return (value,) if value else ()
        return tuple(
            self.text(src, f"{where}[{i}]")
            for i, src in enumerate(self.arr(value, where))
        )

    # ------------------------------------------------------------------- responses

    def responses(self, value: object, where: str) -> tuple[PmResponse, ...]:
        """The saved examples of a request item (entries that are not objects carry
        nothing and are skipped: the schema allows them)."""
        return tuple(
            self.response(entry, f"{where}[{i}]")
            for i, entry in enumerate(self.arr(value, where))
            if isinstance(entry, dict)
        )

    def response(self, value: object, where: str) -> PmResponse:
        """One saved example; ``code`` may be missing and ``body`` null."""
        data = self.obj(value, where)
        code = data.get("code")
        if code is not None and (isinstance(code, bool) or not isinstance(code, int)):
            raise self.fail(
                f"{where}.code", f"expected an integer, found {kind_of(code)}"
            )
        return PmResponse(
            name=loose_text(data.get("name")),
            code=code,
            status=self.text(data.get("status"), f"{where}.status"),
            headers=self.headers(data.get("header"), f"{where}.header"),
            body=self.opt_text(data.get("body"), f"{where}.body"),
            preview_language=loose_text(data.get("_postman_previewlanguage")),
            where=where,
        )
