"""Recipes: process flows as TOML files, loaded into a ``Flow`` and written back.

Loading validates everything before anything runs: unknown keys, ops,
materials or figures, wrong types and missing fields raise ``RecipeError``
naming the file, the step (index and op), the field, what was expected and
what was received. A recipe is data; loading never executes code.
"""

from __future__ import annotations

import dataclasses
import inspect
import math
import os
import re
import tomllib
from collections.abc import Mapping
from importlib import resources
from typing import Any

from .errors import InputError, exaggeration_arg, is_printable_name
from .flow import OPERATORS, Flow, Step
from .materials import MATERIAL_CLASSES, MATERIALS, Material, MaterialLibrary
from .section import Layer
from .tolerances import tol

BUILTIN = ("seed000", "seed001", "seed002", "seed003", "bga", "cu_pillar", "tsv", "fan_out",
           "c4_joint", "embedded_trace")


#: A recipe is a few kB; anything beyond this is not one.
MAX_RECIPE_BYTES = 16 * 2**20


class RecipeError(InputError):
    """A recipe that cannot be loaded; the message names file, step and field."""


# What each step parameter holds; (op, name) entries override the name alone.
KINDS: dict[str | tuple[str, str], str] = {
    **dict.fromkeys(["depth", "thickness", "top_width", "bottom_width", "diameter", "width", "bias",
                     "lateral_ratio",
                     "height", "undercut", "amplitude", "period", "flat_width", "gap"], "length"),
    **dict.fromkeys(["level", "top", "z", "x_min", "x_max", "sidewall_deg",
                     "peak_temperature", "contact_angle_deg"], "number"),
    "material": "material",
    **dict.fromkeys(["target", "on", "through", "stop_on", "wettable"], "materials"),
    **dict.fromkeys(["numeral", "above"], "name"),
    "numerals": "names",
    ("rename", "numerals"): "mapping",
    "at": "positions",
    **dict.fromkeys(["keep", "remove", "x_ranges", "openings"], "intervals"),
    "z_range": "interval",
    "x_range": "interval",
    **dict.fromkeys(["part_numerals", "rename"], "mapping"),
    **dict.fromkeys(["mirror_x", "lift_off", "enclosed"], "bool"),
    **dict.fromkeys(["mode", "side", "upper", "standoff"], "name"),
    ("split", "keep"): "name",
}

EXPECTED = {
    "length": "a number of µm >= 0", "number": "a number", "material": "a material name",
    "materials": "a material name or a list of them", "name": "a string",
    "names": "a list of strings", "positions": "a number or a list of numbers (µm)",
    "intervals": "a list of [x_start, x_end] pairs (µm)", "interval": "an [x_start, x_end] pair",
    "mapping": "a table of string to string", "bool": "true or false",
}


def builtin_path(name: str) -> str:
    """Path of a built-in recipe (``seed000`` … ``seed003``)."""
    return str(resources.files("xsection") / "recipes" / f"{name}.toml")


def load(source: str) -> Flow:
    """Load a recipe from a path or a built-in name."""
    path = builtin_path(source) if source in BUILTIN else source
    name = os.path.basename(path)
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_RECIPE_BYTES + 1)
    except FileNotFoundError:
        raise RecipeError(f"{source}: no such recipe file (built-in flows: "
                          f"{', '.join(BUILTIN)})") from None
    except IsADirectoryError:
        raise RecipeError(f"{source}: is a folder, not a recipe file") from None
    except OSError as err:
        raise RecipeError(f"{source}: cannot read: {err.strerror}") from None
    if len(raw) > MAX_RECIPE_BYTES:
        raise RecipeError(f"{name}: larger than {MAX_RECIPE_BYTES // 2**20} MiB; not a recipe")
    if raw.startswith(b"\xef\xbb\xbf"):  # a UTF-8 byte-order mark, as some editors write
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[:err.start].count(b"\n") + 1
        raise RecipeError(f"{name}: not UTF-8 text (byte {err.start}, line {line}: "
                          f"{raw[err.start:err.start + 1]!r}); save the recipe as UTF-8") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise RecipeError(f"{name}: not valid TOML: {err}") from None
    except RecursionError:
        raise RecipeError(f"{name}: arrays or tables nested too deeply to be a recipe") from None
    return dataclasses.replace(parse(data, os.path.basename(path)),
                               source=os.path.basename(path))


