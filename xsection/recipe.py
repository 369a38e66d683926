"""Recipes: process flows as TOML files, loaded into a ``Flow`` and written back.

Loading validates everything before anything runs: unknown keys, ops,
materials or figures, wrong types and missing fields raise ``RecipeError``
naming the file, the step (index and op), the field, what was expected and
what was received. A recipe is data; loading never executes code.
"""

from __future__ import annotations

import dataclasses
import inspect
import os
import tomllib
from collections.abc import Mapping
from importlib import resources
from typing import Any

from .check_specs import KEYS, KINDS, names_in, spec_of
from .errors import InputError, exaggeration_arg
from .flow import OPERATORS, PART_KEYS, Flow, Step
from .materials import MATERIAL_CLASSES, MATERIALS, Material, MaterialLibrary
from .recipe_fields import (
    PART_TOP_KEYS,
    STEP_KEYS,
    TOP_KEYS,
    RecipeError,
    _is_number,
    array_arg,
    check_keys,
    choices_of,
    field_value,
    figure_id,
    kind_of,
    length_arg,
    name_arg,
    short,
    str_arg,
    table_arg,
)
from .recipe_figures import break_of, extra_of
from .recipe_layout import Masks, layout_masks
from .recipe_writer import dump  # noqa: F401 - recipe.dump is the public writer
from .section import Layer

BUILTIN = ("seed000", "seed001", "seed002", "seed003", "bga", "cu_pillar", "tsv", "fan_out",
           "c4_joint", "embedded_trace", "wlcsp", "half_etch", "pop_tmv", "chiplet_2p5d",
           "hybrid_bond")

#: A recipe is a few kB; anything beyond this is not one.
MAX_RECIPE_BYTES = 16 * 2**20


def builtin_path(name: str) -> str:
    """Path of a built-in recipe (``seed000`` … ``seed003``)."""
    return str(resources.files("xsection") / "recipes" / f"{name}.toml")


def load(source: str) -> Flow:
    """Load a recipe from a path or a built-in name."""
    data, path = read(source)
    return from_data(data, path)


def from_data(data: Mapping[str, Any], path: str) -> Flow:
    """The ``Flow`` of recipe data read from ``path`` (its name in messages,
    its folder for a [layout] file)."""
    name = os.path.basename(path)
    flow = parse(data, name, os.path.dirname(path))
    parts = tuple(dataclasses.replace(p, source=f"{name}: part {p.name!r}") for p in flow.parts)
    return dataclasses.replace(flow, source=name, parts=parts)


def read(source: str) -> tuple[dict[str, Any], str]:
    """The TOML data of a recipe (a path or a built-in name) and its path;
    errors name the file and say what is wrong with it."""
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
        return tomllib.loads(text), path
    except tomllib.TOMLDecodeError as err:
        raise RecipeError(f"{name}: not valid TOML: {err}") from None
    except RecursionError:
        raise RecipeError(f"{name}: arrays or tables nested too deeply to be a recipe") from None


