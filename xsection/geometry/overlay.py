"""Overlays (union, intersection, difference) that stay linear on large
sections by working in x-strips."""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable, Iterable, Sequence

import numpy as np
import shapely
import shapely.affinity
import shapely.errors
from shapely.geometry import (
    GeometryCollection,
    LineString,
    MultiLineString,
    MultiPolygon,
    Polygon,
    box,
)
from shapely.geometry.base import BaseGeometry

from ..tolerances import tol
from .shapes import (
    EMPTY,
    FAR,
    _areal_if,
    _is_areal,
    _single_dim,
    as_array,
    clean,
    hline,
    lines,
    merge_intervals,
    polygons,
)


def union(geoms: Iterable[BaseGeometry]) -> BaseGeometry:
    """Union of many geometries on the shared grid (in x-tiles when large).

    Where any input is areal the result is areal: lines and points (debris
    of an earlier overlay) are dropped, so GEOS never sees mixed dimensions."""
    items = [_single_dim(g) for g in geoms if g is not None and not g.is_empty]
    if any(_is_areal(g) for g in items):
        items = [g for g in items if _is_areal(g)]
    if not items:
        return EMPTY
    if len(items) == 1 and items[0].geom_type != "GeometryCollection":
        return items[0]
    areal = _is_areal(items[0])
    return _areal_if(tiled(functools.partial(_union, areal=areal), items,
                           batch=_union_strips if areal else None), areal)


def union_disjoint(geoms: Sequence[BaseGeometry]) -> BaseGeometry:
    """Union of bodies most likely placed clear of each other (they meet at
    points at most, like balls on pads or holes apart): their parts side by
    side, no overlay, where that is a valid multipolygon; else (an edge
    shared, an overlap) the full ``union``."""
    parts = [p for gm in geoms for p in polygons(gm)]
    if not parts:
        return EMPTY
    side_by_side = MultiPolygon(parts)
    if shapely.is_valid(side_by_side):
        return side_by_side
    return union(geoms)


def _union(*items: BaseGeometry, areal: bool = True) -> BaseGeometry:
    if areal:  # strip cuts and grid snapping can leave edges: keep the areas
        items = tuple(_areal_if(gm, True) for gm in items)
    # GEOS's cascaded union_all pays off for many pieces; for a few large
    # ones a fold of pairwise unions is about twice as fast
    if len(items) > 16:
        return _areal_if(robust(shapely.union_all, items), areal)
    return functools.reduce(
        lambda a, b: _areal_if(robust(shapely.union, a, b), areal), items)


def robust(overlay: Callable[..., BaseGeometry], *args: object) -> BaseGeometry:
    """``overlay(*args, grid_size=tol.grid)``; where GEOS fails on nearly
    degenerate input (a ring edge lost when snapping), again on inputs made
    valid and snapped to the grid first, then as a floating overlay snapped
    after. The same set either way, to the grid."""
    try:
        return overlay(*args, grid_size=tol.grid)
    except shapely.errors.GEOSException:
        pass

    def fixed(a: object) -> object:
        if isinstance(a, BaseGeometry):
            valid = shapely.make_valid(shapely.set_precision(a, tol.grid, mode="pointwise"))
            return _areal_if(valid, _is_areal(a))
        return [fixed(x) for x in a] if isinstance(a, (list, tuple)) else a

    args = tuple(fixed(a) for a in args)
    try:
        return overlay(*args, grid_size=tol.grid)
    except shapely.errors.GEOSException:
        return shapely.set_precision(overlay(*args), tol.grid)


def intersection(a: BaseGeometry, b: BaseGeometry) -> BaseGeometry:
    """``a ∩ b`` on the shared grid (in x-tiles when large); areal where both
    inputs are (touching edges and points are dropped)."""
    if a.is_empty or b.is_empty:
        return EMPTY
    a, b = _single_dim(a), _single_dim(b)
    areal = _is_areal(a) and _is_areal(b)
    out = tiled(lambda x, y: robust(shapely.intersection, _areal_if(x, areal),
                                    _areal_if(y, areal)), [a, b],
                batch=functools.partial(_pair_strips, shapely.intersection) if areal else None)
    return _areal_if(out, areal)


