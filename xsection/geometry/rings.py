"""Ring surgery in numpy: points put into polygon edges, straight runs of a
boundary replaced by paths, and sets that only touch glued edge to edge."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from ..tolerances import tol
from .shapes import as_array, in_spans

#: Up to this many sets are glued (each is noded against all the others,
#: so the work grows with their number squared); more go to an overlay.
GLUE_MOST = 8

#: A point this close to an edge's line lies on it: a point on a slanted
#: line and the line's ends, each snapped to the grid, part by up to √2 steps.
ON_EDGE = 1.5


class Rings:
    """The rings of a polygonal geometry as one coordinate table.

    xy: (n, 2) coordinates, ring after ring (each closed: first point last).
    ring: the ring of each coordinate. owner: the polygon of each ring.
    Edge e runs from xy[e] to xy[e + 1] where both lie in one ring.
    """

    def __init__(self, geom: BaseGeometry) -> None:
        parts = shapely.get_parts(geom)
        self.count = int((shapely.get_type_id(parts) == 3).sum())
        rings, self.owner = shapely.get_rings(parts[shapely.get_type_id(parts) == 3],
                                              return_index=True)
        self.xy, self.ring = shapely.get_coordinates(rings, return_index=True)
        self.edge = np.flatnonzero(self.ring[1:] == self.ring[:-1])

    def locate(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(point index, edge, t) for each of ``points`` lying on an edge
        (within ON_EDGE grid steps of its line, 0 <= t <= 1 along it), the
        nearest edge where several hold it; pairs found by a sort on x."""
        none = (np.zeros(0, dtype=int), np.zeros(0, dtype=int), np.zeros(0))
        if not len(points) or not len(self.edge):
            return none
        a, b = self.xy[self.edge], self.xy[self.edge + 1]
        reach = ON_EDGE * tol.grid
        order = np.argsort(points[:, 0], kind="stable")
        px = points[order, 0]
        lo, hi = np.minimum(a[:, 0], b[:, 0]) - reach, np.maximum(a[:, 0], b[:, 0]) + reach
        pairs = np.searchsorted(px, hi, side="right") - np.searchsorted(px, lo, side="left")
        if pairs.sum() > 16 * (len(a) + len(points)):  # long edges over many points
            return none
        e, k = in_spans(px, lo, hi)
        k = order[k]
        u, rel = b[e] - a[e], points[k] - a[e]
        length2 = np.einsum("ij,ij->i", u, u)
        t = np.einsum("ij,ij->i", rel, u) / np.where(length2 > 0, length2, 1.0)
        off = np.abs(u[:, 0] * rel[:, 1] - u[:, 1] * rel[:, 0]) / np.sqrt(np.maximum(length2,
                                                                                      1e-300))
        slack = reach / np.sqrt(np.maximum(length2, 1e-300))
        on = (length2 > 0) & (off <= reach) & (t >= -slack) & (t <= 1 + slack)
        k, e, t, off = k[on], e[on], np.clip(t[on], 0.0, 1.0), off[on]
        best = np.lexsort((off, k))  # nearest edge first, per point
        k, e, t = k[best], e[best], t[best]
        one = np.ones(len(k), dtype=bool)
        one[1:] = k[1:] != k[:-1]
        return k[one], self.edge[e[one]], t[one]

    def rebuild(self, drop: np.ndarray, xy: np.ndarray, key: np.ndarray,
                ring: np.ndarray) -> BaseGeometry:
        """The polygons with the coordinates marked ``drop`` left out and
        ``xy`` put in, each at position ``key`` (coordinate j sits at j) of
        ``ring``; a point put twice in a row is kept once."""
        keys = np.concatenate([np.arange(len(self.xy), dtype=float)[~drop], key])
        coords = np.concatenate([self.xy[~drop], xy])
        rings = np.concatenate([self.ring[~drop], ring])
        order = np.lexsort((keys, rings))
        coords, rings = coords[order], rings[order]
        keep = np.ones(len(coords), dtype=bool)
        keep[1:] = (rings[1:] != rings[:-1]) | np.any(coords[1:] != coords[:-1], axis=1)
        made = as_array(shapely.linearrings(coords[keep], indices=rings[keep]))
        out = []
        for i in range(self.count):
            mine = made[self.owner == i]
            out.append(shapely.Polygon(mine[0], list(mine[1:])))
        return out[0] if len(out) == 1 else shapely.MultiPolygon(out)


def with_vertices(geom: BaseGeometry, points: np.ndarray) -> BaseGeometry:
    """``geom``'s polygons with each of ``points`` (k, 2) that lies inside
    one of their edges (within ON_EDGE grid steps of it, off its ends) put
    into that edge as a vertex: the noding an overlay would do, for points
    only, in numpy (points that are vertices already are dropped first)::

        edge  a-----------b     point p on it
        after a-----p-----b     the same line, one more vertex
    """
    rings = Rings(geom)
    if not rings.count or not len(points):
        return geom
    new = points[~np.isin(points[:, 0] + 1j * points[:, 1], rings.xy[:, 0] + 1j * rings.xy[:, 1])]
    k, e, t = rings.locate(new)
    length = np.hypot(*(rings.xy[e + 1] - rings.xy[e]).T)
    inside = (np.minimum(t, 1 - t) * length > tol.grid / 2)
    if not inside.any():
        return geom
    k, e, t = k[inside], e[inside], t[inside]
    return rings.rebuild(np.zeros(len(rings.xy), dtype=bool), new[k], e + t, rings.ring[e])


