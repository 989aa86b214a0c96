"""Types and models inferred from example JSON.

Each JSON value becomes a ``Shape``; shapes of several examples merge (a key missing
from one example makes its field optional, ``null`` makes it nullable, int + float is
float). Placeholder strings widen the type instead of becoming literals: ``"<datetime>"``
is a datetime, ``"750..."`` a str, ``"<integer>"`` an int.

Object shapes become models through a ``ModelRegistry`` that unifies shapes which are
clearly the same object seen through different requests (most keys shared, no
conflicting types), so one ``JobInfo`` serves create, get, abort and the list records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..naming import ClassScope, NameScope, attribute_name, pascal, singular
from .model import ModelDef, ModelField

_DATETIME_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$"
)
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PLACEHOLDERS = {
    "datetime": "datetime",
    "date-time": "datetime",
    "timestamp": "datetime",
    "date": "date",
    "integer": "int",
    "int": "int",
    "long": "int",
    "number": "float",
    "double": "float",
    "float": "float",
    "boolean": "bool",
    "bool": "bool",
    "string": "str",
}
_PLACEHOLDER_RE = re.compile(r"^<([A-Za-z-]+)>$")
_SCALARS = ("bool", "int", "float", "str", "datetime", "date")


@dataclass
class Shape:
    """The merged type of one or more JSON values."""

    kinds: set[str] = field(default_factory=set)  # scalars, "null", "object", "array"
    fields: dict[str, Shape] = field(default_factory=dict)
    present: dict[str, int] = field(default_factory=dict)
    objects: int = 0  # how many object samples were merged
    items: Shape | None = None


def shape_of(value: object) -> Shape:
    """The shape of one JSON value."""
    shape = Shape()
    add_value(shape, value)
    return shape


def add_value(shape: Shape, value: object) -> None:
    """Merge one more JSON value into ``shape``."""
    if value is None:
        shape.kinds.add("null")
    elif isinstance(value, bool):
        shape.kinds.add("bool")
    elif isinstance(value, int):
        shape.kinds.add("int")
    elif isinstance(value, float):
        shape.kinds.add("float")
    elif isinstance(value, str):
        shape.kinds.add(string_kind(value))
    elif isinstance(value, list):
        shape.kinds.add("array")
        shape.items = shape.items or Shape()
        for item in value:
            add_value(shape.items, item)
    elif isinstance(value, dict):
        shape.kinds.add("object")
        shape.objects += 1
        for key, item in value.items():
            child = shape.fields.setdefault(str(key), Shape())
            add_value(child, item)
            shape.present[str(key)] = shape.present.get(str(key), 0) + 1


def string_kind(value: str) -> str:
    """The scalar kind a string stands for (placeholders widen, dates are dates)."""
    placeholder = _PLACEHOLDER_RE.match(value)
    if placeholder:
        return _PLACEHOLDERS.get(placeholder.group(1).lower(), "str")
    if _DATETIME_RE.match(value):
        return "datetime"
    if _DATE_RE.match(value):
        return "date"
    return "str"


def merge(a: Shape, b: Shape) -> Shape:
    """A new shape holding both ``a`` and ``b``."""
    result = Shape(kinds=a.kinds | b.kinds, objects=a.objects + b.objects)
    for key in [*a.fields, *(k for k in b.fields if k not in a.fields)]:
        fa, fb = a.fields.get(key), b.fields.get(key)
        result.fields[key] = merge(fa, fb) if fa and fb else (fa or fb or Shape())
        result.present[key] = a.present.get(key, 0) + b.present.get(key, 0)
    if a.items and b.items:
        result.items = merge(a.items, b.items)
    else:
        result.items = a.items or b.items
    return result


def _scalar_type(kinds: set[str]) -> str:
    scalars = kinds & set(_SCALARS)
    if scalars <= {"int", "float"} and scalars:
        return "float" if "float" in scalars else "int"
    if scalars <= {"datetime", "date"} and scalars:
        return "datetime" if "datetime" in scalars else "date"
    if len(scalars) == 1:
        return next(iter(scalars))
    if scalars <= {"str", "datetime", "date"}:
        return "str"
    return "Any"


def _compatible(a: Shape, b: Shape) -> bool:
    """Whether two field shapes can be one field (same broad kind)."""

    def broad(shape: Shape) -> set[str]:
        kinds = shape.kinds - {"null"}
        return {"scalar" if k in _SCALARS else k for k in kinds}

    ka, kb = broad(a), broad(b)
    return not ka or not kb or ka == kb


@dataclass
class _Entry:
    shape: Shape
    names: list[tuple[int, int, str]]  # (preference, order, candidate name)
    module: str
    model: ModelDef | None = None


@dataclass
class ModelRegistry:
    """Collects object shapes from all examples and turns them into named models."""

    entries: list[_Entry] = field(default_factory=list)
    overrides: dict[str, str] = field(default_factory=dict)
    _order: int = 0

    def add(self, shape: Shape, name: str, module: str, preference: int) -> _Entry:
        """Register an object shape and, first, every object nested in it."""
        self._register_children(shape, name, module)
        self._order += 1
        candidate = (preference, self._order, name)
        best = self._best_match(shape)
        if best is None:
            entry = _Entry(shape=shape, names=[candidate], module=module)
            self.entries.append(entry)
            return entry
        best.shape = merge(best.shape, shape)
        best.names.append(candidate)
        return best

    def _register_children(self, shape: Shape, owner: str, module: str) -> None:
        for key, child in shape.fields.items():
            self._register_nested(child, owner + pascal(key, fallback="Item"), module)
        if shape.items is not None:
            self._register_nested(shape.items, singular(owner), module)

    def _register_nested(self, shape: Shape, hint: str, module: str) -> None:
        if "object" in shape.kinds and shape.fields:
            self.add(shape, hint, module, preference=9)
        elif shape.items is not None:
            self._register_nested(shape.items, singular(hint), module)

    def register_value_shape(self, shape: Shape, hint: str, module: str) -> None:
        """Register the objects in any value's shape (a body field, a list...)."""
        self._register_nested(shape, hint, module)

    def find(self, shape: Shape) -> _Entry | None:
        """The entry an (already registered) object shape belongs to."""
        return self._best_match(shape)

    def _best_match(self, shape: Shape) -> _Entry | None:
        best: tuple[float, int] | None = None
        found: _Entry | None = None
        for index, entry in enumerate(self.entries):
            score = similarity(entry.shape, shape)
            if score is not None and (best is None or (score, -index) > best):
                best, found = (score, -index), entry
        return found


