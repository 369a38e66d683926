"""What a lead passes through (mm, y down): the other numbered parts it
runs into, deeper than CROSS_DEPTH, and its length inside them, for many
leads at once::

    12 ------|##|-----x    one part crossed, 2 mm inside it
"""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from .. import geometry as g

#: Points along a lead that measure its length inside another part.
INSIDE_SAMPLES = 16
#: A numbered part counts as crossed where a lead runs this deep (mm) into it.
CROSS_DEPTH = 0.1


def crossings(segs: np.ndarray, target: BaseGeometry, others: list[BaseGeometry]
              ) -> np.ndarray:
    """How many of ``others`` (less ``target``) each lead (n, 4: x0, y0, x1,
    y1) runs more than CROSS_DEPTH into."""
    return through(segs, target, others)[0]


def through(segs: np.ndarray, target: BaseGeometry, others: list[BaseGeometry]
             ) -> tuple[np.ndarray, np.ndarray]:
    """``crossings``, and the length (mm) of each lead inside those parts."""
    if not len(segs) or not others:
        return np.zeros(len(segs), dtype=int), np.zeros(len(segs))
    return through_pool(segs, pool_of(target, others))


def pool_of(target: BaseGeometry, others: list[BaseGeometry],
            shrunk: dict[int, tuple[BaseGeometry, BaseGeometry]] | None = None) -> np.ndarray:
    """The other numbered parts less ``target``, shrunk by CROSS_DEPTH.
    ``shrunk`` keeps each part shrunk once for a panel's numerals, by the id
    of the part (kept with it, so an id reused by a new object never
    matches)."""
    if not others:
        return np.empty(0, dtype=object)
    seen = {} if shrunk is None else shrunk
    for o in others:
        if seen.get(id(o), (None,))[0] is not o:
            seen[id(o)] = (o, shapely.buffer(o, -CROSS_DEPTH))
    pool = np.asarray([seen[id(o)][1] for o in others], dtype=object)
    meets = shapely.intersects(pool, target)
    if meets.any():  # what the numeral names itself is no other part
        parts = np.asarray(others, dtype=object)[meets]
        pool[meets] = shapely.buffer(shapely.difference(parts, _near(target, parts)),
                                     -CROSS_DEPTH)
    pool = pool[~shapely.is_empty(pool)]
    shapely.prepare(pool)
    return pool


def _near(target: BaseGeometry, parts: np.ndarray) -> np.ndarray:
    """For each part, the pieces of ``target`` that meet it (one multipolygon
    each; so a part is cut by what lies near it, not by all of ``target``)."""
    pieces = shapely.get_parts(target)
    part, piece = shapely.STRtree(pieces).query(parts, predicate="intersects")
    groups: list[list[Polygon]] = [[] for _ in parts]
    for i, j in zip(part.tolist(), piece.tolist()):
        groups[i].extend(g.polygons(pieces[j]))
    out = np.empty(len(parts), dtype=object)
    out[:] = [MultiPolygon(grp) for grp in groups]
    return out


def through_pool(segs: np.ndarray, pool: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """How many parts of ``pool`` each lead (n, 4) meets, and its length
    inside them (from INSIDE_SAMPLES points spread along it): one query of
    every part against an STRtree of the leads, then the samples of each
    (part, lead) pair at once."""
    count, inside = np.zeros(len(segs), dtype=int), np.zeros(len(segs))
    if not len(segs) or not len(pool):
        return count, inside
    lines = np.asarray(shapely.linestrings(segs.reshape(-1, 2, 2)), dtype=object)
    part, lead = shapely.STRtree(lines).query(pool, predicate="intersects")
    if not len(part):
        return count, inside
    order = np.lexsort((lead, part))  # part by part, as the sums always ran
    part, lead = part[order], lead[order]
    t = (np.arange(INSIDE_SAMPLES) + 0.5) / INSIDE_SAMPLES
    s = segs[lead]
    xs = s[:, [0]] + t * (s[:, [2]] - s[:, [0]])
    ys = s[:, [1]] + t * (s[:, [3]] - s[:, [1]])
    share = shapely.contains_xy(pool[part][:, None], xs, ys).mean(axis=1)
    length = np.hypot(s[:, 2] - s[:, 0], s[:, 3] - s[:, 1])
    np.add.at(count, lead, 1)
    np.add.at(inside, lead, share * length)
    return count, inside