def difference(a: BaseGeometry, b: BaseGeometry) -> BaseGeometry:
    """``a − b`` on the shared grid (in x-tiles when large); areal where ``a`` is."""
    if a.is_empty:
        return EMPTY
    if b.is_empty:
        return a
    a, b = _single_dim(a), _single_dim(b)
    areal = _is_areal(a)
    both = areal and _is_areal(b)
    out = tiled(lambda x, y: robust(shapely.difference, _areal_if(x, areal),
                                    _areal_if(y, both)), [a, b],
                batch=functools.partial(_pair_strips, shapely.difference) if both else None)
    return _areal_if(out, areal)


def tiled(overlay: Callable[..., BaseGeometry], geoms: Sequence[BaseGeometry], *,
          lineal: bool | None = None, batch: Batch | None = None) -> BaseGeometry:
    """``overlay(*geoms)`` computed per x-tile and stitched.

    Overlays are pointwise, so cutting every input at the same vertical lines,
    overlaying each strip and gluing the strips back gives the same set; GEOS
    overlays grow faster than linearly with the vertex count, strips of about
    ``tol.tile_vertices`` keep the work linear. The lines sit at multiples of a
    power of two µm, so repeated overlays reuse the same cut vertices.

    ``lineal``: the result is lines (by default: where an input is not an
    area). Then each strip sees its inputs 1 µm beyond its ends, so a line
    lying on a cut line is seen whole, and keeps what lies in its own span
    less what lies on its right end, which the next strip keeps.

    ``batch``: the same overlay of areas for all strips at once (one
    vectorised GEOS call, so strips can be narrow, ``tol.strip_vertices``,
    without a Python call per strip); used where the result is areal.
    """
    n = int(sum(shapely.get_num_coordinates(gm) for gm in geoms))
    if n <= tol.tile_vertices:
        return overlay(*geoms)
    boxes = shapely.bounds([gm for gm in geoms if not gm.is_empty])
    lo, hi = float(boxes[:, 0].min()), float(boxes[:, 2].max())
    if not hi > lo:
        return overlay(*geoms)
    if lineal is None:
        lineal = not all(_is_areal(gm) for gm in geoms if not gm.is_empty)
    per_strip = tol.strip_vertices if batch is not None and not lineal else tol.tile_vertices
    edges = tile_edges(lo, hi, (hi - lo) * per_strip / n)
    if len(edges) < 3:
        return overlay(*geoms)
    if not lineal:
        strips = split_x(list(geoms), edges, 0.0)
        done = batch(strips) if batch is not None else [overlay(*strip) for strip in strips]
        return stitch(done, edges[1:-1])
    found: list[np.ndarray] = []
    spans = list(itertools.pairwise(edges))
    for k, ((a, b), strip) in enumerate(zip(spans, split_x(list(geoms), edges, 1.0))):
        # (an overlay, not clip_by_rect, which drops lines on the clip edge)
        mine = shapely.intersection(overlay(*strip), box(a, -FAR, b, FAR))
        for line in lines(mine):
            xy = np.asarray(line.coords)
            found.extend(_off_line(xy, b) if k < len(spans) - 1 else [xy])
    if not found:
        return LineString()
    return shapely.line_merge(shapely.MultiLineString([LineString(xy) for xy in found]))


#: An overlay of all strips at once: strips (each a list of the inputs cut
#: to it) -> one result per strip.
Batch = Callable[[list[list[BaseGeometry]]], list[BaseGeometry]]


def _pair_strips(fn: Callable[..., BaseGeometry], strips: list[list[BaseGeometry]]
                 ) -> list[BaseGeometry]:
    """``fn(a, b)`` of areas in every strip, in one vectorised call (strip by
    strip through ``robust`` where GEOS fails on one of them)."""
    a = as_array([_areal_if(s[0], True) for s in strips])
    b = as_array([_areal_if(s[1], True) for s in strips])
    try:
        out = list(as_array(fn(a, b, grid_size=tol.grid)))
    except shapely.errors.GEOSException:
        out = [robust(fn, x, y) for x, y in zip(a, b)]
    return [_areal_if(o, True) for o in out]


