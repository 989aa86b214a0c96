"""Build ``collections/salesforce-bulk-v2.postman_collection.json``.

The "Bulk v2" folder (with its nested "Query" folder) is copied unchanged from the
corpus copy of the 2022 "Salesforce APIs" collection; the collection-level event is
copied too. Collection auth, info and variables are set here, and every request gets
saved example responses: the two items that have a published page in
``shared/seeds/`` take their responses from there verbatim, the other 13 are
written below from the documented examples in ``shared/reference/salesforce-bulk-api-2.md``.

Standard library only. Usage (from the repository root)::

    python collections/tools/build_salesforce_bulk_v2.py          # (re)write the file
    python collections/tools/build_salesforce_bulk_v2.py --check  # exit 1 if stale
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

JSON = dict[str, Any]

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(__file__).resolve().parents[3] / "shared"
SOURCE = SHARED / "corpus" / "salesforce-apis-2022.postman_collection.json"
SEEDS = SHARED / "seeds"
OUTPUT = REPO / "collections" / "salesforce-bulk-v2.postman_collection.json"

SEED_MARKER = "Postman Collection Item JSON"
SCHEMA_URL = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"

DESCRIPTION = """\
Requests for the Salesforce **Bulk API 2.0**: ingest jobs (create, upload CSV data, \
close or abort, delete, job info, list, successful / failed / unprocessed record \
results) and, in the nested *Query* folder, query jobs (create, abort, job info, \
delete, CSV results, list).

