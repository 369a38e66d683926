"""The operator reference and the recipe's JSON Schema, both made from the
tables the loader validates with (``KEYWORD_TYPES``, ``CHOICES``, ``UNITS``,
the operators' signatures), the keyword glossary and the docstrings::

    signature  etch(section, *, depth: float, side: str = "top", ...)
    table      KEYWORD_TYPES["depth"] = "length"  ->  µm, >= 0
    glossary   KEYWORD_DOCS["depth"]              ->  what it means
               => Keyword(name="depth", kind="length", unit="µm", required=True, ...)
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any

from .check_specs import KEYS, KINDS
from .flow import OPERATORS
from .recipe_fields import EXPECTED, UNITS, RecipeError, choices_of, kind_of

_NO_DEFAULT = inspect.Parameter.empty

#: What each keyword means, by key or by (op, key) where one operator reads
#: it differently. A test keeps this, the signatures and the schema equal.
KEYWORD_DOCS: dict[str | tuple[str, str], str] = {
    "above": "fill only the space above bodies with this numeral",
    "amplitude": "peak-to-valley height of the roughness",
    "at": "x positions of the features (centres)",
    "bias": "extra width cut under each mask edge (anisotropic)",
    "bottom_width": "hole width at the bottom (default: top_width, a straight hole)",
    "contact_angle_deg": "spread no wider than the cap meeting the surface at this angle",
    "depth": "how far the removal goes below the exposed surface",
    ("drill", "depth"): "blind hole: stop this far below the entry",
    "diameter": "ball diameter",
    "enclosed": "also fill spaces closed in the plane (underfill between bumps)",
    "flat_of": "the material whose flat top the grind measures",
    "flat_width": "grind down until the flat of flat_of is this wide",
    "gap": "space left between the two sections",
    "height": "fill to this height above the 'on' surface",
    ("place", "height"): "height of a placed rectangle (a die)",
    "keep": "x-intervals kept (the mask's dark areas)",
    ("split", "keep"): "which part of the cut is kept",
    "lateral_ratio": "sideways over downward etch rate (elliptic front)",
    "level": "absolute z of the plane",
    "lift_off": "also remove what rested only on the stripped bodies",
    "material": "the material the step makes",
    "mirror_x": "also mirror left to right",
    "mode": "the physics variant",
    "numeral": "reference numeral of what the step makes",
    ("assembly", "numeral"): "the numeral of the whole assembly",
    ("label", "numeral"): "the numeral given to the part",
    "numerals": "act only on the bodies with these numerals",
    ("assembly", "numerals"): "the numerals of the bodies the assembly is made of",
    ("rename", "numerals"): "old numeral to new numeral",
    "on": "the materials whose exposed surfaces the film or fill grows on",
    "openings": "x-intervals of a virtual mask: the step acts there only",
    "part_numerals": "numerals of the film's parts by the material they lie on",
    "peak_temperature": "peak reflow temperature; solders with liquidus at or below it melt",
    "period": "lateral period of the roughness",
    "remove": "x-intervals removed (the mask's openings)",
    "rename": "new numerals of the molten bodies (ball 6 becomes terminal 5)",
    "side": "the face worked: from the open space above, below, or both",
    "sidewall_deg": "side-wall angle from vertical (tapered etch)",
    "standoff": "held: the upper body stays; free: it rests on its joints",
    "stop_on": "the material where the removal stops",
    "target": "the materials the step acts on",
    "thickness": "film thickness",
    ("laminate", "thickness"): "film thickness above the highest point it covers",
    "top": "absolute z of the film's top",
    "top_width": "hole width at the entry",
    "undercut": "wet undercut under each mask edge",
    "upper": "'self' (a copy of the current section), a part's name or an earlier figure",
    "part": "the part mounted: a part's name or an earlier figure",
    "flip": "turn the part face down first",
    "hours": "how long the section is aged",
    ("age", "temperature"): "the ageing temperature",
    "metal": "the metal the solder reacts with (copper: Cu6Sn5; nickel: Ni3Sn4)",
    "solder": "the solders that react (default: every solder)",
    "k0": "the growth law's prefactor k₀ in x² = k₀ exp(−Q/RT) t",
    "activation": "the growth law's activation energy Q",
    "dishing": "CMP dishing: the recess of a wide feature at the plane (d∞)",
    "dishing_width": "the width w₀ of the dishing law d∞ (1 − exp(−w / w₀))",
    "dished": "the materials that dish (default: the conductors)",
    "temperature": "the anneal's temperature",
    "reference_temperature": "where the expansion counts from (bonding, room temperature)",
    ("anneal", "material"): "the metal that expands (the pads)",
    "around": "the dielectric holding it, whose smaller expansion counts against it",
    "half_angle_deg": "half-angle of the evaporation source's cone",
    "sticking": "the share of the flux that sticks; the rest is re-emitted diffusely",
    "gravity": "gravity pulls on the solder (Young–Laplace shapes from its density and surface "
               "tension)",
    "load": "force on each joint: the upper body's weight over its joints plus what presses",
    "under": "the die whose gap is filled: a numeral or a material",
    "fillet_width": "how far the fillet spreads out from each edge of the die",
    "fillet_height": "how high the fillet climbs the die's side above its bottom "
                     "(default: half the die's height)",
    "floor": "absolute z the material stops at below it (the tape of film-assisted moulding)",
    "join": "the materials whose touching bodies become one (default: every conductor)",
    "overlay": "x shift of the upper section (the bonding alignment error)",
    "numeral_offset": "added to the leading number of each of the part's numerals",
    "numeral_prefix": "put before each of the part's numerals",
    ("mount", "at"): "x positions of the part's centre, one part each (default: the centre)",
    ("mount", "gap"): "standoff above contact the part is held at (0: it rests)",
    ("mount", "side"): "top: the part on the section; bottom: under it, facing it",
    "wettable": "the materials that wet in this step (overrides the library)",
    "width": "width of a placed rectangle (a die)",
    "x_max": "keep only x <= this",
    "x_min": "keep only x >= this",
    "x_range": "x-interval the film covers",
    "x_ranges": "x-intervals of the part named",
    "z": "z of the cut plane",
    "z_range": "z-interval of the part named",
}


@dataclass(frozen=True)
class Keyword:
    """One keyword of an operator as a recipe gives it."""

    name: str
    kind: str  # a key of EXPECTED: length, number, material, intervals, ...
    unit: str  # "µm", "°C", "degrees" or "" (a ratio, a name)
    required: bool
    default: Any  # None where there is none
    choices: tuple[str, ...]
    doc: str  # what it means (KEYWORD_DOCS)


def unit_of(key: str, kind: str) -> str:
    """µm for lengths and positions, °C, degrees, or "" for ratios and names."""
    if key in UNITS:
        return UNITS[key]
    return "µm" if kind == "length" else ""


def keywords(op: str) -> list[Keyword]:
    """The keywords a recipe step of ``op`` takes, in signature order.

    >>> [k.name for k in keywords("strip")]
    ['target', 'numerals', 'lift_off']
    """
    if op not in OPERATORS:
        raise RecipeError(f"no operator {op!r}; known: {', '.join(sorted(OPERATORS))}")
    fn = OPERATORS[op]
    out = []
    for name, param in list(inspect.signature(fn).parameters.items())[1:]:
        kind = kind_of(op, name)
        if kind is None:  # pragma: no cover - the tests give every keyword a type
            raise RecipeError(f"{op}: no type known for '{name}'")
        default = None if param.default is _NO_DEFAULT else param.default
        out.append(Keyword(name, kind, unit_of(name, kind),
                           param.default is _NO_DEFAULT and name != "upper", default,
                           choices_of(op, name), doc_of(op, name)))
    return out


def doc_of(op: str, key: str) -> str:
    """What ``op``'s keyword ``key`` means."""
    return KEYWORD_DOCS.get((op, key)) or KEYWORD_DOCS[key]


