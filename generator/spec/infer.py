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
from collections import Counter
from collections.abc import Iterable
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
# A key held by more registered objects than this does not select candidates.
_COMMON_KEY = 64
# How many of the entries sharing the most keys are compared in full.
_CANDIDATES = 8

# A shape's kinds are bits of an int: hundreds of thousands of shapes are alive at
# once for a large collection, and a set of strings costs 216 bytes each.
NULL, BOOL, INT, FLOAT, STR, DATETIME, DATE, OBJECT, ARRAY = (1 << n for n in range(9))
_BITS = {
    "null": NULL,
    "bool": BOOL,
    "int": INT,
    "float": FLOAT,
    "str": STR,
    "datetime": DATETIME,
    "date": DATE,
    "object": OBJECT,
    "array": ARRAY,
}
_KIND_NAMES = {bit: name for name, bit in _BITS.items()}
_SCALAR_BITS = BOOL | INT | FLOAT | STR | DATETIME | DATE
_PLACEHOLDER_BITS = {name: _BITS[kind] for name, kind in _PLACEHOLDERS.items()}
# The fields of a shape that never held an object: shared, never written to
# (``_own_fields`` gives a shape its own dict before any write).
_NO_FIELDS: dict[str, Shape] = {}


def kind_bits(*kinds: str) -> int:
    """The bits of the named kinds ("null", "bool", ..., "object", "array")."""
    bits = 0
    for kind in kinds:
        bits |= _BITS[kind]
    return bits


def kind_names(kinds: int) -> set[str]:
    """The names of the kinds set in ``kinds``."""
    return {name for name, bit in _BITS.items() if kinds & bit}


@dataclass(slots=True)  # hundreds of thousands for a large collection
class Shape:
    """The merged type of one or more JSON values."""

    kinds: int = 0  # bits: scalars, NULL, OBJECT, ARRAY
    fields: dict[str, Shape] = field(default_factory=lambda: _NO_FIELDS)
    objects: int = 0  # how many object samples were merged
    items: Shape | None = None
    # How many object samples of the parent shape had this field (a field's own
    # count, so that an object shape needs no second dict of counts).
    seen: int = 0


def presence(shape: Shape) -> dict[str, int]:
    """How many of the merged objects had each key."""
    return {key: child.seen for key, child in shape.fields.items()}


def shape_of(value: object, *, dates: bool = True) -> Shape:
    """The shape of one JSON value (``dates=False``: date-like strings stay ``str``)."""
    shape = Shape()
    add_value(shape, value, dates=dates)
    return shape


def add_value(shape: Shape, value: object, *, dates: bool = True) -> None:
    """Merge one more JSON value into ``shape``."""
    # Parsed JSON holds the exact types: one lookup instead of a chain of
    # ``isinstance`` (anything else, subclasses included, takes the chain).
    bit = _EXACT_BITS.get(type(value), -1)
    if bit == STR:
        shape.kinds |= _string_bit(value) if dates else STR  # type: ignore[arg-type]
    elif bit == OBJECT:
        _add_object(shape, value, dates)  # type: ignore[arg-type]
    elif bit == ARRAY:
        _add_array(shape, value, dates)  # type: ignore[arg-type]
    elif bit != -1:
        shape.kinds |= bit
    elif isinstance(value, bool):
        shape.kinds |= BOOL
    elif isinstance(value, int):
        shape.kinds |= INT
    elif isinstance(value, float):
        shape.kinds |= FLOAT
    elif isinstance(value, str):
        shape.kinds |= _string_bit(value) if dates else STR
    elif isinstance(value, list):
        _add_array(shape, value, dates)
    elif isinstance(value, dict):
        _add_object(shape, value, dates)


# The kind bit of each exact JSON type (``add_value``).
_EXACT_BITS: dict[type, int] = {
    type(None): NULL,
    bool: BOOL,
    int: INT,
    float: FLOAT,
    str: STR,
    list: ARRAY,
    dict: OBJECT,
}


# The kind bit of each exact JSON scalar type but ``str`` (the loops below merge
# these without a call to ``add_value``: most values are scalars).
_NON_STR_SCALAR_BITS: dict[type, int] = {
    cls: bit for cls, bit in _EXACT_BITS.items() if cls not in (str, list, dict)
}