def parse(data: Mapping[str, Any], where: str = "recipe") -> Flow:
    """Validate recipe data (as from ``tomllib``) and build the ``Flow``."""
    _keys(where, data, {"name", "title", "domain", "materials", "layers", "back_to_back",
                        "stack_figure", "steps", "checks", "render", "figures"},
          {"name", "domain", "layers"})
    name = _str(where, "name", data["name"])
    title = _str(where, "title", data.get("title", ""))
    domain = _table(where, "domain", data["domain"])
    _keys(f"{where}: [domain]", domain, {"width"}, {"width"})
    width = _length(f"{where}: [domain]", "width", domain["width"], positive=True)
    library = _materials(where, data.get("materials", {}))
    layers = tuple(_layer(f"{where}: layer {i}", item, library)
                   for i, item in enumerate(_array(where, "layers", data["layers"])))
    if not layers:
        raise RecipeError(f"{where}: 'layers' must hold at least one layer")
    joint = None
    if "back_to_back" in data:
        joint = _layer(f"{where}: [back_to_back]", data["back_to_back"], library)
    figures: list[str] = []
    stack_figure = None
    if "stack_figure" in data:
        stack_figure = _figure_id(where, "stack_figure", data["stack_figure"])
        figures.append(stack_figure)
    steps = []
    for i, item in enumerate(_array(where, "steps", data.get("steps", [])), start=1):
        step = _step(where, i, item, library, figures)
        steps.append(step)
    extras = tuple(_extra(where, i, item, library, figures)
                   for i, item in enumerate(_array(where, "figures", data.get("figures", []))))
    checks = tuple(_check(where, i, item, figures)
                   for i, item in enumerate(_array(where, "checks", data.get("checks", []))))
    known = _names_made(layers, joint, steps, library)
    for i, spec in enumerate(checks):
        _resolve(f"{where}: check {i} ({spec['check']})", spec, known)
    look = _table(where, "render", data.get("render", {}))
    _keys(f"{where}: [render]", look, {"exaggeration"}, set())
    try:
        exaggeration = exaggeration_arg(f"{where}: [render]", look.get("exaggeration", 1.0))
    except InputError as err:
        raise RecipeError(str(err)) from None
    return Flow(name=name, width=width, layers=layers, steps=tuple(steps), title=title,
                back_to_back=joint, stack_figure=stack_figure, materials=library, checks=checks,
                exaggeration=exaggeration, extras=extras)


def _step(where: str, index: int, item: object, library: MaterialLibrary,
          figures: list[str]) -> Step:
    table = _table(f"{where}: step {index}", "step", item)
    op = table.get("op")
    if not isinstance(op, str) or op not in OPERATORS:
        raise RecipeError(f"{where}: step {index}: 'op' must be one of "
                          f"{', '.join(sorted(OPERATORS))} (got {op!r})")
    here = f"{where}: step {index} ({op})"
    fn = OPERATORS[op]
    sig = inspect.signature(fn)
    allowed = {p for p in list(sig.parameters)[1:]}
    required = {p for p, spec in list(sig.parameters.items())[1:]
                if spec.default is inspect.Parameter.empty and p != "upper"}
    params = {k: v for k, v in table.items()
              if k not in ("op", "figure", "note", "allow_no_change")}
    _keys(here, params, allowed, required)
    for key, value in params.items():
        kind = KINDS.get((op, key)) or KINDS.get(key)
        if kind is None:  # pragma: no cover - every operator keyword has a kind
            raise RecipeError(f"{here}: no type known for '{key}'")
        params[key] = _value(here, key, kind, value, library)
    figure = None
    if "figure" in table:
        figure = _figure_id(here, "figure", table["figure"])
        if figure in figures:
            raise RecipeError(f"{here}: figure {figure!r} is already used by an earlier step")
        figures.append(figure)
    if op == "bond":
        upper = params.get("upper", "self")
        if upper != "self" and upper not in figures:
            raise RecipeError(f"{here}: 'upper' must be 'self' or an earlier figure "
                              f"({', '.join(figures) or 'none'}), got {upper!r}")
    note = _str(here, "note", table.get("note", ""))
    allow = table.get("allow_no_change", False)
    if not isinstance(allow, bool):
        raise RecipeError(f"{here}: 'allow_no_change' must be true or false (got {allow!r})")
    return Step(op, params, figure, note, allow)


def _names_made(layers: tuple[Layer, ...], joint: Layer | None, steps: list[Step],
                library: MaterialLibrary) -> set[str]:
    """Every name a check may refer to: the library's materials and every
    numeral the layers and steps give (numerals, new numerals, renames,
    part numerals)."""
    names = set(library)
    for layer in (*layers, *([joint] if joint else [])):
        if layer.numeral:
            names.add(layer.numeral)
    for step in steps:
        for key in ("numeral",):
            if isinstance(step.params.get(key), str):
                names.add(step.params[key])
        for key in ("rename", "part_numerals", "numerals"):
            mapping = step.params.get(key)
            if isinstance(mapping, Mapping):
                names.update(str(v) for v in mapping.values())
    return names


