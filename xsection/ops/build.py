"""Steps that build up: the initial stack, lamination, placing bodies."""

from __future__ import annotations

import math
from collections.abc import Sequence

from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from .. import geometry as g
from ..errors import InputError, require_length, require_number
from ..materials import MATERIALS, MaterialLibrary
from ..section import Layer, Region, Section
from ..tolerances import tol
from .common import add_body, materials_arg, numeral_arg, on_side, positions_arg
from .contact import Obstacles, drop_ball, drop_rect


def stack(*, width: float, layers: Sequence[Layer], x0: float = 0.0,
          back_to_back: Layer | None = None,
          materials: MaterialLibrary = MATERIALS) -> Section:
    """The initial section: ``layers`` listed bottom-up from z = 0.

    With ``back_to_back`` (the joint, e.g. adhesive at the periphery only)
    the stack is double-sided: ``layers`` are listed from the joint outward
    and mirrored below it, as two bases laminated back to back::

        layers=[Cu 10, PI 12], back_to_back=adhesive at the ends

              PI 12              (top face)
              Cu 10
           ad ~~~~gap~~~~ ad     (joint)
              Cu 10
              PI 12              (bottom face)
    """
    w = require_length("stack", "width", width, allow_zero=False)
    if isinstance(x0, bool) or not isinstance(x0, (int, float)) or not math.isfinite(x0):
        raise InputError(f"stack: 'x0' must be a finite number in µm (got {x0!r})")
    layers = list(layers)
    if not layers:
        raise InputError("stack: 'layers' must hold at least one layer (got none)")
    order = layers if back_to_back is None else [*reversed(layers), back_to_back, *layers]
    regions: list[Region] = []
    z = 0.0
    for i, layer in enumerate(order):
        where = f"stack: layer {i}"
        if not isinstance(layer, Layer):
            raise InputError(f"{where} must be a Layer (got {layer!r})")
        materials.require(where, "material", [layer.material])
        t = require_length(where, "thickness", layer.thickness, allow_zero=False)
        if t <= 10 * tol.grid:
            raise InputError(f"{where}: 'thickness' {t:g} µm is below what the "
                             f"{tol.grid:g} µm coordinate grid holds (> {10 * tol.grid:g} µm)")
        numeral_arg(where, "numeral", layer.numeral)
        for a, b in _spans(where, layer.spans, x0, x0 + w):
            regions.append(Region(box(a, z, b, z + t), layer.material, layer.numeral))
        z += t
    if z > tol.max_length or abs(x0) + w > tol.max_length:
        raise InputError(f"stack: the stack is {z:g} µm tall and reaches x = {x0 + w:g} µm; "
                         f"at most {tol.max_length:g} µm is held exactly")
    return Section(x0, x0 + w, (), (), materials).evolve(regions)


def _spans(where: str, spans: object, lo: float, hi: float) -> list[tuple[float, float]]:
    if spans is None:
        return [(lo, hi)]
    out = []
    if not isinstance(spans, Sequence) or isinstance(spans, str):
        raise InputError(f"{where}: 'spans' must be a list of (x_start, x_end) pairs "
                         f"(got {spans!r})")
    for span in spans:
        if not isinstance(span, Sequence) or len(span) != 2:
            raise InputError(f"{where}: each span must be a pair (x_start, x_end) (got {span!r})")
        a, b = (float(v) for v in span)
        if not (lo <= a < b <= hi):
            raise InputError(f"{where}: span ({a}, {b}) must satisfy {lo} <= x_start < x_end "
                             f"<= {hi} µm")
        out.append((a, b))
    return out