def similarity(a: Shape, b: Shape) -> float | None:
    """Jaccard similarity of two object shapes' keys, or None when not the same object.

    Same object: the smaller key set has at least 3 keys, 80 % of them are in the
    larger one, the Jaccard index is at least 0.4, and shared keys agree in kind.
    """
    ka, kb = set(a.fields), set(b.fields)
    if ka == kb and ka and all(_compatible(a.fields[k], b.fields[k]) for k in ka):
        return 1.0
    small = min(len(ka), len(kb))
    shared = ka & kb
    if small < 3 or len(shared) < 0.8 * small:
        return None
    jaccard = len(shared) / len(ka | kb)
    if jaccard < 0.4:
        return None
    if not all(_compatible(a.fields[k], b.fields[k]) for k in shared):
        return None
    return jaccard


class ModelBuilder:
    """Turns registered shapes into ``ModelDef``s with unique class names."""

    def __init__(self, registry: ModelRegistry, classes: ClassScope) -> None:
        self.registry = registry
        self.classes = classes
        self.models: list[ModelDef] = []

    def entry_type(self, entry: _Entry) -> str:
        """The class name of an entry's model, building it on first use."""
        if entry.model is None:
            chosen = min(entry.names)[2]
            name = self.classes.claim(self.registry.overrides.get(chosen, chosen))
            entry.model = ModelDef(name=name, module=entry.module)
            self.models.append(entry.model)
            entry.model.fields = self._fields(entry.shape, name, entry.module)
        return entry.model.name

    def type_of(self, shape: Shape, hint: str, module: str) -> str:
        """The Python type expression for ``shape`` (building nested models)."""
        kinds = shape.kinds - {"null"}
        if kinds == {"object"} and shape.fields:
            entry = self.registry.find(shape)
            if entry is None:  # a shape nobody registered: register it now
                entry = self.registry.add(shape, hint, module, preference=9)
            elif entry.model is None:
                # This shape merges samples the entry may not have seen (an empty
                # object in one example leaves the others' keys optional).
                entry.shape = merge(entry.shape, shape)
            text = self.entry_type(entry)
        elif kinds == {"object"}:
            text = "dict[str, Any]"
        elif kinds == {"array"}:
            items = shape.items or Shape()
            inner = (
                self.type_of(items, singular(hint), module) if items.kinds else "Any"
            )
            text = f"list[{inner}]"
        elif not kinds or kinds & {"object", "array"}:
            text = "Any"
        else:
            text = _scalar_type(kinds)
        if "null" in shape.kinds and text != "Any":
            text += " | None"
        return text

    def _fields(self, shape: Shape, owner: str, module: str) -> list[ModelField]:
        scope = NameScope()
        fields = []
        for key, child in shape.fields.items():
            name = scope.claim(attribute_name(key))
            hint = owner + pascal(key, fallback="Item")
            type_ = self.type_of(child, hint, module)
            required = (
                shape.present.get(key, 0) == shape.objects and "null" not in child.kinds
            )
            fields.append(ModelField(name=name, key=key, type=type_, required=required))
        return fields
