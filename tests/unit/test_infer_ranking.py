"""``generator.spec.infer``: the candidate entries a shape is compared with."""

from __future__ import annotations

import random
from collections import Counter
from itertools import chain

import pytest

from generator.spec.infer import (
    ModelRegistry,
    _all_compatible,
    _jaccard_bound,
    _repeats,
    shape_of,
    similarity,
)


def _counted_rank(postings: list[list[int]]) -> list[int]:
    """The ranking spelled out: every occurrence counted, the 8 entries with the
    most (the earliest among equals), in order of position."""
    counts = Counter(chain.from_iterable(postings))
    best = sorted(counts, key=lambda position: (-counts[position], position))
    return sorted(best[:8])


def test_repeats_lists_each_occurrence_after_the_first() -> None:
    found, repeats = _repeats([[3, 1], [1, 4], [1, 3], [5]])
    assert found == {1, 3, 4, 5}
    assert sorted(repeats) == [1, 1, 3]


def test_repeats_of_disjoint_postings_are_none() -> None:
    assert _repeats([[2, 0], [1], [7, 9]]) == ({0, 1, 2, 7, 9}, [])


@pytest.mark.parametrize(
    "postings",
    [
        [[5, 2, 9, 1, 7, 3, 8, 4, 6, 0]],  # one posting: the earliest entries
        [[1, 2], [3]],  # fewer entries than candidates
        [[9, 8, 7, 6, 5], [4, 3, 2, 1, 0], [10, 11]],  # nobody repeated
        [[0, 1, 2, 3, 4, 5, 6, 7, 8], [8, 7], [7, 20]],  # few repeated: then earliest
        [list(range(12)), list(range(3, 12)), [11, 10, 9, 4, 5, 6, 7, 8]],
    ],
)
def test_rank_is_the_counted_ranking(postings: list[list[int]]) -> None:
    assert ModelRegistry()._rank(postings) == _counted_rank(postings)


def test_rank_matches_the_counted_ranking_on_random_postings() -> None:
    rng = random.Random(7)
    for _ in range(2000):
        postings = [
            rng.sample(range(40), rng.randint(1, 15)) for _ in range(rng.randint(1, 6))
        ]
        assert ModelRegistry()._rank(postings) == _counted_rank(postings)


@pytest.mark.parametrize(
    ("keys_a", "keys_b"),
    [("abc", "abc"), ("abc", "abcd"), ("abcdefg", "abc"), ("abcde", "abcdx")],
)
def test_jaccard_bound_is_at_least_the_similarity(keys_a: str, keys_b: str) -> None:
    a = shape_of(dict.fromkeys(keys_a, 1))
    b = shape_of(dict.fromkeys(keys_b, 1))
    score = similarity(a, b)
    assert score is not None
    bound = _jaccard_bound(len(keys_a), len(keys_b))
    assert bound is not None and score <= bound


@pytest.mark.parametrize(("keys_a", "keys_b"), [("ab", "abc"), ("abc", "abcdefgh")])
def test_jaccard_bound_of_sizes_that_never_match_is_none(
    keys_a: str, keys_b: str
) -> None:
    a = shape_of(dict.fromkeys(keys_a, 1))
    b = shape_of(dict.fromkeys(keys_b, 1))
    assert similarity(a, b) is None
    assert _jaccard_bound(len(keys_a), len(keys_b)) is None


def test_jaccard_bound_of_equal_sizes_is_one() -> None:
    # Two keys each can be the same object (the same keys), unlike 2 and 3.
    assert similarity(shape_of({"a": 1, "b": 2}), shape_of({"a": 3, "b": 4})) == 1.0
    assert _jaccard_bound(2, 2) == 1.0


def test_jaccard_bound_is_reached_by_a_subset() -> None:
    # The very float: a candidate scoring exactly the bound does not beat an earlier
    # one with that score.
    a = shape_of(dict.fromkeys("abcdefg", 1))
    b = shape_of(dict.fromkeys("abc", 1))
    assert similarity(a, b) == _jaccard_bound(7, 3) == _jaccard_bound(3, 7) == 3 / 7


def test_best_match_keeps_the_earliest_of_equal_scores() -> None:
    registry = ModelRegistry()
    # Merged into neither: too few shared keys with each other.
    first = registry.add(shape_of(dict.fromkeys("abcdefgh", 1)), "A", "m", 1)
    second = registry.add(shape_of(dict.fromkeys("abcdwxyz", 1)), "B", "m", 1)
    assert first is not second
    # The same score with both (4 shared of 8): the earlier entry wins.
    assert registry._best_match(shape_of(dict.fromkeys("abcd", 1))) is first


def test_all_compatible_asks_only_about_nested_or_differing_fields() -> None:
    a = shape_of({"n": 1, "s": "x", "o": {"p": 1, "q": 2, "r": 3}, "l": [1]})
    same = shape_of({"n": 2, "s": "y", "o": {"p": 0, "q": 0, "r": 0}, "l": [2]})
    other = shape_of({"n": "text", "s": {"deep": 1}, "o": {"x": 1, "y": 2, "z": 3}})
    assert _all_compatible(a.fields, same.fields, a.fields.keys())
    assert _all_compatible(a.fields, other.fields, ["n"])  # int and str: scalars
    assert not _all_compatible(a.fields, other.fields, ["n", "s"])  # str, object
    assert not _all_compatible(a.fields, other.fields, ["o"])  # another object
    assert _all_compatible(a.fields, other.fields, [])