def laminate(section: Section, *, material: str, thickness: float | None = None,
             top: float | None = None, side: str = "top", numeral: str | None = None,
             x_range: tuple[float, float] | None = None,
             floor: float | None = None) -> Section:
    """Press a film on (or mould): it fills all open ambient below a flat top
    and above the floor: the section's lowest point, or the absolute height
    ``floor`` (the tape of film-assisted moulding; on the bottom side the
    plane it stays below). Through a perforated frame it fills the openings
    and never spreads under the frame.

    The top lies ``thickness`` above the highest point covered, or at the
    absolute height ``top`` (below a die's top: the die stays bare)::

        before            after (thickness t)
                          ########## <- flat, t above the bump
          _n_             ###_n_####
        ====+====         ====+=====
    """
    op = "laminate"
    (material,) = materials_arg(op, section, "material", material)
    numeral = numeral_arg(op, "numeral", numeral)
    if (thickness is None) == (top is None):
        raise InputError(f"{op}: give exactly one of 'thickness' (µm above the highest point "
                         f"covered) or 'top' (absolute z, µm)")
    if thickness is not None:
        thickness = require_length(op, "thickness", thickness)
    lo, hi = _x_range(op, section, x_range)

    def apply(s: Section, mirrored: bool) -> Section:
        covered = g.intersection(s.solid, box(lo, s.zmin - 1, hi, s.zmax + 1))
        base = covered.bounds[3] if not covered.is_empty else s.zmin
        if top is not None:
            level = -float(top) if mirrored else float(top)
        else:
            level = base + float(thickness or 0.0)
        amb = s.open_ambient(max(level - s.zmax, 0.0) + 1.0, side="top")
        bottom = s.zmin if floor is None else max(s.zmin, -floor if mirrored else floor)
        if bottom >= level:
            return s
        film = g.clean(g.intersection(amb, box(lo, bottom, hi, level)))
        if film.is_empty:
            return s
        return add_body(s, film, material, numeral)

    if top is not None:
        require_number(op, "top", top)
    if floor is not None:
        require_number(op, "floor", floor)
    return on_side(op, section, side, apply)


def _x_range(op: str, section: Section, x_range: object) -> tuple[float, float]:
    if x_range is None:
        return section.x0, section.x1
    if not isinstance(x_range, Sequence) or len(x_range) != 2:
        raise InputError(f"{op}: 'x_range' must be a pair (x_start, x_end) in µm "
                         f"(got {x_range!r})")
    a, b = (float(v) for v in x_range)
    if not (section.x0 <= a < b <= section.x1):
        raise InputError(f"{op}: 'x_range' ({a}, {b}) must lie inside the domain "
                         f"[{section.x0}, {section.x1}] µm with x_start < x_end")
    return a, b


def place(section: Section, *, material: str, at: float | Sequence[float],
          diameter: float | None = None, width: float | None = None,
          height: float | None = None, side: str = "top",
          numeral: str | None = None) -> Section:
    """Drop bodies at x positions until they rest without overlapping anything.

    A ball of ``diameter`` or a rectangle ``width`` × ``height`` (a die)::

        before          after
                          ( )       ball dropped at x
        ==[ pad ]==     ==[pad]==
    """
    op = "place"
    (material,) = materials_arg(op, section, "material", material)
    numeral = numeral_arg(op, "numeral", numeral)
    xs = positions_arg(op, section, "at", at)
    if diameter is not None:
        if width is not None or height is not None:
            raise InputError(f"{op}: give 'diameter' (a ball) or 'width' and 'height' "
                             f"(a rectangle), not both")
        d = require_length(op, "diameter", diameter, allow_zero=False)
        half = d / 2
    elif width is not None and height is not None:
        wd = require_length(op, "width", width, allow_zero=False)
        ht = require_length(op, "height", height, allow_zero=False)
        half = wd / 2
    else:
        raise InputError(f"{op}: give 'diameter' (a ball) or both 'width' and 'height' "
                         f"(a rectangle)")
    if half <= 10 * tol.grid or (diameter is None and ht <= 10 * tol.grid):
        raise InputError(f"{op}: a body {2 * half:g} µm wide is below what the {tol.grid:g} µm "
                         f"grid holds (give more than {20 * tol.grid:g} µm)")
    for x in xs:
        if x - half < section.x0 - tol.touch or x + half > section.x1 + tol.touch:
            raise InputError(f"{op}: a body of width {2 * half} µm at x={x} does not fit in "
                             f"the domain [{section.x0}, {section.x1}] µm")

    def apply(s: Section, mirrored: bool) -> Section:
        rest = Obstacles(s)
        bodies: list[BaseGeometry] = []
        for x in xs:
            body: BaseGeometry
            if diameter is not None:
                body = drop_ball(op, rest, x, half)
            else:
                body = drop_rect(rest, x, half, ht)
            rest.add(body)
            bodies.append(body)
        return add_bodies(s, bodies, material, numeral)

    return on_side(op, section, side, apply)


def add_bodies(section: Section, bodies: Sequence[BaseGeometry], material: str,
               numeral: str | None) -> Section:
    """The section with one new region per body; the bodies were placed
    clear of everything (exact contact), so nothing is trimmed."""
    new = [Region(g.clean(b), material, numeral) for b in bodies]
    new = [r for r in new if not r.geometry.is_empty]
    if not new:
        return section
    return section.evolve([*section.regions, *new],
                          solid=g.union_disjoint([section.solid, *(r.geometry for r in new)]))