def _add_array(shape: Shape, value: list[object], dates: bool) -> None:
    shape.kinds |= ARRAY
    items = shape.items
    if items is None:
        items = shape.items = Shape()
    for item in value:
        cls = type(item)
        if cls is str:
            items.kinds |= _string_bit(item) if dates else STR  # type: ignore[arg-type]
        elif cls in _NON_STR_SCALAR_BITS:
            items.kinds |= _NON_STR_SCALAR_BITS[cls]
        else:
            add_value(items, item, dates=dates)


def _add_object(shape: Shape, value: dict[object, object], dates: bool) -> None:
    shape.kinds |= OBJECT
    shape.objects += 1
    fields = _own_fields(shape)
    for key, item in value.items():
        name = key if type(key) is str else str(key)
        child = fields.get(name)
        if child is None:
            child = fields[name] = Shape()
        cls = type(item)
        if cls is str:
            child.kinds |= _string_bit(item) if dates else STR  # type: ignore[arg-type]
        elif cls in _NON_STR_SCALAR_BITS:
            child.kinds |= _NON_STR_SCALAR_BITS[cls]
        else:
            add_value(child, item, dates=dates)
        child.seen += 1


def _string_bit(value: str) -> int:
    """The kind bit of a string (placeholders widen, dates are dates)."""
    first = value[:1]
    if first != "<" and not first.isdecimal():  # what every pattern starts with
        return STR
    placeholder = _PLACEHOLDER_RE.match(value)
    if placeholder:
        return _PLACEHOLDER_BITS.get(placeholder.group(1).lower(), STR)
    if _DATETIME_RE.match(value):
        return DATETIME
    if _DATE_RE.match(value):
        return DATE
    return STR


def string_kind(value: str) -> str:
    """The scalar kind a string stands for (placeholders widen, dates are dates)."""
    return _KIND_NAMES[_string_bit(value)]


def _own_fields(shape: Shape) -> dict[str, Shape]:
    """The shape's fields, made its own dict first if it had the shared empty one."""
    if shape.fields is _NO_FIELDS:
        shape.fields = {}
    return shape.fields


def merge(a: Shape, b: Shape) -> Shape:
    """A new shape holding both ``a`` and ``b``."""
    result = Shape(kinds=a.kinds | b.kinds, objects=a.objects + b.objects)
    result.seen = a.seen + b.seen
    for key in [*a.fields, *(k for k in b.fields if k not in a.fields)]:
        fa, fb = a.fields.get(key), b.fields.get(key)
        _own_fields(result)[key] = merge(fa, fb) if fa and fb else (fa or fb or Shape())
    if a.items and b.items:
        result.items = merge(a.items, b.items)
    else:
        result.items = a.items or b.items
    return result


def copy_shape(shape: Shape) -> Shape:
    """A deep copy (a registry entry owns its shape, so it can grow in place)."""
    fields = shape.fields
    items = shape.items
    return Shape(
        kinds=shape.kinds,
        fields=(
            {
                k: (
                    copy_shape(v)
                    if v.fields or v.items is not None
                    # A scalar's copy, without a call (most fields are scalars).
                    else Shape(v.kinds, _NO_FIELDS, v.objects, None, v.seen)
                )
                for k, v in fields.items()
            }
            if fields
            else _NO_FIELDS
        ),
        objects=shape.objects,
        items=copy_shape(items) if items is not None else None,
        seen=shape.seen,
    )


def merge_into(target: Shape, source: Shape) -> None:
    """Merge ``source`` into ``target`` in place (``target`` must be owned).

    The same result as ``merge``, in time proportional to ``source`` alone.
    """
    target.kinds |= source.kinds
    target.objects += source.objects
    target.seen += source.seen
    if source.fields:
        fields = _own_fields(target)
        for key, child in source.fields.items():
            mine = fields.get(key)
            if mine is None:
                fields[key] = copy_shape(child)
            elif child.fields or child.items is not None:
                merge_into(mine, child)
            else:  # a scalar: what ``merge_into`` would do, without the call
                mine.kinds |= child.kinds
                mine.objects += child.objects
                mine.seen += child.seen
    if source.items is not None:
        if target.items is None:
            target.items = copy_shape(source.items)
        else:
            merge_into(target.items, source.items)


