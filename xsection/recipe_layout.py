"""A recipe's ``[layout]``: the masks a cut line through a GDS/OASIS layout
gives, by name, for steps that take ``{layer = NAME}`` in place of
x-intervals or positions (µm along the cut)."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from typing import Any

from .cutline import as_cut, centres, complement, cut_layout
from .errors import InputError
from .recipe_fields import RecipeError, check_keys, str_arg, table_arg


@dataclasses.dataclass(frozen=True)
class Masks:
    """The [layout] masks by name, and the domain width (for ``invert``)."""

    by_name: Mapping[str, list[tuple[float, float]]]
    width: float

    def value(self, here: str, key: str, kind: str, ref: Mapping[str, Any]) -> Any:
        """``{layer = NAME, invert = false}`` as the intervals (or, for
        positions, the centres) of that layer's mask along the cut."""
        check_keys(f"{here}: '{key}'", ref, {"layer", "invert"}, {"layer"})
        name = ref["layer"]
        if not self.by_name:
            raise RecipeError(f"{here}: '{key}' takes a layer's mask, but the recipe has no "
                              f"[layout] table")
        if name not in self.by_name:
            raise RecipeError(f"{here}: '{key}' names layer {name!r}, which [layout] layers "
                              f"does not map; mapped: {', '.join(sorted(self.by_name))}")
        invert = ref.get("invert", False)
        if not isinstance(invert, bool):
            raise RecipeError(f"{here}: '{key}': 'invert' must be true or false "
                              f"(got {invert!r})")
        spans = self.by_name[name]
        spans = complement(spans, self.width) if invert else [
            (max(a, 0.0), min(b, self.width)) for a, b in spans if b > 0 and a < self.width]
        if kind == "positions":
            if not spans:
                raise RecipeError(f"{here}: '{key}' takes the centres of layer {name!r}, but "
                                  f"the cut crosses none of its shapes")
            return centres(spans)
        return [list(p) for p in spans]


def layout_masks(where: str, table: object, base_dir: str,
            ) -> tuple[Mapping[str, list[tuple[float, float]]], float]:
    """The masks of a ``[layout]`` table by name, and the cut's length (µm)."""
    if table is None:
        return {}, 0.0
    here = f"{where}: [layout]"
    spec = table_arg(where, "layout", table)
    check_keys(here, spec, {"file", "cell", "cut", "layers"}, {"file", "cut", "layers"})
    file = str_arg(here, "file", spec["file"])
    cell = str_arg(here, "cell", spec["cell"]) if "cell" in spec else None
    try:
        line = as_cut(here, spec["cut"])
    except InputError as err:
        raise RecipeError(str(err)) from None
    layers = table_arg(here, "layers", spec["layers"])
    if not layers:
        raise RecipeError(f"{here}: 'layers' must map at least one name to a layer such as "
                          f"'1/0'")
    try:
        masks = cut_layout(os.path.join(base_dir, file), cut=line, layers=layers, cell=cell)
    except InputError as err:
        raise RecipeError(f"{here}: {err}") from None
    return masks, line.length
