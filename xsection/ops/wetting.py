"""Which faces molten solder wets: the wettable surface cut at its edges, the
faces a body stands on and the faces above it (µm)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import shapely
import shapely.affinity
from shapely.geometry import LineString
from shapely.geometry.base import BaseGeometry

from .. import geometry as g
from ..section import Section
from ..tolerances import tol


def wetting(rest: Section, body: BaseGeometry, wets: frozenset[str] | None
             ) -> tuple[BaseGeometry, list[LineString], list[LineString]]:
    """The free space around ``body`` and the wettable faces it wets: those
    it stands on (facing up or sideways) and those above it facing down."""
    margin = 4 * body.area ** 0.5 + (rest.zmax - rest.zmin)
    free = g.touching_parts(rest.ambient(margin), body, distance=0.0)
    if free.is_empty:
        return free, [], []
    wet_solid = g.union(r.geometry for r in rest.regions
                        if (r.material in wets if wets is not None
                            else rest.materials[r.material].wettable))
    faces = [f for line in g.lines(g.shared_boundary(free, wet_solid)) for f in _faces(line)]
    down = [_faces_down(f, free) for f in faces]
    # a face within the body's own polygon resolution is touched (a ball
    # resting on a resist's rims just reaches the land between them)
    near = max(tol.touch, tol.arc * body.area ** 0.5)
    lower = wetted_faces([f for f, d in zip(faces, down) if not d], body, near)
    upper = [f for f, d in zip(faces, down) if d and f.distance(body) <= near]
    return free, lower, upper


def _faces_down(face: LineString, free: BaseGeometry) -> bool:
    """True if the free space lies below ``face`` (the underside of a pad)."""
    (xa, za), (xb, zb) = face.coords[0], face.coords[-1]
    if abs(xb - xa) <= abs(zb - za):  # a wall, not a face to hang from
        return False
    mid = shapely.line_interpolate_point(face, 0.5, normalized=True)
    eps = max(10 * tol.touch, tol.probe * face.length)
    return bool(free.contains(shapely.Point(mid.x, mid.y - eps)))


#: Wettable surface turning by more than this (degrees) at a vertex is an
#: edge the molten solder stays pinned at (the top edge of a pillar).
EDGE_DEG = 30.0


def wetted_faces(lines: list[LineString], body: BaseGeometry,
                  near: float = tol.touch) -> list[LineString]:
    """The faces of the wettable surface the molten ``body`` stands on.

    The surface is cut at its edges (turns over ``EDGE_DEG``); a face counts
    where the body lies on it along a line or, for a ball that touches at a
    point, where it touches inside the face. A face that meets the body only
    at its end (the side of a pillar below the solder on its top) does not::

        solder  ####         cap on the top face only; the side faces
        Ni top  ====         beyond the edge stay dry
        Cu side |  |
    """
    faces = [f for line in lines for f in _faces(line)]
    touching = [f for f in faces if f.distance(body) <= near]
    along = [f for f in touching if contact_length(f, body) > 10 * tol.touch]
    if along:
        return along
    # a point contact: the face counts where it is touched inside, not at an end
    return [f for f in touching
            if shapely.line_interpolate_point(f, 0.5, normalized=True).distance(body) <= near
            or not any(shapely.Point(f.coords[i]).distance(body) <= near for i in (0, -1))]


def contact_length(line: BaseGeometry, geom: BaseGeometry) -> float:
    """Length (µm) of ``line`` that lies on ``geom`` (within ``tol.touch``)."""
    return float(shapely.intersection(line, geom.buffer(tol.touch, quad_segs=1)).length)


def _faces(line: LineString) -> list[LineString]:
    """``line`` cut at vertices where it turns by more than ``EDGE_DEG``."""
    xy = np.asarray(line.coords)
    if len(xy) < 3:
        return [line]
    d = np.diff(xy, axis=0)
    heading = np.arctan2(d[:, 1], d[:, 0])
    turn = np.abs((np.diff(heading) + math.pi) % (2 * math.pi) - math.pi)
    cuts = [0, *(np.flatnonzero(turn > math.radians(EDGE_DEG)) + 1).tolist(), len(xy) - 1]
    return [LineString(xy[a:b + 1]) for a, b in itertools.pairwise(cuts) if b > a]


def on_lines(region: BaseGeometry, base: BaseGeometry) -> BaseGeometry:
    """The parts of ``region`` that rest on ``base`` along a line (space that
    only meets the base at a corner point is not a cup)."""
    keep = [p for p in g.polygons(region) if contact_length(base, p) > 10 * tol.touch]
    return g.clean(shapely.MultiPolygon(keep)) if keep else g.EMPTY


def wall_top(free: BaseGeometry, base: BaseGeometry, x_edge: float, sign: int) -> float:
    """Top of the wall just outside the wetted base at ``x_edge``, µm."""
    ends = [c for line in g.lines(base) for c in line.coords if abs(c[0] - x_edge) <= tol.touch]
    z0 = min(c[1] for c in ends) if ends else base.bounds[1]
    x = x_edge + sign * max(10 * tol.touch, 100 * tol.probe * (base.bounds[2] - base.bounds[0]))
    _, _, _, ztop = free.bounds
    hit = g.intersection(LineString([(x, z0), (x, ztop)]), free)
    starts = [min(c[1] for c in seg.coords) for seg in g.lines(hit)]
    return min(starts) if starts else z0


def rim_chord(free: BaseGeometry, z_rim: float, axis: float, xl: float, xr: float
               ) -> tuple[float, float]:
    """The chord the cap stands on: the open width of the cup just below its rim,
    or the wetted width where there is no cup."""
    eps = max(10 * tol.touch, tol.probe * (xr - xl))
    for a, b in g.chords(free, z_rim - eps):
        if a - eps <= axis <= b + eps and b - a > eps:
            return a, b
    return xl, xr
