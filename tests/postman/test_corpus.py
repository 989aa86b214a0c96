"""Every collection of the shared corpus loads, completely and with correct ``where`` paths."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.postman import PmCollection, PmItem, PmKeyValue, load_collection

from .paths import SHARED

CORPUS = sorted((SHARED / "corpus").glob("*.json")) if SHARED.is_dir() else []
_STEP = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")


def raw_request_count(items: list[dict[str, Any]]) -> int:
    """Requests in a raw ``item`` array, counted the plain way."""
    return sum(raw_request_count(i["item"]) if "item" in i else 1 for i in items)


def request_count(items: tuple[PmItem, ...]) -> int:
    """Requests in a loaded item tree."""
    return sum(request_count(i.items) if i.is_folder else 1 for i in items)


def resolve(document: Any, where: str) -> Any:
    """Follow a ``$.item[0].request.url`` path in parsed JSON (KeyError/IndexError if wrong)."""
    assert where.startswith("$"), where
    node = document
    rest = where[1:]
    while rest:
        match = _STEP.match(rest)
        assert match, f"bad path {where!r} at {rest!r}"
        node = node[match.group(1)] if match.group(1) else node[int(match.group(2))]
        rest = rest[match.end() :]
    return node


def located(value: Any) -> Iterator[Any]:
    """Every model object (with a ``where``) inside ``value``, depth first."""
    if isinstance(value, tuple):
        for child in value:
            yield from located(child)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        if hasattr(value, "where"):
            yield value
        for field in dataclasses.fields(value):
            yield from located(getattr(value, field.name))


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_corpus_file_loads_with_every_request(path: Path) -> None:
    collection = load_collection(path)
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(collection, PmCollection)
    assert collection.schema_version in ("2.0.0", "2.1.0")
    assert collection.name == raw["info"]["name"]
    assert request_count(collection.items) == raw_request_count(raw["item"])


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_corpus_where_paths_point_at_their_objects(path: Path) -> None:
    collection = load_collection(path)
    raw = json.loads(path.read_text(encoding="utf-8"))
    for obj in located(collection.items):
        target = resolve(raw, obj.where)
        if isinstance(obj, PmItem):
            assert target.get("name", "") == obj.name
            assert ("item" in target) == obj.is_folder
        elif isinstance(obj, PmKeyValue) and isinstance(target, dict):
            assert target.get("key", target.get("id")) == obj.key


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_corpus_same_result_without_validation(path: Path) -> None:
    assert load_collection(path, validate=False) == load_collection(path)


def test_corpus_total_matches_manifest() -> None:
    if not CORPUS:
        pytest.skip("corpus not found")
    total = sum(request_count(load_collection(p).items) for p in CORPUS)
    assert total == 3172  # MANIFEST.md: "22 files, 3,172 requests"


def test_synthetic_bench_file_loads(shared: Path) -> None:
    collection = load_collection(
        shared / "bench" / "synthetic-100.postman_collection.json"
    )
    assert request_count(collection.items) == 100