def _union_strips(strips: list[list[BaseGeometry]]) -> list[BaseGeometry]:
    """The union of the areas in every strip, in one vectorised call."""
    width = max(len(s) for s in strips)
    table = np.full((len(strips), width), None, dtype=object)
    for i, s in enumerate(strips):
        table[i, :len(s)] = [_areal_if(x, True) for x in s]
    try:
        out = list(as_array(shapely.union_all(table, grid_size=tol.grid, axis=1)))
    except shapely.errors.GEOSException:
        out = [_union(*[x for x in row if x is not None]) for row in table]
    return [_areal_if(o, True) for o in out]


def tile_edges(lo: float, hi: float, width: float) -> list[float]:
    """Cut lines for strips of about ``width`` µm (a power of two, ≥ 1 µm, so
    every overlay cuts at lines of one nested grid), plus both ends."""
    w = 2.0 ** max(0, math.floor(math.log2(max(width, 1.0))))
    inner = np.arange(math.floor(lo / w) + 1, math.ceil(hi / w)) * w
    # (no line within tol.touch of an end: a strip a hair wide is all edge)
    return [lo, *(float(x) for x in inner if lo + tol.touch < x < hi - tol.touch), hi]


def stitch(parts: Iterable[BaseGeometry], cuts: Sequence[float] | None = None
           ) -> BaseGeometry:
    """Union of polygonal pieces that only touch (strips cut at shared lines).

    Only pieces that reach a cut line (all, if ``cuts`` is not given) are
    glued: by a coverage union (edges matched, no overlay) when, snapped to
    the grid, they meet vertex for vertex, else by a full union."""
    polys = np.array([p for part in parts for p in polygons(part)], dtype=object)
    if len(polys) and cuts is not None and len(cuts):
        b = shapely.bounds(polys)
        c = np.asarray(cuts)
        i = np.clip(np.searchsorted(c, b[:, 0] - 2 * tol.touch), 0, len(c) - 1)
        reach = c[i] <= b[:, 2] + 2 * tol.touch  # a cut line lies within the x-extent
        loose, polys = list(polys[~reach]), polys[reach]
    else:
        loose = []
    glued = coverage_union(list(polys))
    if glued is None:
        glued = shapely.union_all(list(polys), grid_size=tol.grid)
    if not loose:
        return glued
    return MultiPolygon([*loose, *polygons(glued)])


def coverage_union(geoms: Sequence[BaseGeometry]) -> BaseGeometry | None:
    """Union of polygons that do not overlap, by matching their edges (no
    overlay: linear time); None where they do not meet vertex for vertex on
    the grid, or overlap."""
    polys = [p for gm in geoms for p in polygons(gm)]
    if not polys:
        return EMPTY
    polys = list(shapely.set_precision(polys, tol.grid, mode="pointwise"))
    if len(polys) == 1:
        return polys[0]
    try:
        out = shapely.coverage_union_all(polys)
    except shapely.errors.GEOSException:
        return None
    if out.is_valid and abs(out.area - sum(p.area for p in polys)) <= tol.area * len(polys):
        return out
    return None


def stitch_strips(pieces: Sequence[BaseGeometry], edges: Sequence[float], seam: float
                  ) -> BaseGeometry:
    """Glue per-strip results (strip i between edges[i] and edges[i+1]) that
    were computed apart and so agree near a cut line only up to round-off.

    Each strip keeps its core, ``seam`` µm clear of the cut lines; the seam
    around a cut is the union of the two neighbours' halves. Cores and seams
    then meet at lines cut from the same polygons and glue edge to edge."""
    k = len(pieces)
    parts = []
    for i, piece in enumerate(pieces):
        lo = edges[i] + seam if i else -FAR
        hi = edges[i + 1] - seam if i < k - 1 else FAR
        parts.append(shapely.clip_by_rect(piece, lo, -FAR, hi, FAR))
    for i in range(1, k):
        e = edges[i]
        halves = [shapely.clip_by_rect(pieces[i - 1], e - seam, -FAR, e, FAR),
                  shapely.clip_by_rect(pieces[i], e, -FAR, e + seam, FAR)]
        parts.append(shapely.union_all([h for h in halves if not h.is_empty]))
    return stitch(parts)


