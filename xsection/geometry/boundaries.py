"""Edges of polygon boundaries: scanlines across them, and where two sets'
boundaries meet (µm)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import numpy as np
import shapely
from shapely.geometry import LineString
from shapely.geometry.base import BaseGeometry

from ..tolerances import tol
from .shapes import as_array, in_spans, merge_intervals


def shared_boundary(a: BaseGeometry, b: BaseGeometry) -> BaseGeometry:
    """Line work of ``a``'s boundary that lies on ``b``'s (within
    ``tol.touch``): where two polygonal sets that do not overlap meet.

    Two sets computed apart (a union of some regions, the ambient of all)
    agree on their common edges only to round-off, and one may have a vertex
    where the other has none. So edge by edge: an STRtree pairs each edge of
    ``a`` with the edges of ``b`` within ``tol.touch``; where both ends of
    ``b``'s edge lie within ``tol.touch`` of the line of ``a``'s, the part of
    ``a``'s edge between their projections is shared. The shared parts of
    each edge are merged, then joined into lines. Linear in the edges (no
    overlay)::

        a  ______________        a's edge
        b     ‾‾‾‾‾‾‾‾‾‾‾‾‾‾‾    b's edge, on it within tol.touch
              |---------|        shared: a's edge between b's projections
    """
    if a.is_empty or b.is_empty:
        return LineString()
    ea = boundary_edges(a)
    e, s, t = _shared_spans(ea, boundary_edges(b))
    if not len(e):
        return LineString()
    s, t = s[:, None], t[:, None]
    start = ea[e, 0] + s * (ea[e, 1] - ea[e, 0])
    end = ea[e, 0] + t * (ea[e, 1] - ea[e, 0])
    # whole edges keep a's vertices exactly; cut ones end on the grid
    start = np.where(s > 0, np.round(start / tol.grid) * tol.grid, ea[e, 0])
    end = np.where(t < 1, np.round(end / tol.grid) * tol.grid, ea[e, 1])
    # runs of whole edges that follow each other on a ring are one line
    joined = np.zeros(len(e), dtype=bool)
    joined[1:] = (e[1:] == e[:-1] + 1) & (t[:-1, 0] == 1) & (s[1:, 0] == 0) \
        & np.all(ea[e[:-1], 1] == ea[e[1:], 0], axis=1)
    run = np.cumsum(~joined) - 1
    heads = np.flatnonzero(~joined)
    coords = np.concatenate([start[heads], end])
    index = np.concatenate([run[heads], run])
    order = np.argsort(np.concatenate([2 * heads, 2 * np.arange(len(e)) + 1]), kind="stable")
    lines = as_array(shapely.linestrings(coords[order], indices=index[order]))
    return cast(BaseGeometry, shapely.line_merge(shapely.multilinestrings(lines)))


def shared_lengths(parts: Sequence[BaseGeometry], b: BaseGeometry) -> np.ndarray:
    """For each of ``parts``, the length (µm) of its boundary lying on
    ``b``'s, as ``shared_boundary`` finds it; all parts in one pass, so
    asking for a thousand bodies costs one pass over ``b``, not a thousand."""
    out = np.zeros(len(parts))
    if not len(parts) or b.is_empty:
        return out
    edges = [boundary_edges(p) for p in parts]
    owner = np.repeat(np.arange(len(parts)), [len(x) for x in edges])
    ea = np.concatenate(edges) if edges else np.empty((0, 2, 2))
    e, s, t = _shared_spans(ea, boundary_edges(b))
    length = np.hypot(*(ea[e, 1] - ea[e, 0]).T) * (t - s)
    np.add.at(out, owner[e], length)
    return out


def _shared_spans(ea: np.ndarray, eb: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The spans of edges ``ea`` (k, 2, 2) that lie on edges ``eb``: (edge
    index, start, end as fractions of the edge), merged per edge, in edge
    order (see ``shared_boundary``)."""
    none = (np.zeros(0, dtype=int), np.zeros(0), np.zeros(0))
    if not len(ea) or not len(eb):
        return none
    # an edge of a equal to one of b, end for end (b's ambient is cut from
    # the same matter, so most are), is shared whole: found by a sort; the
    # index below pairs only the rest
    whole_a, whole_b = _equal_edges(ea, eb)
    whole_a &= np.hypot(*(ea[:, 1] - ea[:, 0]).T) > tol.grid
    rest_a, rest_b = np.flatnonzero(~whole_a), np.flatnonzero(~whole_b)
    i, lo, hi = _near_spans(ea[rest_a], eb[rest_b])
    i = np.concatenate([np.flatnonzero(whole_a), rest_a[i]])
    lo = np.concatenate([np.zeros(int(whole_a.sum())), lo])
    hi = np.concatenate([np.ones(int(whole_a.sum())), hi])
    if not len(i):
        return none
    order = np.lexsort((lo, i))
    i, lo, hi = i[order], lo[order], hi[order]
    # merge the shared spans of each edge of a (sorted by edge, then start):
    # a span starts a run where it begins past the furthest end before it
    reach = np.maximum.accumulate(hi + 2.0 * i) - 2.0 * i  # furthest end so far, per edge
    first = np.ones(len(i), dtype=bool)
    first[1:] = (i[1:] != i[:-1]) | (lo[1:] > reach[:-1] + 1e-12)
    starts = np.flatnonzero(first)
    return i[starts], lo[starts], np.maximum.reduceat(hi, starts)


