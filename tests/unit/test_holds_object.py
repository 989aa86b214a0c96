"""``holds_object``: whether a shape registers a model (an object, or lists of one)."""

from __future__ import annotations

from generator.spec.infer import ModelRegistry, holds_object, shape_of


def test_object_with_keys_holds_one() -> None:
    assert holds_object(shape_of({"a": 1}))


def test_scalars_and_empty_objects_hold_none() -> None:
    assert not holds_object(shape_of(1))
    assert not holds_object(shape_of("x"))
    assert not holds_object(shape_of({}))
    assert not holds_object(shape_of([1, 2]))
    assert not holds_object(shape_of([[1], ["a"]]))
    assert not holds_object(shape_of([{}]))


def test_lists_of_objects_at_any_depth_hold_one() -> None:
    assert holds_object(shape_of([{"a": 1}]))
    assert holds_object(shape_of([[[{"a": 1}]]]))
    assert holds_object(shape_of([1, [{"a": 1}]]))


def test_agrees_with_what_the_registry_registers() -> None:
    values: list[object] = [
        1,
        {},
        {"a": 1},
        [1],
        [{}],
        [{"a": 1}],
        [[{"b": 2}]],
        [[1, "x"]],
        [1, {"a": [2]}],
    ]
    for value in values:
        registry = ModelRegistry()
        registry.register_value_shape(shape_of(value), "Hint", "m")
        assert bool(registry.entries) == holds_object(shape_of(value)), value
