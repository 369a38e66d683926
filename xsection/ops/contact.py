"""Dropping bodies until they rest: exact ball polygons, exact polygon contact (µm)."""

from __future__ import annotations

import functools
import math

import numpy as np
import shapely
import shapely.affinity
from shapely.geometry import MultiPolygon, Polygon, box
from shapely.geometry.base import BaseGeometry

from .. import geometry as g
from ..errors import GeometryError
from ..section import Section
from ..tolerances import tol

#: The exact-ball fit: relative residual to stop at, and the finite-difference step.
NEWTON_REL = 1e-15
NEWTON_STEP = 1e-7


class Obstacles:
    """What a dropped body can rest on: a section's bodies in a part index
    plus the bodies dropped since, so each drop looks only near itself."""

    def __init__(self, section: Section) -> None:
        self.section = section
        self.index = g.PartIndex([r.geometry for r in section.regions])
        self.added: list[BaseGeometry] = []
        self._added_x = np.empty((16, 2))  # x-extents of the added bodies, grown by doubling

    def add(self, body: BaseGeometry) -> None:
        k = len(self.added)
        if k == len(self._added_x):
            self._added_x = np.concatenate([self._added_x, np.empty_like(self._added_x)])
        b = body.bounds
        self._added_x[k] = (b[0], b[2])
        self.added.append(body)

    def near(self, x0: float, x1: float) -> list[BaseGeometry]:
        """Every piece of matter whose x-extent meets [x0, x1], µm."""
        s = self.section
        _, pieces = self.index.query(x0, s.zmin - 1.0, x1, s.zmax + 1.0)
        out = list(pieces)
        if self.added:
            xb = self._added_x[:len(self.added)]
            hit = np.flatnonzero((xb[:, 0] <= x1) & (xb[:, 1] >= x0))
            out.extend(self.added[i] for i in hit)
        return out


def ball_polygon(x: float, z: float, r: float) -> Polygon:
    """A ball of radius ``r`` centred at (x, z) whose polygon holds the exact
    area πr² and the exact axisymmetric volume 4/3 πr³ (about x).

    An inscribed polygon holds too little of both (0.19 % at the arc
    tolerance). Here the vertices sit at angles θ_k with the four extremes
    (left, right, bottom, top) exactly on the circle, so a ball rests exactly
    r above a flat and touches a neighbour at pitch 2r, and the others at
    radius r (1 + sin²2θ (α + β cos²θ)), α and β solved for the exact area
    and volume. Arcs at a quarter of ``tol.arc`` keep every vertex within
    ``tol.arc`` · r of the circle::

             top
        left  o  right      extremes on the circle, the rest just outside
            bottom
    """
    return Polygon(_ball_ring(x, z, r))


def _ball_ring(x: float, z: float, r: float) -> np.ndarray:
    """The closed ring (n + 1, 2) of ``ball_polygon``."""
    return shapely.get_coordinates(_unit_ball().exterior) * r + (x, z)


@functools.cache
def _unit_ball() -> Polygon:
    n = 4 * max(2, math.ceil(math.pi / 2 / (2 * math.acos(1 - tol.arc / 4))))
    theta = np.linspace(0.0, 2 * math.pi, n + 1)[:-1]
    s2 = np.sin(2 * theta) ** 2
    c2 = np.cos(theta) ** 2
    target = np.array([math.pi, 4 * math.pi / 3])

    def measures(ab: np.ndarray) -> np.ndarray:
        rho = 1 + s2 * (ab[0] + ab[1] * c2)
        poly = Polygon(np.column_stack([rho * np.cos(theta), rho * np.sin(theta)]))
        return np.array([poly.area, g.axisymmetric_volume(poly, 0.0)])

    ab = np.zeros(2)
    for _ in range(8):  # Newton on a nearly linear 2 × 2 system
        f = measures(ab) - target
        if np.all(np.abs(f) <= NEWTON_REL * target):
            break
        h = NEWTON_STEP
        jac = np.column_stack([(measures(ab + [h, 0]) - measures(ab)) / h,
                               (measures(ab + [0, h]) - measures(ab)) / h])
        ab = ab - np.linalg.solve(jac, f)
    rho = 1 + s2 * (ab[0] + ab[1] * c2)
    return Polygon(np.column_stack([rho * np.cos(theta), rho * np.sin(theta)]))


