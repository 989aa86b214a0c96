"""The equivalence run: each collection through Newman and through its generated
client, request by request, with a table and the list of differences.

``python -m tests.equivalence.harness`` prints the table;
``python -m tests.equivalence.harness --write-expected`` rewrites
``EXPECTED_DIFFERENCES.yaml`` from what it measured (review the diff: every entry
needs its reason).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .collection import Item, prepare
from .compare import Difference, compare
from .peers import EchoServer
from .proxy import RecordingProxy
from .runner import run_client, run_newman

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
CORPUS = REPO_ROOT.parent / "shared" / "corpus"
EXPECTED_FILE = HERE / "EXPECTED_DIFFERENCES.yaml"
TARGET_PERCENT = 99.0
SUPPORTED_AUTH = {"bearer", "basic", "apikey", "noauth"}
# What Newman's runtime adds through a collection's pre-request script and the
# generator reproduces (static lines); any other line is a script effect.
_DATETIME_Z = re.compile(r"T\d\d:\d\d:\d\d(\.\d+)?Z")
STATIC_SCRIPT = re.compile(r"^pm\.request\.headers\.add\(|^//")


@dataclass(frozen=True)
class Target:
    name: str
    collection: Path

    @property
    def package(self) -> str:
        return "eq_" + re.sub(r"\W+", "_", self.name).strip("_")


TARGETS = [
    Target("postman-echo", CORPUS / "postman-echo.postman_collection.json"),
    Target(
        "salesforce-bulk-v2",
        REPO_ROOT / "collections" / "salesforce-bulk-v2.postman_collection.json",
    ),
    Target("stripe-api", CORPUS / "stripe-api.postman_collection.json"),
    Target("paypal-public-apis", CORPUS / "paypal-public-apis.postman_collection.json"),
    Target("sabre-air-connect", CORPUS / "sabre-air-connect.postman_collection.json"),
    Target(
        "adyen-management-api-v3",
        CORPUS / "adyen-management-api-v3.postman_collection.json",
    ),
    Target(
        "box-content-api-2015", CORPUS / "box-content-api-2015.postman_collection.json"
    ),
    Target(
        "contentstack-graphql-api",
        CORPUS / "contentstack-graphql-api.postman_collection.json",
    ),
]

EQUIVALENT = "equivalent"
# Tables measured in this process, printed at the end of a pytest run (conftest.py).
TABLES: list[tuple[str, str]] = []


@dataclass
class Outcome:
    """One request of the collection."""

    item: str  # item path
    item_id: str
    status: str  # "equivalent", "different", or why nothing was compared
    differences: list[Difference] = field(default_factory=list)
    reason: str = ""
    error: str = ""

    @property
    def compared(self) -> bool:
        return self.status in (EQUIVALENT, "different")

    def aspects(self) -> list[str]:
        if not self.compared:
            return [self.status]
        return sorted({d.aspect for d in self.differences})


@dataclass
class CollectionResult:
    target: Target
    outcomes: list[Outcome]

    @property
    def compared(self) -> int:
        return sum(o.compared for o in self.outcomes)

    @property
    def equivalent(self) -> int:
        return sum(o.status == EQUIVALENT for o in self.outcomes)

    @property
    def percent(self) -> float:
        return 100.0 * self.equivalent / self.compared if self.compared else 0.0

    def reasons(self) -> Counter[str]:
        return Counter(o.reason for o in self.outcomes if o.status != EQUIVALENT)


def classify(item: Item, outcome: Outcome) -> str:
    """Why a request differs, from what the item uses and what differs."""
    auth_type = str(item.auth.get("type")) if item.auth else "noauth"
    mode = item.body_mode
    aspects = set(outcome.aspects())
    if outcome.status == "no method":
        return f"no method ({mode} body)" if mode else "no method"
    if outcome.status != "different":
        return outcome.status
    auth_aspects = {"header:authorization", "query", "query order", "body"}
    if auth_type not in SUPPORTED_AUTH and aspects & auth_aspects:
        return f"auth {auth_type} not implemented"
    if mode in ("formdata", "urlencoded", "graphql", "file") and aspects & {
        "body",
        "header:content-type",
    }:
        return f"{mode} body"
    dynamic = [line for line in item.scripts if not STATIC_SCRIPT.match(line)]
    if dynamic and any(a.startswith("header:") for a in aspects):
        return "pre-request script"
    by_aspect = {d.aspect: d for d in outcome.differences}
    if aspects == {"query encoding"}:
        return "query: httpx percent-encodes characters Postman sends as written"
    if "query" in by_aspect and _bare_keys(by_aspect["query"].newman):
        return "query key without a value not sent"
    if (
        "header:content-type" in by_aspect
        and "text/plain" in by_aspect["header:content-type"].newman
    ):
        return "raw body without a language: Postman sends text/plain"
    body = by_aspect.get("body")
    if body and _DATETIME_Z.search(body.newman) and "+00:00" in body.client:
        return "datetime body value re-serialised (Z becomes +00:00)"
    if body and "{{" in body.client:
        return "variable inside a nested body value not substituted"
    if body and "v-" in body.newman and "v-" not in body.client:
        return "body variable replaced by its collection value when generated"
    if body and dynamic:
        return "pre-request script"
    return "other: " + ", ".join(sorted(aspects))


def _bare_keys(query: str) -> bool:
    """Whether a (repr'd) query string has a key written without ``=``."""
    return any(part and "=" not in part for part in query.strip("'").split("&"))


def run_target(target: Target, echo_port: int, work: Path) -> CollectionResult:
    work.mkdir(parents=True, exist_ok=True)
    with RecordingProxy(
        ("127.0.0.1", echo_port), record_file=work / "requests.jsonl"
    ) as proxy:
        prepared = prepare(target.collection, proxy.url, work)
        newman_sent = run_newman(prepared, proxy, work)
        client_run = run_client(
            prepared, proxy, work, target.package, target.collection
        )
    outcomes = []
    for item in prepared.items:
        outcome = Outcome(item.path, item.id, EQUIVALENT)
        reference = newman_sent.get(item.id)
        sent = client_run.sent.get(item.id)
        if item.id not in client_run.operations:
            outcome.status = "no method"
        elif reference is None:
            outcome.status = "newman sent nothing"
        elif sent is None:
            outcome.status = "client sent nothing"
            outcome.error = client_run.errors.get(item.id, "")
        else:
            outcome.differences = compare(reference, sent)
            if outcome.differences:
                outcome.status = "different"
        if outcome.status != EQUIVALENT:
            outcome.reason = classify(item, outcome)
        outcomes.append(outcome)
    return CollectionResult(target, outcomes)


def run_all(targets: list[Target], work: Path) -> list[CollectionResult]:
    work.mkdir(parents=True, exist_ok=True)
    with EchoServer(work / "echo-server.log") as echo:
        return [run_target(t, echo.port, work / t.name) for t in targets]


def table(results: list[CollectionResult]) -> str:
    """The per-collection table (requests, compared, equivalent, %, reasons)."""
    head = [
        "collection",
        "requests",
        "compared",
        "equivalent",
        "%",
        "differences by reason",
    ]
    rows = [head]
    for result in results:
        reasons = "; ".join(f"{r}: {n}" for r, n in sorted(result.reasons().items()))
        rows.append(
            [
                result.target.name,
                str(len(result.outcomes)),
                str(result.compared),
                str(result.equivalent),
                f"{result.percent:.1f}",
                reasons or "-",
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(head) - 1)]
    lines = []
    for row in rows:
        cells = [
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=False))
        ]
        lines.append("  ".join([*cells, row[-1]]))
    return "\n".join(lines)


