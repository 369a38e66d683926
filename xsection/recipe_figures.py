"""The figures a recipe adds beside its flow's sections (``[[figures]]``: a
plan view, a detail view, a phase diagram) and its break lines
(``[render] breaks``), validated when the recipe loads."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .materials import MaterialLibrary
from .recipe_fields import (
    RecipeError,
    check_keys,
    field_value,
    figure_id,
    length_arg,
    name_arg,
    short,
    table_arg,
)


def extra_of(where: str, index: int, item: object, library: MaterialLibrary,
           figures: list[str]) -> Mapping[str, Any]:
    """A figure that is not a flow step's section: kind 'plan' (a plan view),
    'detail' (an enlarged window of a figure) or 'phase_diagram'."""
    here = f"{where}: [[figures]] {index}"
    table = dict(table_arg(here, "figure", item))
    kind = table.get("kind")
    if kind == "plan":
        check_keys(here, table, {"figure", "kind", "of", "bumps", "body", "rows", "row_pitch"},
              {"figure", "kind", "of", "bumps"})
        for key in ("bumps", "body"):
            if key in table:
                name_arg(here, key, table[key])
        if table["of"] not in figures:
            raise RecipeError(f"{here}: 'of' must be a section figure ({', '.join(figures)}), "
                              f"got {table['of']!r}")
        if "rows" in table and (not isinstance(table["rows"], int) or table["rows"] < 1):
            raise RecipeError(f"{here}: 'rows' must be an integer >= 1 (got {table['rows']!r})")
        if "row_pitch" in table:
            length_arg(here, "row_pitch", table["row_pitch"], positive=True)
    elif kind == "detail":
        check_keys(here, table, {"figure", "kind", "of", "x_range", "z_range"},
                   {"figure", "kind", "of", "x_range", "z_range"})
        if table["of"] not in figures:
            raise RecipeError(f"{here}: 'of' must be a section figure ({', '.join(figures)}), "
                              f"got {table['of']!r}")
        for key in ("x_range", "z_range"):
            lo, hi = field_value(here, key, "interval", table[key], library)
            if not hi > lo:
                raise RecipeError(f"{here}: '{key}' must be [low, high] with high > low "
                                  f"(got {table[key]!r})")
    elif kind == "phase_diagram":
        check_keys(here, table, {"figure", "kind", "system", "mark"}, {"figure", "kind"})
        if table.get("system", "Pb-Sn") != "Pb-Sn":
            raise RecipeError(f"{here}: 'system' must be 'Pb-Sn' (got {table.get('system')!r})")
        field_value(here, "mark", "materials", table.get("mark", ["Sn63Pb37"]), library)
    else:
        raise RecipeError(f"{here}: 'kind' must be 'plan', 'detail' or 'phase_diagram' "
                          f"(got {kind!r})")
    fig = figure_id(here, "figure", table["figure"])
    if fig in figures:
        raise RecipeError(f"{here}: figure {fig!r} is already used")
    figures.append(fig)
    return table


def break_of(here: str, item: object, known: set[str]) -> tuple[str, str]:
    """``{ numeral = "2", side = "bottom" }``: the body is drawn only in part
    and ends in a break line on that side."""
    table = table_arg(here, "break", item)
    check_keys(here, table, {"numeral", "side"}, {"numeral", "side"})
    numeral = name_arg(here, "numeral", table["numeral"])
    if numeral not in known:
        raise RecipeError(f"{here}: 'numeral' names {numeral!r}, which no layer or step makes")
    if table["side"] not in BREAK_SIDES:
        raise RecipeError(f"{here}: 'side' must be one of {', '.join(BREAK_SIDES)} "
                          f"(got {short(table['side'])})")
    return numeral, str(table["side"])


#: Where a body drawn in part may end in a break line.
BREAK_SIDES = ("bottom", "top", "left", "right")
