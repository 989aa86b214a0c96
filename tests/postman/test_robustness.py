"""Whatever the input, the loader either returns a collection or raises ``InputError``."""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path
from typing import Any

import pytest

from generator.errors import InputError
from generator.postman import collection_from_dict

JUNK: list[Any] = [
    {"item": 3},
    {"request": 3},
    None,
    True,
    0,
    1.5,
    -7,
    "",
    "x",
    "{{v}}",
    [],
    [None],
    [1, "a"],
    {},
    {"key": 1},
    {"type": 3},
]


_SCHEMA_OR_FORMAT = (
    "does not match the Postman collection schema",
    "missing the",
    "unsupported collection format",
    "not a Postman collection",
    "expected a Postman collection",
)


def nodes(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths of every node of a JSON document."""
    found = [path]
    if isinstance(value, dict):
        for key, child in value.items():
            found += nodes(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += nodes(child, (*path, index))
    return found


def replaced(document: Any, path: tuple[Any, ...], new: Any) -> Any:
    """A copy of ``document`` with the node at ``path`` replaced."""
    if not path:
        return new
    result = copy.deepcopy(document)
    parent = result
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = new
    return result


SMALL_FILES = [
    "postman-schemas-nested-entities",
    "xero-oauth2",
    "coopers-meal-plan",
    "mall-portal",
]


@pytest.mark.parametrize("validate", [True, False])
@pytest.mark.parametrize("name", SMALL_FILES)
def test_random_corruptions_only_ever_raise_input_error(
    shared: Path, name: str, validate: bool
) -> None:
    path = shared / "corpus" / f"{name}.postman_collection.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    paths = nodes(document)
    rng = random.Random(20241124)
    outcomes = {"loaded": 0, "refused": 0}
    for _ in range(300):
        corrupt = replaced(document, rng.choice(paths), copy.deepcopy(rng.choice(JUNK)))
        try:
            collection_from_dict(corrupt, "fuzz.json", validate=validate)
            outcomes["loaded"] += 1
        except InputError as error:
            assert error.file == "fuzz.json"
            assert error.json_path.startswith("$")
            if validate:  # what the schema accepts, the normalisation accepts too
                assert error.message.startswith(_SCHEMA_OR_FORMAT), error
            outcomes["refused"] += 1
    assert outcomes["loaded"] and outcomes["refused"]