Taken from the Salesforce APIs collection \
([forcedotcom/postman-salesforce-apis](https://github.com/forcedotcom/postman-salesforce-apis)); \
every request has saved example responses.

## Variables

| Variable | Description |
| --- | --- |
| `_endpoint` | Instance URL of the org (the `instance_url` of an OAuth token response). |
| `version` | Salesforce API version, e.g. `58.0`. |
| `_accessToken` | OAuth access token, sent as `Authorization: Bearer {{_accessToken}}`. |
| `_jobId` | Job ID; set by the test script of the "Create job" request. |
"""

AUTH: JSON = {
    "type": "bearer",
    "bearer": [{"key": "token", "value": "{{_accessToken}}", "type": "string"}],
}

# The collection variables the Bulk v2 requests use, with the values to ship.
VARIABLES = {"version": "58.0", "_accessToken": "", "_endpoint": "", "_jobId": ""}

STATUS_TEXT = {
    200: "OK",
    201: "Created",
    204: "No Content",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
}

JSON_TYPE = "application/json;charset=UTF-8"
CSV_TYPE = "text/csv; charset=UTF-8"


# --------------------------------------------------------------------------- inputs


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def load_seed_items() -> dict[str, JSON]:
    """The "Postman Collection Item JSON" block of every seed page, by item name."""
    items: dict[str, JSON] = {}
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        _, found, rest = text.partition(SEED_MARKER)
        if not found:
            continue
        item, _ = json.JSONDecoder().raw_decode(rest.lstrip())
        items[item["name"]] = item
    return items


def find_folder(items: list[JSON], name: str) -> JSON:
    for item in items:
        if item["name"] == name and "item" in item:
            return item
    raise SystemExit(f"folder {name!r} not found in {SOURCE}")


def requests_in(folder: JSON) -> Iterable[JSON]:
    for item in folder["item"]:
        if "item" in item:
            yield from requests_in(item)
        else:
            yield item


# ------------------------------------------------------------------ example helpers


def with_query(request: JSON, values: dict[str, str]) -> JSON:
    """A copy of ``request`` with the named query parameters enabled and set."""
    sent = copy.deepcopy(request)
    url = sent["url"]
    for param in url["query"]:
        if param["key"] in values:
            param["value"] = values[param["key"]]
            param.pop("disabled", None)
    enabled = [p for p in url["query"] if not p.get("disabled")]
    base = url["raw"].partition("?")[0]
    query = "&".join(
        p["key"] if p["value"] is None else f"{p['key']}={p['value']}" for p in enabled
    )
    url["raw"] = f"{base}?{query}" if query else base
    return sent


def response_headers(
    time: str,
    usage: int | None,
    content_type: str | None,
    extra: dict[str, str] | None = None,
) -> list[dict[str, str]]:
    """Salesforce response headers in the order of the seed examples."""
    pairs = [
        ("Date", f"Mon, 20 Nov 2023 {time} GMT"),
        ("Strict-Transport-Security", "max-age=63072000; includeSubDomains"),
        ("X-Content-Type-Options", "nosniff"),
        ("X-XSS-Protection", "1; mode=block"),
        ("X-Robots-Tag", "none"),
        ("Cache-Control", "no-cache,must-revalidate,max-age=0,no-store,private"),
    ]
    if usage is not None:
        pairs.append(("Sforce-Limit-Info", f"api-usage={usage}/15000"))
    pairs.extend((extra or {}).items())
    if content_type is not None:
        pairs.append(("Content-Type", content_type))
        pairs.append(("Transfer-Encoding", "chunked"))
    return [{"key": key, "value": value} for key, value in pairs]


def example(
    name: str,
    request: JSON,
    code: int,
    time: str,
    usage: int | None,
    *,
    json_body: Any = None,
    csv_body: str | None = None,
    extra_headers: dict[str, str] | None = None,
) -> JSON:
    """One saved response, shaped like the published collection's examples."""
    if json_body is not None:
        language, content_type = "json", JSON_TYPE
        body = json.dumps(json_body, indent=1, ensure_ascii=False)
    elif csv_body is not None:
        language, content_type, body = "csv", CSV_TYPE, csv_body
    else:
        language, content_type, body = "text", None, ""
    return {
        "name": name,
        "originalRequest": copy.deepcopy(request),
        "status": STATUS_TEXT[code],
        "code": code,
        "_postman_previewlanguage": language,
        "header": response_headers(time, usage, content_type, extra_headers),
        "cookie": [],
        "body": body,
    }


def job_info(operation: str, sobject: str, state: str, **extra: Any) -> JSON:
    """A JobInfo record with the seed's placeholder ids and dates."""
    return {
        "id": "750...",
        "operation": operation,
        "object": sobject,
        "createdById": "005...",
        "createdDate": "<datetime>",
        "systemModstamp": "<datetime>",
        "state": state,
        "concurrencyMode": "Parallel",
        "contentType": "CSV",
        "apiVersion": 58,
        **extra,
    }


def error(code: str, message: str) -> list[dict[str, str]]:
    return [{"errorCode": code, "message": message}]


NOT_FOUND = error("NOT_FOUND", "The requested resource does not exist")
FORMAT = {"lineEnding": "LF", "columnDelimiter": "COMMA"}

# Query results of ``SELECT Id, Name FROM Account`` (3 rows), whole and in pages of 2.
QUERY_HEADER = '"Id","Name"\n'
QUERY_ROWS = [
    '"001Hs00000Q3xyzIAB","Acme Corp"\n',
    '"001Hs00000Q3xz0IAB","Globex, Inc."\n',
    '"001Hs00000Q3xz1IAB","Initech"\n',
]
LOCATOR = "MTAwMDA"


def query_page(rows: list[str], locator: str) -> dict[str, Any]:
    return {
        "csv_body": QUERY_HEADER + "".join(rows),
        "extra_headers": {
            "Sforce-Locator": locator,
            "Sforce-NumberOfRecords": str(len(rows)),
        },
    }


def added_examples(name: str, request: JSON) -> list[JSON]:
    """The saved responses written for request ``name`` (not from a seed)."""
    ok = f"Successful {name}"
    if name == "Create job Query":
        body = job_info("query", "Account", "UploadComplete", **FORMAT)
        return [example(ok, request, 200, "15:08:02", 23, json_body=body)]
    if name == "Get Job Info Query":
        body = job_info(
            "query",
            "Account",
            "JobComplete",
            jobType="V2Query",
            **FORMAT,
            numberRecordsProcessed=len(QUERY_ROWS),
            retries=0,
            totalProcessingTime=353,
            isPkChunkingSupported=True,
        )
        return [
            example(ok, request, 200, "15:08:31", 24, json_body=body),
            example("Job Not Found", request, 404, "15:11:15", 32, json_body=NOT_FOUND),
        ]
    if name == "Delete Job Query":
        not_terminated = error(
            "API_ERROR",
            "Error encountered when deleting the job because the job is not terminated",
        )
        return [
            example(ok, request, 204, "15:11:02", 31),
            example(
                "Job Not Terminated",
                request,
                400,
                "15:10:40",
                30,
                json_body=not_terminated,
            ),
        ]
    if name == "Get Job Query Result":
        first = with_query(request, {"maxRecords": "2"})
        last = with_query(request, {"locator": LOCATOR, "maxRecords": "2"})
        return [
            example(ok, request, 200, "15:08:50", 25, **query_page(QUERY_ROWS, "null")),
            example(
                "First Page (maxRecords)",
                first,
                200,
                "15:09:02",
                26,
                **query_page(QUERY_ROWS[:2], LOCATOR),
            ),
            example(
                "Last Page (locator)",
                last,
                200,
                "15:09:09",
                27,
                **query_page(QUERY_ROWS[2:], "null"),
            ),
        ]
    if name == "Get All Query Jobs":
        body = {
            "done": True,
            "records": [
                job_info(
                    "query", "Account", "JobComplete", jobType="V2Query", **FORMAT
                ),
                job_info("queryAll", "Contact", "Aborted", jobType="V2Query", **FORMAT),
            ],
            "nextRecordsUrl": None,
        }
        return [example(ok, request, 200, "15:09:40", 28, json_body=body)]
    if name == "Create job":
        body = job_info(
            "update",
            "Asset",
            "Open",
            contentUrl="services/data/v58.0/jobs/ingest/750.../batches",
            **FORMAT,
        )
        return [example(ok, request, 200, "14:59:21", 1, json_body=body)]
    if name == "Upload Job Data":
        return [example(ok, request, 201, "14:59:47", 1)]
    if name == "Delete Job":
        return [example(ok, request, 204, "15:03:12", 8)]
    if name == "Get Job Info":
        body = job_info(
            "insert",
            "Account",
            "JobComplete",
            jobType="V2Ingest",
            **FORMAT,
            numberRecordsProcessed=2,
            numberRecordsFailed=1,
            retries=0,
            totalProcessingTime=886,
            apiActiveProcessingTime=813,
            apexProcessingTime=619,
        )
        return [
            example(ok, request, 200, "15:01:30", 3, json_body=body),
            example("Job Not Found", request, 404, "15:03:25", 9, json_body=NOT_FOUND),
        ]
    if name == "Get All Jobs":
        body = {
            "done": True,
            "records": [
                job_info(
                    "insert", "Account", "JobComplete", jobType="V2Ingest", **FORMAT
                ),
                job_info("update", "Asset", "Open", jobType="V2Ingest", **FORMAT),
            ],
            "nextRecordsUrl": None,
        }
        expired = error("INVALID_SESSION_ID", "Session expired or invalid")
        return [
            example(ok, request, 200, "15:02:40", 7, json_body=body),
            example(
                "Invalid Session", request, 401, "15:04:01", None, json_body=expired
            ),
        ]
    if name == "Get Job Successful Record Results":
        csv = (
            '"sf__Id","sf__Created",External_Id__c,Name,NumberOfEmployees\n'
            '"001Hs00000Q3xyzIAB","true",A-1001,Acme Corp,250\n'
        )
        return [example(ok, request, 200, "15:01:52", 4, csv_body=csv)]
    if name == "Get Job Failed Record Results":
        csv = (
            '"sf__Id","sf__Error",External_Id__c,Name,NumberOfEmployees\n'
            '"","REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --",A-1002,,1200\n'
        )
        return [example(ok, request, 200, "15:02:05", 5, csv_body=csv)]
    if name == "Get Job Unprocessed Record Results":
        csv = "External_Id__c,Name,NumberOfEmployees\nA-1003,Initech,75\n"
        return [example(ok, request, 200, "15:02:17", 6, csv_body=csv)]
    raise SystemExit(f"no examples written for request {name!r}")


# --------------------------------------------------------------------------- build


def canonical(value: Any) -> str:
    """Key-order-sensitive text of a JSON value, for exact comparisons."""
    return json.dumps(value, ensure_ascii=False)


def build() -> JSON:
    source = load_json(SOURCE)
    seeds = load_seed_items()
    folder = copy.deepcopy(find_folder(source["item"], "Bulk v2"))

    items = list(requests_in(folder))
    if len(items) != 15:
        raise SystemExit(f"expected 15 Bulk v2 requests, found {len(items)}")
    for item in items:
        if item.get("response"):
            raise SystemExit(f"{item['name']!r} already has examples in the source")
        seed = seeds.get(item["name"])
        if seed is None:
            item["response"] = added_examples(item["name"], item["request"])
            continue
        if canonical(seed["request"]) != canonical(item["request"]):
            raise SystemExit(
                f"seed request of {item['name']!r} differs from the source"
            )
        item["response"] = copy.deepcopy(seed["response"])
        if canonical(item) != canonical(seed):
            raise SystemExit(f"item {item['name']!r} does not equal its seed")

    variables = [
        {"key": var["key"], "value": VARIABLES[var["key"]]}
        for var in source["variable"]
        if var["key"] in VARIABLES
    ]
    if [var["key"] for var in variables] != list(VARIABLES):
        raise SystemExit("collection variables missing from the source")

    return {
        "info": {
            "_postman_id": source["info"]["_postman_id"],
            "name": "Salesforce Bulk API 2.0",
            "description": DESCRIPTION,
            "schema": SCHEMA_URL,
        },
        "item": [folder],
        "auth": AUTH,
        "event": copy.deepcopy(source["event"]),
        "variable": variables,
    }


def render(collection: JSON) -> str:
    return json.dumps(collection, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write; exit 1 if the committed file differs from a fresh build",
    )
    args = parser.parse_args(argv)
    text = render(build())
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(
                f"{OUTPUT.relative_to(REPO)} is out of date; rebuild it",
                file=sys.stderr,
            )
            return 1
        print(f"{OUTPUT.relative_to(REPO)} is up to date")
        return 0
    OUTPUT.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {OUTPUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
