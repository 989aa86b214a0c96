"""Builders of small in-memory collections for the load-stage tests."""

from __future__ import annotations

import copy
from typing import Any

from generator.postman import PmCollection, PmRequest, collection_from_dict

SCHEMA_V21 = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
SCHEMA_V20 = "https://schema.getpostman.com/json/collection/v2.0.0/collection.json"


def collection(
    *items: dict[str, Any], schema: str = SCHEMA_V21, **top: Any
) -> dict[str, Any]:
    """A raw collection holding ``items`` (plus any top-level keys)."""
    return {"info": {"name": "Test", "schema": schema}, "item": list(items), **top}


def request_item(request: Any, name: str = "R", **extra: Any) -> dict[str, Any]:
    """A raw request item."""
    return {"name": name, "request": copy.deepcopy(request), **extra}


def load(raw: dict[str, Any], source: str = "test.json") -> PmCollection:
    """``collection_from_dict`` with validation on."""
    return collection_from_dict(raw, source)


def only_request(request: Any, schema: str = SCHEMA_V21) -> PmRequest:
    """Load a one-request collection and return its normalised request."""
    loaded = load(collection(request_item(request), schema=schema))
    assert loaded.items[0].request is not None
    return loaded.items[0].request
