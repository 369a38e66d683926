"""What a check may say, validated when a recipe loads: the kinds, the keys
each takes, and value references such as ``bump:20:height``, parsed by one
function (``parse_ref``) into a ``ValueRef`` for loading and for running."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from . import measure
from .errors import InputError
from .films import Film
from .joints import Joint

KINDS = ("compare", "range", "present", "absent", "unchanged", "volume_conserved", "coplanar",
         "equal_pitch", "tapers_upward", "flat_top", "filled", "touches", "covered", "exposed")

#: Relative slack of the strict comparisons (a value equal to its bound to
#: this much is neither above nor below it).
COMPARE_REL = 1e-9
#: Relative tolerance of '=='.
EQUAL_REL = 1e-6
#: Default relative tolerance of volume_conserved, and the default spread
#: (µm) of coplanar, equal_pitch and flat_top.
DEFAULT_REL = 1e-6
DEFAULT_TOLERANCE = 1e-3


def _eps(a: float, b: float) -> float:
    return COMPARE_REL * max(1.0, abs(a), abs(b))


OPS: dict[str, Callable[[float, float], bool]] = {
    ">": lambda a, b: a > b + _eps(a, b), ">=": lambda a, b: a >= b - _eps(a, b),
    "<": lambda a, b: a < b - _eps(a, b), "<=": lambda a, b: a <= b + _eps(a, b),
    "==": lambda a, b: abs(a - b) <= EQUAL_REL * max(1.0, abs(b))}
#: Keys a check may carry besides 'figure', 'check' and 'note'.
KEYS = {"left", "op", "right", "value", "min", "max", "names", "name", "from_figure",
        "from_name", "rel", "reference", "direction", "material", "landing", "tolerance",
        "above", "other", "min_width", "below", "factor"}


@dataclass(frozen=True)
class ValueRef:
    """A value a check reads: ``kind:name[:field]`` (``span:LOW:HIGH`` has
    the second name in ``field``, ``thickness:N:X`` the x in µm).

    >>> parse_ref("check", "value", "bump:20a:neck_width")
    ValueRef(kind='bump', name='20a', field='neck_width')
    """

    kind: str
    name: str
    field: str = ""

    @property
    def text(self) -> str:
        return ":".join(p for p in (self.kind, self.name, self.field) if p)


#: Per kind: the keys it needs and the keys it may carry (besides figure,
#: check and note). A key that a kind does not read is an error, not ignored.
SPECS: dict[str, tuple[set[str], set[str]]] = {
    "compare": ({"left", "right"}, {"op", "factor", "reference", "direction", "material",
                                    "landing"}),
    "range": ({"value"}, {"min", "max", "reference", "direction", "material", "landing"}),
    "present": (set(), {"names", "name"}),
    "absent": (set(), {"names", "name"}),
    "unchanged": ({"name", "from_figure"}, set()),
    "volume_conserved": ({"name", "from_figure"}, {"from_name", "rel"}),
    "coplanar": ({"name"}, {"tolerance", "reference", "direction"}),
    "equal_pitch": ({"name"}, {"tolerance", "reference", "direction"}),
    "tapers_upward": ({"name"}, {"above"}),
    "flat_top": ({"name"}, {"tolerance"}),
    "filled": ({"name"}, {"from_figure", "below"}),
    "touches": ({"name", "other"}, set()),
    "covered": ({"name"}, set()),
    "exposed": ({"name"}, {"min_width", "direction"}),
}
_NUMBERS = {"min", "max", "rel", "tolerance", "min_width", "factor"}
_STRINGS = {"name", "other", "from_figure", "from_name", "above", "below", "material"}
_FIELDS = {"bump": measure.Bump, "joint": Joint, "void": measure.Void, "film": Film}


def validate(spec: Mapping[str, Any], where: str) -> None:
    """Raise ``InputError`` naming ``where`` and the key unless ``spec`` is a
    well-formed check: a known kind, the keys it needs and no others, numbers
    where numbers go, value references of a known form (``bump:20:height``)."""
    kind = spec.get("check")
    if not isinstance(kind, str) or kind not in SPECS:
        raise InputError(f"{where}: 'check' must be one of {', '.join(KINDS)} (got {kind!r})")
    needed, optional = SPECS[kind]
    here = f"{where} ({kind})"
    for key in spec:
        if key not in needed | optional | {"figure", "check", "note"}:
            raise InputError(f"{here}: '{key}' does not apply to a {kind} check; it takes "
                             f"{', '.join(sorted(needed | optional)) or 'no other keys'}")
    for key in sorted(needed):
        if key not in spec:
            raise InputError(f"{here}: missing required key '{key}'")
    if not isinstance(spec.get("note", ""), str):
        raise InputError(f"{here}: 'note' must be a string (got {spec['note']!r})")
    if kind in ("present", "absent"):
        names = spec.get("names", spec.get("name"))
        if isinstance(names, str):
            names = [names]
        if not isinstance(names, (list, tuple)) or not names or \
                not all(isinstance(n, str) and n for n in names):
            raise InputError(f"{here}: 'names' must be a numeral or material, or a list of "
                             f"them (got {names!r})")
    for key in _NUMBERS & set(spec):
        v = spec[key]
        if isinstance(v, bool) or not isinstance(v, (int, float)) or v != v:
            raise InputError(f"{here}: '{key}' must be a number (got {v!r})")
    for key in _STRINGS & set(spec):
        if not isinstance(spec[key], str) or not spec[key]:
            raise InputError(f"{here}: '{key}' must be a numeral or material name "
                             f"(got {spec[key]!r})")
    if kind == "compare":
        op = spec.get("op", ">")
        if not isinstance(op, str) or op not in OPS:
            raise InputError(f"{here}: 'op' must be one of {', '.join(OPS)} (got {op!r})")
    if kind == "range" and "min" not in spec and "max" not in spec:
        raise InputError(f"{here}: give 'min', 'max' or both")
    if "direction" in spec and spec["direction"] not in ("up", "down"):
        raise InputError(f"{here}: 'direction' must be 'up' or 'down' "
                         f"(got {spec['direction']!r})")
    if "reference" in spec:
        ref = spec["reference"]
        if isinstance(ref, bool) or not isinstance(ref, (int, float, str)) or ref == "":
            raise InputError(f"{here}: 'reference' must be a height (µm) or a numeral or "
                             f"material whose top is the base (got {ref!r})")
    for key in ("left", "right", "value"):
        if key in spec:
            _validate_ref(here, key, spec[key])


#: Value references: their kind and how many ':'-separated parts they have.
ARITY = {"bump": 3, "joint": 3, "void": 3, "film": 3, "top": 2, "bottom": 2, "span": 3,
         "thickness": 3, "area": 2, "bodies": 2, "exposed": 2}


def names_in(spec: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(key, name) for every numeral or material a (validated) check names:
    its name keys and the names inside its value references."""
    out = [(k, spec[k]) for k in ("name", "other", "from_name", "above", "below", "material",
                                  "reference") if isinstance(spec.get(k), str)]
    names = spec.get("names", [])
    out += [("names", n) for n in ([names] if isinstance(names, str) else names)]
    for key in ("left", "right", "value"):
        ref = spec.get(key)
        if isinstance(ref, (str, ValueRef)):
            r = ref if isinstance(ref, ValueRef) else parse_ref("check", key, ref)
            out += [(key, n) for n in ([r.name, r.field] if r.kind == "span" else [r.name])]
    return out


