"""The isotropic etch of straight exposed runs in closed form: each run's
half-stadium written with numpy and spliced into the target's boundary and
the solid's, no overlay. Where any run is not that simple case, the caller
takes the general (geodesic, overlay) route, which gives the same set::

    mask  MMMM a____b MMMM        a run a-b on a flat face of the target
    Cu    ###p\\      /q###        p = a - d·t, q = b + d·t (the undercut)
    Cu    #####\\____/#####        quarter arcs of radius d round a and b
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import shapely
from shapely.geometry import MultiPolygon
from shapely.geometry.base import BaseGeometry

from .. import geometry as g
from ..section import Region, Section
from ..tolerances import tol
from .common import void_label


def straight_runs(source: BaseGeometry) -> np.ndarray | None:
    """The source lines as straight runs (k, 2, 2), or None where one bends
    (collinear vertices within the grid do not count) or is a point."""
    lines = shapely.get_parts(source)
    if not len(lines) or np.any(shapely.get_type_id(lines) != 1):
        return None
    lines = shapely.simplify(lines, tol.grid)
    if np.any(shapely.get_num_coordinates(lines) != 2):
        return None
    runs = shapely.get_coordinates(lines).reshape(-1, 2, 2)
    if np.any(np.hypot(*(runs[:, 1] - runs[:, 0]).T) <= tol.touch):
        return None
    return runs


def half_stadia(runs: np.ndarray, normals: np.ndarray, d: float
                ) -> tuple[np.ndarray, np.ndarray]:
    """For runs a→b (k, 2, 2) with unit normals into the target (k, 2): the
    path from p = a − d·t round to q = b + d·t through the target (k, m, 2),
    snapped to the grid, and the path's mirror image above the run (the
    half that must hold no target). Quarter arcs of ``tol.quad_segs()``
    chords, as a round buffer has."""
    a, b = runs[:, 0], runs[:, 1]
    t = (b - a) / np.hypot(*(b - a).T)[:, None]
    phi = np.linspace(0.0, np.pi / 2, tol.quad_segs() + 1)
    c, s = np.cos(phi)[None, :, None], np.sin(phi)[None, :, None]

    def path(n: np.ndarray) -> np.ndarray:
        round_a = a[:, None] + d * (-c * t[:, None] + s * n[:, None])
        round_b = b[:, None] + d * (s * t[:, None] + c * n[:, None])
        return np.concatenate([round_a, round_b], axis=1)

    def snap(xy: np.ndarray) -> np.ndarray:
        return np.round(xy / tol.grid) * tol.grid

    return snap(path(normals)), snap(path(-normals))


def straight_etch(section: Section, source: BaseGeometry, targets: Iterable[str] | None,
                  numerals: Iterable[str] | None, d: float, numeral: str | None
                  ) -> Section | None:
    """The isotropic etch of depth ``d`` from ``source`` (exposed lines of
    the selected bodies) where every source line is a straight run on a flat
    face of one target body, the face running on for ``d`` past both ends
    and nothing of the targets within ``d`` above the run: then what is
    removed is each run's half-stadium, exactly what the geodesic offset
    gives. None where that does not hold."""
    runs = straight_runs(source)
    if runs is None:
        return None
    chosen = {id(r) for r in section.select(materials=targets, numerals=numerals)}
    bodies = [i for i, r in enumerate(section.regions) if id(r) in chosen]
    a, b = runs[:, 0], runs[:, 1]
    t = (b - a) / np.hypot(*(b - a).T)[:, None]
    n = np.stack([-t[:, 1], t[:, 0]], axis=1)
    mid = (a + b) / 2
    probe = max(tol.probe, 10 * tol.grid)
    owner = np.full(len(runs), -1)
    for i in bodies:
        geom = section.regions[i].geometry
        left = shapely.contains_xy(geom, *(mid + probe * n).T)
        right = shapely.contains_xy(geom, *(mid - probe * n).T)
        if np.any(left & right):
            return None  # not a face of this body
        owner[left | right] = i
        n[right & ~left] *= -1
    if np.any(owner < 0):
        return None
    down, up = half_stadia(runs, n, d)
    pits = np.empty(len(runs), dtype=object)
    pits[:] = list(g.as_array(shapely.polygons(np.concatenate([down, down[:, :1]], axis=1))))
    # each pit inside its body, nothing of the targets in the half above
    # (moved off the face by tol.touch), the pits apart from each other
    solid = section.union_of(materials=targets, numerals=numerals)
    lifted = shapely.polygons(np.concatenate([up, up[:, :1]], axis=1) - tol.touch * n[:, None])
    if np.any(_prepared(shapely.intersects, solid, lifted)):
        return None
    for i in set(owner.tolist()):
        if not np.all(_prepared(shapely.contains, section.regions[i].geometry,
                                pits[owner == i])):
            return None
    left_pit, right_pit = shapely.STRtree(pits).query(pits, predicate="intersects")
    if np.any(left_pit != right_pit):
        return None
    regions = list(section.regions)
    removed = float(shapely.area(pits).sum())
    for i in set(owner.tolist()):
        mine = owner == i
        geom = regions[i].geometry
        cut = g.splice(geom, down[mine][:, 0], down[mine][:, -1], down[mine][:, 1:-1])
        if cut is None or not _lost(geom, cut, float(shapely.area(pits[mine]).sum())):
            return None
        regions[i] = Region(g.polygonal(cut), regions[i].material, regions[i].numeral)
    whole = section.solid
    opened = g.splice(whole, a, b, down)
    if opened is None or not _lost(whole, opened, removed):
        return None
    labels = [*section.labels, *void_label(numeral, MultiPolygon(list(pits)))]
    return section.evolve(regions, labels, solid=opened)


def _prepared(test: Callable[..., np.ndarray], geom: BaseGeometry, others: object
              ) -> np.ndarray:
    """``test(geom, others)`` with ``geom`` prepared (an index over its edges:
    a test against a small shape costs a query, not a walk round the whole
    ring), the index dropped after so a kept section does not carry it."""
    shapely.prepare(geom)
    try:
        return np.asarray(test(geom, others))
    finally:
        shapely.destroy_prepared(geom)


def _lost(before: BaseGeometry, after: BaseGeometry, area: float) -> bool:
    """True if ``after`` is valid and has ``area`` less than ``before``."""
    slack = tol.area * (1 + len(shapely.get_parts(after))) + 1e-12 * before.area
    return bool(after.is_valid) and abs(before.area - after.area - area) <= slack
