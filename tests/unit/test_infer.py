"""``generator.spec.infer``: types and models from example JSON."""

from __future__ import annotations

import pytest

from generator.naming import ClassScope
from generator.spec.infer import (
    ModelBuilder,
    ModelRegistry,
    Shape,
    add_value,
    kind_names,
    merge,
    presence,
    shape_of,
    similarity,
    string_kind,
)


def _type(*values: object, hint: str = "Thing") -> tuple[str, ModelBuilder]:
    shape = Shape()
    for value in values:
        add_value(shape, value)
    builder = ModelBuilder(ModelRegistry(), ClassScope())
    return builder.type_of(shape, hint, "mod"), builder


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("<datetime>", "datetime"),
        ("<date-time>", "datetime"),
        ("<date>", "date"),
        ("<integer>", "int"),
        ("<long>", "int"),
        ("<number>", "float"),
        ("<boolean>", "bool"),
        ("<string>", "str"),
        ("<something-else>", "str"),
        ("750...", "str"),
        ("005...", "str"),
        ("2025-03-04T10:15:22.000+0000", "datetime"),
        ("2024-01-02T03:04:05Z", "datetime"),
        ("2024-01-02 03:04", "datetime"),
        ("2024-01-02", "date"),
        ("2024-01-02T", "str"),
        ("58.0", "str"),
        ("", "str"),
    ],
)
def test_string_kind(value: str, kind: str) -> None:
    assert string_kind(value) == kind


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["<datetime>"], "datetime"),
        (["750..."], "str"),
        ([1], "int"),
        ([1, 2.5], "float"),
        ([2.5, 1], "float"),
        ([True], "bool"),
        ([True, 1], "Any"),
        (["x", None], "str | None"),
        ([None], "Any"),
        (["2024-01-02", "2024-01-02T03:04:05Z"], "datetime"),
        (["2024-01-02T03:04:05Z", "not a date"], "str"),
        (["<integer>", 5], "int"),
        ([[1, 2], [3.5]], "list[float]"),
        ([[]], "list[Any]"),
        ([{}], "dict[str, Any]"),
        ([1, "x"], "Any"),
        ([[1], {"a": 1}], "Any"),
    ],
)
def test_scalar_and_container_types(values: list[object], expected: str) -> None:
    assert _type(*values)[0] == expected


def test_optional_and_nullable_fields() -> None:
    type_, builder = _type(
        {"id": "1", "name": "a", "note": None, "extra": 1},
        {"id": "2", "name": "b", "note": "x"},
        hint="Record",
    )
    assert type_ == "Record"
    [model] = builder.models
    fields = {f.key: f for f in model.fields}
    assert [f.key for f in model.fields] == ["id", "name", "note", "extra"]
    assert fields["id"].required and fields["id"].type == "str"
    assert not fields["note"].required and fields["note"].type == "str | None"
    assert not fields["extra"].required and fields["extra"].type == "int"


def test_field_names_and_keys() -> None:
    _kind, builder = _type(
        {"createdDate": "<datetime>", "class": 1, "to_dict": True, "123": 2}
    )
    [model] = builder.models
    assert [(f.name, f.key) for f in model.fields] == [
        ("created_date", "createdDate"),
        ("class_", "class"),
        ("to_dict_", "to_dict"),
        ("field_123", "123"),
    ]


def test_nested_objects_and_lists_become_models() -> None:
    type_, builder = _type(
        {"done": True, "records": [{"id": "a", "size": 1}, {"id": "b", "size": 2.5}]},
        hint="AllJobs",
    )
    assert type_ == "AllJobs"
    by_name = {m.name: m for m in builder.models}
    records = {f.key: f.type for f in by_name["AllJobs"].fields}
    item = records["records"]
    assert item.startswith("list[") and item[5:-1] in by_name
    assert {f.key: f.type for f in by_name[item[5:-1]].fields} == {
        "id": "str",
        "size": "float",
    }


JOB_CREATE = {
    "id": "750...",
    "operation": "insert",
    "object": "Account",
    "state": "Open",
    "createdDate": "<datetime>",
    "apiVersion": 58,
}
JOB_INFO = {
    **JOB_CREATE,
    "state": "JobComplete",
    "numberRecordsProcessed": 10,
    "apiVersion": 58.0,
}
ADDRESS = {"street": "Main St 1", "city": "Springfield", "zip": "12345"}


def test_similar_objects_are_unified() -> None:
    registry = ModelRegistry()
    first = registry.add(shape_of(JOB_CREATE), "CreateJobResult", "m", preference=1)
    second = registry.add(shape_of(JOB_INFO), "JobInfo", "m", preference=0)
    assert first is second
    assert len(registry.entries) == 1
    builder = ModelBuilder(registry, ClassScope())
    assert builder.entry_type(first) == "JobInfo"  # the preferred name wins
    [model] = builder.models
    fields = {f.key: f for f in model.fields}
    assert fields["apiVersion"].type == "float"  # int in one example, float in another
    assert fields["createdDate"].type == "datetime"
    assert fields["id"].required
    assert not fields["numberRecordsProcessed"].required