def widens(target: Shape, source: Shape) -> bool:
    """Whether merging ``source`` would change the fields of ``target``'s model or
    of a model nested in it: a new key, a required key that ``source`` lacks, or a
    new kind of value."""
    fields = target.fields
    for key, child in source.fields.items():
        mine = fields.get(key)
        if mine is None or child.kinds & ~mine.kinds:
            return True
        # (Two scalars: no call, ``widens`` would find nothing to compare.)
        if (mine.fields or child.fields or child.items is not None) and widens(
            mine, child
        ):
            return True
    items = source.items
    if items is not None:
        if target.items is None or widens(target.items, items):
            return True
        if items.kinds & ~target.items.kinds:
            return True
    # A key every object of ``target`` had, that some object of ``source`` lacks
    # (walked in place: a cached set per shape was 18 MiB at the peak of 10k).
    theirs, objects, everywhere = source.fields, source.objects, target.objects
    for key, mine in target.fields.items():
        if mine.seen == everywhere:
            theirs_child = theirs.get(key)
            if (theirs_child.seen if theirs_child is not None else 0) < objects:
                return True
    return False


def holds_object(shape: Shape) -> bool:
    """Whether ``shape`` is an object with keys, or a list (of lists...) of one at
    any depth: what ``ModelRegistry.register_value_shape`` would register."""
    while not (shape.kinds & OBJECT and shape.fields):
        items = shape.items
        if items is None:
            return False
        shape = items
    return True


def _scalar_type(kinds: int) -> str:
    scalars = kinds & _SCALAR_BITS
    if scalars and not scalars & ~(INT | FLOAT):
        return "float" if scalars & FLOAT else "int"
    if scalars and not scalars & ~(DATETIME | DATE):
        return "datetime" if scalars & DATETIME else "date"
    if scalars and not scalars & (scalars - 1):  # exactly one
        return _KIND_NAMES[scalars]
    if not scalars & ~(STR | DATETIME | DATE):
        return "str"
    return "Any"


def _broad(kinds: int) -> int:
    """A shape's kinds, scalars as one (the STR bit), null left out."""
    broad = kinds & (OBJECT | ARRAY)
    return broad | STR if kinds & _SCALAR_BITS else broad


def _compatible(a: Shape, b: Shape) -> bool:
    """Whether two field shapes can be one field: the same broad kind and, for
    objects (or lists of objects) big enough to tell, the same object.

    Without the second rule, envelopes such as ``{"data": [...], "meta": {...}}``
    of every list request became one model, whose ``data`` items merged the
    records of the whole API into one class of thousands of fields.
    """
    if a.kinds != b.kinds:
        ka, kb = _broad(a.kinds), _broad(b.kinds)
        if ka and kb and ka != kb:
            return False
    elif not a.kinds & (OBJECT | ARRAY):
        return True  # the same scalar kinds (the common case)
    if a.items is not None and b.items is not None:
        a, b = a.items, b.items
    if len(a.fields) < 3 or len(b.fields) < 3:
        return True
    return similarity(a, b) is not None


@dataclass
class _Entry:
    shape: Shape
    # (preference, order, full name, short name): a nested object's short name is
    # its key alone ("Address"), its full name the owner's plus the key.
    # The last element is the origin (see ``ModelRegistry.origin``).
    names: list[tuple[int, int, str, str, str]]
    module: str
    position: int = 0  # index in the registry's entries
    model: ModelDef | None = None


