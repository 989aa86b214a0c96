"""Views of ``models/<module>.py``: dataclass fields with types, keys and defaults."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..naming import docstring_text, py_literal, py_string
from ..spec.model import ApiSpec, ModelDef, ModelField
from .imports import ImportSet
from .pyfmt import (
    all_list,
    annotation_lines,
    bracket,
    docstring_block,
    fits,
    flat_literal,
    head_and_body,
    literal,
    split_annotation,
    statement,
)
from .typing import imports_for_type
from .views import module_docstring


@dataclass
class ModelClassView:
    """One dataclass."""

    name: str
    docstring: list[str]
    fields: list[str]  # field lines, indented by 4

    @property
    def head(self) -> list[str]:
        """The ``class`` line(s), split as black splits a name too long for one."""
        return head_and_body(f"class {self.name}(", "Model", "):", 0)

    @property
    def body(self) -> str:
        """The docstring, a blank line and the fields, as one block."""
        return "\n".join([*self.docstring, "", *self.fields])


@dataclass
class ModelsModuleView:
    """A models module."""

    docstring: str
    imports: list[str]
    type_checking_imports: list[str]
    exports: list[str]
    classes: list[ModelClassView]


def models_module(
    spec: ApiSpec,
    module: str,
    models: list[ModelDef],
    models_of: dict[str, str],
    users: dict[str, list[str]],
) -> ModelsModuleView:
    """The view of one models module."""
    imports = ImportSet()
    imports.add("__future__", "annotations")
    imports.add("dataclasses", "dataclass")
    imports.add(".._runtime", "Model")
    # Models of other modules are imported for type checking only: a real import
    # could be circular; at run time the runtime finds them through the package.
    checking = ImportSet()
    classes = []
    for model in models:
        lines = [
            line
            for f in _ordered(model)
            for line in _field_line(f, model, (imports, checking), models_of, module)
        ]
        classes.append(
            ModelClassView(
                name=model.name,
                docstring=docstring_block(
                    _model_doc(model, users.get(model.name, [])), 4
                ),
                fields=lines,
            )
        )
    if checking.lines():
        imports.add("typing", "TYPE_CHECKING")
    return ModelsModuleView(
        docstring=module_docstring("Data models.", spec.source),
        imports=imports.lines(),
        type_checking_imports=checking.lines(4),
        exports=all_list(sorted(m.name for m in models)),
        classes=classes,
    )


def _ordered(model: ModelDef) -> list[ModelField]:
    # Required fields first keeps the dataclass readable; kw_only makes any order valid.
    return [f for f in model.fields if f.required] + [
        f for f in model.fields if not f.required
    ]


def _model_doc(model: ModelDef, users: list[str]) -> str:
    text = model.description or f"The ``{model.name}`` object."
    if users:
        text += "\n\nUsed by: " + ", ".join(f"``{u}``" for u in users) + "."
    return docstring_text(text)


def _field_line(
    field: ModelField,
    model: ModelDef,
    import_sets: tuple[ImportSet, ImportSet],
    models_of: dict[str, str],
    here: str,
) -> list[str]:
    imports, checking = import_sets
    for module, name in imports_for_type(
        field.type, models_of, models_prefix=".", here=here
    ):
        (checking if name in models_of else imports).add(module, name)
    type_ = field.type
    entries = [f'"json": {py_string(field.key)}'] if field.key != field.name else []
    if field.key in model.defaults and model.defaults[field.key] is None:
        entries.append('"null": True')  # the collection sends null: keep sending it
    metadata = [f"metadata={{{', '.join(entries)}}}"] if entries else []
    if field.key in model.defaults:
        return _with_default(
            field.name, type_, model.defaults[field.key], metadata, imports
        )
    if field.required:
        if metadata:
            imports.add("dataclasses", "field")
            return _assign(field.name, type_, _call("field(", metadata))
        return annotation_lines(field.name, type_, "", 4)
    if not type_.endswith("None") and type_ != "Any":
        type_ += " | None"
    if metadata:
        imports.add("dataclasses", "field")
        args = ["default=None", *metadata]
        return _assign(field.name, type_, _call("field(", args))
    return annotation_lines(field.name, type_, " = None", 4)


_Value = Callable[[str, int], list[str]]


def _call(opener: str, args: list[str]) -> _Value:
    """A call's lines after ``lead`` at ``indent``: on one line or exploded."""
    return lambda lead, indent: bracket(lead + opener, args, "", indent)


def _assign(name: str, type_: str, value: _Value) -> list[str]:
    """``name: type_ = <value>`` in a class body, as black lays it out.

    ``value(lead, indent)`` gives the lines of ``lead`` followed by the value at
    ``indent``. When even the first line of the exploded value does not fit after
    the annotation, black wraps the value in parentheses, one level deeper.
    """
    lines = value(f"{name}: {type_} = ", 4)
    head = f"    {name}: {type_} = ("
    if fits(lines[0]):
        return lines
    if fits(head):
        return [head, *value("", 8), "    )"]
    # Not even ``name: type = (`` fits: black splits the annotation instead.
    split = split_annotation(name, type_, 4)
    if split is None:
        return lines
    # The value keeps the layout it had after the annotation (exploded: black
    # keeps its magic trailing comma).
    first = lines[0][len(f"    {name}: {type_} = ") :]
    return [*split[:-1], f"{split[-1]} = {first}", *lines[1:]]


def _type_argument(type_: str, indent: int) -> list[str]:
    """A type given as an argument (``list[X],``), split as black splits it."""
    pad = " " * indent
    line = f"{pad}{type_},"
    if fits(line) or not (type_.startswith("list[") and type_.endswith("]")):
        return [line]
    return head_and_body("list[", type_[5:-1], "],", indent)


def _with_default(
    name: str, type_: str, default: object, metadata: list[str], imports: ImportSet
) -> list[str]:
    """A request-model field whose default is the collection's value."""
    plain = type_.removesuffix(" | None")
    if metadata or isinstance(default, dict | list):
        imports.add("dataclasses", "field")
    if isinstance(default, dict | list):
        imports.add(".._runtime", "decode")
        # One text for the default, however often ``_assign`` lays the value out.
        flat: dict[int, str] = {}
        text = flat_literal(default, flat)
        factory = f"default_factory=lambda: decode({text}, {plain})"

        def value(lead: str, indent: int) -> list[str]:
            one = bracket(lead + "field(", [factory, *metadata], "", indent)
            if len(one) == 1:
                return one
            pad = " " * indent
            return [
                f"{pad}{lead}field(",
                f"{pad}    default_factory=lambda: decode(",
                *literal(default, indent + 8, "", ",", flat),
                *_type_argument(plain, indent + 8),
                f"{pad}    ),",
                *(f"{pad}    {m}," for m in metadata),
                f"{pad})",
            ]

        return _assign(name, plain, value)
    if metadata:
        args = [f"default={py_literal(default)}", *metadata]
        return _assign(name, type_, _call("field(", args))
    return statement(f"{name}: {type_} = ", py_literal(default), 4)
