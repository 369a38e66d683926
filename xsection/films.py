"""Films measured normal to the surface they line: thinnest, thickest,
mean and step coverage (µm), whether the film is bare or buried."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
import shapely
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

from . import geometry as g
from .errors import InputError
from .measure import named
from .section import Section
from .tolerances import tol


@dataclass(frozen=True)
class Film:
    """Thickness of a film measured normal to the surface it lines."""

    numeral: str
    min: float
    max: float
    mean: float
    step_coverage: float | None  # mean thickness on walls / on faces that look up or down
    field: float | None  # median on the faces at the highest level (the field)
    wall: float | None  # mean on the walls
    bottom: float | None  # mean on the faces at the lowest level (a trench's or via's bottom)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def film(section: Section, numeral: str, *, samples: int = 400) -> Film:
    """Normal thickness of a film: from points on the surface it lines (the
    material it shares most boundary with) to the film's own other face (the
    rest of its outline, what covers it included) or, if nearer, to where
    the normal leaves the film (a film between two bodies of one material),
    so a film buried under others reads its own thickness; the ends, where
    the film meets something else, are left out::

        ~~~~~~ copper ~~~~~~
        ====== film  ======   <- t along the normal from the lined face
        ////// lined //////

    ``field``, ``wall`` and ``bottom`` are the means on the highest faces,
    the walls and the lowest faces: a film's coverage of a trench or via.
    """
    body = named(section, numeral, "measure film")
    others: dict[str, BaseGeometry] = {}
    for r in section.regions:
        if r.numeral != numeral and r.geometry.distance(body) <= tol.touch:
            others[r.material] = g.union([others.get(r.material, g.EMPTY), r.geometry])
    shared = {m: g.shared_boundary(body, geom) for m, geom in others.items()}
    shared = {m: line for m, line in shared.items() if line.length > tol.touch}
    if not shared:
        raise InputError(f"measure film: {numeral!r} is not a film lining a surface")
    inner = max(shared.values(), key=lambda line: line.length)
    if inner.length >= 0.999 * body.boundary.length:
        raise InputError(f"measure film: {numeral!r} is not a film lining a surface (it is "
                         f"enclosed in one material)")
    edge = body.boundary
    outer = g.difference(edge, inner.buffer(10 * tol.grid, quad_segs=1))

    def depth(line: LineString, d: float) -> float | None:
        ray = _normal_depth(body, edge, line, d)
        near = outer.distance(line.interpolate(d)) if not outer.is_empty else None
        found = [t for t in (ray, near) if t is not None]
        return min(found) if found else None

    probe = [depth(line, float(d)) for line in g.lines(inner)
             for d in np.linspace(0.0, line.length, max(2, samples // 8))]
    t_est = float(np.median([t for t in probe if t is not None] or [body.area / inner.length]))
    ts: list[float] = []
    walls: list[float] = []
    faces: list[float] = []
    levels: list[float] = []
    for line in g.lines(inner):
        k = max(2, int(samples * line.length / inner.length))
        for d in np.linspace(0.0, line.length, k):
            if min(d, line.length - d) <= 1.5 * t_est:
                continue
            t = depth(line, float(d))
            if t is None:
                continue
            ts.append(t)
            a = line.interpolate(max(d - tol.sample_step, 0.0))
            b = line.interpolate(min(d + tol.sample_step, line.length))
            if abs(b.y - a.y) > abs(b.x - a.x):
                walls.append(t)
            else:
                faces.append(t)
                levels.append((a.y + b.y) / 2)
    arr = np.asarray(ts or [t for t in probe if t is not None] or [t_est])
    coverage = float(np.mean(walls) / np.mean(faces)) if walls and faces else None
    field = bottom = None
    if faces:
        z, t_face = np.asarray(levels), np.asarray(faces)
        near = max(2.0 * float(arr.max()), tol.probe * (z.max() - z.min() + 1.0))
        field = float(np.median(t_face[z >= z.max() - near]))  # a field is flat: its median
        bottom = float(t_face[z <= z.min() + near].mean())
    wall = float(np.mean(walls)) if walls else None
    return Film(numeral, float(arr.min()), float(arr.max()), float(arr.mean()), coverage,
                field, wall, bottom)


def _normal_depth(body: BaseGeometry, edge: BaseGeometry, line: LineString, d: float
                  ) -> float | None:
    """How far the normal to ``line`` at arc length ``d`` runs inside
    ``body`` before it meets ``body``'s boundary again (None: the normal
    there does not enter the body)."""
    p = line.interpolate(d)
    a = line.interpolate(max(d - tol.sample_step, 0.0))
    b = line.interpolate(min(d + tol.sample_step, line.length))
    tx, tz = b.x - a.x, b.y - a.y
    norm = math.hypot(tx, tz)
    if norm == 0.0:
        return None
    nx, nz = -tz / norm, tx / norm
    minx, minz, maxx, maxz = body.bounds
    reach = 2.0 * math.hypot(maxx - minx, maxz - minz) + 1.0
    step = 10 * tol.grid
    for sign in (1.0, -1.0):
        ux, uz = sign * nx, sign * nz
        if not body.contains(Point(p.x + step * ux, p.y + step * uz)):
            continue
        ray = LineString([(p.x + step * ux, p.y + step * uz),
                          (p.x + reach * ux, p.y + reach * uz)])
        hits = shapely.get_coordinates(ray.intersection(edge))
        if not len(hits):
            return None
        return float(np.min(np.hypot(hits[:, 0] - p.x, hits[:, 1] - p.y)))
    return None


def _samples(lines: BaseGeometry, n: int) -> list[Point]:
    out: list[Point] = []
    total = lines.length
    for line in g.lines(lines):
        k = max(2, int(n * line.length / total))
        out.extend(line.interpolate(d) for d in np.linspace(0, line.length, k))
    return out