@dataclass
class ModelRegistry:
    """Collects object shapes from all examples and turns them into named models.

    Entries are indexed by their keys, so finding the entry a shape belongs to
    compares it only with entries that share one of its less common keys (a key
    every object has, like ``id``, says nothing about sameness): registering stays
    close to linear in the number of shapes.
    """

    entries: list[_Entry] = field(default_factory=list)
    overrides: dict[str, str] = field(default_factory=dict)
    # Class names kept by a lock file, and the names given, by inferred name.
    locked: dict[str, str] = field(default_factory=dict)
    named: dict[str, str] = field(default_factory=dict)
    # Who registers the shapes being added (an operation's stable key): a model's
    # lock key is its origin and name, so another request's model of the same name
    # cannot take it.
    origin: str = ""
    _order: int = 0
    _by_key: dict[str, list[int]] = field(default_factory=dict)
    # The entry each registered shape object was merged into (by ``id``): finding
    # it again later by similarity could pick another entry, one that never saw
    # the shape, and then keys the shape lacks would wrongly stay required.
    _assigned: dict[int, _Entry] = field(default_factory=dict)
    # Candidates found for the (sorted) keys counted, with their postings' lengths.
    _memo: dict[tuple[str, ...], tuple[tuple[int, ...], list[int]]] = field(
        default_factory=dict
    )

    def add(
        self, shape: Shape, name: str, module: str, preference: int, short: str = ""
    ) -> _Entry:
        """Register an object shape and, first, every object nested in it."""
        self._register_children(shape, name, module)
        self._order += 1
        candidate = (preference, self._order, name, short or name, self.origin)
        best = self._best_match(shape)
        if best is None:
            owned = copy_shape(shape)
            entry = _Entry(owned, [candidate], module, position=len(self.entries))
            self.entries.append(entry)
            self._index(entry.position, shape.fields)
            self._assigned[id(shape)] = entry
            return entry
        new_keys = [k for k in shape.fields if k not in best.shape.fields]
        merge_into(best.shape, shape)
        best.names.append(candidate)
        self._index(best.position, new_keys)
        self._assigned[id(shape)] = best
        return best

    def _index(self, position: int, keys: Iterable[str]) -> None:
        for key in keys:
            self._by_key.setdefault(key, []).append(position)

    def _register_children(self, shape: Shape, owner: str, module: str) -> None:
        for key, child in shape.fields.items():
            # Scalars and lists of scalars register nothing: no names made for them.
            if (child.fields or child.items is not None) and holds_object(child):
                short = pascal(key, fallback="Item")
                self._register_nested(child, owner + short, module, short)
        if shape.items is not None and holds_object(shape.items):
            self._register_nested(shape.items, singular(owner), module, "")

    def _register_nested(
        self, shape: Shape, hint: str, module: str, short: str
    ) -> None:
        if shape.kinds & OBJECT and shape.fields:
            self.add(shape, hint, module, preference=9, short=short)
        elif shape.items is not None and holds_object(shape.items):
            self._register_nested(
                shape.items, singular(hint), module, singular(short) if short else ""
            )

    def register_value_shape(
        self, shape: Shape, hint: str, module: str, short: str = ""
    ) -> None:
        """Register the objects in any value's shape (a body field, a list...)."""
        self._register_nested(shape, hint, module, short)

    def find(self, shape: Shape) -> _Entry | None:
        """The entry an (already registered) object shape belongs to."""
        return self._assigned.get(id(shape)) or self._best_match(shape)

    def holds(self, entry: _Entry, shape: Shape) -> bool:
        """Whether ``shape`` was merged into ``entry`` when it was registered.

        Merging it again would change counts only, never the model: every kind
        and key is there, and a key all of the entry's objects have is a key all
        of the shape's objects have (``required`` and ``widens`` ask no more).
        """
        return self._assigned.get(id(shape)) is entry

    def _candidates(self, shape: Shape) -> list[int]:
        """The few entries sharing most of the shape's not-too-common keys."""
        by_key = self._by_key
        get = by_key.get  # (bound once: a lookup per key otherwise)
        sizes = {key: len(get(key, ())) for key in shape.fields}
        counted = sorted(k for k, size in sizes.items() if 0 < size <= _COMMON_KEY)
        if not counted:
            # A key no entry has is rare too: then the common keys select nothing;
            # with only common keys, the least common one selects.
            if not sizes or 0 in sizes.values():
                return []
            counted = [min(sizes, key=sizes.__getitem__)]
        # Postings only grow: the same postings at the same lengths select the
        # same candidates (large collections repeat their objects, and objects
        # with other common keys share their rare ones).
        memo_key = tuple(counted)
        lengths = tuple([sizes[key] for key in counted])
        memo = self._memo.get(memo_key)
        if memo is not None and memo[0] == lengths:
            return memo[1]
        found = self._rank([by_key[key] for key in counted])
        self._memo[memo_key] = (lengths, found)
        return found

    def _rank(self, postings: list[list[int]]) -> list[int]:
        """The entries sharing most keys (``_CANDIDATES`` of them, the earliest
        first among equals), in order of position."""
        if len(postings) == 1:
            # One posting holds each entry once: every count is 1, so the ranking
            # is the earliest entries (most such calls are a common key's long
            # posting, and counting it cost more than sorting it).
            return sorted(postings[0])[:_CANDIDATES]
        found, repeats = _repeats(postings)
        if len(found) <= _CANDIDATES:
            return sorted(found)
        if not repeats:
            return sorted(found)[:_CANDIDATES]
        # Entries seen in more than one posting come first, and there are few of
        # them: only they are counted. Most shared keys first, then the earliest
        # entry: sorting is stable, so a sort by count of the positions in order
        # keeps equal counts in that order (two sorts in C, no tuple per entry).
        counts = Counter(repeats)
        if len(counts) >= _CANDIDATES:
            by_count = sorted(sorted(counts), key=counts.__getitem__, reverse=True)
            return sorted(by_count[:_CANDIDATES])
        # Then the earliest of the entries seen once.
        once = sorted(found.difference(counts))[: _CANDIDATES - len(counts)]
        return sorted([*counts, *once])

    def _best_match(self, shape: Shape) -> _Entry | None:
        best: tuple[float, int] | None = None
        found: _Entry | None = None
        size = len(shape.fields)
        entries = self.entries
        for index in self._candidates(shape):
            entry = entries[index]
            bound = _jaccard_bound(len(entry.shape.fields), size)
            if bound is None:
                continue  # no score from the numbers of keys alone
            if best is not None and bound <= best[0]:
                # Candidates come in order: a later one must score higher to win,
                # and it cannot.
                continue
            score = similarity(entry.shape, shape)
            if score is not None and (best is None or (score, -index) > best):
                best, found = (score, -index), entry
        return found