def describe(op: str) -> str:
    """Plain text for ``xsection list --op OP``: the docstring's summary, then
    per keyword its type, unit, default or 'required', and meaning."""
    rows = keywords(op)  # raises on an unknown operator
    summary = " ".join((OPERATORS[op].__doc__ or "").strip().split("\n\n")[0].split())
    summary = summary.replace("``", "").split(". ")[0].rstrip(":.") + "."
    lines = [f"{op}: {summary}", "", "keywords (lengths in µm):"]
    width = max(len(k.name) for k in rows) if rows else 0
    for k in rows:
        what = EXPECTED[k.kind] + (f", {k.unit}" if k.unit and k.unit not in EXPECTED[k.kind]
                                   else "")
        if k.choices:
            what = " | ".join(k.choices)
        if k.kind in ("intervals", "positions"):
            what += ", or {layer = NAME} of the [layout]"
        need = "required" if k.required else f"default {_toml(k.default)}"
        lines.append(f"  {k.name:<{width}}  {k.doc}")
        lines.append(f"  {'':<{width}}    {what}; {need}")
    return "\n".join(lines)


def _toml(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return f'"{value}"'
    return repr(value)


_NUMBER = {"type": "number"}
_PAIR = {"type": "array", "items": _NUMBER, "minItems": 2, "maxItems": 2}
_LAYER_MASK = {"type": "object", "properties": {"layer": {"type": "string"},
                                                "invert": {"type": "boolean"}},
               "required": ["layer"], "additionalProperties": False,
               "description": "the mask of a [layout] layer along the cut"}
_NAME_LIST = {"type": "array", "items": {"type": "string"}}
_KIND_SCHEMA: dict[str, dict[str, Any]] = {
    "length": {"type": "number", "minimum": 0}, "ratio": {"type": "number", "minimum": 0},
    "number": _NUMBER,
    "material": {"type": "string"},
    "materials": {"anyOf": [{"type": "string"}, {**_NAME_LIST, "minItems": 1}]},
    "name": {"type": "string", "minLength": 1}, "names": _NAME_LIST,
    "positions": {"anyOf": [_NUMBER, {"type": "array", "items": _NUMBER, "minItems": 1},
                            _LAYER_MASK]},
    "intervals": {"anyOf": [{"type": "array", "items": _PAIR}, _LAYER_MASK]},
    "interval": _PAIR,
    "mapping": {"type": "object", "additionalProperties": {"type": "string"}},
    "bool": {"type": "boolean"},
    "count": {"type": "integer", "minimum": 0},
}


def keyword_schema(op: str, k: Keyword) -> dict[str, Any]:
    """The JSON Schema of one keyword's value."""
    schema: dict[str, Any] = {**_KIND_SCHEMA[k.kind]}
    if k.choices:
        schema = {"enum": list(k.choices)}
    text = "; ".join(t for t in (k.doc, k.unit and f"unit: {k.unit}") if t)
    if text:
        schema["description"] = text
    if k.default is not None:
        schema["default"] = k.default
    return schema


def step_schema(op: str) -> dict[str, Any]:
    """The JSON Schema of a ``[[steps]]`` table of ``op``."""
    rows = keywords(op)
    props: dict[str, Any] = {"op": {"const": op}, "figure": {"type": "string"},
                             "note": {"type": "string"}, "allow_no_change": {"type": "boolean"}}
    props.update({k.name: keyword_schema(op, k) for k in rows})
    return {"type": "object", "properties": props, "additionalProperties": False,
            "required": ["op", *(k.name for k in rows if k.required)]}


def recipe_schema() -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) of the recipe format, for editors and
    for validating recipes outside Python. The loader checks more (known
    materials, figure references, value references of checks)."""
    steps = [step_schema(op) for op in sorted(OPERATORS)]
    layer = {"type": "object", "required": ["material", "thickness"],
             "additionalProperties": False,
             "properties": {"material": {"type": "string"},
                            "thickness": {"type": "number", "exclusiveMinimum": 0},
                            "numeral": {"type": "string"},
                            "spans": {"type": "array", "items": _PAIR}}}
    material = {"type": "object", "required": ["class"], "additionalProperties": False,
                "properties": {"class": {"type": "string"}, "solidus": _NUMBER,
                               "liquidus": _NUMBER, "wettable": {"type": "boolean"},
                               "label": {"type": "string"},
                               "density": {"type": "number", "exclusiveMinimum": 0},
                               "surface_tension": {"type": "number", "exclusiveMinimum": 0},
                               "cte": {"type": "number", "exclusiveMinimum": 0}}}
    check = {"type": "object", "required": ["figure", "check"],
             "properties": {"figure": {"type": "string"}, "check": {"enum": list(KINDS)},
                            "note": {"type": "string"}, **{k: {} for k in sorted(KEYS)}},
             "additionalProperties": False}
    layout = {"type": "object", "required": ["file", "cut"], "additionalProperties": False,
              "properties": {"file": {"type": "string"}, "cell": {"type": "string"},
                             "cut": {"type": "array", "items": _PAIR, "minItems": 2,
                                     "maxItems": 2},
                             "layers": {"type": "object", "additionalProperties": {
                                 "type": "string", "pattern": r"^\d+/\d+$"}}}}
    props: dict[str, Any] = {
        "name": {"type": "string"}, "title": {"type": "string"},
        "domain": {"type": "object", "properties": {"width": {"type": "number",
                                                               "exclusiveMinimum": 0}},
                   "additionalProperties": False},
        "materials": {"type": "object", "additionalProperties": material},
        "layers": {"type": "array", "items": layer, "minItems": 1},
        "back_to_back": layer, "stack_figure": {"type": "string"},
        "steps": {"type": "array", "items": {"oneOf": steps}},
        "checks": {"type": "array", "items": check},
        "render": {"type": "object", "additionalProperties": False, "properties": {
            "exaggeration": _NUMBER,
            "breaks": {"type": "array", "items": {
                "type": "object", "required": ["numeral", "side"], "additionalProperties": False,
                "properties": {"numeral": {"type": "string"},
                               "side": {"enum": ["bottom", "top", "left", "right"]}}}}}},
        "figures": {"type": "array", "items": {"type": "object"}},
        "layout": layout,
        "base": {"type": "string", "description": "start from this part as it ends"},
    }
    own = ("name", "title", "domain", "layers", "back_to_back", "stack_figure", "steps",
           "layout")
    props["parts"] = {"type": "array", "description": "parts made apart, then assembled",
                      "items": {"type": "object", "required": ["name", "layers"],
                                "additionalProperties": False,
                                "properties": {k: props[k] for k in own}}}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "xsection recipe", "type": "object", "properties": props,
            "required": ["name"], "anyOf": [{"required": ["layers"]}, {"required": ["base"]}],
            "additionalProperties": False}
