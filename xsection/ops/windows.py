"""Reflow works on a window of the section round each molten body (µm):
the fixed bodies within reach, grown while the answer touches an edge, and
answers of congruent windows reused (a bump array solves one bump)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TypeVar

import numpy as np
import shapely
import shapely.affinity
from shapely.geometry.base import BaseGeometry

from .. import geometry as g
from ..section import Region, Section
from ..tolerances import tol
from .footing import Footing

T = TypeVar("T")


class Congruent:
    """Answers of the local reflow solve kept by their input moved to x = 0.

    The solve is a pure function of the window's bodies, the molten body,
    its pad and volume, and it commutes with a shift in x. So a window that,
    moved by −x₀ (x₀ the molten body's left end) and read on the grid, equals
    one solved before gets that answer moved by +x₀ and snapped to the grid
    again: the same polygon a fresh solve gives, to a grid step. The key is
    exact (integer grid coordinates, materials, numerals, the volume to 12
    digits): a window that differs anywhere is solved afresh::

        (o) (o) (o) (o)      1,000 balls on one pad design: one solve,
        =1= =1= =1= =1=      999 moved answers
    """

    def __init__(self) -> None:
        self.answers: dict[tuple[object, ...], BaseGeometry] = {}
        self.hits = 0

    def solve(self, rest: Section, body: BaseGeometry, pad: BaseGeometry | None,
              volume: float, phys: object, fresh: Callable[[], BaseGeometry]
              ) -> BaseGeometry:
        x0 = body.bounds[0]
        geoms = [body, *(r.geometry for r in rest.regions)] + ([] if pad is None else [pad])
        key = (_grid_key(geoms, x0), tuple((r.material, r.numeral) for r in rest.regions),
               round((rest.x0 - x0) / tol.grid), round((rest.x1 - x0) / tol.grid),
               pad is None, float(f"{volume:.12g}"), phys)
        if key in self.answers:
            self.hits += 1
            return g.clean(shapely.affinity.translate(self.answers[key], x0, 0.0))
        out = fresh()
        self.answers[key] = shapely.affinity.translate(out, -x0, 0.0)
        return out


def _grid_key(geoms: list[BaseGeometry], x0: float) -> bytes:
    """The geometries moved by −x0 as WKB of integer grid coordinates."""
    moved = shapely.transform(np.asarray(geoms, dtype=object),
                              lambda xy: np.round((xy - [x0, 0.0]) / tol.grid))
    return b"|".join(shapely.to_wkb(moved).tolist())


def in_window(section: Section, fixed: list[Region], index: g.PartIndex, body: BaseGeometry,
               volume: float, solve: Callable[[Section], T],
               extent: Callable[[T], tuple[float, float] | None]) -> T:
    """``solve`` on the fixed bodies of a window around ``body``: the window
    starts ``_reach`` wide of the body and doubles while the ``extent`` (x0,
    x1) of the answer reaches one of its edges that is not the section's."""
    bx0, _, bx1, _ = body.bounds
    reach = reach_of(volume)
    while True:
        wx0, wx1 = max(section.x0, bx0 - reach), min(section.x1, bx1 + reach)
        out = solve(window(section, fixed, index, wx0, wx1))
        span = extent(out)
        if span is None or not ((wx0 > section.x0 and span[0] <= wx0 + tol.touch)
                                or (wx1 < section.x1 and span[1] >= wx1 - tol.touch)):
            return out
        reach *= 2.0


def faces_extent(foot: Footing | BaseGeometry | str) -> tuple[float, float] | None:
    """The x-extent of a joint's faces, below and above (None: no joint)."""
    if not isinstance(foot, Footing) or not foot.upper:
        return None
    pad = shapely.MultiLineString(foot.upper)
    return min(pad.bounds[0], foot.base.bounds[0]), max(pad.bounds[2], foot.base.bounds[2])


def reach_of(volume: float) -> float:
    """First half-width (µm) of the window around a molten body: four radii
    of the ball of its ``volume``."""
    return float(4.0 * (3.0 * volume / (4.0 * math.pi)) ** (1.0 / 3.0) + 1.0)


def window(section: Section, fixed: list[Region], index: g.PartIndex, wx0: float,
            wx1: float) -> Section:
    """The fixed bodies between x = wx0 and wx1 as a section of that width."""
    owners, pieces = index.query(wx0, -g.FAR, wx1, g.FAR)
    local = [Region(g.clean(shapely.clip_by_rect(p, wx0, -g.FAR, wx1, g.FAR)),
                    fixed[k].material, fixed[k].numeral) for k, p in zip(owners, pieces)]
    return Section(wx0, wx1, tuple(r for r in local if not r.geometry.is_empty), (),
                   section.materials)