def _repeats(postings: list[list[int]]) -> tuple[set[int], list[int]]:
    """The entries in any of the postings, and every repeated occurrence (an entry
    in n postings is listed n - 1 times).

    Set operations in C: most entries are in one posting only, and counting every
    occurrence of every entry was most of ranking the candidates.
    """
    found = set(postings[0])
    repeats: list[int] = []
    for posting in postings[1:]:
        again = found.intersection(posting)
        if again:
            repeats.extend(again)
        found.update(posting)
    return found, repeats


def _jaccard_bound(size_a: int, size_b: int) -> float | None:
    """The highest ``similarity`` two shapes with these numbers of keys can have:
    the smaller over the larger (the very float ``similarity`` computes when every
    key of the smaller one is shared); None when it is None whatever the keys."""
    if size_a == size_b:
        return 1.0
    small, large = (size_a, size_b) if size_a < size_b else (size_b, size_a)
    if small < 3 or 5 * small < 2 * large:  # the early reject of ``similarity``
        return None
    return small / large


def similarity(a: Shape, b: Shape) -> float | None:
    """Jaccard similarity of two object shapes' keys, or None when not the same object.

    Same object: the smaller key set has at least 3 keys, 80 % of them are in the
    larger one, the Jaccard index is at least 0.4, and shared keys agree in kind.
    """
    fa, fb = a.fields, b.fields
    ka, kb = fa.keys(), fb.keys()  # set-like views: no copies
    if ka == kb and ka and _all_compatible(fa, fb, ka):
        return 1.0
    small, large = (len(ka), len(kb)) if len(ka) <= len(kb) else (len(kb), len(ka))
    # The index is at most small / large: below 0.4 needs no shared keys counted.
    if small < 3 or 5 * small < 2 * large:
        return None
    shared = ka & kb
    if len(shared) < 0.8 * small:
        return None
    jaccard = len(shared) / (len(ka) + len(kb) - len(shared))
    if jaccard < 0.4:
        return None
    if not _all_compatible(fa, fb, shared):
        return None
    return jaccard


