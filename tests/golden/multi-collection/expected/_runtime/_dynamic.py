"""Postman's dynamic variables (``{{$guid}}``, ``{{$timestamp}}``, ``{{$randomInt}}``…).

Postman replaces them with a fresh value each time a request is sent; a generated
client does the same in the values it sends (path, query, headers, bodies), so a
default copied from the collection such as ``"order-{{$guid}}"`` gets a new id on
every call. Only names starting with ``$`` are touched, and an unknown one stays
as written, as in Postman.
"""

from __future__ import annotations

import random
import re
import string
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any, Final

__all__ = ["DYNAMIC_VARIABLES", "expand_dynamic", "expand_dynamic_json"]

_RE: Final = re.compile(r"\{\{\s*(\$[A-Za-z]+)\s*\}\}")
_rng = random.SystemRandom()

_WORDS: Final = [
    "alpha",
    "bravo",
    "delta",
    "echo",
    "harbor",
    "island",
    "jungle",
    "kilo",
    "lima",
    "metro",
    "nova",
    "orbit",
    "pixel",
    "quartz",
    "river",
    "sierra",
    "tango",
    "ultra",
    "vector",
    "willow",
    "yankee",
    "zephyr",
]
_FIRST: Final = ("Ada", "Alan", "Grace", "Linus", "Margaret", "Tim", "Barbara")
_LAST: Final = ("Lovelace", "Turing", "Hopper", "Torvalds", "Hamilton", "Liskov")


def _words(count: int) -> str:
    return " ".join(_rng.choice(_WORDS) for _ in range(count))


def _sentence() -> str:
    return _words(_rng.randint(4, 9)).capitalize() + "."


def _iso_now() -> str:
    now = datetime.now(timezone.utc)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


DYNAMIC_VARIABLES: Final[dict[str, Callable[[], str]]] = {
    "$guid": lambda: str(uuid.uuid4()),
    "$randomUUID": lambda: str(uuid.uuid4()),
    "$timestamp": lambda: str(int(time.time())),
    "$isoTimestamp": _iso_now,
    "$randomInt": lambda: str(_rng.randint(0, 1000)),
    "$randomBoolean": lambda: _rng.choice(("true", "false")),
    "$randomAlphaNumeric": lambda: _rng.choice(string.ascii_lowercase + string.digits),
    "$randomHexColor": lambda: f"#{_rng.randrange(16**6):06x}",
    "$randomIP": lambda: ".".join(str(_rng.randint(1, 254)) for _ in range(4)),
    "$randomFirstName": lambda: _rng.choice(_FIRST),
    "$randomLastName": lambda: _rng.choice(_LAST),
    "$randomFullName": lambda: f"{_rng.choice(_FIRST)} {_rng.choice(_LAST)}",
    "$randomUserName": lambda: f"{_rng.choice(_FIRST)}.{_rng.choice(_LAST)}".lower(),
    "$randomEmail": lambda: f"{_rng.choice(_FIRST).lower()}@example.com",
    "$randomPhoneNumber": lambda: f"{_rng.randint(200, 999)}-555-{_rng.randint(1000, 9999)}",
    "$randomWord": lambda: _words(1),
    "$randomWords": lambda: _words(3),
    "$randomLoremWord": lambda: _words(1),
    "$randomLoremWords": lambda: _words(3),
    "$randomLoremSentence": _sentence,
    "$randomLoremSentences": lambda: " ".join(_sentence() for _ in range(3)),
    "$randomLoremParagraph": lambda: " ".join(_sentence() for _ in range(5)),
    "$randomPrice": lambda: f"{_rng.randint(1, 999)}.{_rng.randint(0, 99):02d}",
}


def _value(match: re.Match[str]) -> str:
    name = match.group(1)
    make = DYNAMIC_VARIABLES.get(name)
    if make is not None:
        return make()
    # Postman has many more faker-style ``$random…`` names: any fresh word will do.
    return _words(1) if name.startswith("$random") else match.group(0)


def expand_dynamic(text: str) -> str:
    """``text`` with each dynamic variable replaced by a fresh value."""
    return _RE.sub(_value, text) if "{{" in text else text


def expand_dynamic_json(value: Any) -> Any:
    """Like ``expand_dynamic`` for every string in a JSON-like value."""
    if isinstance(value, str):
        return expand_dynamic(value)
    if isinstance(value, list):
        return [expand_dynamic_json(v) for v in value]
    if isinstance(value, dict):
        return {k: expand_dynamic_json(v) for k, v in value.items()}
    return value
