"""Geometry helpers on shapely: cleaning, surfaces, geodesic fronts, sweeps, volumes.

Lengths in µm; z is up. Every polygon a step stores goes through ``clean``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import shapely
import shapely.affinity
from shapely.geometry import LineString, MultiPolygon, Polygon, box
from shapely.geometry.base import BaseGeometry

from .tolerances import tol

EMPTY = Polygon()


def clean(geom: BaseGeometry | None) -> Polygon | MultiPolygon:
    """Snap to the grid, make valid, keep the polygonal parts above the sliver area."""
    if geom is None or geom.is_empty:
        return EMPTY
    geom = shapely.set_precision(geom, tol.grid, mode="pointwise")
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    parts = [p for p in polygons(geom) if p.area > tol.area]
    if not parts:
        return EMPTY
    if len(parts) == 1:
        return parts[0]
    return MultiPolygon(parts)


def polygons(geom: BaseGeometry | None) -> list[Polygon]:
    """The polygon parts of any geometry (collections flattened, lines dropped)."""
    if geom is None or geom.is_empty:
        return []
    if isinstance(geom, Polygon):
        return [geom]
    out: list[Polygon] = []
    for part in getattr(geom, "geoms", ()):
        out.extend(polygons(part))
    return out


def lines(geom: BaseGeometry | None) -> list[LineString]:
    """The line parts of any geometry (points and polygons dropped)."""
    if geom is None or geom.is_empty:
        return []
    if isinstance(geom, LineString):
        return [geom]
    if geom.geom_type == "LinearRing":
        return [LineString(geom.coords)]
    out: list[LineString] = []
    for part in getattr(geom, "geoms", ()):
        out.extend(lines(part))
    return out


def union(geoms: Iterable[BaseGeometry]) -> BaseGeometry:
    """Union of many geometries on the shared grid."""
    items = [g for g in geoms if g is not None and not g.is_empty]
    if not items:
        return EMPTY
    return shapely.union_all(items, grid_size=tol.grid)


def intersection(a: BaseGeometry, b: BaseGeometry) -> BaseGeometry:
    """``a ∩ b`` on the shared grid."""
    if a.is_empty or b.is_empty:
        return EMPTY
    return shapely.intersection(_single_dim(a), _single_dim(b), grid_size=tol.grid)


def difference(a: BaseGeometry, b: BaseGeometry) -> BaseGeometry:
    """``a − b`` on the shared grid."""
    if a.is_empty:
        return EMPTY
    if b.is_empty:
        return a
    return shapely.difference(_single_dim(a), _single_dim(b), grid_size=tol.grid)


def _single_dim(geom: BaseGeometry) -> BaseGeometry:
    """A collection reduced to its highest-dimension parts (overlay needs one)."""
    if geom.geom_type != "GeometryCollection":
        return geom
    polys = polygons(geom)
    if polys:
        return MultiPolygon(polys)
    parts = lines(geom)
    return shapely.MultiLineString(parts) if parts else geom


def touching_parts(geom: BaseGeometry, seed: BaseGeometry, *, distance: float | None = None
                   ) -> Polygon | MultiPolygon:
    """The polygon parts of ``geom`` that lie within ``distance`` of ``seed``."""
    if seed.is_empty:
        return EMPTY
    d = tol.touch if distance is None else distance
    keep = [p for p in polygons(geom) if p.distance(seed) <= d]
    return clean(MultiPolygon(keep)) if keep else EMPTY


def shared_boundary(a: BaseGeometry, b: BaseGeometry) -> BaseGeometry:
    """Line work where the boundaries of two polygonal sets coincide."""
    if a.is_empty or b.is_empty:
        return LineString()
    shared = shapely.intersection(a.boundary, b.boundary, grid_size=tol.grid)
    return shapely.line_merge(shapely.union_all(lines(shared))) if lines(shared) else LineString()


def buffer(geom: BaseGeometry, distance: float, *, quad_segs: int | None = None) -> BaseGeometry:
    """Round buffer whose arcs keep the arc tolerance."""
    return shapely.buffer(geom, distance, quad_segs=quad_segs or tol.quad_segs())


#: Above this many vertices (source and free space) work is done in x-tiles.
TILE_VERTICES = 3000


def geodesic_offset(source: BaseGeometry, free: BaseGeometry, distance: float, *,
                    passable: BaseGeometry | None = None) -> BaseGeometry:
    """Points of ``free`` within geodesic distance ``distance`` of ``source``
    (see ``_geodesic``). Large inputs are cut into x-tiles that overlap by
    twice the distance, so the work stays local and grows linearly: a path
    of length d never leaves the tile it starts in by more than d."""
    # a buffer turns each source vertex into an arc of ~quad_segs vertices
    n = shapely.get_num_coordinates(source) * tol.quad_segs() + shapely.get_num_coordinates(free)
    if distance <= 0 or source.is_empty or free.is_empty or n <= TILE_VERTICES:
        return _geodesic(source, free, distance, passable=passable)
    minx, _, maxx, _ = source.bounds
    tiles = max(2, math.ceil(n / TILE_VERTICES))
    edges = np.linspace(minx, maxx, tiles + 1)
    edges[0], edges[-1] = minx - distance - 1.0, maxx + distance + 1.0
    margin = 2 * distance + 1.0
    layers = [source, free, free if passable is None else passable]
    pieces = []
    for (a, b), (src, fr, ps) in zip(zip(edges[:-1], edges[1:]),
                                     _split_x(layers, list(edges), margin)):
        local = _geodesic(shapely.clip_by_rect(src, a - distance, -1e12, b + distance, 1e12),
                          fr, distance, passable=ps)
        if not local.is_empty:
            pieces.append(shapely.clip_by_rect(local, a, -1e12, b, 1e12))
    return clean(union(pieces))


def _blocked(piece: Polygon, passable: BaseGeometry) -> bool:
    """True if something not passable lies inside the piece's convex hull."""
    hull = shapely.convex_hull(piece)
    gap = shapely.difference(hull, piece)
    if gap.area <= tol.area:
        return False
    near = shapely.clip_by_rect(passable, *hull.bounds)
    return difference(gap, near).area > tol.area


