"""``generator.spec.infer``: scalar fields merged, copied and compared in line."""

from __future__ import annotations

from generator.spec.infer import (
    Shape,
    copy_shape,
    kind_names,
    merge,
    merge_into,
    shape_of,
    widens,
)


def _equal(a: Shape, b: Shape) -> bool:
    return (
        a.kinds == b.kinds
        and a.objects == b.objects
        and a.seen == b.seen
        and list(a.fields) == list(b.fields)
        and all(_equal(a.fields[k], b.fields[k]) for k in a.fields)
        and (a.items is None) == (b.items is None)
        and (a.items is None or b.items is None or _equal(a.items, b.items))
    )


def test_scalar_values_in_objects_and_arrays_keep_their_kinds() -> None:
    shape = shape_of(
        {"n": None, "b": True, "i": 1, "f": 1.5, "s": "x", "d": "2024-01-02"}
    )
    kinds = {key: kind_names(child.kinds) for key, child in shape.fields.items()}
    assert kinds == {
        "n": {"null"},
        "b": {"bool"},
        "i": {"int"},
        "f": {"float"},
        "s": {"str"},
        "d": {"date"},
    }
    assert all(child.seen == 1 for child in shape.fields.values())
    items = shape_of([None, True, 2, 2.5, "<datetime>", [1], {"a": 1}]).items
    assert items is not None
    assert kind_names(items.kinds) == {
        "null",
        "bool",
        "int",
        "float",
        "datetime",
        "array",
        "object",
    }
    text = shape_of(["2024-01-02"], dates=False).items
    assert text is not None and kind_names(text.kinds) == {"str"}


def test_a_copy_owns_its_scalar_fields() -> None:
    shape = shape_of({"a": 1, "b": {}, "c": {"d": "x"}, "e": [1]})
    copy = copy_shape(shape)
    assert _equal(copy, shape)
    assert all(copy.fields[k] is not shape.fields[k] for k in shape.fields)
    copy.fields["a"].kinds = 0
    assert shape.fields["a"].kinds != 0


def test_merge_into_is_merge_for_scalars_and_empty_objects() -> None:
    first = shape_of({"a": 1, "b": {}, "c": {"d": "x"}, "e": [1]})
    second = shape_of({"a": "t", "b": {}, "c": {"d": None}, "e": [1.5], "f": 1})
    expected = merge(first, second)
    target = copy_shape(first)
    merge_into(target, second)
    assert _equal(target, expected)


def test_widens_on_scalar_and_empty_object_fields() -> None:
    target = copy_shape(shape_of({"a": 1, "b": {}, "c": {"d": 1}}))
    assert not widens(target, shape_of({"a": 2, "b": {}, "c": {"d": 3}}))
    assert widens(target, shape_of({"a": "x", "b": {}, "c": {"d": 3}}))  # new kind
    assert widens(target, shape_of({"a": 2, "b": {}, "c": {}}))  # "d" required