def splice(geom: BaseGeometry, starts: np.ndarray, ends: np.ndarray, paths: np.ndarray
           ) -> BaseGeometry | None:
    """``geom`` with the straight run of its boundary from starts[k] to
    ends[k] (points on one ring, (k, 2)) replaced by the points paths[k]
    (k, m, 2), which lead from the start to the end: an etch pit cut into a
    flat face, without an overlay::

        before  ____s______e____      after  ____s      e____
                                                   \\____/    paths[k]

    None where a start or end is not on the boundary, the two are on
    different rings, the boundary between them is not straight (within
    ON_EDGE grid steps of the line from start to end), or two runs overlap:
    then an overlay must do it."""
    rings = Rings(geom)
    n = len(starts)
    ends_xy = np.concatenate([starts, ends])
    k, e, t = rings.locate(ends_xy)
    if len(k) < 2 * n:
        return None
    # an end within half a grid step of a vertex is that vertex, exactly
    length = np.hypot(*(rings.xy[e + 1] - rings.xy[e]).T)
    t = np.where(t * length < tol.grid / 2, 0.0, np.where((1 - t) * length < tol.grid / 2, 1.0, t))
    ends_xy = ends_xy.copy()
    at_vertex = (t == 0.0) | (t == 1.0)
    ends_xy[k[at_vertex]] = rings.xy[e[at_vertex] + t[at_vertex].astype(int)]
    pos = np.empty(2 * n)
    pos[k] = e + t
    ring = np.empty(2 * n, dtype=int)
    ring[k] = rings.ring[e]
    if np.any(ring[:n] != ring[n:]):
        return None
    forward = pos[:n] < pos[n:]
    lo, hi = np.minimum(pos[:n], pos[n:]), np.maximum(pos[:n], pos[n:])
    order = np.lexsort((lo, ring[:n]))
    same = ring[:n][order][1:] == ring[:n][order][:-1]
    if np.any(same & (lo[order][1:] < hi[order][:-1])):
        return None  # runs overlap
    # the coordinates strictly inside a run go; they must lie on its line
    inner, which = in_spans(np.arange(len(rings.xy), dtype=float), lo, hi, low="right",
                            high="left")
    if np.any(rings.ring[which] != ring[inner]):
        return None
    u = (ends - starts)[inner]
    rel = rings.xy[which] - starts[inner]
    off = np.abs(u[:, 0] * rel[:, 1] - u[:, 1] * rel[:, 0]) / np.hypot(u[:, 0], u[:, 1])
    if np.any(off > ON_EDGE * tol.grid):
        return None
    drop = np.zeros(len(rings.xy), dtype=bool)
    drop[which] = True
    m = paths.shape[1]
    along = np.where(forward[:, None, None], paths, paths[:, ::-1])  # in the ring's order
    key = lo[:, None] + (hi - lo)[:, None] * np.arange(1, m + 1)[None, :] / (m + 1)
    return rings.rebuild(drop, np.concatenate([ends_xy, along.reshape(-1, 2)]),
                         np.concatenate([pos, key.ravel()]),
                         np.concatenate([ring, np.repeat(ring[:n], m)]))


def union_touching(geoms: Sequence[BaseGeometry]) -> BaseGeometry | None:
    """The union of polygonal sets that only touch (a film and what it grew
    on; matter and its ambient; bodies of a section), where one may lack a
    vertex another has on a common edge: each gets the others' vertices
    that lie on its edges (``with_vertices``), then the edges are matched (a
    coverage union, linear, no overlay). None where they overlap (the
    union's area falls short of the sum by over ``tol.area`` and 1e-12 of
    the sum) or still do not meet edge to edge: then only an overlay can tell. Meant for a few
    sets: each is noded against all the others."""
    from .overlay import coverage_union

    sets = [gm for gm in geoms if not gm.is_empty]
    if len(sets) < 2:
        return None
    xy = [shapely.get_coordinates(gm) for gm in sets]
    noded = [with_vertices(gm, np.concatenate(xy[:k] + xy[k + 1:])) for k, gm in enumerate(sets)]
    out = coverage_union(noded)
    total = sum(gm.area for gm in noded)
    # (areas summed over a huge section carry round-off of about 1e-15 of
    # the total per thousand parts: an overlap is caught above that)
    if out is None or abs(out.area - total) > tol.area + 1e-12 * total:
        return None
    return out


def glued(geoms: Sequence[BaseGeometry]) -> BaseGeometry:
    """The union of bodies that never overlap: glued edge to edge
    (``union_touching``) where they are at most GLUE_MOST and meet so, else
    by an overlay."""
    from .overlay import union

    out = union_touching(geoms) if 2 <= len(geoms) <= GLUE_MOST else None
    return union(geoms) if out is None else out