def _split_x(geoms: list[BaseGeometry], edges: list[float], margin: float
             ) -> list[list[BaseGeometry]]:
    """Clip ``geoms`` to each window [edges[i] − margin, edges[i+1] + margin],
    by recursive halving so every vertex is visited O(log tiles) times."""
    if len(edges) == 2:
        lo, hi = edges[0] - margin, edges[1] + margin
        return [[shapely.clip_by_rect(gm, lo, -1e12, hi, 1e12) for gm in geoms]]
    mid = len(edges) // 2
    left = [shapely.clip_by_rect(gm, edges[0] - margin, -1e12, edges[mid] + margin, 1e12)
            for gm in geoms]
    right = [shapely.clip_by_rect(gm, edges[mid] - margin, -1e12, edges[-1] + margin, 1e12)
             for gm in geoms]
    return _split_x(left, edges[: mid + 1], margin) + _split_x(right, edges[mid:], margin)


def _geodesic(source: BaseGeometry, free: BaseGeometry, distance: float, *,
              passable: BaseGeometry | None = None) -> BaseGeometry:
    """Points of ``free`` within geodesic distance ``distance`` of ``source``.

    Paths run inside ``free`` only, so the front never jumps a wall of
    another material, however thin. Where no obstacle (anything outside
    ``passable``, which defaults to ``free``) lies inside the convex hull of a
    piece of the result, that piece is the exact Euclidean offset (arcs within
    the arc tolerance). Elsewhere a front advanced in steps of at most
    ``tol.front_step`` decides what is reachable, and the exact offset is
    trimmed to it.

    source: lines on the boundary of ``free``.
    free: the region the front may enter.
    distance: µm, > 0.
    passable: matter that is not an obstacle (e.g. ambient for an etch).
    """
    if distance <= 0 or source.is_empty or free.is_empty:
        return EMPTY
    reach = buffer(source, distance)
    exact = touching_parts(intersection(reach, free), source)
    if exact.is_empty:
        return EMPTY
    passable = free if passable is None else passable
    pieces = polygons(exact)
    blocked = [_blocked(p, passable) for p in pieces]
    if not any(blocked):
        return exact
    steps = max(1, math.ceil(distance / tol.front_step))
    dt = distance / steps
    local_free = intersection(free, buffer(reach, dt))
    front: BaseGeometry = touching_parts(
        intersection(buffer(source, dt, quad_segs=8), local_free), source)
    for _ in range(steps - 1):
        if front.is_empty:
            break
        grown = intersection(buffer(front, dt, quad_segs=8), local_free)
        front = touching_parts(grown, front, distance=0.0)
        front = shapely.simplify(front, dt * 1e-3, preserve_topology=True)
    # The stepped front lags the true one by at most ~0.6 % of the distance
    # (chords of its arcs, simplification): trim with a margin above that.
    margin = 0.01 * distance + tol.touch
    reachable = buffer(front, margin, quad_segs=4) if not front.is_empty else EMPTY
    out = [p for p, b in zip(pieces, blocked) if not b]
    out.extend(polygons(intersection(union([p for p, b in zip(pieces, blocked) if b]),
                                     reachable)))
    return touching_parts(clean(MultiPolygon(out)) if out else EMPTY, source)