def _equal_edges(ea: np.ndarray, eb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Masks of the edges of ``ea`` and of ``eb`` that have an equal edge
    (the same two ends, either way round) in the other set."""
    def rows(e: np.ndarray) -> np.ndarray:
        x0, z0, x1, z1 = e[:, 0, 0], e[:, 0, 1], e[:, 1, 0], e[:, 1, 1]
        flip = (x0 > x1) | ((x0 == x1) & (z0 > z1))
        out = e.copy()
        out[flip] = e[flip, ::-1]
        return out.reshape(-1, 4)

    r = np.concatenate([rows(ea), rows(eb)])
    src = np.repeat([0, 1], [len(ea), len(eb)])
    order = np.lexsort((src, r[:, 3], r[:, 2], r[:, 1], r[:, 0]))
    r, src = r[order], src[order]
    pair = np.all(r[1:] == r[:-1], axis=1) & (src[:-1] == 0) & (src[1:] == 1)
    whole = np.zeros(len(r), dtype=bool)
    whole[:-1] |= pair
    whole[1:] |= pair
    mask = np.zeros(len(r), dtype=bool)
    mask[order] = whole
    return mask[:len(ea)], mask[len(ea):]


def _near_spans(ea: np.ndarray, eb: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(edge of ``ea``, start, end) of each part of an edge of ``ea`` that
    an edge of ``eb`` lies on within ``tol.touch``, unmerged."""
    none = (np.zeros(0, dtype=int), np.zeros(0), np.zeros(0))
    if not len(ea) or not len(eb):
        return none
    # pairs whose boxes (a's grown by tol.touch) meet; the test below is exact
    tree = shapely.STRtree(as_array(shapely.linestrings(eb)))
    lo_a, hi_a = ea.min(axis=1) - tol.touch, ea.max(axis=1) + tol.touch
    i, j = tree.query(shapely.box(lo_a[:, 0], lo_a[:, 1], hi_a[:, 0], hi_a[:, 1]))
    if not len(i):
        return none
    a0, u = ea[i, 0], ea[i, 1] - ea[i, 0]
    length2 = np.einsum("ij,ij->i", u, u)
    ok = length2 > 0
    i, j, a0, u, length2 = i[ok], j[ok], a0[ok], u[ok], length2[ok]
    length = np.sqrt(length2)
    rel0, rel1 = eb[j, 0] - a0, eb[j, 1] - a0
    off0 = np.abs(u[:, 0] * rel0[:, 1] - u[:, 1] * rel0[:, 0]) / length
    off1 = np.abs(u[:, 0] * rel1[:, 1] - u[:, 1] * rel1[:, 0]) / length
    t0 = np.einsum("ij,ij->i", rel0, u) / length2
    t1 = np.einsum("ij,ij->i", rel1, u) / length2
    lo = np.clip(np.minimum(t0, t1), 0.0, 1.0)
    hi = np.clip(np.maximum(t0, t1), 0.0, 1.0)
    on = (off0 <= tol.touch) & (off1 <= tol.touch) & ((hi - lo) * length > tol.grid)
    return i[on], lo[on], hi[on]


def boundary_edges(geom: BaseGeometry) -> np.ndarray:
    """The edges (k, 2, 2) of ``geom``'s rings and lines: k × (start, end)."""
    parts = shapely.get_parts(geom)
    polys = parts[shapely.get_type_id(parts) == 3]
    others = parts[shapely.get_type_id(parts) != 3]
    pieces = [*(shapely.get_rings(polys) if len(polys) else []), *others]
    if not pieces:
        return np.empty((0, 2, 2))
    xy, k = shapely.get_coordinates(np.asarray(pieces, dtype=object), return_index=True)
    same = k[1:] == k[:-1]
    return np.stack([xy[:-1][same], xy[1:][same]], axis=1)


def scan(area: BaseGeometry, normal: np.ndarray, along: np.ndarray, offsets: np.ndarray
         ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The chords of ``area`` on the lines p · normal = offsets[i] (offsets
    ascending; ``along`` the unit direction of the lines): (line index,
    start, end along ``along``), ordered by line, then along it. A scanline
    over the rings' edges, even-odd (holes cut chords), an edge counting on
    the lines in [low end, high end) of its span, so a line through a vertex
    is met once. Linear in edges plus chords, no overlay::

        offsets[2] ---|=====|----|===|---   two chords, a hole between
        offsets[1] ---|=============|---
    """
    empty = (np.zeros(0, dtype=int), np.zeros(0), np.zeros(0))
    parts = shapely.get_parts(area)
    if area.is_empty or not len(parts) or not len(offsets):
        return empty
    xy, ring = shapely.get_coordinates(shapely.get_rings(parts), return_index=True)
    same = ring[1:] == ring[:-1]
    a, b = xy[:-1][same], xy[1:][same]
    pa, pb = a @ normal, b @ normal
    edge, line = in_spans(offsets, np.minimum(pa, pb), np.maximum(pa, pb), high="left")
    if not len(edge):
        return empty
    t = (offsets[line] - pa[edge]) / (pb[edge] - pa[edge])
    at = (a[edge] + t[:, None] * (b[edge] - a[edge])) @ along
    order = np.lexsort((at, line))
    line, at = line[order], at[order]
    return line[0::2], at[0::2], at[1::2]


def chords_at(area: BaseGeometry, normal: np.ndarray, along: np.ndarray,
              at: Sequence[float] | np.ndarray,
              *, closed: bool = False) -> list[list[tuple[float, float]]]:
    """For each line p · normal = at[j] (any order): the (low, high) ends
    along ``along`` of its chords inside ``area`` (``scan``), longer than
    zero. ``closed``: a line lying on an edge of ``area`` meets it (the scan
    looks a grid step to either side and joins the two, as an overlay sees a
    line on an upright edge; a slanted edge moves by a grid step times its
    slope)."""
    at = np.asarray(at, dtype=float)
    out: list[list[tuple[float, float]]] = [[] for _ in at]
    if area.is_empty or not len(at):
        return out
    offsets, owner = at, np.arange(len(at))
    if closed:
        offsets = np.concatenate([at - tol.grid, at + tol.grid])
        owner = np.concatenate([owner, owner])
    order = np.argsort(offsets, kind="stable")
    line, lo, hi = scan(area, normal, along, offsets[order])
    for k, a, b in zip(owner[order[line]].tolist(), lo.tolist(), hi.tolist()):
        if b > a:
            out[k].append((a, b))
    return [merge_intervals(spans) for spans in out] if closed else out
