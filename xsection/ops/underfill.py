"""Underfill: the gap under a mounted die filled, between its joints too,
with a fillet climbing each edge of the die (µm)."""

from __future__ import annotations

import shapely
import shapely.affinity
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from .. import geometry as g
from ..errors import GeometryError, UnknownNameError, require_length
from ..section import Section
from ..tolerances import tol
from .common import add_body, materials_arg, numeral_arg, on_side

#: Chords of the quarter ellipse of a fillet's free surface.
FILLET_SEGMENTS = 32


def underfill(section: Section, *, material: str, under: str, fillet_width: float = 0.0,
              fillet_height: float | None = None, side: str = "top",
              numeral: str | None = None) -> Section:
    """Fill the gap under each body named ``under`` (a die: a numeral or a
    material) down to what it is mounted on, round its joints, and add a
    fillet at each of its edges: a meniscus that meets what lies beside the
    die ``fillet_width`` out and climbs the die's side ``fillet_height``
    above its bottom (default: half the die's height), tangent to both (a
    quarter ellipse, wetting angle 0)::

             die [=========]
        fillet  /|  o   o  |\\     height h up the side
        ______ / |##########| \\____  width w out on the substrate
    """
    op = "underfill"
    (material,) = materials_arg(op, section, "material", material)
    numeral = numeral_arg(op, "numeral", numeral)
    width = require_length(op, "fillet_width", fillet_width)
    climb = None if fillet_height is None else require_length(op, "fillet_height",
                                                              fillet_height)
    if not isinstance(under, str) or not under:
        raise UnknownNameError(f"{op}: 'under' must name the die: a numeral or a material "
                               f"(got {under!r})")

    def apply(s: Section, mirrored: bool) -> Section:
        dies = s.select(numerals=[under]) or (s.select(materials=[under])
                                              if under in s.materials else [])
        if not dies:
            raise UnknownNameError(f"{op}: 'under' names {under!r}, which is neither a "
                                   f"numeral nor a material in the section; numerals: "
                                   f"{', '.join(s.numerals()) or 'none'}")
        room = s.ambient()
        pieces: list[BaseGeometry] = []
        for die in (p for r in dies for p in r.parts):
            pieces += _under(s, room, die, width, climb)
        body = g.clean(g.union(pieces))
        if body.is_empty or body.area <= tol.area:
            raise GeometryError(f"{op}: no open gap lies under {under!r} to fill")
        return add_body(s, body, material, numeral)

    return on_side(op, section, side, apply)


def _under(s: Section, room: BaseGeometry, die: BaseGeometry, width: float,
           climb: float | None) -> list[BaseGeometry]:
    """The gap under one die and its two fillets, as parts of the ambient."""
    left, bottom, right, top = die.bounds
    column = g.intersection(room, box(left, s.zmin, right, bottom + tol.touch))
    gap = g.touching_parts(column, die, distance=tol.touch)
    if gap.is_empty:
        return []
    h = (top - bottom) / 2 if climb is None else climb
    out: list[BaseGeometry] = [gap]
    if width > 0 and h > 0:
        for edge, sign in ((left, -1.0), (right, 1.0)):
            ground = _ground(s, edge + sign * 10 * tol.touch, bottom)
            fillet = _fillet(edge, sign, ground, bottom + h, width)
            out.append(g.touching_parts(g.intersection(room, fillet),
                                        g.union([gap, die]), distance=tol.touch))
    return out


def _ground(s: Section, x: float, below: float) -> float:
    """Top (µm) of the matter at ``x`` under the height ``below``."""
    column = g.intersection(shapely.LineString([(x, s.zmin - 1.0), (x, below)]), s.solid)
    ends = [c[1] for line in g.lines(column) for c in line.coords]
    return max(ends) if ends else s.zmin


def _fillet(edge: float, sign: float, ground: float, z_top: float, width: float
            ) -> BaseGeometry:
    """The region under a meniscus from (edge, z_top) down to (edge + sign ·
    width, ground): the box between them less the quarter ellipse centred at
    the far top corner."""
    height = z_top - ground
    if height <= tol.grid:
        return g.EMPTY
    far = edge + sign * width
    corner = shapely.affinity.scale(shapely.Point(0.0, 0.0).buffer(1.0, FILLET_SEGMENTS),
                                    width, height)
    ellipse = shapely.affinity.translate(corner, far, z_top)
    lo, hi = sorted((edge, far))
    return g.difference(box(lo, ground, hi, z_top), ellipse)
