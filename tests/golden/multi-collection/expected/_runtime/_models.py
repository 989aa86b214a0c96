"""Dataclass base for generated models and lenient JSON conversion helpers.

Conversion is lenient on purpose: a value that does not fit its annotation is kept
as received (API examples often hold placeholders such as ``"<datetime>"``). Only a
missing required key is an error.
"""

from __future__ import annotations

import _thread
import dataclasses
import re
import sys
import types
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import (
    Annotated,
    Any,
    Literal,
    TypeVar,
    Union,
    get_args,
    get_origin,
    get_type_hints,
    overload,
)

from ._errors import ResponseValidationError
from ._types import UNSET

__all__ = ["Model", "decode", "make", "to_jsonable"]

M = TypeVar("M", bound="Model")

_DATETIME = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[Tt ](?P<time>\d{2}:\d{2}(?::\d{2})?)(?:[.,](?P<fraction>\d+))?"
    r"(?P<offset>[Zz]|[+-]\d{2}(?::?\d{2})?)?)?"
)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


# Converts a value that is not None to an annotation, as ``_convert`` does.
_Converter = Callable[[Any], Any]


@dataclass(frozen=True)
class _FieldSpec:
    name: str
    key: str
    type: Any
    required: bool
    send_null: bool  # metadata "null": a None value is sent as JSON null


@dataclass(frozen=True)
class _ClassInfo:
    """What decoding and encoding a model class needs, worked out once per class."""

    fields: tuple[_FieldSpec, ...]
    by_key: Mapping[str, _FieldSpec]
    # JSON key -> (field name, converter or None when the value is kept as is).
    decoders: Mapping[str, tuple[str, _Converter | None]]
    # (field name, JSON key) of the required fields, in field order.
    required: tuple[tuple[str, str], ...]
    # (field name, JSON key, whether None is sent as null) in field order.
    encoders: tuple[tuple[str, str, bool], ...]


_CLASS_INFO: dict[type[Model], _ClassInfo] = {}
_NO_NULLS: frozenset[str] = frozenset()
# Types ``to_jsonable`` returns as they are (exact types: subclasses such as
# str enums go the general way, with the same result).
_SCALARS: frozenset[type] = frozenset({str, int, float, bool, type(None)})


@dataclass(kw_only=True)
class Model:
    """Base of generated models.

    A field's JSON key is ``field(metadata={"json": "originalKey"})`` or, without
    it, the field name. Keys a class does not declare are kept, in order, in
    ``additional_properties``.
    """

    additional_properties: dict[str, Any] = field(default_factory=dict, repr=False)

    # ``__repr__`` and ``__eq__`` are those ``@dataclass`` writes, written once here:
    # generated models say ``@dataclass(kw_only=True, repr=False, eq=False)`` and
    # inherit them, which halves what making a model class costs (dataclass
    # compiles each method it writes, per class, at import time).

    def __repr__(self) -> str:
        key = (id(self), _thread.get_ident())
        if key in _REPR_RUNNING:  # a model holding itself
            return "..."
        _REPR_RUNNING.add(key)
        try:
            shown = ", ".join(
                f"{name}={getattr(self, name)!r}"
                for name in _field_names(self.__class__)[0]
            )
            return f"{self.__class__.__qualname__}({shown})"
        finally:
            _REPR_RUNNING.discard(key)

    def __eq__(self, other: object) -> bool:
        if _EQ_SAME_FIRST and self is other:
            return True
        if other.__class__ is not self.__class__:
            return NotImplemented
        names = _field_names(self.__class__)[1]
        if _EQ_SAME_FIRST:  # Python 3.13+: field by field, as dataclass compares
            result: Any = True
            for name in names:
                result = getattr(self, name) == getattr(other, name)
                if not result:
                    return result  # type: ignore[no-any-return]
            return result  # type: ignore[no-any-return]
        mine = tuple(getattr(self, name) for name in names)
        return mine == tuple(getattr(other, name) for name in names)

    @classmethod
    def from_dict(cls: type[M], data: Mapping[str, Any]) -> M:
        """Build an instance from decoded JSON, converting values by annotation.

        Raises:
            ResponseValidationError: ``data`` is not an object or lacks a required key.
        """
        if not isinstance(data, Mapping):
            raise ResponseValidationError(
                f"{cls.__name__}: expected a JSON object, got {type(data).__name__}",
                model=cls.__name__,
            )
        info = _class_info(cls)
        decoders = info.decoders
        values: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        nulls: list[str] = []
        for key, value in data.items():
            decoder = decoders.get(key)
            if decoder is None:
                extra[key] = value
            elif value is None:
                values[decoder[0]] = None
                nulls.append(key)
            else:
                name, convert = decoder
                values[name] = value if convert is None else convert(value)
        for name, key in info.required:
            if name not in values:
                raise ResponseValidationError(
                    f"{cls.__name__}: missing required key {key!r}",
                    model=cls.__name__,
                    key=key,
                )
        instance = cls(**values, additional_properties=extra)
        # Keys that were present as null are sent back as null (see ``to_dict``).
        if nulls:
            object.__setattr__(instance, "_explicit_nulls", frozenset(nulls))
        return instance

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data with the original keys; ``None`` optionals omitted
        unless the field says to send null or the decoded data had the key as null."""
        out: dict[str, Any] = {}
        nulls: frozenset[str] = getattr(self, "_explicit_nulls", _NO_NULLS)
        for name, key, keep_none in _class_info(type(self)).encoders:
            value = getattr(self, name)
            if value is None:
                if keep_none or key in nulls:
                    out[key] = None
            elif value is not UNSET:
                out[key] = to_jsonable(value)
        for key, value in self.additional_properties.items():
            out.setdefault(key, to_jsonable(value))
        return out


# Threads and models whose ``__repr__`` is running (a model holding itself shows "...").
_REPR_RUNNING: set[tuple[int, int]] = set()
# Python 3.13 made dataclass ``__eq__`` compare field by field, after ``is``.
_EQ_SAME_FIRST = sys.version_info >= (3, 13)
_FIELD_NAMES: dict[type, tuple[tuple[str, ...], tuple[str, ...]]] = {}


def _field_names(cls: type) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The names of the fields ``cls`` shows in its repr, and those it compares."""
    names = _FIELD_NAMES.get(cls)
    if names is None:
        fields = dataclasses.fields(cls)
        names = _FIELD_NAMES[cls] = (
            tuple(f.name for f in fields if f.repr),
            tuple(f.name for f in fields if f.compare),
        )
    return names


