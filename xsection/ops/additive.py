"""Steps that add material into ambient: conformal plating/deposition and fill."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import shapely
import shapely.affinity
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from .. import geometry as g
from ..errors import GeometryError, InputError, require_choice, require_length, require_number
from ..section import Section
from ..tolerances import tol
from . import flux
from .common import (
    SIDES,
    add_body,
    materials_arg,
    numeral_arg,
    on_side,
    part_labels,
    reference_height,
    strips_arg,
)

DEPOSIT_MODES = ("conformal", "directional", "sputter", "evaporation")


def plate(section: Section, *, material: str, thickness: float, on: str | Iterable[str],
          numeral: str | None = None, part_numerals: Mapping[str, str] | None = None,
          side: str = "both", openings: Sequence[Sequence[float]] | None = None) -> Section:
    """Electroplate a conformal film of ``thickness`` on the exposed surfaces
    of the conductive materials ``on`` only, wherever the bath reaches them
    (``side`` 'both' by default; 'top' or 'bottom' with the other face
    protected). ``openings``: x-intervals of a virtual resist; the film
    grows there only, with straight walls at the resist edges.

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
    return _grow(op, section, material, thickness, on_names, numeral, part_numerals, side,
                 openings)


def deposit(section: Section, *, material: str, thickness: float,
            on: str | Iterable[str] | None = None, numeral: str | None = None,
            part_numerals: Mapping[str, str] | None = None, side: str = "top",
            mode: str = "conformal",
            openings: Sequence[Sequence[float]] | None = None,
            half_angle_deg: float | None = None, sticking: float = 1.0) -> Section:
    """A film of ``thickness`` on the exposed surfaces of one face (``side``
    'top' by default: sputtering, CVD, spin-on; 'both' for an electroless
    dip), on every material or on those of ``on`` only.

    conformal: the same thickness everywhere the film reaches, round over
    convex corners (CVD, electroless). directional: line of sight from the
    side's far space (evaporation): ``thickness`` measured vertically on
    every surface it sees, nothing on vertical walls, nothing in the shadow
    of an overhang (the step before a lift-off). sputter: from a cosine
    source over the face, each point's normal thickness the field's times
    the flux it sees past the section itself (½ on an isolated wall, 0.0995
    at the bottom of a 5:1 trench; ``ops.flux``); evaporation: the same from
    a source collimated within ``half_angle_deg``. ``sticking`` s < 1
    re-emits the rest of the flux diffusely (CVD-like conformality as s
    falls). ``openings``: x-intervals of a virtual mask; the film lies there
    only::

        before        conformal         directional      sputter
                      ._______.          _______          ._____.
        ___|‾‾‾|___   |  ___  |____     ___|   |___     _/  ___ \\___  thinner on walls
    """
    op = "deposit"
    names = tuple(section.materials) if on is None else materials_arg(op, section, "on", on)
    require_choice(op, "mode", mode, DEPOSIT_MODES)
    s_stick = require_number(op, "sticking", sticking)
    if not 0.0 < s_stick <= 1.0:
        raise InputError(f"{op}: 'sticking' must be > 0 and <= 1 (got {s_stick})")
    if mode != "evaporation" and half_angle_deg is not None:
        raise InputError(f"{op}: 'half_angle_deg' applies to mode 'evaporation' only "
                         f"(mode is {mode!r})")
    if mode in ("conformal", "directional") and s_stick != 1.0:
        raise InputError(f"{op}: 'sticking' applies to modes 'sputter' and 'evaporation' "
                         f"(mode is {mode!r})")
    if mode in ("sputter", "evaporation"):
        beta = None
        if mode == "evaporation":
            if half_angle_deg is None:
                raise InputError(f"{op}: mode 'evaporation' needs 'half_angle_deg', the "
                                 f"source's half-angle (degrees, > 0 and <= 90)")
            beta = require_number(op, "half_angle_deg", half_angle_deg)
            if not 0.0 < beta <= 90.0:
                raise InputError(f"{op}: 'half_angle_deg' must be > 0 and <= 90 degrees "
                                 f"(got {beta})")
        return _flux_film(op, section, material, thickness, names, numeral, side, openings,
                          None if beta is None else math.radians(beta), s_stick)
    if mode == "directional":
        return _evaporate(op, section, material, thickness, names, numeral, side, openings)
    return _grow(op, section, material, thickness, names, numeral, part_numerals, side,
                 openings)


def _grow(op: str, section: Section, material: str, thickness: float,
          on: tuple[str, ...], numeral: str | None,
          part_numerals: Mapping[str, str] | None, side: str = "both",
          openings: Sequence[Sequence[float]] | None = None) -> Section:
    (material,) = materials_arg(op, section, "material", material)
    t = require_length(op, "thickness", thickness)
    numeral = numeral_arg(op, "numeral", numeral)
    require_choice(op, "side", side, SIDES)
    strips = strips_arg(op, section, openings)
    if t <= tol.grid:  # below the coordinate precision: nothing grows
        return section
    source = section.exposed(section.union_of(materials=on), margin=t, side=side)
    free = section.open_ambient(margin=t, side=side)
    if strips is not None:
        source, free = g.intersection(source, strips), g.intersection(free, strips)
    if source.is_empty:
        raise GeometryError(f"{op}: no exposed surface of {', '.join(on)} to grow on"
                            + ("" if side == "both" else f" on side {side!r}")
                            + ("" if strips is None else " inside the openings"))
    film = g.clean(g.geodesic_offset(source, free, t))
    if film.is_empty:
        return section
    labels = [*section.labels, *part_labels(section, film, material, part_numerals, op)]
    return add_body(section, film, material, numeral, labels)


