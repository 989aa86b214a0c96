"""``generator.spec.infer``: a registered shape is not merged into its entry twice."""

from __future__ import annotations

from generator.naming import ClassScope
from generator.spec.infer import ModelBuilder, ModelRegistry, shape_of

JOB = {"id": "750", "state": "Open", "object": "Account"}


def test_resolving_a_registered_shape_leaves_its_entry_as_registered() -> None:
    registry = ModelRegistry()
    shape = shape_of(JOB)
    entry = registry.add(shape, "Job", "m", preference=1)
    assert registry.holds(entry, shape)
    assert ModelBuilder(registry, ClassScope()).type_of(shape, "Job", "m") == "Job"
    assert entry.shape.objects == 1  # counted once, as registered
    assert entry.model is not None
    assert [(f.key, f.required) for f in entry.model.fields] == [
        ("id", True),
        ("state", True),
        ("object", True),
    ]


def test_a_shape_registered_elsewhere_still_merges() -> None:
    registry = ModelRegistry()
    registered = shape_of(JOB)
    entry = registry.add(registered, "Job", "m", preference=1)
    other = shape_of({**JOB, "closed": "<datetime>"})
    assert not registry.holds(entry, other)
    builder = ModelBuilder(registry, ClassScope())
    assert builder.type_of(other, "Job", "m") == "Job"
    assert entry.shape.objects == 2
    assert entry.model is not None
    required = {f.key: f.required for f in entry.model.fields}
    assert required == {"id": True, "state": True, "object": True, "closed": False}