def parse(data: Mapping[str, Any], where: str = "recipe", base_dir: str = ".") -> Flow:
    """Validate recipe data (as from ``tomllib``) and build the ``Flow``;
    a ``[layout]`` file is found relative to ``base_dir``. ``[[parts]]``
    are flows of their own, built apart, that the recipe's steps assemble
    (``mount``, ``bond``); ``base`` starts the recipe from one of them."""
    check_keys(where, data, TOP_KEYS, _required(data, top=True))
    library = _materials(where, data.get("materials", {}))
    figures: list[str] = []
    parts: list[Flow] = []
    for i, item in enumerate(array_arg(where, "parts", data.get("parts", []))):
        here = f"{where}: part {i}"
        table = table_arg(here, "part", item)
        check_keys(here, table, PART_TOP_KEYS, _required(table, top=False))
        called = table["name"] if isinstance(table["name"], str) else short(table["name"])
        part = _body(f"{here} ({called})", table, library, figures, base_dir, None)
        if part.name in [p.name for p in parts]:
            raise RecipeError(f"{here}: part name {part.name!r} is already used")
        parts.append(part)
    names = [p.name for p in parts]
    for name in names:
        if name in figures:
            raise RecipeError(f"{where}: part name {name!r} is also a figure id; rename one")
    base = None
    if "base" in data:
        base = str_arg(where, "base", data["base"])
        if base not in names:
            raise RecipeError(f"{where}: 'base' must name a part ({', '.join(names) or 'none'}"
                              f" defined under [[parts]]), got {short(base)}")
        for key in ("layers", "domain", "back_to_back", "layout"):
            if key in data:
                raise RecipeError(f"{where}: '{key}' does not apply with 'base' (the flow "
                                  f"starts from part {base!r})")
    flow = _body(where, data, library, figures, base_dir, tuple(names), base=base)
    extras = tuple(extra_of(where, i, item, library, figures)
                   for i, item in enumerate(array_arg(where, "figures", data.get("figures", []))))
    checks = tuple(_check(where, i, item, figures)
                   for i, item in enumerate(array_arg(where, "checks", data.get("checks", []))))
    known = _names_made([*parts, flow], library)
    for i, spec in enumerate(checks):
        _resolve(f"{where}: check {i} ({spec['check']})", spec, known)
    look = table_arg(where, "render", data.get("render", {}))
    check_keys(f"{where}: [render]", look, {"exaggeration", "breaks"}, set())
    breaks = tuple(break_of(f"{where}: [render] breaks {i}", item, known)
                   for i, item in enumerate(array_arg(where, "breaks", look.get("breaks", []))))
    try:
        exaggeration = exaggeration_arg(f"{where}: [render]", look.get("exaggeration", 1.0))
    except InputError as err:
        raise RecipeError(str(err)) from None
    if base is not None:
        flow = dataclasses.replace(flow, width=parts[names.index(base)].width)
    return dataclasses.replace(flow, checks=checks, exaggeration=exaggeration, extras=extras,
                               breaks=breaks, parts=tuple(parts), base=base)


def _required(data: Mapping[str, Any], *, top: bool) -> set[str]:
    """The keys a recipe (``top``) or a part must hold."""
    if top and "base" in data:
        return {"name"}
    return {"name", "layers"} if "layout" in data else {"name", "layers", "domain"}


def _body(where: str, data: Mapping[str, Any], library: MaterialLibrary, figures: list[str],
          base_dir: str, parts: tuple[str, ...] | None, base: str | None = None) -> Flow:
    """The flow of a recipe or of one of its parts (``parts`` None): its
    name, stack and steps."""
    name = str_arg(where, "name", data["name"]) if parts is not None else \
        name_arg(where, "name", data["name"])
    title = str_arg(where, "title", data.get("title", ""))
    layers: tuple[Layer, ...] = ()
    joint = None
    width = 0.0
    masks: Mapping[str, list[tuple[float, float]]] = {}
    if base is None:
        masks, cut_length = layout_masks(where, data.get("layout"), base_dir)
        domain = table_arg(where, "domain", data.get("domain", {"width": cut_length}))
        check_keys(f"{where}: [domain]", domain, {"width"}, {"width"})
        width = length_arg(f"{where}: [domain]", "width", domain["width"], positive=True)
        layers = tuple(_layer(f"{where}: layer {i}", item, library)
                       for i, item in enumerate(array_arg(where, "layers", data["layers"])))
        if not layers:
            raise RecipeError(f"{where}: 'layers' must hold at least one layer")
        if "back_to_back" in data:
            joint = _layer(f"{where}: [back_to_back]", data["back_to_back"], library)
    stack_figure = None
    if "stack_figure" in data:
        stack_figure = figure_id(where, "stack_figure", data["stack_figure"])
        if stack_figure in figures:
            raise RecipeError(f"{where}: figure {stack_figure!r} is already used")
        figures.append(stack_figure)
    steps = [_step(where, i, item, library, figures, Masks(masks, width), parts)
             for i, item in enumerate(array_arg(where, "steps", data.get("steps", [])),
                                      start=1)]
    return Flow(name=name, width=width, layers=layers, steps=tuple(steps), title=title,
                back_to_back=joint, stack_figure=stack_figure, materials=library)