def make(cls: type[M], /, **values: Any) -> M:
    """Instantiate ``cls`` from the keywords that are neither ``None`` nor ``UNSET``.

    A ``None`` keyword therefore means "use the field's default".
    """
    return cls(**{k: v for k, v in values.items() if v is not None and v is not UNSET})


@overload
def decode(data: Any, tp: type[M]) -> M: ...
@overload
def decode(data: Any, tp: Any) -> Any: ...
def decode(data: Any, tp: Any) -> Any:
    """Convert decoded JSON to the annotation ``tp`` (e.g. ``list[JobInfo]``).

    Raises:
        ResponseValidationError: ``tp`` is a model and ``data`` does not fit it.
    """
    if isinstance(tp, type) and issubclass(tp, Model):
        return tp.from_dict(data)
    return _convert(data, tp)


def to_jsonable(value: Any) -> Any:
    """Turn models, dates and containers of them into JSON-serialisable values."""
    if value.__class__ in _SCALARS:
        return value
    if isinstance(value, Model):
        return value.to_dict()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {key: to_jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(item) for item in value]
    return value


def _class_info(cls: type[Model]) -> _ClassInfo:
    info = _CLASS_INFO.get(cls)
    if info is None:
        info = _CLASS_INFO[cls] = _build_class_info(cls)
    return info


def _build_class_info(cls: type[Model]) -> _ClassInfo:
    hints = _type_hints(cls)
    specs = tuple(
        _FieldSpec(
            name=f.name,
            key=str(f.metadata.get("json", f.name)),
            type=hints.get(f.name, Any),
            required=f.default is dataclasses.MISSING
            and f.default_factory is dataclasses.MISSING,
            send_null=f.metadata.get("null") is True,
        )
        for f in dataclasses.fields(cls)
        if f.init and f.name != "additional_properties"
    )
    return _ClassInfo(
        fields=specs,
        by_key={spec.key: spec for spec in specs},
        decoders={spec.key: (spec.name, _converter(spec.type)) for spec in specs},
        required=tuple((spec.name, spec.key) for spec in specs if spec.required),
        encoders=tuple(
            (spec.name, spec.key, spec.required or spec.send_null) for spec in specs
        ),
    )


def _type_hints(cls: type[Model]) -> dict[str, Any]:
    try:
        return get_type_hints(cls, localns=_SiblingModels(cls))
    except Exception:
        # One unresolvable annotation (a name imported only for type checking, a
        # class local to a function) must not cost the other fields their conversion.
        return _type_hints_per_field(cls)


class _SiblingModels(dict[str, Any]):
    """Names a model's annotations may use without importing them at run time.

    Generated models modules import models of other modules only for type checking
    (importing them for real could be circular); such a name is looked up, lazily,
    on the package that holds the module (its ``__getattr__`` imports on demand).
    """

    def __init__(self, cls: type) -> None:
        super().__init__()
        self._package = cls.__module__.rpartition(".")[0]

    def __missing__(self, name: str) -> Any:
        package = sys.modules.get(self._package)
        if package is None or not hasattr(package, name):
            raise KeyError(name)
        return getattr(package, name)


def _type_hints_per_field(cls: type[Model]) -> dict[str, Any]:
    hints: dict[str, Any] = {}
    for owner in reversed(cls.__mro__):
        module = sys.modules.get(owner.__module__)
        namespace = _SiblingModels(owner)
        namespace.update({**(vars(module) if module else {}), **vars(owner)})
        for name, annotation in vars(owner).get("__annotations__", {}).items():
            hints[name] = _evaluate(annotation, namespace)
    return hints