def _film_args(op: str, section: Section, material: str, thickness: float,
               numeral: str | None, openings: Sequence[Sequence[float]] | None
               ) -> tuple[str, float, str | None, BaseGeometry | None]:
    """A film step's material, thickness (µm), numeral and mask strips, checked."""
    (material,) = materials_arg(op, section, "material", material)
    return (material, require_length(op, "thickness", thickness),
            numeral_arg(op, "numeral", numeral), strips_arg(op, section, openings))


def _flux_film(op: str, section: Section, material: str, thickness: float,
               on: tuple[str, ...], numeral: str | None, side: str,
               openings: Sequence[Sequence[float]] | None, half_angle: float | None,
               sticking: float) -> Section:
    """A film whose normal thickness follows the flux each point of the lit
    surface sees (``flux``): the field gets ``thickness``."""
    material, t, numeral, strips = _film_args(op, section, material, thickness, numeral,
                                              openings)
    if t <= tol.grid:
        return section

    def apply(s: Section, mirrored: bool) -> Section:
        lit = s.exposed(s.union_of(materials=on), margin=t, side="top")
        open_space = s.open_ambient(t, side="top")
        if strips is not None:
            lit = g.intersection(lit, strips)
        size = max(s.width, s.zmax - s.zmin)
        pts, normals, weights, owner, segments = flux.samples(lit, size, t, open_space)
        if not len(pts):
            raise GeometryError(f"{op}: no exposed surface of {', '.join(on)} on side "
                                f"{side!r}" + ("" if strips is None else " inside the openings"))
        direct = flux.direct_flux(pts, normals, s.solid, half_angle)
        total = flux.reemitted(pts, normals, weights, s.solid, direct, sticking)
        film = flux.film_of(pts, normals, owner, segments, t * total)
        film = g.clean(g.intersection(film, open_space))
        if strips is not None:
            film = g.clean(g.intersection(film, strips))
        if film.is_empty:
            raise GeometryError(f"{op}: nothing of {', '.join(on)} sees the source on side "
                                f"{side!r}")
        return add_body(s, film, material, numeral)

    return on_side(op, section, side, apply)


def _evaporate(op: str, section: Section, material: str, thickness: float,
               on: tuple[str, ...], numeral: str | None, side: str,
               openings: Sequence[Sequence[float]] | None) -> Section:
    """Line-of-sight film: the band ``thickness`` tall above the skyline (the
    first surface a vertical ray from above meets), where that surface is
    one of ``on``. Exact: the skyline is the section swept down (``sweep``)."""
    material, t, numeral, strips = _film_args(op, section, material, thickness, numeral,
                                              openings)
    if t <= tol.grid:
        return section

    def apply(s: Section, mirrored: bool) -> Section:
        below = g.sweep_down(s.solid, s.zmax - s.zmin + t + 2.0)  # deeper than the band
        band = g.difference(shapely.affinity.translate(below, 0.0, t), below)
        band = shapely.clip_by_rect(band, s.x0, -g.FAR, s.x1, g.FAR)
        if strips is not None:
            band = g.intersection(band, strips)
        if len(on) < len(s.materials):  # keep the columns whose skyline is one of ``on``
            seen = g.union(r.geometry for r in s.regions if r.material in on)
            tops = g.shared_boundary(seen, band)  # the band's floor on ``on``
            band = g.intersection(band, g.sweep(tops, 0.0, t + tol.touch))
        film = g.clean(band)
        if film.is_empty:
            raise GeometryError(f"{op}: no surface of {', '.join(on)} in sight on side "
                                f"{side!r}" + ("" if strips is None else " inside the openings"))
        return add_body(s, film, material, numeral)

    return on_side(op, section, side, apply)


def fill(section: Section, *, material: str, on: str | Iterable[str],
         level: float | None = None, height: float | None = None, above: str | None = None,
         side: str = "top", numeral: str | None = None,
         part_numerals: Mapping[str, str] | None = None, enclosed: bool = False,
         floor: float | None = None) -> Section:
    """Bottom-up fill of the open ambient touching exposed ``on`` surfaces,
    up to an absolute ``level`` or ``height`` above the top of ``above``
    (a numeral or a material), never below the section's lowest point or
    the absolute ``floor`` (a tape). ``enclosed``: fill the spaces closed in
    the section's plane too, which are open across it (underfill flowing
    between the bumps under a chip)::

        before            after (level L)
        PI |    | PI      PI |    | PI
        ---+    +---  L - ---+####+---
        Cu  \\__/  Cu      Cu  \\##/  Cu   <- concavity full, solder in the hole
    """
    op = "fill"
    (material,) = materials_arg(op, section, "material", material)
    on_names = materials_arg(op, section, "on", on)
    numeral = numeral_arg(op, "numeral", numeral)
    if floor is not None:
        require_number(op, "floor", floor)
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
        room = max(top - s.zmax, 0.0) + 1.0
        space = s.ambient(room) if enclosed else s.open_ambient(room, side="top")
        source = g.shared_boundary(s.union_of(materials=on_names), space)
        if source.is_empty:
            return s
        bottom = s.zmin if floor is None else max(s.zmin, -floor if mirrored else floor)
        below = g.intersection(space, box(s.x0, bottom, s.x1, top))
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