def _step(where: str, index: int, item: object, library: MaterialLibrary,
          figures: list[str], masks: Masks, parts: tuple[str, ...] | None) -> Step:
    """One step; ``parts``: the part names its ``mount`` and ``bond`` may
    name (None: the step is a part's own, which mounts nothing)."""
    table = table_arg(f"{where}: step {index}", "step", item)
    op = table.get("op")
    if not isinstance(op, str) or op not in OPERATORS:
        raise RecipeError(f"{where}: step {index}: 'op' must be one of "
                          f"{', '.join(sorted(OPERATORS))} (got {op!r})")
    here = f"{where}: step {index} ({op})"
    fn = OPERATORS[op]
    sig = inspect.signature(fn)
    allowed = set(list(sig.parameters)[1:])
    required = {p for p, spec in list(sig.parameters.items())[1:]
                if spec.default is inspect.Parameter.empty and p != "upper"}
    if op == "mount" and parts is None:
        raise RecipeError(f"{here}: a part mounts only in the recipe's own steps, after the "
                          f"[[parts]] are built")
    params = {k: v for k, v in table.items() if k not in STEP_KEYS}
    check_keys(here, params, allowed, required)
    for key, value in params.items():
        kind = kind_of(op, key)
        if kind is None:  # pragma: no cover - every operator keyword has a kind
            raise RecipeError(f"{here}: no type known for '{key}'")
        if kind in ("intervals", "positions") and isinstance(value, dict):
            value = masks.value(here, key, kind, value)
        params[key] = field_value(here, key, kind, value, library)
        choices = choices_of(op, key)
        if choices and params[key] not in choices:
            raise RecipeError(f"{here}: '{key}' must be one of "
                              f"{', '.join(repr(c) for c in choices)} (got {short(value)})")
    for key in PART_KEYS.get(op, ()):
        ref = params.get(key, "self")
        if not (ref in (parts or ()) or ref in figures or (op == "bond" and ref == "self")):
            self_ = "'self', " if op == "bond" else ""
            raise RecipeError(f"{here}: '{key}' must be {self_}a part "
                              f"({', '.join(parts or ()) or 'none defined'}) or an earlier "
                              f"figure ({', '.join(figures) or 'none'}), got {short(ref)}")
    figure = None
    if "figure" in table:
        figure = figure_id(here, "figure", table["figure"])
        if figure in figures:
            raise RecipeError(f"{here}: figure {figure!r} is already used by an earlier step")
        if figure in (parts or ()):
            raise RecipeError(f"{here}: figure {figure!r} is also a part's name; rename one")
        figures.append(figure)
    note = str_arg(here, "note", table.get("note", ""))
    allow = table.get("allow_no_change", False)
    if not isinstance(allow, bool):
        raise RecipeError(f"{here}: 'allow_no_change' must be true or false (got {allow!r})")
    return Step(op, params, figure, note, allow)


def _names_made(flows: list[Flow], library: MaterialLibrary) -> set[str]:
    """Every name a check may refer to: the library's materials and every
    numeral the layers and steps of the flows give (numerals, new numerals,
    renames, part numerals, and what renumbering a mounted part makes)."""
    names = set(library)
    for flow in flows:
        for layer in (*flow.layers, *([flow.back_to_back] if flow.back_to_back else [])):
            if layer.numeral:
                names.add(layer.numeral)
        for step in flow.steps:
            if isinstance(step.params.get("numeral"), str):
                names.add(step.params["numeral"])
            for key in ("rename", "part_numerals", "numerals"):
                mapping = step.params.get(key)
                if isinstance(mapping, Mapping):
                    names.update(str(v) for v in mapping.values())
            offset = step.params.get("numeral_offset", 0)
            prefix = step.params.get("numeral_prefix", "")
            if offset or prefix:
                names.update(_renumbered(n, offset, prefix) for n in list(names - set(library)))
    return names