def drop_ball(op: str, rest: Obstacles, x: float, r: float,
              ceiling: float = g.FAR) -> Polygon:
    """A ball of radius r at x, lowered until it touches what lies below
    ``ceiling`` (exact contact: the vertical gap between two polygons is
    met at a vertex)."""
    shift = max(rest.section.x0 - (x - r), 0.0) - max(x + r - rest.section.x1, 0.0)
    cx = x + shift  # a ball at the domain's edge: its polygon stays inside
    x0, x1 = cx - r, cx + r
    below = rest.near(x0, x1)
    if not below:
        raise GeometryError(f"{op}: nothing lies below x={x} for the ball to rest on")
    # the pieces below, clipped, side by side: no union (gaps need edges only)
    clipped = shapely.clip_by_rect(np.asarray(below, dtype=object), x0, -g.FAR, x1, ceiling)
    under = MultiPolygon([p for c in clipped for p in g.polygons(c) if p.area > tol.area])
    if under.is_empty:
        raise GeometryError(f"{op}: nothing lies below x={x} for the ball to rest on")
    z = under.bounds[3] + r + 1.0
    ring = _ball_ring(cx, z, r)
    drop = _gap(g.boundary_edges(under), np.stack([ring[:-1], ring[1:]], axis=1))
    return ball_polygon(cx, z - drop, r)


def drop_rect(rest: Obstacles, x: float, half: float, height: float) -> BaseGeometry:
    """A rectangle centred at x resting on the highest point below it."""
    below = rest.near(x - half, x + half)
    clipped = [shapely.clip_by_rect(p, x - half, -g.FAR, x + half, g.FAR) for p in below]
    tops = [float(t.bounds[3]) for t in clipped if not t.is_empty and t.area > 0]
    base = max(tops) if tops else rest.section.zmin
    return box(x - half, base, x + half, base + height)


def vertical_gap(lower: BaseGeometry, upper: BaseGeometry) -> float:
    """Smallest vertical distance from ``upper`` down to ``lower`` (µm), for
    ``upper`` lying above ``lower`` (nothing of it below lower's top where
    they share an x). The gap between two polygons is met at a vertex of one
    of them, straight above or below the other's boundary: every vertex is
    cast as a ray onto the other's edges (a table, or an STRtree for many,
    finds the edges each ray meets; numpy the heights), so the work grows with the vertices, not
    their product::

        upper    /‾‾\
                 | ↓ gap at a vertex
        lower  __|__
    """
    return _gap(g.boundary_edges(lower), g.boundary_edges(upper))


def _gap(lower: np.ndarray, upper: np.ndarray) -> float:
    """``vertical_gap`` of two sets given by their edges (k, 2, 2)."""
    best = math.inf
    for src, dst, sign in ((upper, lower, -1.0), (lower, upper, 1.0)):
        gaps = _ray_gaps(src[:, 0], dst, sign)  # every vertex starts an edge
        if gaps.size:
            best = min(best, float(gaps.min()))
    return 0.0 if best is math.inf else best


def _ray_gaps(pts: np.ndarray, edges: np.ndarray, sign: float) -> np.ndarray:
    """The vertical distances (µm, ≥ 0) from each point to the ``edges``
    (k, 2, 2) straight below it (``sign`` −1) or above it (+1), within
    ``tol.touch`` of that side, and a 0 if a point lies inside them."""
    if not len(pts) or not len(edges):
        return np.empty(0)
    ray, edge = _pairs(pts[:, 0], edges)
    if not len(ray):
        return np.empty(0)
    px, pz = pts[ray, 0], pts[ray, 1]
    (ax, az), (bx, bz) = edges[edge, 0].T, edges[edge, 1].T
    dx = bx - ax
    upright = np.abs(dx) <= 1e-12 * np.maximum(np.abs(ax), 1.0)
    t = np.clip((px - ax) / np.where(upright, 1.0, dx), 0.0, 1.0)
    z = az + t * (bz - az)
    # an upright edge at the ray's x: its end nearest the point
    z = np.where(upright, np.maximum(az, bz) if sign < 0 else np.minimum(az, bz), z)
    d = sign * (z - pz)
    ok = d >= -tol.touch
    gaps = np.maximum(d[ok], 0.0)
    # a point inside dst (the two overlap by a polygon's arc error): gap 0;
    # inside where a ray upward crosses its edges an odd number of times
    spans = ~upright & (np.minimum(ax, bx) <= px) & (px < np.maximum(ax, bx))
    crossings = np.bincount(ray[spans & (z > pz)], minlength=len(pts))
    return np.concatenate([gaps, np.zeros(int((crossings % 2 == 1).any()))])


#: Above this many point-edge pairs, an STRtree finds the pairs instead of a full table.
PAIR_TABLE = 200_000


def _pairs(x: np.ndarray, edges: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(point, edge) index pairs where the vertical line at x[point] meets
    the x-span of edges[edge]."""
    lo, hi = np.minimum(edges[:, 0, 0], edges[:, 1, 0]), np.maximum(edges[:, 0, 0], edges[:, 1, 0])
    if len(x) * len(edges) <= PAIR_TABLE:
        hit = (lo[None, :] <= x[:, None]) & (x[:, None] <= hi[None, :])
        ray, edge = np.nonzero(hit)
        return ray, edge
    spans = g.as_array(shapely.box(lo, 0.0, hi, 1.0))
    probe = shapely.points(x, np.full(len(x), 0.5))
    ray, edge = shapely.STRtree(spans).query(probe)
    return ray, edge
