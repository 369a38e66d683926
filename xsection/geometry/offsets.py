"""Offsets: exact Minkowski films, geodesic fronts that never cross a wall, sweeps."""

from __future__ import annotations

import itertools
import math

import numpy as np
import shapely
import shapely.affinity
import shapely.errors
from shapely.geometry import LineString, MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from ..tolerances import tol
from .overlay import (
    difference,
    intersection,
    split_x,
    stitch_strips,
    touching_parts,
    union,
)
from .shapes import (
    EMPTY,
    FAR,
    _areal_if,
    _rings_and_lines,
    as_array,
    buffer,
    clean,
    lines,
    polygons,
)

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
    instead of adding a fillet vertex at every old one (straight runs add
    none: their offset is left as GEOS made it)::

        source ___|‾‾‾‾‾     (a small step)
        film   ‾‾‾‾‾‾‾‾‾     exactly d above every point, step included
    """
    if source.is_empty or distance <= 0:
        return EMPTY
    pieces = []
    straight = True  # every source line a single segment
    for line in lines(shapely.line_merge(_lineal(source))):
        xy = np.asarray(line.coords)
        straight &= len(xy) == 2
        pieces.extend(_unsimplifiable(xy, GEOS_SIMPLIFY * distance))
    if not pieces:
        return EMPTY
    index = np.repeat(np.arange(len(pieces)), [len(p) for p in pieces])
    stadia = shapely.buffer(shapely.linestrings(np.concatenate(pieces), indices=index),
                            distance, quad_segs=tol.quad_segs())
    reach = _areal_if(shapely.union_all(stadia), True)  # one cascaded union of local pieces
    if straight:  # no old vertex to fillet
        return clean(reach)
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
    polys = polygons(geom)
    if not polys:
        return EMPTY
    rings, owner = shapely.get_rings(polys, return_index=True)
    xy, ring_of = shapely.get_coordinates(rings, return_index=True)
    per_ring = np.split(xy, np.flatnonzero(np.diff(ring_of)) + 1)
    chains: list[np.ndarray] = []
    counts: list[int] = []  # chains per ring (0: the ring is kept as it is)
    for ring in per_ring:
        cut = _ring_chains(ring, long)
        chains.extend(cut)
        counts.append(len(cut))
    thinned = iter(_simplified(chains, tolerance))
    out: dict[int, list[np.ndarray]] = {}
    for ring, n, k in zip(per_ring, counts, owner.tolist()):
        if n:
            parts = [next(thinned) for _ in range(n)]
            ring = np.concatenate([parts[0], *(p[1:] for p in parts[1:])])
        out.setdefault(k, []).append(ring)
    kept = [Polygon(rs[0], [r for r in rs[1:] if len(r) >= 4])
            for rs in out.values() if len(rs[0]) >= 4]
    return clean(MultiPolygon(kept)) if kept else EMPTY


def _ring_chains(xy: np.ndarray, long: float) -> list[np.ndarray]:
    """A closed ring (first point repeated last) cut into the chains between
    its kept vertices (ends of segments longer than ``long``); [] for a ring
    too small to thin."""
    n = len(xy) - 1
    if n < 4:
        return []
    seg = np.hypot(*np.diff(xy, axis=0).T)
    keep = (seg > long) | (np.roll(seg, 1) > long)  # vertex i starts segment i
    if not keep.any():
        keep[0] = keep[n // 2] = True
    start = int(np.flatnonzero(keep)[0])
    ring = np.concatenate([xy[start:n], xy[:start + 1]])  # starts and ends at a kept vertex
    marks = [*np.flatnonzero(np.roll(keep, -start)).tolist(), n]
    return [ring[a:b + 1] for a, b in itertools.pairwise(marks)]


def _simplified(chains: list[np.ndarray], tolerance: float) -> list[np.ndarray]:
    """Each chain thinned by Douglas-Peucker (its ends kept), in one call."""
    if not chains:
        return []
    index = np.repeat(np.arange(len(chains)), [len(c) for c in chains])
    thinned = shapely.simplify(shapely.linestrings(np.concatenate(chains), indices=index),
                               tolerance)
    xy, which = shapely.get_coordinates(thinned, return_index=True)
    k = np.arange(len(chains))
    lo, hi = np.searchsorted(which, k), np.searchsorted(which, k, side="right")
    # (a chain GEOS returns empty, or with fewer than its two ends, stays as it is)
    return [xy[a:b] if b - a >= 2 else c for a, b, c in zip(lo.tolist(), hi.tolist(), chains)]


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
    return [xy[i:j + 1] for i, j in itertools.pairwise(bounds)]


def geodesic_offset(source: BaseGeometry, free: BaseGeometry, distance: float, *,
                    passable: BaseGeometry | None = None) -> BaseGeometry:
    """Points of ``free`` within geodesic distance ``distance`` of ``source``
    (see ``_geodesic``). Large inputs are cut into x-tiles that overlap by
    twice the distance, so the work stays local and grows linearly: a path
    of length d never leaves the tile it starts in by more than d."""
    n = offset_vertices(source) + shapely.get_num_coordinates(free)
    if distance <= 0 or source.is_empty or free.is_empty or n <= tol.tile_vertices:
        return _geodesic(source, free, distance, passable=passable)
    minx, _, maxx, _ = source.bounds
    tiles = max(2, math.ceil(n / tol.tile_vertices))
    edges = np.linspace(minx, maxx, tiles + 1)
    edges[0], edges[-1] = minx - distance - 1.0, maxx + distance + 1.0
    margin = 2 * distance + 1.0
    layers = [source, free, free if passable is None else passable]
    pieces = []
    for (a, b), (src, fr, ps) in zip(itertools.pairwise(edges),
                                     split_x(layers, list(edges), margin)):
        local = _geodesic(shapely.clip_by_rect(src, a - distance, -FAR, b + distance, FAR),
                          fr, distance, passable=ps)
        pieces.append(local)
    return clean(stitch_strips(pieces, list(edges), seam=min(1.0, (edges[2] - edges[1]) / 4)))


def offset_vertices(source: BaseGeometry) -> int:
    """About how many vertices the offset of the lines ``source`` has: one
    per vertex, plus an arc step per ``tol.arc_step`` radians it turns at
    each vertex, plus half a circle at each end (a buffer rounds every
    convex corner)::

        ____/‾‾‾    a corner turning θ becomes θ / step arc vertices
    """
    parts = shapely.get_parts(_lineal(source))
    if not len(parts):
        return 0
    xy, line = shapely.get_coordinates(parts, return_index=True)
    e = np.diff(xy, axis=0)
    heading = np.arctan2(e[:, 1], e[:, 0])
    turn = np.abs((np.diff(heading) + np.pi) % (2 * np.pi) - np.pi)
    inner = (line[2:] == line[1:-1]) & (line[1:-1] == line[:-2])  # both edges of one line
    step = tol.arc_step()
    return int(len(xy) + turn[inner].sum() / step + len(parts) * 2 * math.pi / step)


def _blocked(pieces: list[Polygon], passable: BaseGeometry, source: BaseGeometry,
             distance: float) -> list[bool]:
    """For each piece: True if something not passable lies inside the convex
    hull of the piece and the sources near it.

    A point of the piece is reached straight from its nearest source point
    unless that segment crosses an obstacle; the segment lies in the hull of
    the piece and the sources within ``distance`` of it (which may be behind
    a wall, so the hull of the piece alone is not enough). All pieces at
    once: an STRtree pairs each piece's box (grown by ``distance``) with the
    source parts it meets; a piece whose hull sticks out of it (a gap over
    ``tol.area``) is cleared at once where ``passable`` contains the gap,
    and only the rest are cut against ``passable``."""
    if not pieces:
        return []
    shapes = np.empty(len(pieces), dtype=object)
    shapes[:] = pieces
    x0, z0, x1, z1 = shapely.bounds(shapes).T
    boxes = shapely.box(x0 - distance, z0 - distance, x1 + distance, z1 + distance)
    parts = shapely.get_parts(source)
    near_piece, part = shapely.STRtree(parts).query(boxes)
    clipped = shapely.intersection(parts[part], boxes[near_piece])
    pxy, pk = shapely.get_coordinates(shapes, return_index=True)
    cxy, ck = shapely.get_coordinates(clipped, return_index=True)
    xy, k = np.concatenate([pxy, cxy]), np.concatenate([pk, near_piece[ck]])
    order = np.argsort(k, kind="stable")
    hulls = as_array(shapely.convex_hull(shapely.multipoints(xy[order], indices=k[order])))
    out = [False] * len(pieces)
    # each piece lies in its hull: the gap's area is the difference of theirs
    stick = np.flatnonzero(shapely.area(hulls) - shapely.area(shapes) > tol.area)
    if not len(stick):
        return out
    gaps = as_array(shapely.difference(hulls[stick], shapes[stick]))
    # a gap inside what may be passed blocks nothing (prepared: an index
    # query, not an overlay); only the rest are cut exactly
    shapely.prepare(passable)
    clear = shapely.contains(passable, gaps) | (shapely.area(gaps) <= tol.area)
    shapely.destroy_prepared(passable)
    for i, gap in zip(stick[~clear].tolist(), gaps[~clear]):
        gap = clean(gap)
        if gap.area <= tol.area:
            continue
        near = shapely.clip_by_rect(passable, *hulls[i].bounds)
        out[i] = difference(gap, near).area > tol.area
    return out


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
    blocked = _blocked(pieces, passable, source, distance)
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
        grown = shapely.simplify(grown, step * tol.arc, preserve_topology=True)
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
    solid = list(polygons(geom))
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
        pieces.extend(as_array(shapely.polygons(quads)).tolist())
    return clean(union(pieces))
