"""Steps that add material into ambient: conformal plating/deposition and fill."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from shapely.geometry import box

from .. import geometry as g
from ..errors import GeometryError, InputError, require_length, require_number
from ..section import Section
from ..tolerances import tol
from .common import add_body, materials_arg, numeral_arg, on_side, part_labels, reference_height


def plate(section: Section, *, material: str, thickness: float, on: str | Iterable[str],
          numeral: str | None = None,
          part_numerals: Mapping[str, str] | None = None) -> Section:
    """Electroplate a conformal film of ``thickness`` on the exposed surfaces
    of the conductive materials ``on`` only.

    The film grows into open ambient only, as a true offset of the surface
    (round over convex corners), and never through a wall::

        before               after (t)
        PI  |   |  PI        PI  |   |  PI
        ----+   +----        ----+___+----
        Cu   \\_/   Cu        Cu   \\_/   Cu   <- film of t on Cu only
    """
    op = "plate"
    on_names = materials_arg(op, section, "on", on)
    for name in on_names:
        if not section.materials[name].conductive:
            raise InputError(
                f"{op}: electroplating grows only on conductors; 'on' names {name!r} "
                f"(class {section.materials[name].cls}); use deposit for electroless or "
                f"sputtered films")
    return _grow(op, section, material, thickness, on_names, numeral, part_numerals)


def deposit(section: Section, *, material: str, thickness: float,
            on: str | Iterable[str] | None = None, numeral: str | None = None,
            part_numerals: Mapping[str, str] | None = None) -> Section:
    """Conformal film of ``thickness`` on every exposed surface (electroless,
    sputtering), or on the exposed surfaces of ``on`` only::

        before        after
                      ._______.
        ___|‾‾‾|___   |  ___  |____   <- t everywhere exposed
    """
    op = "deposit"
    names = tuple(section.materials) if on is None else materials_arg(op, section, "on", on)
    return _grow(op, section, material, thickness, names, numeral, part_numerals)


def _grow(op: str, section: Section, material: str, thickness: float,
          on: tuple[str, ...], numeral: str | None,
          part_numerals: Mapping[str, str] | None) -> Section:
    (material,) = materials_arg(op, section, "material", material)
    t = require_length(op, "thickness", thickness)
    numeral = numeral_arg(op, "numeral", numeral)
    if t <= tol.grid:  # below the coordinate precision: nothing grows
        return section
    source = section.exposed(section.union_of(materials=on), margin=t)
    if source.is_empty:
        raise GeometryError(f"{op}: no exposed surface of {', '.join(on)} to grow on")
    free = section.open_ambient(margin=t)
    film = g.clean(g.geodesic_offset(source, free, t))
    if film.is_empty:
        return section
    labels = [*section.labels, *part_labels(section, film, material, part_numerals, op)]
    return add_body(section, film, material, numeral, labels)


def fill(section: Section, *, material: str, on: str | Iterable[str],
         level: float | None = None, height: float | None = None, above: str | None = None,
         side: str = "top", numeral: str | None = None,
         part_numerals: Mapping[str, str] | None = None) -> Section:
    """Bottom-up fill of the open ambient touching exposed ``on`` surfaces,
    up to an absolute ``level`` or ``height`` above the top of ``above``
    (a numeral or a material)::

        before            after (level L)
        PI |    | PI      PI |    | PI
        ---+    +---  L - ---+####+---
        Cu  \\__/  Cu      Cu  \\##/  Cu   <- concavity full, solder in the hole
    """
    op = "fill"
    (material,) = materials_arg(op, section, "material", material)
    on_names = materials_arg(op, section, "on", on)
    numeral = numeral_arg(op, "numeral", numeral)
    if level is not None:
        if height is not None or above is not None:
            raise InputError(f"{op}: give 'level' (absolute z) or 'height' with 'above', "
                             f"not both")
        require_number(op, "level", level)
    elif height is None or above is None:
        raise InputError(f"{op}: give 'level' (absolute z, µm) or both 'height' (µm) and "
                         f"'above' (a numeral or material)")
    else:
        require_length(op, "height", height)
        if not isinstance(above, str):
            raise InputError(f"{op}: 'above' must be a numeral or material name "
                             f"(got {above!r})")

    def apply(s: Section, mirrored: bool) -> Section:
        if level is not None:
            top = -float(level) if mirrored else float(level)
        else:
            top = reference_height(op, s, str(above)) + float(height or 0.0)
        source = s.exposed(s.union_of(materials=on_names), side="top")
        if source.is_empty:
            return s
        room = max(top - s.zmax, 0.0) + 1.0
        below = g.intersection(s.open_ambient(room, side="top"), box(s.x0, s.zmin - 1, s.x1, top))
        body = g.clean(g.touching_parts(below, source))
        if body.is_empty:
            return s
        labels = [*s.labels, *part_labels(s, body, material, part_numerals, op)]
        return add_body(s, body, material, numeral, labels)

    out = on_side(op, section, side, apply)
    if out.regions == section.regions:
        raise GeometryError(f"{op}: no open space below the level touches an exposed surface "
                            f"of {', '.join(on_names)} on side {side!r}")
    return out
