"""``generator.spec.redact._strings``: every string of a Pm* tree, in a fixed order."""

from __future__ import annotations

import dataclasses

from generator.postman.model import PmKeyValue
from generator.spec.redact import _getter, _strings


@dataclasses.dataclass(frozen=True)
class _One:
    text: str


@dataclasses.dataclass(frozen=True)
class _Two:
    first: object
    second: object
    where: str = "$.kept"  # a kept field: not redacted, not walked


class _Text(str):
    pass


def test_a_getter_reads_the_redacted_fields_as_a_tuple() -> None:
    assert _getter(_One)(_One("a")) == ("a",)
    assert _getter(_Two)(_Two("a", 2)) == ("a", 2)


def test_strings_walks_every_container_last_in_first_out() -> None:
    tree = _Two(
        first=[_One("a"), ("b", None, 3), {"k": "c"}],
        second=_Two(_Text("d"), PmKeyValue(key="e", value="f")),
    )
    assert list(_strings(tree)) == ["", "f", "e", "d", "c", "b", "a"]
    assert list(_strings(tree)) == ["", "f", "e", "d", "c", "b", "a"]  # getters known