def test_unrelated_objects_are_not_unified() -> None:
    registry = ModelRegistry()
    job = registry.add(shape_of(JOB_CREATE), "Job", "m", preference=1)
    address = registry.add(shape_of(ADDRESS), "Address", "m", preference=1)
    assert job is not address
    builder = ModelBuilder(registry, ClassScope())
    assert {builder.entry_type(job), builder.entry_type(address)} == {"Job", "Address"}


def test_same_keys_with_conflicting_kinds_are_not_unified() -> None:
    a = shape_of({"id": "1", "owner": "005...", "tags": ["x"]})
    b = shape_of({"id": "1", "owner": {"name": "Ann"}, "tags": ["x"]})
    assert similarity(a, b) is None
    registry = ModelRegistry()
    assert registry.add(a, "A", "m", 1) is not registry.add(b, "B", "m", 1)


def test_small_objects_need_identical_keys() -> None:
    assert similarity(shape_of({"a": 1, "b": 2}), shape_of({"a": 1, "b": 3})) == 1.0
    assert similarity(shape_of({"a": 1, "b": 2}), shape_of({"a": 1, "c": 3})) is None
    assert similarity(shape_of({"x": 1}), shape_of({"y": 1})) is None


def test_similarity_thresholds() -> None:
    base = {k: 1 for k in "abcde"}
    assert similarity(shape_of(base), shape_of({**base, "f": 1})) == pytest.approx(
        5 / 6
    )
    two_of_five = shape_of({"a": 1, "b": 1, "x": 1, "y": 1, "z": 1})
    assert similarity(shape_of(base), two_of_five) is None


def test_model_names_can_be_overridden() -> None:
    registry = ModelRegistry(overrides={"Job": "BulkJob"})
    entry = registry.add(shape_of(JOB_CREATE), "Job", "m", preference=1)
    assert ModelBuilder(registry, ClassScope()).entry_type(entry) == "BulkJob"


def test_class_name_collisions_get_numbers() -> None:
    registry = ModelRegistry()
    one = registry.add(shape_of(ADDRESS), "Thing", "m", preference=1)
    two = registry.add(shape_of(JOB_CREATE), "Thing", "m", preference=1)
    builder = ModelBuilder(registry, ClassScope())
    assert [builder.entry_type(one), builder.entry_type(two)] == ["Thing", "Thing2"]


def test_merge_counts_presence() -> None:
    merged = merge(shape_of({"a": 1}), shape_of({"a": 2, "b": None}))
    assert merged.objects == 2
    assert presence(merged) == {"a": 2, "b": 1}
    assert kind_names(merged.fields["b"].kinds) == {"null"}


def test_empty_object_in_one_example_makes_fields_optional() -> None:
    registry = ModelRegistry()
    first = registry.add(
        shape_of({"args": {"foo1": "a", "foo2": "b"}, "url": "u", "data": "d"}),
        "Echo",
        "m",
        preference=1,
    )
    second = registry.add(
        shape_of({"args": {}, "url": "u", "data": "d"}), "Echo", "m", preference=1
    )
    assert first is second
    builder = ModelBuilder(registry, ClassScope())
    builder.entry_type(first)
    args = next(m for m in builder.models if m.name != "Echo")
    assert [f.required for f in args.fields] == [False, False]


def test_remembered_candidates_follow_the_registry() -> None:
    registry = ModelRegistry()
    shape = shape_of({"p": 1, "q": 2, "r": 3})
    assert registry._candidates(shape) == []
    registry.add(shape_of({"p": 1, "q": 2, "r": 3, "s": 4}), "One", "m", 1)
    assert registry._candidates(shape) == [0]  # not the answer remembered before
    assert registry._candidates(shape_of({"p": 0, "q": 0, "r": 0})) == [0]


def _page(record: dict[str, object]) -> dict[str, object]:
    return {"data": [record], "meta": {"total": 1, "limit": 25, "offset": 0}}


def test_list_envelopes_of_different_records_stay_apart() -> None:
    # One envelope shape for every list request of an API: each keeps its records.
    registry = ModelRegistry()
    user = {"id": "1", "email": "a@b.c", "name": "Ann", "role": "admin"}
    order = {"id": "9", "total": 3.5, "currency": "EUR", "lines": 2, "paid": True}
    users = registry.add(shape_of(_page(user)), "Users", "m", 1)
    orders = registry.add(shape_of(_page(order)), "Orders", "m", 1)
    more_users = registry.add(shape_of(_page({**user, "id": "2"})), "Users2", "m", 1)
    assert users is not orders
    assert more_users is users
    builder = ModelBuilder(registry, ClassScope())
    assert builder.entry_type(users) == "Users"
    assert builder.entry_type(orders) == "Orders"
    data = {m.name: m for m in builder.models}["Users"].fields[0]
    record = {m.name: m for m in builder.models}[data.type.removeprefix("list[")[:-1]]
    assert [f.key for f in record.fields] == ["id", "email", "name", "role"]


def test_small_nested_objects_do_not_keep_shapes_apart() -> None:
    registry = ModelRegistry()
    one = registry.add(shape_of({"a": 1, "b": 2, "c": 3, "x": {"k": 1}}), "T", "m", 1)
    two = registry.add(shape_of({"a": 1, "b": 2, "c": 3, "x": {"j": 1}}), "T", "m", 1)
    assert one is two