def _renumbered(numeral: str, offset: int, prefix: str) -> str:
    """``numeral`` as ``ops.renumber`` makes it (left as it is where the
    offset finds no leading number: the step itself reports that)."""
    digits = len(numeral) - len(numeral.lstrip("0123456789"))
    if offset and digits:
        numeral = f"{int(numeral[:digits]) + offset}{numeral[digits:]}"
    return prefix + numeral


def _resolve(here: str, spec: Mapping[str, Any], known: set[str]) -> None:
    """Every name a check refers to must be one the flow makes (before it runs)."""

    for key, name in names_in(spec):
        if name not in known:
            close = sorted(n for n in known if n.lower().startswith(name[:1].lower()))[:6]
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise RecipeError(f"{here}: '{key}' names {name!r}, which no layer or step of the "
                              f"flow makes and no material is called{hint}")


def _check(where: str, index: int, item: object, figures: list[str]) -> Mapping[str, Any]:
    table = table_arg(f"{where}: check {index}", "check", item)
    here = f"{where}: check {index}"
    check_keys(here, table, KEYS | {"figure", "check", "note"}, {"figure", "check"})
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
        return spec_of(table, here)
    except InputError as err:
        raise RecipeError(str(err)) from None


def _materials(where: str, table: object) -> MaterialLibrary:
    items = table_arg(where, "materials", table)
    extra = []
    for name, spec in items.items():
        here = f"{where}: [materials.{name}]"
        name_arg(here, "name", name)
        spec = table_arg(here, name, spec)
        check_keys(here, spec, {"class", "solidus", "liquidus", "wettable", "label", "density",
                                "surface_tension", "cte"}, {"class"})
        if spec["class"] not in MATERIAL_CLASSES:
            raise RecipeError(f"{here}: 'class' must be one of {', '.join(MATERIAL_CLASSES)} "
                              f"(got {spec['class']!r})")
        for key, unit in (("solidus", "°C"), ("liquidus", "°C"), ("density", "g/cm³"),
                          ("surface_tension", "N/m"), ("cte", "ppm/K")):
            if key in spec and not _is_number(spec[key]):
                raise RecipeError(f"{here}: '{key}' must be a number of {unit} "
                                  f"(got {spec[key]!r})")
        if "wettable" in spec and not isinstance(spec["wettable"], bool):
            raise RecipeError(f"{here}: 'wettable' must be true or false "
                              f"(got {spec['wettable']!r})")
        try:
            label = name_arg(here, "label", spec["label"]) if "label" in spec else None
            extra.append(Material(name, spec["class"], spec.get("solidus"), spec.get("liquidus"),
                                  bool(spec.get("wettable", False)), label,
                                  spec.get("density"), spec.get("surface_tension"),
                                  spec.get("cte")))
        except InputError as err:
            raise RecipeError(f"{here}: {err}") from None
    return MATERIALS.extended(*extra)


def _layer(here: str, item: object, library: MaterialLibrary) -> Layer:
    table = table_arg(here, "layer", item)
    check_keys(here, table, {"material", "thickness", "numeral", "spans"},
               {"material", "thickness"})
    material = field_value(here, "material", "material", table["material"], library)
    thickness = length_arg(here, "thickness", table["thickness"], positive=True)
    numeral = field_value(here, "numeral", "name", table["numeral"], library) \
        if "numeral" in table else None
    spans = None
    if "spans" in table:
        spans = tuple(field_value(here, "spans", "intervals", table["spans"], library))
    return Layer(material, thickness, numeral, spans)

