"""Films from an angular flux (µm): what each point of the surface sees of
the source over it, shadowed by the section itself, and what the surface
re-emits where the film does not stick.

The section is a cut of features long across it, so the flux in the plane
is exact: a point whose normal makes the angle φ with the vertical gets,
from a source of uniform radiance (sputtering, a cosine source) over the
directions θ it sees, ½ ∫ cos(θ − φ) dθ of what an open flat field gets;
from evaporation collimated within ±β, that integral over |θ| ≤ β over
2 sin β. Re-emission: a film that sticks with probability s re-emits the
rest diffusely; points exchange flux by the 2-D kernel cos θ₁ cos θ₂ / 2r
(Hottel's crossed strings), solved as (I − (1 − s) K) Φ = Φ₀. The film's
normal thickness is the field thickness times Φ / Φ(field)::

    source  \\ | /        θ from the vertical, the visible ones only
    field ___\\|/___      1
    wall      |  |        ½ (1 − y / √(w² + y²)) at y below the top
    bottom    |__|        sin(atan(w / 2d)) at the middle: 0.0995 at 5:1
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from .. import geometry as g
from ..tolerances import tol

#: Sample points per unit of the section's size along the lit surface, and
#: at least this many on each straight stretch of it.
SAMPLES = 600
PER_SEGMENT = 24
#: Where the surface turns by more than this (rad), the film rounds the
#: corner with a disc; below it a wedge closes the gap between the faces.
SECTOR_TURN = 0.2


def samples(lines: BaseGeometry, size: float, film: float, open_space: BaseGeometry
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Points along the lit surface ``lines``: their positions, unit normals
    (toward ``open_space``), the length each stands for, the segment each
    lies on, and the segments (k, 2, 2) themselves."""
    step = max(size / SAMPLES, film / 4, 10 * tol.touch)
    pts: list[np.ndarray] = []
    normals: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    owner: list[np.ndarray] = []
    segments: list[list[np.ndarray]] = []
    for line in g.lines(lines):
        xy = np.asarray(line.coords)
        for a, b in itertools.pairwise(xy):
            length = float(np.hypot(*(b - a)))
            if length <= tol.grid:
                continue
            n = math.ceil(length / step)
            if length > 4 * step:  # a long stretch: dense at its ends (corners)
                n = max(n, PER_SEGMENT)
            # denser toward the ends, where the flux turns fastest (corners)
            t = (1 - np.cos(math.pi * (np.arange(n) + 0.5) / n)) / 2
            cells = np.diff(np.concatenate([[0.0], (t[1:] + t[:-1]) / 2, [1.0]]))
            d = (b - a) / length
            normal = np.array([-d[1], d[0]])
            probe = (a + b) / 2 + 50 * tol.touch * normal
            if not open_space.contains(shapely.Point(probe)):
                normal = -normal
            pts.append(a + np.outer(t, b - a))
            normals.append(np.tile(normal, (n, 1)))
            weights.append(cells * length)
            owner.append(np.full(n, len(segments)))
            segments.append([a, b])
    if not pts:
        empty = np.empty((0, 2))
        return empty, empty, np.empty(0), np.empty(0, dtype=int), np.empty((0, 2, 2))
    return (np.vstack(pts), np.vstack(normals), np.concatenate(weights),
            np.concatenate(owner), np.asarray(segments, dtype=float))


def direct_flux(points: np.ndarray, normals: np.ndarray, solid: BaseGeometry,
                half_angle: float | None) -> np.ndarray:
    """The flux each point gets from above over what an open field gets:
    the directions it sees are the upper half-plane less the angles the
    solid's edges subtend from it (exact, no rays); ``half_angle`` (rad)
    limits the source to |θ| ≤ β, None is a cosine source."""
    edges = g.boundary_edges(solid)
    beta = math.pi / 2 if half_angle is None else half_angle
    norm = 2.0 if half_angle is None else 2.0 * math.sin(beta)
    out = np.zeros(len(points))
    lift = 20 * tol.touch
    for k, (p, n) in enumerate(zip(points, normals)):
        eye = p + lift * n
        phi = math.atan2(n[0], n[1])  # the normal's angle from the vertical
        lo, hi = max(-beta, phi - math.pi / 2), min(beta, phi + math.pi / 2)
        if hi <= lo:
            continue
        seen = _open(eye, edges, lo, hi)
        out[k] = sum(math.sin(b - phi) - math.sin(a - phi) for a, b in seen) / norm
    return out


def _open(eye: np.ndarray, edges: np.ndarray, lo: float, hi: float) -> list[tuple[float, float]]:
    """The directions in [lo, hi] (rad from the vertical, + toward +x) in
    which a ray from ``eye`` meets none of ``edges`` (k, 2, 2)."""
    d = edges - eye
    ang = np.arctan2(d[..., 0], d[..., 1])  # (k, 2): each end's angle
    a, b = ang[:, 0], ang[:, 1]
    span = (b - a + math.pi) % (2 * math.pi) - math.pi  # the edge's own arc, < π
    start = np.where(span >= 0, a, a + span)
    end = start + np.abs(span)
    # arcs past +π come round at −π: shift both ways and keep what meets [lo, hi]
    starts = np.concatenate([start, start - 2 * math.pi, start + 2 * math.pi])
    ends = np.concatenate([end, end - 2 * math.pi, end + 2 * math.pi])
    keep = (ends > lo) & (starts < hi)
    blocked = sorted(zip(np.maximum(starts[keep], lo), np.minimum(ends[keep], hi)))
    seen, at = [], lo
    for s, e in blocked:
        if s > at:
            seen.append((at, float(s)))
        at = max(at, float(e))
    if at < hi:
        seen.append((at, hi))
    return seen