@dataclass(frozen=True)
class CheckSpec(Mapping[str, Any]):
    """One validated check, frozen: its kind, figure and note, and its other
    keys with every value reference already parsed into a ``ValueRef``
    (lists become tuples). Reads as the mapping a recipe wrote.

    >>> spec = spec_of({"figure": "1C", "check": "range", "value": "void:16:depth",
    ...                 "min": 29.9}, "recipe: check 1")
    >>> spec.kind, spec["value"]
    ('range', ValueRef(kind='void', name='16', field='depth'))
    """

    kind: str
    figure: str
    note: str = ""
    fields: tuple[tuple[str, Any], ...] = ()

    def _items(self) -> dict[str, Any]:
        head: dict[str, Any] = {"figure": self.figure, "check": self.kind}
        if self.note:
            head["note"] = self.note
        return {**head, **dict(self.fields)}

    def __getitem__(self, key: str) -> Any:
        return self._items()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items())

    def __len__(self) -> int:
        return len(self._items())


def spec_of(table: Mapping[str, Any], where: str) -> CheckSpec:
    """Validate a check table (``validate``) and freeze it into a ``CheckSpec``."""
    validate(table, where)
    fields = []
    for key, value in table.items():
        if key in ("figure", "check", "note"):
            continue
        if key in ("left", "right", "value") and isinstance(value, str):
            value = parse_ref(where, key, value)
        elif isinstance(value, list):
            value = tuple(value)
        fields.append((key, value))
    return CheckSpec(str(table["check"]), str(table["figure"]), str(table.get("note", "")),
                     tuple(fields))


FORMS = ("bump:N:field, joint:N:field, void:N:field, film:N:field, top:N, bottom:N, span:LOW:HIGH, "
         "thickness:N:X, area:M, bodies:M, exposed:M or a number")


def parse_ref(here: str, key: str, ref: object) -> ValueRef:
    """The ``ValueRef`` of a reference's text; ``InputError`` naming ``here``
    and ``key`` unless it has a known form."""
    if not isinstance(ref, str):
        raise InputError(f"{here}: '{key}' must be {FORMS} (got {ref!r})")
    parts = ref.split(":")
    if parts[0] not in ARITY or len(parts) != ARITY[parts[0]] or not all(parts[1:]):
        raise InputError(f"{here}: '{key}' = {ref!r} is not {FORMS}")
    if parts[0] in _FIELDS:
        fields = [f.name for f in dataclasses.fields(_FIELDS[parts[0]]) if f.name != "numeral"]
        if parts[2] not in fields:
            raise InputError(f"{here}: '{key}' = {ref!r}: a {parts[0]} has no field "
                             f"{parts[2]!r}; fields: {', '.join(fields)}")
    if parts[0] == "thickness":
        try:
            x = float(parts[2])
        except ValueError:
            x = float("nan")
        if not math.isfinite(x):
            raise InputError(f"{here}: '{key}' = {ref!r}: the x of a thickness must be a "
                             f"number of µm (got {parts[2]!r})")
    return ValueRef(parts[0], parts[1], parts[2] if len(parts) > 2 else "")


def _validate_ref(here: str, key: str, ref: object) -> None:
    """A value reference: a number or 'kind:name[:field]' of a known form."""
    if isinstance(ref, ValueRef) or (isinstance(ref, (int, float)) and not isinstance(ref, bool)):
        return
    parse_ref(here, key, ref)