def _resolve(here: str, spec: Mapping[str, Any], known: set[str]) -> None:
    """Every name a check refers to must be one the flow makes (before it runs)."""
    from .check_specs import names_in

    for key, name in names_in(spec):
        if name not in known:
            close = sorted(n for n in known if n.lower().startswith(name[:1].lower()))[:6]
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise RecipeError(f"{here}: '{key}' names {name!r}, which no layer or step of the "
                              f"flow makes and no material is called{hint}")


def _extra(where: str, index: int, item: object, library: MaterialLibrary,
           figures: list[str]) -> Mapping[str, Any]:
    """A figure that is not a section: kind 'plan' or 'phase_diagram'."""
    here = f"{where}: [[figures]] {index}"
    table = dict(_table(here, "figure", item))
    kind = table.get("kind")
    if kind == "plan":
        _keys(here, table, {"figure", "kind", "of", "bumps", "body", "rows", "row_pitch"},
              {"figure", "kind", "of", "bumps"})
        for key in ("bumps", "body"):
            if key in table:
                _name(here, key, table[key])
        if table["of"] not in figures:
            raise RecipeError(f"{here}: 'of' must be a section figure ({', '.join(figures)}), "
                              f"got {table['of']!r}")
        if "rows" in table and (not isinstance(table["rows"], int) or table["rows"] < 1):
            raise RecipeError(f"{here}: 'rows' must be an integer >= 1 (got {table['rows']!r})")
        if "row_pitch" in table:
            _length(here, "row_pitch", table["row_pitch"], positive=True)
    elif kind == "phase_diagram":
        _keys(here, table, {"figure", "kind", "system", "mark"}, {"figure", "kind"})
        if table.get("system", "Pb-Sn") != "Pb-Sn":
            raise RecipeError(f"{here}: 'system' must be 'Pb-Sn' (got {table.get('system')!r})")
        _value(here, "mark", "materials", table.get("mark", ["Sn63Pb37"]), library)
    else:
        raise RecipeError(f"{here}: 'kind' must be 'plan' or 'phase_diagram' (got {kind!r})")
    fig = _figure_id(here, "figure", table["figure"])
    if fig in figures:
        raise RecipeError(f"{here}: figure {fig!r} is already used")
    figures.append(fig)
    return table


def _check(where: str, index: int, item: object, figures: list[str]) -> Mapping[str, Any]:
    from .check_specs import KEYS, KINDS, validate

    table = _table(f"{where}: check {index}", "check", item)
    here = f"{where}: check {index}"
    _keys(here, table, KEYS | {"figure", "check", "note"}, {"figure", "check"})
    if table["check"] not in KINDS:
        raise RecipeError(f"{here}: 'check' must be one of {', '.join(KINDS)} "
                          f"(got {table['check']!r})")
    if "from_figure" in table and table["from_figure"] not in figures:
        raise RecipeError(f"{here}: 'from_figure' must be one of the flow's figures "
                          f"({', '.join(figures)}), got {table['from_figure']!r}")
    if table["figure"] not in figures:
        raise RecipeError(f"{where}: check {index}: 'figure' must be one of the flow's "
                          f"figures ({', '.join(figures) or 'none'}), got {table['figure']!r}")
    try:
        validate(table, here)
    except InputError as err:
        raise RecipeError(str(err)) from None
    return dict(table)


def _value(here: str, key: str, kind: str, value: object, library: MaterialLibrary) -> Any:
    bad = RecipeError(f"{here}: '{key}' must be {EXPECTED[kind]} (got {_short(value)})")
    if kind == "length":
        return _length(here, key, value)
    if kind == "number":
        if not _is_number(value):
            raise bad
        return float(value)  # type: ignore[arg-type]
    if kind == "material":
        if not isinstance(value, str):
            raise bad
        _known(here, key, [value], library)
        return value
    if kind == "materials":
        names = [value] if isinstance(value, str) else value
        if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
            raise bad
        _known(here, key, names, library)
        return list(names)
    if kind == "name":
        if not isinstance(value, str) or not value:
            raise bad
        return _name(here, key, value)
    if kind == "names":
        if not isinstance(value, list) or not all(isinstance(n, str) for n in value):
            raise bad
        return [_name(here, key, n) for n in value]
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