def touching_parts(geom: BaseGeometry, seed: BaseGeometry, *, distance: float | None = None
                   ) -> Polygon | MultiPolygon:
    """The polygon parts of ``geom`` that lie within ``distance`` of ``seed``."""
    if seed.is_empty:
        return EMPTY
    d = tol.touch if distance is None else distance
    polys = polygons(geom)
    if not polys:
        return EMPTY
    seeds = shapely.get_parts(seed)  # indexed: each part meets only the seeds near it
    hit, _ = shapely.STRtree(seeds).query(polys, predicate="dwithin", distance=d)
    keep = [polys[i] for i in sorted(set(hit.tolist()))]
    return clean(MultiPolygon(keep)) if keep else EMPTY


def _off_line(xy: np.ndarray, x: float) -> list[np.ndarray]:
    """The polyline ``xy`` without its segments lying on the vertical line at x."""
    on = (np.abs(xy[:-1, 0] - x) <= tol.grid) & (np.abs(xy[1:, 0] - x) <= tol.grid)
    if not on.any():
        return [xy]
    out, start = [], 0
    for i in np.flatnonzero(on).tolist():
        if i > start:
            out.append(xy[start:i + 1])
        start = i + 1
    if start < len(xy) - 1:
        out.append(xy[start:])
    return out


def split_x(geoms: list[BaseGeometry], edges: list[float], margin: float
             ) -> list[list[BaseGeometry]]:
    """Cut ``geoms`` to each window [edges[i] − margin, edges[i+1] + margin].

    By recursive halving on arrays of parts: a part that lies inside a half
    is passed on whole, only parts across the middle are clipped, so every
    vertex is visited O(log windows) times and small parts are never cut."""
    strips = _split_parts([shapely.get_parts(gm) for gm in geoms], edges, margin)
    return [[_assemble(parts, gm) for parts, gm in zip(strip, geoms)] for strip in strips]


def _split_parts(parts: list[np.ndarray], edges: list[float], margin: float
                 ) -> list[list[np.ndarray]]:
    if len(edges) == 2:
        return [[_window(p, edges[0] - margin, edges[1] + margin) for p in parts]]
    mid = len(edges) // 2
    left = [_window(p, edges[0] - margin, edges[mid] + margin) for p in parts]
    right = [_window(p, edges[mid] - margin, edges[-1] + margin) for p in parts]
    return _split_parts(left, edges[: mid + 1], margin) + \
        _split_parts(right, edges[mid:], margin)


def _window(parts: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """The parts within lo ≤ x ≤ hi: inner parts whole, parts across a side clipped."""
    if len(parts) == 0:
        return parts
    b = shapely.bounds(parts)
    inside = (b[:, 0] >= lo) & (b[:, 2] <= hi)
    across = ~inside & (b[:, 2] > lo) & (b[:, 0] < hi)
    if not across.any():
        return parts[inside]
    cut = shapely.clip_by_rect(parts[across], lo, -FAR, hi, FAR)
    cut = shapely.get_parts(cut[~shapely.is_empty(cut)])
    return np.concatenate([parts[inside], cut[~shapely.is_empty(cut)]])


def _assemble(parts: np.ndarray, like: BaseGeometry) -> BaseGeometry:
    """One geometry of ``parts`` (cut from ``like``)."""
    if len(parts) == 0:
        return LineString() if like.geom_type in ("LineString", "MultiLineString") else EMPTY
    if len(parts) == 1:
        first: BaseGeometry = parts[0]
        return first
    kinds = set(shapely.get_type_id(parts).tolist())
    if kinds == {3}:
        return MultiPolygon(list(parts))
    if kinds <= {1, 2}:
        return MultiLineString(list(parts))
    return GeometryCollection(list(parts))


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
    return merge_intervals(out)
