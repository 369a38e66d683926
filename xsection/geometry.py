"""Geometry helpers on shapely: cleaning, surfaces, geodesic fronts, sweeps, volumes.

Lengths in µm; z is up. Every polygon a step stores goes through ``clean``.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Sequence

import numpy as np
import shapely
import shapely.affinity
import shapely.errors
from shapely.geometry import LineString, MultiPolygon, Polygon, box
from shapely.geometry.base import BaseGeometry

from .tolerances import tol

EMPTY = Polygon()

#: A z (µm) beyond any section: the bound of clips that keep all of z.
FAR = 1e12


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
    return _areal_if(tiled(functools.partial(_union, areal=areal), items), areal)


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
                                    _areal_if(y, areal)), [a, b])
    return _areal_if(out, areal)


def difference(a: BaseGeometry, b: BaseGeometry) -> BaseGeometry:
    """``a − b`` on the shared grid (in x-tiles when large); areal where ``a`` is."""
    if a.is_empty:
        return EMPTY
    if b.is_empty:
        return a
    a, b = _single_dim(a), _single_dim(b)
    areal = _is_areal(a)
    out = tiled(lambda x, y: robust(shapely.difference, _areal_if(x, areal),
                                    _areal_if(y, areal and _is_areal(b))), [a, b])
    return _areal_if(out, areal)


def _is_areal(geom: BaseGeometry) -> bool:
    return geom.geom_type in ("Polygon", "MultiPolygon")


def _areal_if(geom: BaseGeometry, areal: bool) -> BaseGeometry:
    """``geom`` reduced to its polygons where the overlay was of areas."""
    if not areal or (_is_areal(geom) and not geom.is_empty):
        return geom
    polys = polygons(geom)
    if not polys:
        return EMPTY
    return polys[0] if len(polys) == 1 else MultiPolygon(polys)


#: Above this many vertices an overlay is done in x-tiles of about this many.
TILE_VERTICES = 3000


def tiled(overlay: Callable[..., BaseGeometry], geoms: Sequence[BaseGeometry], *,
          lineal: bool | None = None) -> BaseGeometry:
    """``overlay(*geoms)`` computed per x-tile and stitched.

    Overlays are pointwise, so cutting every input at the same vertical lines,
    overlaying each strip and gluing the strips back gives the same set; GEOS
    overlays grow faster than linearly with the vertex count, strips of about
    ``TILE_VERTICES`` keep the work linear. The lines sit at multiples of a
    power of two µm, so repeated overlays reuse the same cut vertices.

    ``lineal``: the result is lines (by default: where an input is not an
    area). Then each strip sees its inputs 1 µm beyond its ends, so a line
    lying on a cut line is seen whole, and keeps what lies in its own span
    less what lies on its right end, which the next strip keeps.
    """
    n = int(sum(shapely.get_num_coordinates(gm) for gm in geoms))
    if n <= TILE_VERTICES:
        return overlay(*geoms)
    boxes = shapely.bounds([gm for gm in geoms if not gm.is_empty])
    lo, hi = float(boxes[:, 0].min()), float(boxes[:, 2].max())
    if not hi > lo:
        return overlay(*geoms)
    edges = tile_edges(lo, hi, (hi - lo) * TILE_VERTICES / n)
    if len(edges) < 3:
        return overlay(*geoms)
    if lineal is None:
        lineal = not all(_is_areal(gm) for gm in geoms if not gm.is_empty)
    if not lineal:
        return stitch([overlay(*strip) for strip in _split_x(list(geoms), edges, 0.0)],
                      edges[1:-1])
    found: list[np.ndarray] = []
    spans = list(zip(edges[:-1], edges[1:]))
    for k, ((a, b), strip) in enumerate(zip(spans, _split_x(list(geoms), edges, 1.0))):
        # (an overlay, not clip_by_rect, which drops lines on the clip edge)
        mine = shapely.intersection(overlay(*strip), box(a, -1e12, b, 1e12))
        for line in lines(mine):
            xy = np.asarray(line.coords)
            found.extend(_off_line(xy, b) if k < len(spans) - 1 else [xy])
    if not found:
        return LineString()
    return shapely.line_merge(shapely.MultiLineString([LineString(xy) for xy in found]))


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
    return shapely.multipolygons([*loose, *polygons(glued)])


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
        lo = edges[i] + seam if i else -1e12
        hi = edges[i + 1] - seam if i < k - 1 else 1e12
        parts.append(shapely.clip_by_rect(piece, lo, -1e12, hi, 1e12))
    for i in range(1, k):
        e = edges[i]
        halves = [shapely.clip_by_rect(pieces[i - 1], e - seam, -1e12, e, 1e12),
                  shapely.clip_by_rect(pieces[i], e, -1e12, e + seam, 1e12)]
        parts.append(shapely.union_all([h for h in halves if not h.is_empty]))
    return stitch(parts)


def _single_dim(geom: BaseGeometry) -> BaseGeometry:
    """A collection reduced to its highest-dimension parts (overlay needs one)."""
    if geom.geom_type != "GeometryCollection":
        return geom
    polys = polygons(geom)
    if polys:
        return MultiPolygon(polys)
    parts = lines(geom)
    return shapely.MultiLineString(parts) if parts else geom


class PartIndex:
    """The polygon parts of many bodies in an STRtree, parts over
    ``TILE_VERTICES`` vertices cut into x-strips first, so a query near one
    feature costs what lies near it, never the size of the whole section.

    query(x0, z0, x1, z1) -> (owner indices, pieces) whose boxes meet the window.
    """

    def __init__(self, geoms: Sequence[BaseGeometry]) -> None:
        pieces: list[BaseGeometry] = []
        owners: list[int] = []
        for k, gm in enumerate(geoms):
            for part in polygons(gm):
                n = int(shapely.get_num_coordinates(part))
                cut = [part]
                x0, _, x1, _ = part.bounds
                if n > TILE_VERTICES and x1 > x0:
                    edges = tile_edges(x0, x1, (x1 - x0) * TILE_VERTICES / n)
                    cut = [c for strip in _split_x([part], edges, 0.0) for c in polygons(strip[0])]
                pieces.extend(cut)
                owners.extend([k] * len(cut))
        self.pieces = np.array(pieces, dtype=object)
        self.owners = np.array(owners, dtype=int)
        self.tree = shapely.STRtree(self.pieces)

    def query(self, x0: float, z0: float, x1: float, z1: float
              ) -> tuple[np.ndarray, np.ndarray]:
        hit = np.sort(self.tree.query(box(x0, z0, x1, z1)))
        return self.owners[hit], self.pieces[hit]


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


def shared_boundary(a: BaseGeometry, b: BaseGeometry) -> BaseGeometry:
    """Line work of ``a``'s boundary that lies on ``b`` (within ``tol.touch``):
    where two polygonal sets that do not overlap meet."""
    if a.is_empty or b.is_empty:
        return LineString()
    return tiled(_shared_lines, [a, b], lineal=True)


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


def _shared_lines(a: BaseGeometry, b: BaseGeometry) -> BaseGeometry:
    # The boundary of a that lies on b's: two sets computed apart (a union of
    # some regions, the ambient of all) agree on their common edges only to
    # round-off, so a's vertices are first snapped onto b's within tol.touch,
    # and the overlay snap-rounds to the grid, noding each line at the other's
    # vertices that lie within a grid step of it.
    edge = b.boundary
    snapped = shapely.snap(a.boundary, edge, tol.touch)  # a's vertices onto b's
    shared = lines(shapely.intersection(snapped, edge, grid_size=tol.grid))
    return shapely.line_merge(shapely.MultiLineString(shared)) if shared else LineString()


def buffer(geom: BaseGeometry, distance: float, *, quad_segs: int | None = None) -> BaseGeometry:
    """Round buffer whose arcs keep the arc tolerance."""
    return shapely.buffer(geom, distance, quad_segs=quad_segs or tol.quad_segs())


#: GEOS simplifies a buffer's input by this fraction of the distance (its
#: BufferParameters' simplify factor 0.01), with a margin of two.
GEOS_SIMPLIFY = 0.02


def offset_lines(source: BaseGeometry, distance: float) -> BaseGeometry:
    """Every point within ``distance`` (µm, > 0) of the lines ``source``: the
    exact Minkowski sum with a disc, its arcs within ``tol.arc`` of the radius.

    GEOS's buffer first drops input vertices that lie within 1 % of the
    distance of their neighbours' chord, so a 17 nm step under a 3 µm film
    moves the film by up to the step. The lines are cut at every such vertex
    and each piece is buffered whole (an end is never dropped), then the
    pieces are joined. The result is thinned again by Douglas-Peucker at
    ``tol.arc`` × distance, so repeated offsets keep one vertex per arc step
    instead of adding a fillet vertex at every old one::

        source ___|‾‾‾‾‾     (a small step)
        film   ‾‾‾‾‾‾‾‾‾     exactly d above every point, step included
    """
    if source.is_empty or distance <= 0:
        return EMPTY
    pieces = []
    for line in lines(shapely.line_merge(_lineal(source))):
        xy = np.asarray(line.coords)
        pieces.extend(_unsimplifiable(xy, GEOS_SIMPLIFY * distance))
    if not pieces:
        return EMPTY
    index = np.repeat(np.arange(len(pieces)), [len(p) for p in pieces])
    stadia = shapely.buffer(shapely.linestrings(np.concatenate(pieces), indices=index),
                            distance, quad_segs=tol.quad_segs())
    reach = _areal_if(shapely.union_all(stadia), True)  # one cascaded union of local pieces
    return thin_arcs(reach, tol.arc * distance)


def thin_arcs(geom: BaseGeometry, tolerance: float) -> Polygon | MultiPolygon:
    """``geom`` with the vertices of its arcs thinned by Douglas-Peucker at
    ``tolerance`` (µm), its straight runs untouched: a vertex next to a segment
    longer than ten arc steps of that sagitta is kept, so a flat top stays
    exactly where it is while the fillets an offset adds at every old arc
    vertex go (else each film would double the last one's vertices)::

        fillet vertices  .:.:.:.:.  ->  . . . . .   arc at its tolerance
        flat top         o________o     o________o  kept as it is
    """
    if tolerance <= 0:
        return clean(geom)
    long = 10 * 2 * math.sqrt(2 * tolerance * tolerance / tol.arc)  # 10 chords of the arc
    out = []
    for poly in polygons(geom):
        rings = [_thin_ring(np.asarray(r.coords), tolerance, long)
                 for r in (poly.exterior, *poly.interiors)]
        if len(rings[0]) >= 4:
            out.append(Polygon(rings[0], [r for r in rings[1:] if len(r) >= 4]))
    return clean(MultiPolygon(out)) if out else EMPTY


def _thin_ring(xy: np.ndarray, tolerance: float, long: float) -> np.ndarray:
    """A closed ring (first point repeated last) thinned between its kept vertices."""
    n = len(xy) - 1
    if n < 4:
        return xy
    seg = np.hypot(*np.diff(xy, axis=0).T)
    keep = (seg > long) | (np.roll(seg, 1) > long)  # vertex i starts segment i
    if not keep.any():
        keep[0] = keep[n // 2] = True
    start = int(np.flatnonzero(keep)[0])
    ring = np.concatenate([xy[start:n], xy[:start + 1]])  # starts and ends at a kept vertex
    marks = np.flatnonzero(np.roll(keep, -start))
    marks = [*marks.tolist(), n]
    chains = [ring[a:b + 1] for a, b in zip(marks[:-1], marks[1:])]
    thinned = shapely.simplify(shapely.linestrings(np.concatenate(chains), indices=np.repeat(
        np.arange(len(chains)), [len(c) for c in chains])), tolerance)
    parts = [shapely.get_coordinates(c) for c in thinned]
    return np.concatenate([parts[0], *(p[1:] for p in parts[1:])])


def _lineal(geom: BaseGeometry) -> BaseGeometry:
    """The lines of ``geom`` and the boundaries of its polygons."""
    parts = lines(geom) + [ln for p in polygons(geom) for ln in lines(p.boundary)]
    return shapely.MultiLineString(parts) if parts else LineString()


def _unsimplifiable(xy: np.ndarray, tolerance: float) -> list[np.ndarray]:
    """``xy`` cut at each interior vertex within ``tolerance`` of the chord of
    its neighbours (one GEOS might drop), so every piece keeps its shape."""
    if len(xy) <= 2:
        return [xy] if len(xy) == 2 else []
    a, b, c = xy[:-2], xy[1:-1], xy[2:]
    chord = c - a
    length = np.hypot(chord[:, 0], chord[:, 1])
    cross = np.abs(chord[:, 0] * (b[:, 1] - a[:, 1]) - chord[:, 1] * (b[:, 0] - a[:, 0]))
    shallow = cross < tolerance * np.maximum(length, 1e-300)
    cuts = np.flatnonzero(shallow) + 1
    bounds = [0, *cuts.tolist(), len(xy) - 1]
    return [xy[i:j + 1] for i, j in zip(bounds[:-1], bounds[1:])]


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
        pieces.append(local)
    return clean(stitch_strips(pieces, list(edges), seam=min(1.0, (edges[2] - edges[1]) / 4)))


def _blocked(piece: Polygon, passable: BaseGeometry, source: BaseGeometry,
             distance: float) -> bool:
    """True if something not passable lies inside the convex hull of the piece
    and the sources near it.

    A point of the piece is reached straight from its nearest source point
    unless that segment crosses an obstacle; the segment lies in the hull of
    the piece and the sources within ``distance`` of it (which may be behind
    a wall, so the hull of the piece alone is not enough)."""
    x0, z0, x1, z1 = piece.bounds
    near_source = shapely.clip_by_rect(source, x0 - distance, z0 - distance,
                                       x1 + distance, z1 + distance)
    hull = shapely.convex_hull(shapely.geometrycollections([piece, near_source]))
    gap = clean(shapely.difference(hull, piece))
    if gap.area <= tol.area:
        return False
    near = shapely.clip_by_rect(passable, *hull.bounds)
    return difference(gap, near).area > tol.area


def _split_x(geoms: list[BaseGeometry], edges: list[float], margin: float
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
    cut = shapely.clip_by_rect(parts[across], lo, -1e12, hi, 1e12)
    cut = shapely.get_parts(cut[~shapely.is_empty(cut)])
    return np.concatenate([parts[inside], cut[~shapely.is_empty(cut)]])


def _assemble(parts: np.ndarray, like: BaseGeometry) -> BaseGeometry:
    """One geometry of ``parts`` (cut from ``like``)."""
    if len(parts) == 0:
        return LineString() if like.geom_type in ("LineString", "MultiLineString") else EMPTY
    if len(parts) == 1:
        return parts[0]
    kinds = set(shapely.get_type_id(parts).tolist())
    if kinds == {3}:
        return shapely.multipolygons(parts)
    if kinds <= {1, 2}:
        return shapely.multilinestrings(parts)
    return shapely.geometrycollections(parts)


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
    reach = offset_lines(source, distance)
    exact = touching_parts(intersection(reach, free), source)
    if exact.is_empty:
        return EMPTY
    passable = free if passable is None else passable
    pieces = polygons(exact)
    blocked = [_blocked(p, passable, source, distance) for p in pieces]
    if not any(blocked):
        return exact
    steps = max(1, math.ceil(distance / tol.front_step))
    dt = distance / steps
    local_free = intersection(free, buffer(reach, dt))
    front: BaseGeometry = touching_parts(
        intersection(buffer(source, dt, quad_segs=8), local_free), source)
    front = advance_front(front, local_free, dt, steps - 1)
    # The stepped front lags the true one by at most ~0.6 % of the distance
    # (chords of its arcs, simplification): trim with a margin above that.
    margin = 0.01 * distance + tol.touch
    reachable = buffer(front, margin, quad_segs=4) if not front.is_empty else EMPTY
    out = [p for p, b in zip(pieces, blocked) if not b]
    out.extend(polygons(intersection(union([p for p, b in zip(pieces, blocked) if b]),
                                     reachable)))
    return touching_parts(clean(MultiPolygon(out)) if out else EMPTY, source)


def advance_front(front: BaseGeometry, room: BaseGeometry, step: float, steps: int
                  ) -> BaseGeometry:
    """``front`` grown by up to ``steps`` steps of ``step`` µm inside ``room``;
    it stops as soon as a step reaches nothing new (the room is full), so a
    huge depth costs no more than the room takes to fill."""
    for _ in range(steps):
        if front.is_empty:
            break
        grown = intersection(buffer(front, step, quad_segs=8), room)
        grown = touching_parts(grown, front, distance=0.0)
        grown = shapely.simplify(grown, step * 1e-3, preserve_topology=True)
        if grown.area - front.area <= tol.area:
            return grown
        front = grown
    return front


def sweep_down(geom: BaseGeometry, length: float) -> BaseGeometry:
    """Minkowski sum of ``geom`` with the vertical segment from (0, 0) to (0, −length)."""
    if length <= 0:
        return geom
    return sweep(geom, 0.0, -length)


def sweep(geom: BaseGeometry, dx: float, dz: float) -> BaseGeometry:
    """Minkowski sum of ``geom`` with the segment from (0, 0) to (dx, dz), µm:
    the area the body (or line) covers moving along it. Exact: the body, its
    translate, and the parallelogram each edge sweeps::

        ####          ####....
        ####   -->    ####....   (dx > 0, dz = 0)
    """
    if geom.is_empty or (dx == 0 and dz == 0):
        return geom
    solid = [p for p in polygons(geom)]
    pieces: list[BaseGeometry] = [*solid, *(shapely.affinity.translate(p, dx, dz)
                                            for p in solid)]
    v = np.array([dx, dz])
    for ring in _rings_and_lines(geom):
        xy = np.asarray(ring.coords)
        if len(xy) < 2:
            continue
        a, b = xy[:-1], xy[1:]
        e = b - a
        keep = np.abs(e[:, 0] * dz - e[:, 1] * dx) > 0  # edges along v sweep no area
        a, b = a[keep], b[keep]
        if len(a) == 0:
            continue
        quads = np.stack([a, b, b + v, a + v, a], axis=1)
        pieces.extend(shapely.polygons(quads))
    return clean(union(pieces))


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


def own_axis_volume(geom: BaseGeometry) -> float:
    """Volume (µm³) of each connected part of ``geom`` revolved about the
    vertical axis through its own centroid, summed: a ball counts as its
    sphere πD³/6, a cap on its pad as the cap. What reflow conserves."""
    return sum(axisymmetric_volume(p, p.centroid.x) for p in polygons(geom))


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