def reemitted(points: np.ndarray, normals: np.ndarray, weights: np.ndarray,
              solid: BaseGeometry, direct: np.ndarray, sticking: float) -> np.ndarray:
    """The total flux with diffuse re-emission of what does not stick:
    Φ = Φ₀ + (1 − s) K Φ, K the 2-D view-factor kernel between visible
    sample points (cos θ₁ cos θ₂ / 2r per unit length)."""
    if sticking >= 1.0 or len(points) < 2:
        return direct
    lift = 20 * tol.touch
    eyes = points + lift * normals
    d = eyes[None, :, :] - eyes[:, None, :]  # from i to j
    r = np.hypot(d[..., 0], d[..., 1])
    np.fill_diagonal(r, np.inf)
    cos_i = np.einsum("ijk,ik->ij", d, normals) / r
    cos_j = -np.einsum("ijk,jk->ij", d, normals) / r
    facing = (cos_i > 0) & (cos_j > 0)
    i, j = np.nonzero(np.triu(facing, 1))
    if len(i):
        rays = shapely.linestrings(np.stack([eyes[i], eyes[j]], axis=1))
        shapely.prepare(solid)
        try:
            blocked = shapely.intersects(rays, solid)
        finally:
            shapely.destroy_prepared(solid)
        facing[i[blocked], j[blocked]] = False
        facing[j[blocked], i[blocked]] = False
    facing = np.triu(facing, 1) | np.triu(facing, 1).T
    kernel = np.where(facing, cos_i * cos_j / (2 * r), 0.0) * weights[None, :]
    system = np.eye(len(points)) - (1.0 - sticking) * kernel
    return np.asarray(np.linalg.solve(system, direct), dtype=float)


def film_of(points: np.ndarray, normals: np.ndarray, owner: np.ndarray,
            segments: np.ndarray, thickness: np.ndarray) -> BaseGeometry:
    """The film over the sampled surface: along each segment, the polygon
    out to its samples' thicknesses (a smooth outer face); where two
    segments meet, the wedge between their outer faces (a disc's sector at
    a sharp convex corner, so the film turns round it as an offset does)."""
    starts = np.searchsorted(owner, np.arange(len(segments)))
    stops = np.searchsorted(owner, np.arange(len(segments)), side="right")
    pieces: list[BaseGeometry] = []
    ends: list[tuple[float, float]] = []
    for k, (a, b) in enumerate(segments):
        mine = np.arange(starts[k], stops[k])
        n = normals[mine[0]]
        p = np.vstack([a, points[mine], b])
        inner = thickness[mine]
        t0, t1 = inner[0], inner[-1]
        if len(mine) > 1:  # out to the ends along the two nearest samples, never below zero
            length = float(np.hypot(*(b - a)))
            at = np.hypot(*(points[mine] - a).T) / length
            t0 = max(inner[0] - (inner[1] - inner[0]) * at[0] / (at[1] - at[0]), 0.0)
            t1 = max(inner[-1] + (inner[-1] - inner[-2]) * (1 - at[-1]) / (at[-1] - at[-2]),
                     0.0)
        ends.append((t0, t1))
        t = np.concatenate([[t0], inner, [t1]])
        ring = np.vstack([p, (p + t[:, None] * n)[::-1], p[:1]])
        poly = shapely.Polygon(ring)
        pieces.append(poly if poly.is_valid else shapely.make_valid(poly))
    for k in range(len(segments)):
        for m in (k + 1, 0):  # the next segment of the line, or the first if it closes
            if m >= len(segments) or np.hypot(*(segments[k][1] - segments[m][0])) > tol.grid:
                continue
            v = segments[k][1]
            n1, n2 = normals[starts[k]], normals[starts[m]]
            r1, r2 = ends[k][1], ends[m][0]
            turn = math.atan2(n1[0] * n2[1] - n1[1] * n2[0], float(np.dot(n1, n2)))
            if abs(turn) <= 1e-12 or max(r1, r2) <= tol.grid:
                break
            if abs(turn) > SECTOR_TURN:
                pieces.append(shapely.Point(v).buffer(max(r1, r2), quad_segs=tol.quad_segs()))
            else:
                wedge = shapely.Polygon([v, v + r1 * n1, v + r2 * n2])
                if wedge.is_valid and wedge.area > 0:
                    pieces.append(wedge)
            break
    pieces = [q for q in pieces if not q.is_empty and q.area > 0]
    return g.union(pieces) if pieces else g.EMPTY
