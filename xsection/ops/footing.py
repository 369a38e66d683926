"""Where a molten body stands: the faces it wets below and above, the solder
held in a cup below the rim, and the rim chord a cap or joint stands on (µm)."""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import shapely
import shapely.affinity
from shapely.geometry import LineString
from shapely.geometry.base import BaseGeometry

from .. import geometry as g
from ..section import Section
from ..tolerances import tol
from .caps import (
    equilibrium_half_width,
    partial_fill,
)
from .contact import Obstacles, drop_ball
from .wetting import (
    on_lines,
    rim_chord,
    wall_top,
    wetting,
)

#: What ``footing`` says of a body that wets only a face above it.
HANGS = "hangs"


class Footing(NamedTuple):
    """Where a molten body stands: the free space around it, the wetted
    faces below (``base``) and above (``upper``), the axis, the solder held
    below the rim of a cup (``confined``, its volume ``v_confined``) and the
    rim chord (lo, hi, z) that a cap or joint stands on."""

    free: BaseGeometry
    base: BaseGeometry
    upper: list[LineString]
    axis: float
    confined: BaseGeometry
    v_confined: float
    rim: tuple[float, float, float]


def footing(rest: Section, body: BaseGeometry, volume: float,
            contact_angle: float | None, wets: frozenset[str] | None,
            pad: BaseGeometry | None, hanging: bool = False
            ) -> Footing | BaseGeometry | str:
    """The footing of a molten body, or its final shape where it has none
    to stand a cap on (it dewets, wets walls only, or fills a cup)."""
    free, lower, upper = wetting(rest, body, wets)
    if pad is not None:
        upper = g.lines(pad)
    if free.is_empty:
        return body
    if not lower:
        return HANGS if upper and pad is None and not hanging else dewet(rest, body, volume)
    base: BaseGeometry = shapely.MultiLineString(lower)
    xl, _, xr, _ = base.bounds
    if xr - xl <= tol.touch:  # it wets walls only (no width to stand on): it stays
        return body
    axis = (xl + xr) / 2
    if contact_angle is not None and not upper:
        centre = body.centroid.x
        a_eq = equilibrium_half_width(volume, contact_angle)
        if 2 * a_eq < xr - xl:
            narrow_axis = min(max(centre, xl + a_eq), xr - a_eq)
            narrow = g.intersection(base, shapely.box(narrow_axis - a_eq, base.bounds[1] - 1,
                                                      narrow_axis + a_eq, base.bounds[3] + 1))
            if not narrow.is_empty:  # (a gap in the faces there: keep them whole)
                axis, base = narrow_axis, narrow
                xl, xr = axis - a_eq, axis + a_eq
    z_left = wall_top(free, base, xl, -1)
    z_right = wall_top(free, base, xr, +1)
    z_rim = hugged_top(rest, body, axis, min(z_left, z_right))
    below_rim = g.intersection(free, shapely.box(rest.x0, -g.FAR, rest.x1, z_rim))
    confined = on_lines(below_rim, base)
    v_confined = g.axisymmetric_volume(confined, axis)
    if v_confined >= volume * (1 - tol.volume):
        return partial_fill(free, base, axis, volume, z_rim)
    lo_x, hi_x = rim_chord(free, z_rim, axis, xl, xr)
    if (hi_x - lo_x) / 2 <= tol.grid:  # no width at the rim: the solder fills what it has
        return partial_fill(free, base, axis, volume, free.bounds[3])
    return Footing(free, base, upper, axis, confined, v_confined, (lo_x, hi_x, z_rim))


#: Steps of the upward scan for the top of a cavity that holds the solder.
HUG_LEVELS = 64


def hugged_top(rest: Section, body: BaseGeometry, axis: float, z_rim: float) -> float:
    """The rim of the cavity that holds a molten body: from ``z_rim`` up,
    as long as fixed matter hugs the body's chord over the axis on both
    sides (mould moulded round a ball, a hole it fills), the solder stays
    in that cavity, which does not wet and has no room to give: the rim is
    where the hug ends (the floor of a laser opening over the ball)::

        ##\\    /##   <- opening: the joint stands on its floor
        ###(##)###   <- the ball's cavity in the mould: confined
        ===[  ]===   <- the land
    """
    _, _, _, top = body.bounds
    if top - z_rim <= tol.touch:
        return z_rim
    size = max(top - z_rim, 1.0)
    solid = rest.solid

    def hugged(z: float) -> bool:
        spans = g.chords(body, z)
        over = [ab for ab in spans if ab[0] - tol.slack <= axis <= ab[1] + tol.slack]
        if not over:
            return False
        a, b = over[0]
        step = max(10 * tol.touch, 1e-4 * (b - a))
        return bool(solid.contains(shapely.Point(a - step, z)) and
                    solid.contains(shapely.Point(b + step, z)))

    eps = tol.probe * size + tol.touch
    if not hugged(z_rim + eps):
        return z_rim
    low, high = z_rim + eps, top
    for z in np.linspace(z_rim + eps, top - eps, HUG_LEVELS)[1:]:
        if not hugged(float(z)):
            high = float(z)
            break
        low = float(z)
    while high - low > tol.probe * size:
        mid = (low + high) / 2
        low, high = (mid, high) if hugged(mid) else (low, mid)
    return low


def dewet(rest: Section, body: BaseGeometry, volume: float) -> BaseGeometry:
    """Nothing wets: the solder balls up into a sphere of the same volume."""
    x = body.centroid.x
    r = (3 * volume / (4 * math.pi)) ** (1 / 3)  # the ball polygon holds exactly this
    x = min(max(x, rest.x0 + r), rest.x1 - r)
    return drop_ball("reflow", Obstacles(rest), x, r, ceiling=body.bounds[3])