def sweep_down(geom: BaseGeometry, length: float) -> BaseGeometry:
    """Minkowski sum of ``geom`` with the vertical segment from (0, 0) to (0, −length)."""
    if geom.is_empty or length <= 0:
        return geom
    solid = [p for p in polygons(geom)]
    pieces: list[BaseGeometry] = [*solid, *(shapely.affinity.translate(p, 0.0, -length)
                                            for p in solid)]
    for ring in _rings_and_lines(geom):
        xy = np.asarray(ring.coords)
        if len(xy) < 2:
            continue
        a, b = xy[:-1], xy[1:]
        keep = np.abs(a[:, 0] - b[:, 0]) > 0
        a, b = a[keep], b[keep]
        if len(a) == 0:
            continue
        quads = np.stack([a, b, b - [0.0, length], a - [0.0, length], a], axis=1)
        pieces.extend(shapely.polygons(quads))
    return clean(shapely.union_all(pieces, grid_size=tol.grid))


def _rings_and_lines(geom: BaseGeometry) -> list[BaseGeometry]:
    out: list[BaseGeometry] = []
    for p in polygons(geom):
        out.append(p.exterior)
        out.extend(p.interiors)
    out.extend(lines(geom))
    return out


def axisymmetric_volume(geom: BaseGeometry, axis_x: float) -> float:
    """Volume (µm³) of ``geom`` revolved about the vertical line x = ``axis_x``.

    V = π ∫ |x − axis_x| dA over the section (so each half counts once and a
    disk centred on the axis gives 4/3 π r³).
    """
    if geom.is_empty:
        return 0.0
    minx, miny, maxx, maxy = geom.bounds
    total = 0.0
    right = shapely.clip_by_rect(geom, axis_x, miny - 1, max(maxx, axis_x) + 1, maxy + 1)
    left = shapely.clip_by_rect(geom, min(minx, axis_x) - 1, miny - 1, axis_x, maxy + 1)
    for part, sign in ((right, 1.0), (left, -1.0)):
        if not part.is_empty and part.area > 0:
            total += sign * part.area * (part.centroid.x - axis_x)
    return math.pi * total


def hline(z: float, x0: float, x1: float) -> LineString:
    """Horizontal line from x0 to x1 at height z."""
    return LineString([(x0, z), (x1, z)])


def chords(geom: BaseGeometry, z: float) -> list[tuple[float, float]]:
    """The x-intervals where the horizontal line at ``z`` lies inside ``geom``."""
    if geom.is_empty:
        return []
    minx, _, maxx, _ = geom.bounds
    cut = intersection(hline(z, minx - 1.0, maxx + 1.0), geom)
    out = []
    for seg in lines(cut):
        xs = [c[0] for c in seg.coords]
        out.append((min(xs), max(xs)))
    return _merge_intervals(out)


def _merge_intervals(items: list[tuple[float, float]]) -> list[tuple[float, float]]:
    merged: list[tuple[float, float]] = []
    for a, b in sorted(items):
        if merged and a <= merged[-1][1] + tol.touch:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def domain_box(x0: float, x1: float, z0: float, z1: float) -> Polygon:
    """Axis-aligned box (x0, z0)–(x1, z1)."""
    return box(x0, z0, x1, z1)