def _all_compatible(
    fa: dict[str, Shape], fb: dict[str, Shape], keys: Iterable[str]
) -> bool:
    """Whether the two shapes' fields under each of ``keys`` are ``_compatible``."""
    for key in keys:
        mine, theirs = fa[key], fb[key]
        kinds = mine.kinds
        if kinds == theirs.kinds and not kinds & (OBJECT | ARRAY):
            continue  # the same scalar kinds (most fields): compatible, no call
        if not _compatible(mine, theirs):
            return False
    return True


class ModelBuilder:
    """Turns registered shapes into ``ModelDef``s with unique class names."""

    def __init__(self, registry: ModelRegistry, classes: ClassScope) -> None:
        self.registry = registry
        self.classes = classes
        self.models: list[ModelDef] = []
        # Entries whose fields are being computed: not widened meanwhile (a model
        # that contains itself, or one of its ancestors, must not change under us).
        self._building: set[int] = set()

    def entry_type(self, entry: _Entry) -> str:
        """The class name of an entry's model, building it on first use."""
        if entry.model is None:
            _preference, _order, full, short, origin = min(entry.names)
            key = f"{origin} {full}" if origin else full
            overrides = self.registry.overrides
            if short in overrides or full in overrides:
                name = self.classes.claim(overrides.get(short) or overrides[full])
            else:
                if key in self.registry.locked:
                    name = self.classes.claim_locked(self.registry.locked[key])
                elif short not in self.classes:
                    name = self.classes.claim(short)
                else:
                    name = self.classes.claim(full)
                self.registry.named.setdefault(key, name)
            entry.model = ModelDef(name=name, module=entry.module)
            self.models.append(entry.model)
            self._build_fields(entry)
        return entry.model.name

    def type_of(self, shape: Shape, hint: str, module: str) -> str:
        """The Python type expression for ``shape`` (building nested models)."""
        kinds = shape.kinds & ~NULL
        if kinds == OBJECT and shape.fields:
            entry = self.registry.find(shape)
            if entry is None:  # a shape nobody registered: register it now
                entry = self.registry.add(shape, hint, module, preference=9)
            elif entry.model is None:
                # This shape merges samples the entry may not have seen (an empty
                # object in one example leaves the others' keys optional).
                if not self.registry.holds(entry, shape):
                    merge_into(entry.shape, shape)
            elif entry.position not in self._building and widens(entry.shape, shape):
                # The model is built, but this shape has keys it lacks, or lacks
                # keys it requires: widen it (bounded: each time a key is added,
                # made optional or given a new kind).
                merge_into(entry.shape, shape)
                self._build_fields(entry)
            text = self.entry_type(entry)
        elif kinds == OBJECT:
            text = "dict[str, Any]"
        elif kinds == ARRAY:
            items = shape.items or Shape()
            inner = (
                self.type_of(items, singular(hint), module) if items.kinds else "Any"
            )
            text = f"list[{inner}]"
        elif not kinds or kinds & (OBJECT | ARRAY):
            text = "Any"
        else:
            text = _scalar_type(kinds)
        if shape.kinds & NULL and text != "Any":
            text += " | None"
        return text

    def _build_fields(self, entry: _Entry) -> None:
        """(Re)compute the fields of an entry's model from its merged shape."""
        assert entry.model is not None
        self._building.add(entry.position)
        entry.model.fields = self._fields(entry.shape, entry.model.name, entry.module)
        self._building.discard(entry.position)

    def _fields(self, shape: Shape, owner: str, module: str) -> list[ModelField]:
        scope = NameScope()
        fields = []
        for key, child in shape.fields.items():
            name = scope.claim(attribute_name(key))
            # A hint names a nested model or list item: a scalar needs none.
            nested = child.fields or child.items is not None
            hint = owner + pascal(key, fallback="Item") if nested else ""
            type_ = self.type_of(child, hint, module)
            required = child.seen == shape.objects and not child.kinds & NULL
            fields.append(ModelField(name=name, key=key, type=type_, required=required))
        return fields