def _evaluate(annotation: Any, namespace: dict[str, Any]) -> Any:
    if not isinstance(annotation, str):
        return annotation
    try:
        return eval(annotation, namespace)
    except Exception:
        return Any


def _convert(value: Any, tp: Any) -> Any:
    """``value`` converted to the annotation ``tp``; kept as it is when it does not fit."""
    if value is None:
        return value
    convert = _converter_for(tp)
    return value if convert is None else convert(value)


_CONVERTERS: dict[Any, _Converter | None] = {}


def _converter_for(tp: Any) -> _Converter | None:
    """``_converter(tp)``, worked out once per annotation (``decode`` calls)."""
    try:
        return _CONVERTERS[tp]
    except KeyError:
        convert = _CONVERTERS[tp] = _converter(tp)
        return convert
    except TypeError:  # an unhashable annotation (Annotated metadata): not cached
        return _converter(tp)


def _converter(tp: Any) -> _Converter | None:
    """The function converting a value that is not None to ``tp``; None when every
    value is kept as it is. Worked out from the annotation once, applied per value."""
    if tp is Any:
        return None
    origin = get_origin(tp)
    if origin is None:
        return _plain_converter(tp)
    args = get_args(tp)
    if origin is Union or origin is types.UnionType:
        return _union_converter(args)
    if origin is Annotated:
        return _converter(args[0])
    if origin in (list, Sequence):
        return _list_converter(_converter(args[0] if args else Any))
    if origin in (dict, Mapping):
        return _dict_converter(_converter(args[1] if len(args) == 2 else Any))
    return None


def _list_converter(item: _Converter | None) -> _Converter:
    # A list is always a new list, its items converted (None items kept).
    if item is None:
        return lambda value: list(value) if isinstance(value, list) else value

    def convert(value: Any) -> Any:
        if not isinstance(value, list):
            return value
        return [None if v is None else item(v) for v in value]

    return convert


def _dict_converter(item: _Converter | None) -> _Converter:
    if item is None:
        return lambda value: dict(value) if isinstance(value, dict) else value

    def convert(value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        return {k: None if v is None else item(v) for k, v in value.items()}

    return convert


def _union_converter(args: tuple[Any, ...]) -> _Converter | None:
    options = [arg for arg in args if arg is not type(None)]
    if len(options) == 1:
        return _converter(options[0])
    choices = [(_converter(option), option) for option in options]

    def convert(value: Any) -> Any:
        # The first member the value fits: converted, or exactly of its type.
        for member, option in choices:
            try:
                converted = value if member is None else member(value)
            except ResponseValidationError:
                continue
            if converted is not value or _is_exact(value, option):
                return converted
        return value

    return convert


def _is_exact(value: Any, tp: Any) -> bool:
    if get_origin(tp) is Literal:
        return value in get_args(tp)
    if not isinstance(tp, type) or not isinstance(value, tp):
        return False
    return not (isinstance(value, bool) and tp is not bool)


def _plain_converter(tp: Any) -> _Converter | None:
    if not isinstance(tp, type):
        return None
    if issubclass(tp, Model):
        model: type[Model] = tp
        return lambda value: (
            model.from_dict(value) if isinstance(value, Mapping) else value
        )
    if tp is datetime:
        return _parse_datetime
    if tp is date:
        return lambda value: _parse_date(value) if isinstance(value, str) else value
    if tp is float:
        return lambda value: (
            float(value)
            if isinstance(value, int) and not isinstance(value, bool)
            else value
        )
    return None


def _parse_datetime(text: Any) -> Any:
    """A datetime from ISO 8601 text; anything else, or text that is not a datetime,
    as it is."""
    if not isinstance(text, str):
        return text
    match = _DATETIME.fullmatch(text.strip())
    if match is None:
        return text
    iso, clock, fraction, offset = match.groups()
    if clock:
        iso += "T" + clock
    if fraction:
        # Python 3.10's fromisoformat only takes 3 or 6 fractional digits.
        iso += "." + fraction[:6].ljust(6, "0")
    if offset:
        iso += _normalise_offset(offset)
    try:
        return datetime.fromisoformat(iso)
    except ValueError:
        return text


_OFFSETS: dict[str, str] = {"Z": "+00:00", "z": "+00:00"}


def _normalise_offset(offset: str) -> str:
    normal = _OFFSETS.get(offset)
    if normal is None:
        digits = offset[1:].replace(":", "")
        normal = f"{offset[0]}{digits[:2]}:{digits[2:4] or '00'}"
        if len(_OFFSETS) < 256:  # a few offsets in practice; bounded all the same
            _OFFSETS[offset] = normal
    return normal


def _parse_date(text: str) -> date | str:
    if _DATE.fullmatch(text.strip()) is None:
        return text
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return text
