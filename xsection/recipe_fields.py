"""The recipe's fields: the type of every operator keyword (one table for
the loader and, later, a schema) and their validation, each error naming
the file, step and field, what was expected and what was received."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from .errors import InputError, is_printable_name
from .materials import MaterialLibrary
from .ops.additive import DEPOSIT_MODES
from .ops.common import SIDES
from .ops.etch import ETCH_MODES
from .ops.reflow import STANDOFFS
from .ops.transform import SPLIT_KEEPS
from .tolerances import tol


class RecipeError(InputError):
    """A recipe that cannot be loaded; the message names file, step and field."""


#: The type of every operator keyword a recipe may give, by key or by
#: (op, key) where one operator reads a key differently.
KEYWORD_TYPES: dict[str | tuple[str, str], str] = {
    **dict.fromkeys(["depth", "thickness", "top_width", "bottom_width", "diameter", "width", "bias",
                     "height", "undercut", "amplitude", "period", "flat_width", "gap",
                     "fillet_width", "fillet_height", "dishing", "dishing_width"], "length"),
    **dict.fromkeys(["level", "top", "z", "x_min", "x_max", "sidewall_deg",
                     "peak_temperature", "contact_angle_deg", "overlay", "floor",
                     "load", "half_angle_deg", "temperature", "reference_temperature",
                     "hours", "k0", "activation"], "number"),
    "lateral_ratio": "ratio",
    "sticking": "ratio",
    "material": "material",
    **dict.fromkeys(["target", "on", "stop_on", "wettable", "join", "dished"], "materials"),
    **{("anneal", key): "material" for key in ("material", "around")},
    ("age", "metal"): "material",
    ("age", "solder"): "materials",
    **{(op, "target"): "material" for op in ("pattern", "strip", "roughen", "label")},
    "flat_of": "material",
    **dict.fromkeys(["numeral", "above", "under"], "name"),
    "numerals": "names",
    ("rename", "numerals"): "mapping",
    "at": "positions",
    **dict.fromkeys(["keep", "remove", "x_ranges", "openings"], "intervals"),
    "z_range": "interval",
    "x_range": "interval",
    **dict.fromkeys(["part_numerals", "rename"], "mapping"),
    **dict.fromkeys(["mirror_x", "lift_off", "enclosed", "flip", "gravity"], "bool"),
    **dict.fromkeys(["mode", "side", "upper", "part", "standoff", "numeral_prefix"], "name"),
    "numeral_offset": "count",
    ("split", "keep"): "name",
}

#: The tables a recipe may hold, and the keys of a step besides its keywords.
TOP_KEYS = {"name", "title", "domain", "materials", "layers", "back_to_back", "stack_figure",
            "steps", "checks", "render", "figures", "layout", "parts", "base"}
#: The keys of a ``[[parts]]`` table: a flow of its own, sharing the
#: recipe's materials, figures and checks.
PART_TOP_KEYS = {"name", "title", "domain", "layers", "back_to_back", "stack_figure", "steps",
                 "layout"}
STEP_KEYS = {"op", "figure", "note", "allow_no_change"}

#: The values a name-valued keyword may take, by key or (op, key).
CHOICES: dict[str | tuple[str, str], tuple[str, ...]] = {
    "side": SIDES, ("etch", "mode"): ETCH_MODES, ("deposit", "mode"): DEPOSIT_MODES,
    "standoff": STANDOFFS, ("split", "keep"): SPLIT_KEEPS, ("mount", "side"): SIDES[:2],
}

#: The unit of every number-valued keyword that is not a length (µm).
UNITS: dict[str, str] = {
    **dict.fromkeys(["level", "top", "z", "x_min", "x_max", "at", "keep", "remove", "x_ranges",
                     "openings", "z_range", "x_range", "overlay", "floor"], "µm"),
    **dict.fromkeys(["sidewall_deg", "contact_angle_deg", "half_angle_deg"], "degrees"),
    **dict.fromkeys(["peak_temperature", "temperature", "reference_temperature"], "°C"),
    "load": "mN",
    "hours": "h",
    "k0": "m²/s",
    "activation": "J/mol",
}

def kind_of(op: str, key: str) -> str | None:
    """The type of ``op``'s keyword ``key`` (KEYWORD_TYPES, (op, key) first)."""
    return KEYWORD_TYPES.get((op, key)) or KEYWORD_TYPES.get(key)


def choices_of(op: str, key: str) -> tuple[str, ...]:
    """The values a name-valued keyword may take (empty: any name)."""
    return CHOICES.get((op, key)) or CHOICES.get(key) or ()


EXPECTED = {
    "length": "a number of µm >= 0", "ratio": "a number >= 0", "number": "a number",
    "material": "a material name",
    "materials": "a material name or a list of them", "name": "a string",
    "names": "a list of strings", "positions": "a number or a list of numbers (µm)",
    "intervals": "a list of [x_start, x_end] pairs (µm)", "interval": "an [x_start, x_end] pair",
    "mapping": "a table of string to string", "bool": "true or false",
    "count": "a whole number >= 0",
}