def _length(here: str, key: str, value: object, positive: bool = False) -> float:
    if not _is_number(value) or value < 0 or (positive and value == 0):  # type: ignore[operator]
        bound = "> 0" if positive else ">= 0"
        raise RecipeError(f"{here}: '{key}' must be a number of µm {bound} and at most "
                          f"{tol.max_length:g} (got {_short(value)})")
    return float(value)  # type: ignore[arg-type]


def _short(value: object) -> str:
    """``repr(value)`` cut to 60 characters (a 401-digit integer stays readable)."""
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:40]}… ({len(text)} characters)"


def _known(here: str, key: str, names: list[str], library: MaterialLibrary) -> None:
    for n in names:
        if n not in library:
            raise RecipeError(f"{here}: '{key}' names unknown material {n!r}; add it under "
                              f"[materials.{n}] or use one of: {', '.join(sorted(library))}")


def _keys(here: str, table: Mapping[str, Any], allowed: set[str], required: set[str]) -> None:
    for key in table:
        if key not in allowed:
            raise RecipeError(f"{here}: unknown key '{key}'; allowed: "
                              f"{', '.join(sorted(allowed))}")
    for key in sorted(required):
        if key not in table:
            raise RecipeError(f"{here}: missing required key '{key}'")


def _table(here: str, key: str, value: object) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise RecipeError(f"{here}: '{key}' must be a table (got {type(value).__name__})")
    return value


def _array(here: str, key: str, value: object) -> list[Any]:
    if not isinstance(value, list):
        raise RecipeError(f"{here}: '{key}' must be an array of tables "
                          f"(got {type(value).__name__})")
    return value


#: Figure ids become file names and HTML: letters, digits, '.', '_', '-'.
FIGURE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,31}")


def _figure_id(here: str, key: str, value: object) -> str:
    """A figure id: 1–32 of letters, digits, '.', '_' and '-', not starting
    with '.' or '-' (it names files: fig-<id>.svg)."""
    if not isinstance(value, str) or not FIGURE_ID.fullmatch(value):
        raise RecipeError(f"{here}: '{key}' must be a figure id of 1 to 32 letters, digits, "
                          f"'.', '_' or '-' starting with a letter or digit, such as '1C' "
                          f"(got {_short(value)})")
    return value


def _name(here: str, key: str, value: object) -> str:
    """A numeral or other name drawn or printed as text (``is_printable_name``)."""
    if not is_printable_name(value):
        raise RecipeError(f"{here}: '{key}' must be 1 to 64 printable characters "
                          f"(got {_short(value)})")
    return value


def _str(here: str, key: str, value: object) -> str:
    if not isinstance(value, str):
        raise RecipeError(f"{here}: '{key}' must be a string (got {value!r})")
    return value


def _materials(where: str, table: object) -> MaterialLibrary:
    items = _table(where, "materials", table)
    extra = []
    for name, spec in items.items():
        here = f"{where}: [materials.{name}]"
        _name(here, "name", name)
        spec = _table(here, name, spec)
        _keys(here, spec, {"class", "solidus", "liquidus", "wettable"}, {"class"})
        if spec["class"] not in MATERIAL_CLASSES:
            raise RecipeError(f"{here}: 'class' must be one of {', '.join(MATERIAL_CLASSES)} "
                              f"(got {spec['class']!r})")
        for key in ("solidus", "liquidus"):
            if key in spec and not _is_number(spec[key]):
                raise RecipeError(f"{here}: '{key}' must be a number of °C (got {spec[key]!r})")
        if "wettable" in spec and not isinstance(spec["wettable"], bool):
            raise RecipeError(f"{here}: 'wettable' must be true or false "
                              f"(got {spec['wettable']!r})")
        try:
            extra.append(Material(name, spec["class"], spec.get("solidus"), spec.get("liquidus"),
                                  bool(spec.get("wettable", False))))
        except InputError as err:
            raise RecipeError(f"{here}: {err}") from None
    return MATERIALS.extended(*extra)


def _layer(here: str, item: object, library: MaterialLibrary) -> Layer:
    table = _table(here, "layer", item)
    _keys(here, table, {"material", "thickness", "numeral", "spans"}, {"material", "thickness"})
    material = _value(here, "material", "material", table["material"], library)
    thickness = _length(here, "thickness", table["thickness"], positive=True)
    numeral = _value(here, "numeral", "name", table["numeral"], library) \
        if "numeral" in table else None
    spans = None
    if "spans" in table:
        spans = tuple(_value(here, "spans", "intervals", table["spans"], library))
    return Layer(material, thickness, numeral, spans)


def dump(flow: Flow) -> str:
    """The recipe TOML of ``flow``; see ``recipe_writer.dump``."""
    from .recipe_writer import dump as write

    return write(flow)