def measured(results: list[CollectionResult]) -> dict[str, list[dict[str, Any]]]:
    """Every remaining difference, by collection: item, what differs, reason."""
    out: dict[str, list[dict[str, Any]]] = {}
    for result in results:
        entries = []
        for o in result.outcomes:
            if o.status == EQUIVALENT:
                continue
            entry: dict[str, Any] = {
                "item": o.item,
                "differs": o.aspects(),
                "reason": o.reason,
            }
            entries.append(entry)
        out[result.target.name] = entries
    return out


def load_expected() -> dict[str, list[dict[str, Any]]]:
    data = (
        yaml.safe_load(EXPECTED_FILE.read_text(encoding="utf-8"))
        if EXPECTED_FILE.exists()
        else None
    )
    return data or {}


def key_set(
    entries: list[dict[str, Any]],
) -> Counter[tuple[str, tuple[str, ...], str]]:
    """Entries as comparable keys: item, what differs, and the reason."""
    return Counter((e["item"], tuple(e["differs"]), e["reason"]) for e in entries)


def details(results: list[CollectionResult]) -> str:
    lines = []
    for result in results:
        for o in result.outcomes:
            if o.status == EQUIVALENT:
                continue
            lines.append(f"{result.target.name} | {o.item} | {o.reason}")
            lines += [f"    {d}" for d in o.differences]
            if o.error:
                lines.append(f"    error: {o.error}")
    return "\n".join(lines)


def write_expected(results: list[CollectionResult]) -> None:
    header = (
        "# Requests where the generated client does not (yet) send what Newman 6.2.2\n"
        "# sends, by collection, as measured by tests/equivalence (see README).\n"
        "# The test fails on a new difference and on one listed here that is gone:\n"
        "# rewrite with `.venv/bin/python -m tests.equivalence.harness --write-expected`\n"
        "# and review the diff. `differs` names what differs (or why nothing was\n"
        "# compared); `reason` is the classification the table counts.\n"
    )
    # Collections not run this time keep their entries (in the targets' order).
    kept = yaml.safe_load(EXPECTED_FILE.read_text(encoding="utf-8")) or {}
    found = {**kept, **measured(results)}
    ordered = {t.name: found[t.name] for t in TARGETS if t.name in found}
    body = yaml.safe_dump(ordered, sort_keys=False, allow_unicode=True, width=100)
    EXPECTED_FILE.write_text(header + body, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write-expected", action="store_true")
    parser.add_argument("--details", action="store_true", help="print every difference")
    parser.add_argument("collections", nargs="*", help="names (default: all)")
    parser.add_argument("--keep", type=Path, help="keep the work files in this folder")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.collections) - {t.name for t in TARGETS})
    if unknown:
        known = ", ".join(t.name for t in TARGETS)
        parser.error(f"unknown collection(s) {', '.join(unknown)}; known: {known}")
    targets = [t for t in TARGETS if not args.collections or t.name in args.collections]
    if args.keep:
        results = run_all(targets, args.keep)
    else:
        with tempfile.TemporaryDirectory(prefix="pmgen-equivalence-") as tmp:
            results = run_all(targets, Path(tmp))
    if args.details:
        print(details(results))
    print(table(results))
    if args.write_expected:
        write_expected(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