def field_value(here: str, key: str, kind: str, value: object, library: MaterialLibrary) -> Any:
    bad = RecipeError(f"{here}: '{key}' must be {EXPECTED[kind]} (got {short(value)})")
    if kind == "length":
        return length_arg(here, key, value)
    if kind == "ratio":
        if not _is_number(value) or value < 0:  # type: ignore[operator]
            raise bad
        return float(value)  # type: ignore[arg-type]
    if kind == "number":
        if not _is_number(value):
            raise bad
        return float(value)  # type: ignore[arg-type]
    if kind == "material":
        if not isinstance(value, str):
            raise bad
        known_materials(here, key, [value], library)
        return value
    if kind == "materials":
        names = [value] if isinstance(value, str) else value
        if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
            raise bad
        known_materials(here, key, names, library)
        return list(names)
    if kind == "name":
        if not isinstance(value, str) or not value:
            raise bad
        return name_arg(here, key, value)
    if kind == "names":
        if not isinstance(value, list) or not all(isinstance(n, str) for n in value):
            raise bad
        return [name_arg(here, key, n) for n in value]
    if kind == "positions":
        items = [value] if _is_number(value) else value
        if not isinstance(items, list) or not items or not all(_is_number(v) for v in items):
            raise bad
        return [float(v) for v in items]
    if kind == "intervals":
        if not isinstance(value, list) or not all(_is_pair(v) for v in value):
            raise bad
        return [(float(a), float(b)) for a, b in value]
    if kind == "interval":
        if not _is_pair(value):
            raise bad
        return (float(value[0]), float(value[1]))  # type: ignore[index]
    if kind == "mapping":
        if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                                  for k, v in value.items()):
            raise bad
        return dict(value)
    if kind == "bool":
        if not isinstance(value, bool):
            raise bad
        return value
    if kind == "count":
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10**9:
            raise bad
        return value
    raise bad  # pragma: no cover


def _is_number(v: object) -> bool:
    """A finite number that the coordinate grid holds (|v| <= tol.max_length)."""
    if not isinstance(v, (int, float)) or isinstance(v, bool):
        return False
    try:
        return math.isfinite(v) and abs(v) <= tol.max_length
    except OverflowError:  # an integer of hundreds of digits
        return False


def _is_pair(v: object) -> bool:
    return isinstance(v, list) and len(v) == 2 and all(_is_number(x) for x in v)


def length_arg(here: str, key: str, value: object, positive: bool = False) -> float:
    if not _is_number(value) or value < 0 or (positive and value == 0):  # type: ignore[operator]
        bound = "> 0" if positive else ">= 0"
        raise RecipeError(f"{here}: '{key}' must be a number of µm {bound} and at most "
                          f"{tol.max_length:g} (got {short(value)})")
    return float(value)  # type: ignore[arg-type]


def short(value: object) -> str:
    """``repr(value)`` cut to 60 characters (a 401-digit integer stays readable)."""
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:40]}… ({len(text)} characters)"


def known_materials(here: str, key: str, names: list[str], library: MaterialLibrary) -> None:
    for n in names:
        if n not in library:
            raise RecipeError(f"{here}: '{key}' names unknown material {n!r}; add it under "
                              f"[materials.{n}] or use one of: {', '.join(sorted(library))}")


def check_keys(here: str, table: Mapping[str, Any], allowed: set[str], required: set[str]) -> None:
    for key in table:
        if key not in allowed:
            raise RecipeError(f"{here}: unknown key '{key}'; allowed: "
                              f"{', '.join(sorted(allowed))}")
    for key in sorted(required):
        if key not in table:
            raise RecipeError(f"{here}: missing required key '{key}'")


def table_arg(here: str, key: str, value: object) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise RecipeError(f"{here}: '{key}' must be a table (got {type(value).__name__})")
    return value


def array_arg(here: str, key: str, value: object) -> list[Any]:
    if not isinstance(value, list):
        raise RecipeError(f"{here}: '{key}' must be an array of tables "
                          f"(got {type(value).__name__})")
    return value


#: Figure ids become file names and HTML: letters, digits, '.', '_', '-'.
FIGURE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,31}")


def figure_id(here: str, key: str, value: object) -> str:
    """A figure id: 1–32 of letters, digits, '.', '_' and '-', not starting
    with '.' or '-' (it names files: fig-<id>.svg)."""
    if not isinstance(value, str) or not FIGURE_ID.fullmatch(value):
        raise RecipeError(f"{here}: '{key}' must be a figure id of 1 to 32 letters, digits, "
                          f"'.', '_' or '-' starting with a letter or digit, such as '1C' "
                          f"(got {short(value)})")
    return value


def name_arg(here: str, key: str, value: object) -> str:
    """A numeral or other name drawn or printed as text (``is_printable_name``)."""
    if not is_printable_name(value):
        raise RecipeError(f"{here}: '{key}' must be 1 to 64 printable characters "
                          f"(got {short(value)})")
    return str(value)


def str_arg(here: str, key: str, value: object) -> str:
    if not isinstance(value, str):
        raise RecipeError(f"{here}: '{key}' must be a string (got {value!r})")
    return value
